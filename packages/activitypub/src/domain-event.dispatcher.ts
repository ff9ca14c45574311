import type { DomainEventRelayStore, OutboxEvent } from "@leitplanken/core";
import type { FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";
import { deliverCatalogDecision } from "./catalog/catalog-activities.ts";
import { forwardRecordEventToCatalogs } from "./catalog/catalog-membership.service.ts";
import { deliverAdoptionEvent, deliverRecordEvent } from "./record-publisher.ts";

export interface DomainEventDispatcherOptions {
  /** How often to look for events written by another process (the running node wakes itself at once). Default 2 s. */
  pollIntervalMs?: number;
  /** Events handed on per round. Default 50. */
  batchSize?: number;
  /** How long the dispatcher lease lasts without renewal: another process takes over after a crash. Default 30 s. */
  leaseMs?: number;
  /** First wait after a failed event (doubling per attempt, at most `retryMaxMs`). Defaults 1 s and 1 h. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface DomainEventDispatcher {
  /** Dispatches until `signal` aborts; resolves once stopped (the event in hand finished). */
  run(signal: AbortSignal): Promise<void>;
  /** Events were committed: look now rather than at the next poll. */
  wake(): void;
  /** Hands every due event on now (when this process holds or gets the lease); how many were dispatched. */
  dispatchPending(): Promise<number>;
}

/**
 * Federation's side of the transactional outbox: takes the events the application layer
 * committed, oldest first, and turns each into activities (outbox entry, fan-out through
 * Fedify's durable queue). An event is marked dispatched only after that; a crash in between
 * dispatches it again on start, with the same activity ids, and receivers drop the repeat. One
 * process dispatches at a time (a lease in the database), so events keep their order; an event
 * that fails is retried with backoff and holds back the later events of its stream only.
 */
export function createDomainEventDispatcher(
  federation: CityFederation,
  deps: FederationDeps,
  relay: DomainEventRelayStore,
  options: DomainEventDispatcherOptions = {},
): DomainEventDispatcher {
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 30_000;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 3_600_000;
  const holder = crypto.randomUUID();
  let wakeUp: (() => void) | null = null;
  let woken = false;

  async function deliver(outboxEvent: OutboxEvent): Promise<void> {
    const ctx = federation.createContext(new URL(deps.origin), deps);
    const origin = { key: outboxEvent.eventId, at: outboxEvent.createdAt };
    const { event } = outboxEvent;
    switch (event.type) {
      case "published":
      case "updated":
      case "withdrawn":
        await deliverRecordEvent(ctx, event, origin);
        // Updates and withdrawals also reach the catalogs the record was submitted to.
        if (event.type !== "published") await forwardRecordEventToCatalogs(ctx, event, origin);
        return;
      case "adoption-published":
      case "adoption-updated":
      case "adoption-withdrawn":
        return deliverAdoptionEvent(ctx, event, origin);
      case "catalog-entry-decided":
      case "catalog-member-decided":
        return deliverCatalogDecision(ctx, event, origin.key);
    }
  }

  /** One round over the oldest pending events; how many were dispatched and whether more wait. */
  async function round(): Promise<{ dispatched: number; more: boolean }> {
    if (!(await relay.acquireLease(holder, leaseMs))) return { dispatched: 0, more: false };
    const events = await relay.pendingEvents(batchSize);
    const heldBack = new Set<string>();
    let dispatched = 0;
    for (const event of events) {
      if (heldBack.has(event.stream)) continue;
      if (event.retryAt !== null && event.retryAt.getTime() > Date.now()) {
        heldBack.add(event.stream);
        continue;
      }
      try {
        await deliver(event);
        await relay.markDispatched(event.seq);
        dispatched++;
      } catch (error) {
        heldBack.add(event.stream);
        const wait = Math.min(retryMaxMs, retryBaseMs * 2 ** event.attempts);
        const message = error instanceof Error ? error.message : String(error);
        deps.logger.error(
          { eventId: event.eventId, stream: event.stream, attempts: event.attempts + 1, error: message },
          "outbox event not dispatched; retried later",
        );
        await relay.markFailed(event.seq, message, new Date(Date.now() + wait));
      }
    }
    return { dispatched, more: events.length === batchSize && dispatched > 0 };
  }

  // Rounds of this process run one after the other (the loop and a direct call share the lease).
  let previous: Promise<unknown> = Promise.resolve();
  function dispatchPending(): Promise<number> {
    const next = previous.then(async () => {
      let total = 0;
      for (;;) {
        const { dispatched, more } = await round();
        total += dispatched;
        if (!more) return total;
      }
    });
    previous = next.catch(() => undefined);
    return next;
  }

  const pause = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (woken || signal.aborted) return resolve();
      const timer = setTimeout(done, pollIntervalMs);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
      signal.addEventListener("abort", done, { once: true });
    });

  return {
    async run(signal) {
      while (!signal.aborted) {
        woken = false;
        try {
          await dispatchPending();
        } catch (error) {
          // The database is unreachable or the like: try again at the next poll.
          deps.logger.error({ error: error instanceof Error ? error.message : String(error) }, "outbox dispatcher round failed");
        }
        await pause(signal);
      }
      await relay.releaseLease(holder).catch(() => undefined);
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    dispatchPending,
  };
}
