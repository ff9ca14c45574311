import type { InboxListener } from "@fedify/fedify";
import type { Undo } from "@fedify/vocab";
import type { FederationContextData } from "./federation.deps.ts";
import { applyOnce, checkActivity } from "./inbound-checks.ts";

/** Undo(Follow): the follower leaves; only its own, current Follow can be undone. */
export const onUndo: InboxListener<FederationContextData, Undo> = async (ctx, undo) => {
  const { logger } = ctx.data;
  const admitted = await checkActivity(ctx, undo);
  if (!admitted) return;
  const followId = undo.objectId?.href;
  const applied = await applyOnce(ctx, admitted, async (scope) => !!followId && (await scope.store.removeFollower(admitted.actorId.href, followId)));
  if (!applied.applied) return;
  if (!applied.value) logger.warn({ activityId: admitted.activityId.href, object: followId }, "Undo of something we do not hold ignored");
  else logger.info({ actorId: admitted.actorId.href }, "follower left");
};
