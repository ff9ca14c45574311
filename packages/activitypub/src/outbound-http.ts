import { Agent, setGlobalDispatcher } from "undici";

/** How long a delivery (or any other request to another server) may wait for an answer by default. */
export const DEFAULT_OUTBOUND_TIMEOUT_MS = 15_000;

/**
 * Bounds every outgoing HTTP request of this process (deliveries, actor and record fetches):
 * connecting, waiting for the response headers and for each part of the body may take at most
 * `timeoutMs` (connecting at most 10 s). Without it, a server that accepts the connection and never
 * answers holds a delivery for Node's default of 300 s; with it the delivery fails, Fedify's retry
 * policy and circuit breaker see the failure, and the queue worker moves on. Fedify calls the global
 * `fetch`, which has no per-request timeout option, so this sets the process's dispatcher: call it
 * once at start (the server does).
 */
export function limitOutboundRequestTime(timeoutMs: number = DEFAULT_OUTBOUND_TIMEOUT_MS): void {
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0))
    throw new RangeError(`the outbound request timeout must be a positive whole number of ms, got ${timeoutMs}`);
  setGlobalDispatcher(new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: Math.min(timeoutMs, 10_000) } }));
}
