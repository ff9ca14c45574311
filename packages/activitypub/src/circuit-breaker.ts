import { parseCircuitBreakerKvState, type CircuitBreakerKvState, type KvStore } from "@fedify/fedify";

/** Where Fedify keeps its delivery circuit breaker's state per remote host (its default `kvPrefixes.circuitBreaker`). */
const CIRCUIT_BREAKER_PREFIX = ["_fedify", "circuit"] as const;

/** Closes the breaker for `host` (as Fedify does after a successful delivery): held deliveries go out at their next attempt. */
export async function clearCircuitBreaker(kv: KvStore, host: string): Promise<void> {
  await kv.delete([...CIRCUIT_BREAKER_PREFIX, host]);
}

/**
 * Fedify's circuit breaker state for deliveries to `host` (`host:port` as in a URL), or
 * undefined when the host is healthy (Fedify clears the state once a delivery succeeds).
 * "open" holds deliveries to the host until a probe; "half-open" is the probe in progress.
 */
export async function circuitBreakerState(kv: KvStore, host: string): Promise<CircuitBreakerKvState | undefined> {
  return parseCircuitBreakerKvState(await kv.get([...CIRCUIT_BREAKER_PREFIX, host]));
}
