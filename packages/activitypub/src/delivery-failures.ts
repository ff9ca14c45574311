import { AsyncLocalStorage } from "node:async_hooks";
import {
  SendActivityError,
  type MessageQueue,
  type MessageQueueEnqueueOptions,
  type MessageQueueListenOptions,
  type OutboxErrorHandler,
  type OutboxPermanentFailureHandler,
  type RetryPolicy,
} from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import type { FederationStore } from "@leitplanken/core";
import type { FederationContextData, FederationLogger } from "./federation.deps.ts";

/** Statuses after which Fedify stops delivering to an inbox at once (its default); 410 Gone also removes the followers behind it. */
export const PERMANENT_FAILURE_STATUS_CODES: readonly number[] = [404, 410];

/** The fields of Fedify's queued outbox message that say where a delivery went (Fedify 2.3). */
interface OutboxMessage {
  type: "outbox";
  inbox: string;
  activityId?: string;
  actorIds?: string[];
  attempt: number;
  started: string;
}

const messageInHand = new AsyncLocalStorage<unknown>();

/** The queued outbox message whose delivery is being handled in this async context, if any. */
export function outboxMessageInHand(): OutboxMessage | undefined {
  const message = messageInHand.getStore();
  return isOutboxMessage(message) ? message : undefined;
}

function isOutboxMessage(message: unknown): message is OutboxMessage {
  const candidate = message as Partial<OutboxMessage> | null;
  return candidate?.type === "outbox" && typeof candidate.inbox === "string" && typeof candidate.attempt === "number" && typeof candidate.started === "string";
}

/**
 * The caller's queue, with each handled message remembered for the duration of its handler:
 * Fedify's `onOutboxError` does not say which inbox failed, and only the queued message knows
 * the inbox, the attempt and the followers behind it.
 */
export function rememberMessageInHand(queue: MessageQueue): MessageQueue {
  return {
    get nativeRetrial() {
      return queue.nativeRetrial;
    },
    enqueue: (message: unknown, options?: MessageQueueEnqueueOptions) => queue.enqueue(message, options),
    enqueueMany: async (messages: readonly unknown[], options?: MessageQueueEnqueueOptions) => {
      if (queue.enqueueMany) return queue.enqueueMany(messages, options);
      for (const message of messages) await queue.enqueue(message, options);
    },
    listen: (handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions) =>
      queue.listen((message) => messageInHand.run(message, () => handler(message)), options),
    ...(queue.getDepth ? { getDepth: () => queue.getDepth!() } : {}),
  };
}

/**
 * Records a delivery that Fedify gives up on after its last retry (Fedify only logs that) as a
 * permanent failure for each follower behind the inbox. Failures with a permanent status go to
 * `onPermanentFailure` instead; earlier attempts are left to the retries.
 */
export function recordFailureAfterLastRetry(store: FederationStore, outboxRetry: RetryPolicy, logger: FederationLogger): OutboxErrorHandler {
  return async (error, activity) => {
    const message = messageInHand.getStore();
    if (!isOutboxMessage(message)) return;
    const statusCode = error instanceof SendActivityError ? error.statusCode : null;
    if (statusCode !== null && PERMANENT_FAILURE_STATUS_CODES.includes(statusCode)) return;
    // The same question Fedify asks its retry policy right after this handler returns.
    const elapsedTime = Temporal.Instant.from(message.started).until(Temporal.Now.instant());
    if (outboxRetry({ elapsedTime, attempts: message.attempt } as Parameters<RetryPolicy>[0]) !== null) return;
    const activityId = message.activityId ?? activity?.id?.href ?? "";
    for (const followerActorId of message.actorIds ?? []) {
      await store.recordDeliveryFailure({ followerActorId, activityId, inboxUrl: message.inbox, statusCode, error: error.message });
    }
    logger.warn({ activityId, inbox: message.inbox, attempts: message.attempt, statusCode }, "delivery given up after the last retry");
  };
}

/**
 * An inbox answered a permanent failure status (or Fedify's circuit breaker dropped what it
 * held for a dead host): recorded per follower; a 410 Gone also ends the follow, because the
 * follower's account is gone.
 */
export const onPermanentFailure: OutboxPermanentFailureHandler<FederationContextData> = async (ctx, failure) => {
  const { store, logger } = ctx.data;
  const gone = failure.reason === "http" && failure.statusCode === 410;
  for (const actorId of failure.actorIds) {
    await store.recordDeliveryFailure({
      followerActorId: actorId.href,
      activityId: failure.activity.id?.href ?? "",
      inboxUrl: failure.inbox.href,
      statusCode: failure.statusCode,
      error: failure.error.message,
    });
    if (gone && (await store.removeFollower(actorId.href))) logger.info({ follower: actorId.href }, "follower removed: its inbox is gone (410)");
  }
};
