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

/** Inbound JSON nested deeper than this is refused with 400: real activities nest a few levels, and JSON-LD processing recurses. */
export const MAX_INBOUND_JSON_DEPTH = 64;

type Next = (error?: unknown) => void;

class BodyTooLargeError extends Error {}
class NestingTooDeepError extends Error {}

/**
 * Follows the nesting depth of JSON as its bytes stream in (outside strings), so a body nested
 * 140,000 levels deep is refused while it is read, before any parser or JSON-LD step recurses.
 */
export class JsonDepthGauge {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  /** Feeds a chunk; false once the depth passed the maximum. */
  feed(bytes: Uint8Array): boolean {
    for (const byte of bytes) {
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === 0x5c) this.escaped = true;
        else if (byte === 0x22) this.inString = false;
      } else if (byte === 0x22) this.inString = true;
      else if (byte === 0x5b || byte === 0x7b) {
        if (++this.depth > this.max) return false;
      } else if (byte === 0x5d || byte === 0x7d) this.depth--;
    }
    return true;
  }
}

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
      let tooDeep = false;
      let passedOn = false;
      const request = toFetchRequest(
        req,
        options.origin,
        maxBodyBytes,
        () => (tooLarge = true),
        () => (tooDeep = true),
      );
      const response = await federation
        .fetch(request, {
          contextData: options.contextData,
          onNotFound: () => ((passedOn = true), new Response(null, { status: 404 })),
          // A browser asking for the actor gets the web page, if there is one.
          onNotAcceptable: () => ((passedOn = true), new Response(null, { status: 406 })),
        })
        .catch((error: unknown) => {
          if (error instanceof BodyTooLargeError || tooLarge || error instanceof NestingTooDeepError || tooDeep) return null;
          throw error;
        });
      if (passedOn) return next();
      if (tooDeep) {
        // Read the rest (within the size limit) so the client can finish sending and read the answer.
        await drain(req, maxBodyBytes);
        return sendStatus(res, 400, `Bad Request: JSON nested deeper than ${MAX_INBOUND_JSON_DEPTH} levels`);
      }
      if (tooLarge || !response) return sendStatus(res, 413, "Payload Too Large");
      await writeResponse(response, res);
    } catch (error) {
      next(error);
    }
  };
}

function toFetchRequest(req: IncomingMessage, origin: string, maxBodyBytes: number, onTooLarge: () => void, onTooDeep: () => void): Request {
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
  const gauge = new JsonDepthGauge(MAX_INBOUND_JSON_DEPTH);
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
        if (!gauge.feed(value)) {
          onTooDeep();
          return controller.error(new NestingTooDeepError());
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

async function drain(req: IncomingMessage, maxBytes: number): Promise<void> {
  let read = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      read += chunk.byteLength;
      if (read > maxBytes) break;
    }
  } catch {
    // The client went away: nothing to answer.
  }
}

function sendStatus(res: ServerResponse, status: number, text: string) {
  res.statusCode = status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(text);
}
