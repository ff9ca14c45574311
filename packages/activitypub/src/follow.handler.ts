import type { InboxListener } from "@fedify/fedify";
import { Accept, Follow, Reject, isActor, type Actor } from "@fedify/vocab";
import { cityActorUri } from "./city.actor.ts";
import { classifyFetchFailure, TransientFetchError } from "./fetch-failure.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { admitActivity, applyOnce } from "./inbound-checks.ts";
import { deliverableInboxes } from "./public-url.ts";

/**
 * A remote actor asks to follow our city: Accept or Reject as the follow policy says, and record
 * the follower in one transaction with the Follow's id. An actor that cannot be fetched for now
 * (its server is down) throws, so that the Follow is retried rather than dropped.
 */
export const onFollow: InboxListener<FederationContextData, Follow> = async (ctx, follow) => {
  const { logger, city } = ctx.data;
  const admitted = await admitActivity(ctx, follow);
  if (!admitted) return;
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== "actor" || target.identifier !== city.handle) {
    logger.warn({ activityId: admitted.activityId.href, object: follow.objectId?.href }, "Follow of an unknown actor ignored");
    return;
  }
  let follower: Actor | null;
  try {
    const fetched = await follow.getActor(ctx);
    follower = isActor(fetched) ? fetched : null;
  } catch (error) {
    const failure = classifyFetchFailure(error);
    if (failure.kind === "transient") throw new TransientFetchError(admitted.actorId.href, failure.reason);
    follower = null;
  }
  if (!follower || !follower.id || follower.id.href !== admitted.actorId.href || !follower.inboxId) {
    logger.warn({ activityId: admitted.activityId.href }, "Follow from an actor without an inbox ignored");
    return;
  }
  const inboxes = await deliverableInboxes(follower, ctx.data.allowPrivateAddress);
  if (!inboxes) {
    logger.warn({ activityId: admitted.activityId.href, actorId: follower.id.href }, "Follow from an actor whose inbox is not a public address ignored");
    return;
  }
  const decision = await ctx.data.followPolicy(follower.id);
  // Answered before the follower is recorded: if the node dies in between, the Follow is handled
  // again and answered twice, which the follower takes in its stride; recorded first, it would
  // stay unanswered for good.
  if (decision !== "pending") {
    const me = cityActorUri(ctx);
    const Answer = decision === "accept" ? Accept : Reject;
    await ctx.sendActivity(
      { identifier: city.handle },
      follower,
      new Answer({ id: new URL(`#${decision}/${crypto.randomUUID()}`, me), actor: me, object: follow }),
    );
  }
  const followerId = follower.id.href;
  const applied = await applyOnce(ctx, admitted, (scope) =>
    scope.store.saveFollower({
      actorId: followerId,
      inboxUrl: inboxes.inbox.href,
      sharedInboxUrl: inboxes.sharedInbox?.href ?? null,
      followActivityId: admitted.activityId.href,
      state: decision === "accept" ? "accepted" : decision === "reject" ? "rejected" : "pending",
    }),
  );
  if (applied.applied) logger.info({ follower: followerId, decision }, "Follow received");
};
