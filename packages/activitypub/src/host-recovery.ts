import type { FederationContextData } from "./federation.deps.ts";
import { circuitBreakerState, clearCircuitBreaker } from "./circuit-breaker.ts";

/** How often, at most, deliveries to one server whose breaker is closed are looked at (every inbound activity from it would ask). */
export const HOST_RECOVERY_INTERVAL_MS = 60_000;

const lastLooked = new WeakMap<object, Map<string, number>>();

/**
 * A server we deliver to has just shown that it is up (it sent us a signed activity, or fetched
 * our outbox with a signed request while catching up): if Fedify's circuit breaker holds
 * deliveries to it, the breaker is closed; deliveries waiting for a later retry are made due now.
 * So it gets them within seconds instead of at the next retry (up to 6 hours apart, or the
 * breaker's 30 minutes). The breaker's state is read every time (Fedify keeps it in memory);
 * with a closed breaker, the queue is looked at once a minute per server and process at most.
 */
export async function hostAnswered(data: Pick<FederationContextData, "store" | "kv" | "deliveries" | "logger">, host: string): Promise<void> {
  const circuit = await circuitBreakerState(data.kv, host);
  if (circuit) await clearCircuitBreaker(data.kv, host);
  let expedited = 0;
  if (data.deliveries) {
    const now = Date.now();
    const looked = lastLooked.get(data.store) ?? new Map<string, number>();
    lastLooked.set(data.store, looked);
    if (circuit || now - (looked.get(host) ?? 0) >= HOST_RECOVERY_INTERVAL_MS) {
      looked.set(host, now);
      expedited = await data.deliveries.expediteTo(host);
    }
  }
  if (circuit || expedited > 0) data.logger.info({ host, circuit: circuit?.state ?? "closed", expedited }, "server answered again: its deliveries resume now");
}

/** `hostAnswered` without holding up the caller; a failure is logged. */
export function noteHostAnswered(data: Pick<FederationContextData, "store" | "kv" | "deliveries" | "logger">, host: string): void {
  hostAnswered(data, host).catch((error: unknown) => data.logger.warn({ host, error: (error as Error).message }, "could not resume deliveries to a server"));
}
