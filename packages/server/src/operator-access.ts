import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { may, type Principal } from "@leitplanken/core";

/**
 * Whether a request comes from whoever runs the node: it may read `/metrics` and the details
 * of `/readyz` (how busy the node is, whom it federates with, which migrations wait). Allowed:
 * - a request from this machine that did not come through a proxy (a Prometheus or a curl on
 *   the server itself; a reverse proxy on the same machine adds X-Forwarded-For or Forwarded,
 *   so visitors it passes on count as visitors),
 * - `Authorization: Bearer <metricsToken>` (LEITPLANKEN_METRICS_TOKEN, a monitoring system elsewhere),
 * - `Authorization: Bearer <an API token whose role may "node.read-operations">` (admins).
 */
export async function isOperator(
  req: IncomingMessage,
  options: { authenticate: (token: string) => Promise<Principal | null>; metricsToken?: string | undefined },
): Promise<boolean> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
  if (bearer) {
    if (options.metricsToken && sameSecret(bearer, options.metricsToken)) return true;
    return may(await options.authenticate(bearer), "node.read-operations");
  }
  const proxied = ["x-forwarded-for", "forwarded", "x-real-ip"].some((header) => req.headers[header] !== undefined);
  return !proxied && isLoopback(req.socket.remoteAddress);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}
