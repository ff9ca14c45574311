import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { FederationContextData } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";

/** Inbound bodies above this size are refused with 413 (activities are small; records are fetched, not pushed). */
export const MAX_INBOUND_BODY_BYTES = 1024 * 1024;

export interface FederationMiddlewareOptions {
  /** The node's public base URL; requests are seen under it (signatures cover the public URL behind a proxy). */
  origin: string;
  contextData: FederationContextData;
  maxBodyBytes?: number;
}

type Next = (error?: unknown) => void;

class BodyTooLargeError extends Error {}

/**
 * An express (connect) middleware that hands ActivityPub, WebFinger and NodeInfo requests to
 * Fedify and passes everything else on. Mount it before any body parser: the body is read
 * lazily, only when Fedify takes the request, so other routes still get it untouched.
 */
export function createFederationMiddleware(federation: CityFederation, options: FederationMiddlewareOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_INBOUND_BODY_BYTES;
  return async (req: IncomingMessage, res: ServerResponse, next: Next): Promise<void> => {
    try {
      let tooLarge = false;
      let passedOn = false;
      const request = toFetchRequest(req, options.origin, maxBodyBytes, () => (tooLarge = true));
      const response = await federation
        .fetch(request, {
          contextData: options.contextData,
          onNotFound: () => ((passedOn = true), new Response(null, { status: 404 })),
          // A browser asking for the actor gets the web page, if there is one.
          onNotAcceptable: () => ((passedOn = true), new Response(null, { status: 406 })),
        })
        .catch((error: unknown) => {
          if (error instanceof BodyTooLargeError || tooLarge) return null;
          throw error;
        });
      if (passedOn) return next();
      if (tooLarge || !response) return sendStatus(res, 413, "Payload Too Large");
      await writeResponse(response, res);
    } catch (error) {
      next(error);
    }
  };
}

function toFetchRequest(req: IncomingMessage, origin: string, maxBodyBytes: number, onTooLarge: () => void): Request {
  const url = new URL(req.url ?? "/", origin);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  let received = Number(req.headers["content-length"] ?? 0) > maxBodyBytes ? Infinity : 0;
  let chunks: AsyncIterator<Buffer> | undefined;
  // highWaterMark 0: nothing is read from the socket until Fedify asks for the body.
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (received > maxBodyBytes) {
          onTooLarge();
          return controller.error(new BodyTooLargeError());
        }
        chunks ??= req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const { done, value } = await chunks.next();
        if (done) return controller.close();
        received += value.byteLength;
        if (received > maxBodyBytes) {
          onTooLarge();
          return controller.error(new BodyTooLargeError());
        }
        controller.enqueue(new Uint8Array(value));
      },
    },
    { highWaterMark: 0 },
  );
  return new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse) {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.appendHeader(name, value));
  if (!response.body) return void res.end();
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as WebReadableStream)
      .pipe(res)
      .on("finish", resolve)
      .on("error", reject);
  });
}

function sendStatus(res: ServerResponse, status: number, text: string) {
  res.statusCode = status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(text);
}
