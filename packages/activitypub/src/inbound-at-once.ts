import type { KvKey, KvStore, MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";

/** At most this many inbound activities are handled in their requests at once per process; more are queued. */
export const DEFAULT_INBOUND_AT_ONCE = 16;

type Handler = (message: unknown) => Promise<void> | void;

/** Fedify's queued inbound activity (2.3) on its first attempt; retries carry a higher attempt. */
function firstInboxAttempt(message: unknown): boolean {
  const candidate = message as { type?: unknown; attempt?: unknown } | null;
  return candidate?.type === "inbox" && candidate.attempt === 0;
}

/**
 * The inbox lane, with an inbound activity handled in the request that brought it (ADR 0190).
 * Fedify verifies the signature and hands the activity to the queue; while this process works the
 * lane, the activity goes straight to the lane's handler instead of into the table, and the inbox
 * answers 202 only after the handler returned, that is after its writes committed (`applyOnce`).
 * So an accepted activity needs no enqueue, claim and delete, and is parsed once less. A handler
 * that fails (an origin that cannot be reached) is put into the queue for a later attempt by Fedify
 * itself, with the inbox retry policy's delay, as before; if even that fails, the activity is
 * queued as it came. A process that dies mid-handling never answered 202: the sender delivers
 * again. While `limit` activities are in hand, or before the lane is started (a web-only process),
 * activities are queued as before.
 */
export function handledAtOnce(queue: MessageQueue, limit = DEFAULT_INBOUND_AT_ONCE): MessageQueue {
  let handler: Handler | undefined;
  let inHand = 0;
  return {
    get nativeRetrial() {
      return queue.nativeRetrial;
    },
    async enqueue(message: unknown, options?: MessageQueueEnqueueOptions) {
      const handle = handler;
      if (handle && inHand < limit && !options?.delay && firstInboxAttempt(message)) {
        inHand++;
        try {
          await handle(message);
          return;
        } catch {
          // Queued below, for the lane's workers and their retries.
        } finally {
          inHand--;
        }
      }
      await queue.enqueue(message, options);
    },
    enqueueMany: async (messages: readonly unknown[], options?: MessageQueueEnqueueOptions) => {
      if (queue.enqueueMany) return queue.enqueueMany(messages, options);
      for (const message of messages) await queue.enqueue(message, options);
    },
    listen(handle: Handler, options?: MessageQueueListenOptions) {
      handler = handle;
      options?.signal?.addEventListener("abort", () => void (handler === handle && (handler = undefined)), { once: true });
      return queue.listen(handle, options);
    },
    ...(queue.getDepth ? { getDepth: () => queue.getDepth!() } : {}),
  };
}

const isActivityIdempotence = (key: KvKey) => key[0] === "_fedify" && key[1] === "activityIdempotence";

/**
 * Fedify's KV without its activity idempotence records. Fedify reads one before and writes one
 * after each inbound activity's handler (two statements, and the write outside the handler's
 * transaction). Every handler here records the activity's id in the transaction of its writes
 * (`applyOnce`) and checks it first (`seenBefore`), which is atomic where Fedify's record is not;
 * Fedify's is redundant.
 */
export function withoutActivityIdempotence(kv: KvStore): KvStore {
  return {
    get: async <T>(key: KvKey) => (isActivityIdempotence(key) ? undefined : kv.get<T>(key)),
    set: async (key, value, options) => (isActivityIdempotence(key) ? undefined : kv.set(key, value, options)),
    delete: (key) => kv.delete(key),
    list: (prefix) => kv.list(prefix),
    ...(kv.cas
      ? { cas: (key: KvKey, expected: unknown, value: unknown, options?: Parameters<NonNullable<KvStore["cas"]>>[3]) => kv.cas!(key, expected, value, options) }
      : {}),
  };
}
