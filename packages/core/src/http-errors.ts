/**
 * What an error at the HTTP door means for the client, whatever raised it (a body parser, the
 * router's URL decoding, a rate limit, the request deadline): a status, a stable code and a
 * message written for clients. Never the error's own text, which may hold paths or internals.
 */
export type HttpErrorStatus = 400 | 403 | 404 | 413 | 415 | 429 | 500 | 503;

export interface HttpErrorMeaning {
  status: HttpErrorStatus;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

export function classifyHttpError(error: unknown): HttpErrorMeaning {
  const candidate = error as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown; retryAfterSeconds?: unknown } | null;
  const status = Number(candidate?.status ?? candidate?.statusCode ?? 500);
  const type = typeof candidate?.type === "string" ? candidate.type : "";
  if (status === 413 || type === "entity.too.large") return { status: 413, code: "PAYLOAD_TOO_LARGE", message: "The request body is too large." };
  if (status === 415 || type === "charset.unsupported" || type === "encoding.unsupported") {
    return { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "The request's encoding or character set is not supported (send UTF-8)." };
  }
  if (status === 429) {
    const retryAfterSeconds = typeof candidate?.retryAfterSeconds === "number" ? candidate.retryAfterSeconds : 60;
    return { status: 429, code: "RATE_LIMITED", message: "Too many requests.", retryAfterSeconds };
  }
  if (status === 503) return { status: 503, code: "SERVICE_UNAVAILABLE", message: "The request took too long; try again." };
  if (status === 403) return { status: 403, code: "FORBIDDEN", message: "Not allowed." };
  if (status === 404) return { status: 404, code: "NOT_FOUND", message: "Not found." };
  if (status >= 400 && status < 500) {
    const message = type === "entity.parse.failed" ? "The request body is not valid JSON." : "The request is not valid.";
    return { status: 400, code: "BAD_REQUEST", message };
  }
  return { status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal server error." };
}
