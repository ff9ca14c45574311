import type { InboxListener } from "@fedify/fedify";
import { Accept, Follow, Reject, isActor } from "@fedify/vocab";
import { cityActorUri } from "./city.actor.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { admitActivity } from "./inbound-checks.ts";
import { deliverableInboxes } from "./public-url.ts";

/** A remote actor asks to follow our city: record it, then Accept or Reject as the follow policy says. */
export const onFollow: InboxListener<FederationContextData, Follow> = async (ctx, follow) => {
  const { logger, store, city } = ctx.data;
  const admitted = await admitActivity(ctx, follow);
  if (!admitted) return;
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== "actor" || target.identifier !== city.handle) {
    logger.warn({ activityId: admitted.activityId.href, object: follow.objectId?.href }, "Follow of an unknown actor ignored");
    return;
  }
  const follower = await follow.getActor(ctx);
  if (!isActor(follower) || !follower.id || follower.id.href !== admitted.actorId.href || !follower.inboxId) {
    logger.warn({ activityId: admitted.activityId.href }, "Follow from an actor without an inbox ignored");
    return;
  }
  const inboxes = await deliverableInboxes(follower, ctx.data.allowPrivateAddress);
  if (!inboxes) {
    logger.warn({ activityId: admitted.activityId.href, actorId: follower.id.href }, "Follow from an actor whose inbox is not a public address ignored");
    return;
  }
  const decision = await ctx.data.followPolicy(follower.id);
  await store.saveFollower({
    actorId: follower.id.href,
    inboxUrl: inboxes.inbox.href,
    sharedInboxUrl: inboxes.sharedInbox?.href ?? null,
    followActivityId: admitted.activityId.href,
    state: decision === "accept" ? "accepted" : decision === "reject" ? "rejected" : "pending",
  });
  logger.info({ follower: follower.id.href, decision }, "Follow received");
  if (decision === "pending") return;
  const me = cityActorUri(ctx);
  const Answer = decision === "accept" ? Accept : Reject;
  await ctx.sendActivity(
    { identifier: city.handle },
    follower,
    new Answer({ id: new URL(`#${decision}/${crypto.randomUUID()}`, me), actor: me, object: follow }),
  );
};
