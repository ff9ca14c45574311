import { setTimeout as sleep } from "node:timers/promises";
import { syncFrom } from "./backfill.ts";
import type { FederationContextData, FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";
import { WIRE_VERSION } from "./record-document.ts";

export interface CatchUpOptions {
  /** How long after a complete sync a followed city's outbox is read again (default 5 minutes). */
  intervalMs?: number;
  /** Wait after the first failed sync, doubling with each further one (default 30 s)… */
  retryBaseMs?: number;
  /** …up to this (default 5 minutes), so that a city that is back is caught up within it. */
  retryMaxMs?: number;
  /** How often the worker looks for due syncs made due by another process (default 2 s); an Accept here wakes it at once. */
  pollMs?: number;
  /** How long a sync is ours before another process may take it over (default 10 minutes). */
  leaseMs?: number;
}

export const DEFAULT_CATCH_UP_INTERVAL_MS = 5 * 60_000;

const wakers = new WeakMap<object, () => void>();

const wireVersionKey = ["leitplanken", "catch-up", "wire-version"] as const;

/**
 * Whether this node writes another wire version than at its last start (it was upgraded): then
 * every followed city's outbox is read again from the start, so that what this node could not
 * read before (a record in a later major version, left unrecorded) comes now. Remembers the version.
 */
async function wireVersionChanged(deps: FederationDeps): Promise<boolean> {
  const current = `${WIRE_VERSION.major}.${WIRE_VERSION.minor}`;
  const previous = await deps.kv.get<string>(wireVersionKey);
  if (previous === current) return false;
  await deps.kv.set(wireVersionKey, current);
  return true;
}

/** Wakes the catch-up worker of this node (if it runs in this process) to look for due syncs now. */
export function wakeCatchUp(data: Pick<FederationContextData, "store">): void {
  wakers.get(data.store)?.();
}

/**
 * The catch-up worker: keeps our copies of every followed city's records in step with its outbox,
 * whatever deliveries were missed. A sync of a city (`syncFrom`: its outbox read from the cursor
 * of the last complete one) runs when its Follow is accepted (from the start: the backfill),
 * when the node starts (it may have been down for hours), every `intervalMs` after that, and
 * again after a failure with backoff (`retryBaseMs` doubling up to `retryMaxMs`), so that a node
 * that was down, or whose origin could not reach it, converges within minutes instead of at the
 * origin's next retry. The state lives in the database (`FollowingSyncStore`), so nothing is lost
 * when the node stops; several processes share the work by leases. Resolves once `signal` aborts
 * and the sync in hand has stopped.
 */
export async function runCatchUp(federation: CityFederation, deps: FederationDeps, options: CatchUpOptions & { signal: AbortSignal }): Promise<void> {
  const { signal } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_CATCH_UP_INTERVAL_MS;
  const retryBaseMs = options.retryBaseMs ?? 30_000;
  const retryMaxMs = options.retryMaxMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 2_000;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const { store, logger } = deps;
  let wake: () => void = () => {};
  wakers.set(store, () => wake());
  try {
    await store.requestSyncOfAll({ fromStart: await wireVersionChanged(deps) });
    while (!signal.aborted) {
      const due = await store.claimDueSync(leaseMs).catch((error: unknown) => {
        logger.error({ error: (error as Error).message }, "catch-up: could not look for due syncs");
        return null;
      });
      if (!due) {
        const woken = new Promise<void>((resolve) => (wake = resolve));
        await Promise.race([sleep(pollMs, undefined, { signal }).catch(() => undefined), woken]);
        continue;
      }
      const ctx = federation.createContext(new URL(deps.origin), deps);
      try {
        const result = await syncFrom(ctx, new URL(due.actorId), due.cursor, signal);
        await store.completeSync(due.actorId, { cursor: result.cursor, nextDueAt: new Date(Date.now() + intervalMs) });
      } catch (error) {
        const retryInMs = Math.min(retryMaxMs, retryBaseMs * 2 ** due.attempts);
        const message = (error as Error).message;
        logger.warn({ actorId: due.actorId, attempts: due.attempts + 1, retryInMs, error: message }, "catch-up failed; it will be retried");
        await store.failSync(due.actorId, { error: message, nextDueAt: new Date(Date.now() + retryInMs) }).catch(() => undefined);
      }
    }
  } finally {
    wakers.delete(store);
  }
}
