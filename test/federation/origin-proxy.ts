import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The node's public origin: a pass-through proxy, as in production behind a reverse proxy, so
 * that the restarted process (on another port) keeps the origin its queued deliveries and its
 * key ids are built on.
 */
export async function startOriginProxy() {
  let targetPort = 0;
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwardTo: (url: string) => void (targetPort = Number(new URL(url).port)),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
