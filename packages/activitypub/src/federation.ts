import { createExponentialBackoffPolicy, createFederation as createFedifyFederation, type Federation } from "@fedify/fedify";
import { Accept, Announce, Create, Delete, Flag, Follow, Note, Reject, Remove, Undo, Update } from "@fedify/vocab";
import { ensureActorKeyPairs } from "./actor-keys.ts";
import {
  withCatalogActors,
  withCatalogFollowerCount,
  withCatalogFollowers,
  withCatalogFollowing,
  withCatalogFollowingCount,
  withCatalogKeyPairs,
} from "./catalog/catalog.actor.ts";
import {
  catalogsFirst,
  onCatalogAccept,
  onCatalogCreate,
  onCatalogDelete,
  onCatalogFlag,
  onCatalogFollow,
  onCatalogReject,
  onCatalogRemove,
  onCatalogUndo,
  onCatalogUpdate,
  onFlag,
  onUnverifiedCatalogActivity,
} from "./catalog/catalog-inbox.handlers.ts";
import { onCatalogAnnounce, onCatalogEntryRemoved, withSubmissionAnswers } from "./catalog/catalog-member.handlers.ts";
import { dispatchCityActor, dispatchCityKeyPairs } from "./city.actor.ts";
import {
  DEFAULT_OUTBOX_PAGE_SIZE,
  countFollowers,
  countFollowing,
  countOutbox,
  createOutboxDispatcher,
  dispatchFollowers,
  dispatchFollowing,
  dispatchInbox,
  firstOutboxCursor,
} from "./collections.dispatcher.ts";
import { onCreate } from "./create.handler.ts";
import { onDelete } from "./delete.handler.ts";
import { PERMANENT_FAILURE_STATUS_CODES, onPermanentFailure, recordFailureAfterLastRetry, rememberMessageInHand } from "./delivery-failures.ts";
import { logCircuitChanges, logFailedDeliveries } from "./delivery-log.ts";
import { createDocumentLoaderFactories } from "./domain-block.ts";
import type { DeliveryRetry, FederationContextData, FederationDeps } from "./federation.deps.ts";
import { onFollow } from "./follow.handler.ts";
import { handledAtOnce, withoutActivityIdempotence } from "./inbound-at-once.ts";
import { onAccept, onReject } from "./follow-answer.handler.ts";
import { createNodeInfoDispatcher } from "./nodeinfo.dispatcher.ts";
import { dispatchRecordNote } from "./record-note.ts";
import { mapQueues, privateKeysByReference } from "./queued-messages.ts";
import { onUndo } from "./undo.handler.ts";
import { onUpdate } from "./update.handler.ts";

export type CityFederation = Federation<FederationContextData>;

/**
 * Retries for more than a day: waits of 1 minute, doubling up to 6 hours, 14 retries (15
 * attempts over at least 38.5 hours); then the failure is recorded for good per follower
 * (`delivery-failures.ts`). Fedify's circuit breaker holds
 * activities for a host that keeps failing (its defaults: open after repeated failures, probe
 * after 30 minutes, drop after 7 days).
 */
export const defaultDeliveryRetry: DeliveryRetry = {
  outbox: createExponentialBackoffPolicy({ initialDelay: { minutes: 1 }, maxDelay: { hours: 6 }, maxAttempts: 14 }),
  inbox: createExponentialBackoffPolicy({ initialDelay: { minutes: 1 }, maxDelay: { hours: 6 }, maxAttempts: 14 }),
  circuitBreaker: {},
};

/**
 * Builds the node's Fedify federation: the city's Organization actor, WebFinger, NodeInfo,
 * the collections and the inbox. Generates and stores the actor's key pairs on first start.
 * The queue is not started here: call `federation.startQueue(deps, { signal })`.
 */
export async function createFederation(deps: FederationDeps): Promise<CityFederation> {
  await ensureActorKeyPairs(deps.store);
  const retry = deps.deliveryRetry ?? defaultDeliveryRetry;
  const federation = createFedifyFederation<FederationContextData>({
    // The handlers' own replay protection (applyOnce) replaces Fedify's idempotence records.
    kv: withoutActivityIdempotence(deps.kv),
    // Each lane: inbound activities handled in their requests when they can be; the message in hand
    // remembered for onOutboxError; private keys by reference, not copied.
    queue: mapQueues(deps.queue, (queue) => privateKeysByReference(rememberMessageInHand(handledAtOnce(queue)), deps.store)),
    manuallyStartQueue: true,
    origin: deps.origin,
    outboxRetryPolicy: retry.outbox,
    inboxRetryPolicy: retry.inbox,
    circuitBreaker: logCircuitChanges(retry.circuitBreaker, deps.logger),
    permanentFailureStatusCodes: PERMANENT_FAILURE_STATUS_CODES,
    onOutboxError: logFailedDeliveries(deps.logger, recordFailureAfterLastRetry(deps.store, retry.outbox, deps.logger)),
    ...createDocumentLoaderFactories(deps, deps.kv, deps.allowPrivateAddress ?? false),
  });

  federation.setActorDispatcher("/actors/{identifier}", withCatalogActors(dispatchCityActor)).setKeyPairsDispatcher(withCatalogKeyPairs(dispatchCityKeyPairs));
  federation
    .setFollowersDispatcher("/actors/{identifier}/followers", withCatalogFollowers(dispatchFollowers))
    .setCounter(withCatalogFollowerCount(countFollowers));
  federation
    .setFollowingDispatcher("/actors/{identifier}/following", withCatalogFollowing(dispatchFollowing))
    .setCounter(withCatalogFollowingCount(countFollowing));
  federation
    .setOutboxDispatcher("/actors/{identifier}/outbox", createOutboxDispatcher(deps.outboxPageSize ?? DEFAULT_OUTBOX_PAGE_SIZE))
    .setCounter(countOutbox)
    .setFirstCursor(firstOutboxCursor);
  federation.setObjectDispatcher(Note, "/notes/{kind}/{slug}", dispatchRecordNote);
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", createNodeInfoDispatcher(deps.softwareVersion));

  federation.setInboxDispatcher("/actors/{identifier}/inbox", dispatchInbox);
  federation
    .setInboxListeners("/actors/{identifier}/inbox", "/inbox")
    // Activities for a catalog (its inbox, or naming it) go to the catalog's listener first.
    .on(Follow, catalogsFirst(onCatalogFollow, onFollow))
    .on(Accept, catalogsFirst(onCatalogAccept, onAccept))
    .on(Reject, catalogsFirst(onCatalogReject, withSubmissionAnswers(onReject)))
    .on(Undo, catalogsFirst(onCatalogUndo, onUndo))
    .on(Create, catalogsFirst(onCatalogCreate, onCreate))
    .on(Update, catalogsFirst(onCatalogUpdate, onUpdate))
    .on(Delete, catalogsFirst(onCatalogDelete, onDelete))
    .on(Announce, onCatalogAnnounce)
    .on(Remove, catalogsFirst(onCatalogRemove, onCatalogEntryRemoved))
    .on(Flag, catalogsFirst(onCatalogFlag, onFlag))
    .onUnverifiedActivity(onUnverifiedCatalogActivity)
    // No idempotence key for the request path either: every handler checks and records the id itself.
    .withIdempotency(() => null)
    .onError((ctx, error) => ctx.data.logger.error({ error: error.message }, "inbox handler failed"));

  federation.setOutboxPermanentFailureHandler(onPermanentFailure);
  return federation;
}
