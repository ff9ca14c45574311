import { createFederation as createFedifyFederation, type Federation } from "@fedify/fedify";
import { Accept, Follow, Reject, Undo } from "@fedify/vocab";
import { ensureActorKeyPairs } from "./actor-keys.ts";
import { dispatchCityActor, dispatchCityKeyPairs } from "./city.actor.ts";
import {
  countFollowers,
  countFollowing,
  countOutbox,
  dispatchFollowers,
  dispatchFollowing,
  dispatchOutbox,
} from "./collections.dispatcher.ts";
import { createDocumentLoaderFactories } from "./domain-block.ts";
import type { FederationContextData, FederationDeps } from "./federation.deps.ts";
import { onFollow } from "./follow.handler.ts";
import { onAccept, onReject } from "./follow-answer.handler.ts";
import { createNodeInfoDispatcher } from "./nodeinfo.dispatcher.ts";
import { onUndo } from "./undo.handler.ts";

export type CityFederation = Federation<FederationContextData>;

/**
 * Builds the node's Fedify federation: the city's Organization actor, WebFinger, NodeInfo,
 * the collections and the inbox. Generates and stores the actor's key pairs on first start.
 * The queue is not started here: call `federation.startQueue(deps, { signal })`.
 */
export async function createFederation(deps: FederationDeps): Promise<CityFederation> {
  await ensureActorKeyPairs(deps.store);
  const federation = createFedifyFederation<FederationContextData>({
    kv: deps.kv,
    queue: deps.queue,
    manuallyStartQueue: true,
    origin: deps.origin,
    ...createDocumentLoaderFactories(deps, deps.kv, deps.allowPrivateAddress ?? false),
  });

  federation
    .setActorDispatcher("/actors/{identifier}", dispatchCityActor)
    .setKeyPairsDispatcher(dispatchCityKeyPairs);
  federation.setFollowersDispatcher("/actors/{identifier}/followers", dispatchFollowers).setCounter(countFollowers);
  federation.setFollowingDispatcher("/actors/{identifier}/following", dispatchFollowing).setCounter(countFollowing);
  federation.setOutboxDispatcher("/actors/{identifier}/outbox", dispatchOutbox).setCounter(countOutbox);
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", createNodeInfoDispatcher(deps.softwareVersion));

  federation
    .setInboxListeners("/actors/{identifier}/inbox", "/inbox")
    .on(Follow, onFollow)
    .on(Accept, onAccept)
    .on(Reject, onReject)
    .on(Undo, onUndo)
    .onError((ctx, error) => ctx.data.logger.error({ error: error.message }, "inbox handler failed"));

  federation.setOutboxPermanentFailureHandler(async (ctx, failure) => {
    for (const actorId of failure.actorIds) {
      await ctx.data.store.recordDeliveryFailure({
        followerActorId: actorId.href,
        activityId: failure.activity.id?.href ?? "",
        inboxUrl: failure.inbox.href,
        statusCode: failure.statusCode,
        error: failure.error.message,
      });
    }
  });
  return federation;
}
