import type { InboxListener } from "@fedify/fedify";
import type { Undo } from "@fedify/vocab";
import type { FederationContextData } from "./federation.deps.ts";
import { admitActivity } from "./inbound-checks.ts";

/** Undo(Follow): the follower leaves; only its own, current Follow can be undone. */
export const onUndo: InboxListener<FederationContextData, Undo> = async (ctx, undo) => {
  const { logger, store } = ctx.data;
  const admitted = await admitActivity(ctx, undo);
  if (!admitted) return;
  const followId = undo.objectId?.href;
  if (!followId || !(await store.removeFollower(admitted.actorId.href, followId))) {
    logger.warn({ activityId: admitted.activityId.href, object: followId }, "Undo of something we do not hold ignored");
    return;
  }
  logger.info({ actorId: admitted.actorId.href }, "follower left");
};
