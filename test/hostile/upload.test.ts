import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type HostileNode, leaksInternals, startHostileNode } from "./hostile-node.ts";

/**
 * Uploads the node refuses, sent with Node's own HTTP client as a real client sends them (the
 * body written as fast as the socket takes it, or slowly): each gets its answer (413 or 429 as a
 * GraphQL error), never a connection reset, also when the answer comes before the body was read.
 * The body handling does not depend on the database, so PGlite only.
 */
interface Upload {
  status?: number;
  body?: string;
  error?: string;
  written: number;
}

function upload(
  url: string,
  path: string,
  size: number,
  options: { chunked?: boolean; chunkBytes?: number; pauseMs?: number; contentType?: string } = {},
): Promise<Upload> {
  return new Promise((resolve) => {
    const target = new URL(path, url);
    const headers: Record<string, string> = { "content-type": options.contentType ?? "application/json", accept: "application/json" };
    if (!options.chunked) headers["content-length"] = String(size);
    // A connection of its own: a client that stops sending early cannot use the connection again.
    const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers, agent: false });
    const result: Upload = { written: 0 };
    let body = "";
    req.on("response", (res) => {
      result.status = res.statusCode;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        resolve({ ...result, body });
        req.destroy();
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ ...result, error: error.code ?? error.message }));
    const chunk = Buffer.alloc(options.chunkBytes ?? 65_536, "a");
    void (async () => {
      while (result.written < size && !req.destroyed && result.status === undefined) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - result.written));
        result.written += part.length;
        if (!req.write(part)) await new Promise((resolve) => req.once("drain", resolve));
        if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      }
      if (!req.destroyed) req.end();
    })();
  });
}

const code = (answer: Upload) => (JSON.parse(answer.body ?? "{}") as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

describe("uploads the node refuses", () => {
  let node: HostileNode;
  beforeAll(async () => {
    node = await startHostileNode("pglite", {}, { rateLimit: { windowMs: 86_400_000, limit: 20, costLimit: 1_000_000 } });
  }, 180_000);
  afterAll(() => node?.close());

  it("answers 413 PAYLOAD_TOO_LARGE to 20 MB bodies (with and without a length, eight at once) and to a slow 3 MB upload, never a reset", async () => {
    const fast = await Promise.all([
      ...Array.from({ length: 4 }, () => upload(node.url, "/graphql", 20_000_000)),
      ...Array.from({ length: 4 }, () => upload(node.url, "/graphql", 20_000_000, { chunked: true })),
    ]);
    // A slow client that says how much it sends: 16 KB every 10 ms, answered at once, not after it has sent everything.
    const slow = await upload(node.url, "/graphql", 3_000_000, { chunkBytes: 16_384, pauseMs: 10 });
    for (const answer of [...fast, slow]) {
      expect({ status: answer.status, error: answer.error, code: code(answer) }).toEqual({ status: 413, error: undefined, code: "PAYLOAD_TOO_LARGE" });
      expect(answer.body).toContain("The request body is too large.");
      expect(leaksInternals(answer.body ?? "")).toBeNull();
    }
    expect(slow.written).toBeLessThan(3_000_000);
  });

  it("a client over its rate limit gets the 429 for a 5 MB upload, though the body is never parsed", async () => {
    let status = 200;
    for (let i = 0; i < 25 && status !== 429; i++) {
      const answer = await fetch(`${node.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"query":"{ __typename }"}',
      });
      await answer.text();
      status = answer.status;
    }
    expect(status).toBe(429);
    const answers = await Promise.all(Array.from({ length: 4 }, () => upload(node.url, "/graphql", 5_000_000)));
    for (const answer of answers)
      expect({ status: answer.status, error: answer.error, code: code(answer) }).toEqual({ status: 429, error: undefined, code: "RATE_LIMITED" });
    // The node still answers everyone else.
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });
});
