import type { InboxListener } from "@fedify/fedify";
import type { Accept, Reject } from "@fedify/vocab";
import type { FollowState } from "@leitplanken/core";
import { wakeCatchUp } from "./catch-up.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { applyOnce, checkActivity } from "./inbound-checks.ts";

/**
 * Answers to our Follow: only the followed actor may answer, and only the Follow we sent. Once
 * accepted, a sync of the city's outbox from its start (the backfill of its earlier records) is
 * due in the same transaction; the catch-up worker runs it and retries it until it completes.
 */
function onFollowAnswer(state: FollowState): InboxListener<FederationContextData, Accept | Reject> {
  return async (ctx, answer) => {
    const { logger } = ctx.data;
    const admitted = await checkActivity(ctx, answer);
    if (!admitted) return;
    const followId = answer.objectId?.href;
    const applied = await applyOnce(ctx, admitted, async (scope) => {
      const following = await scope.store.findFollowing(admitted.actorId.href);
      if (!following || !followId || !(await scope.store.setFollowingState(following.actorId, followId, state))) return null;
      if (state === "accepted") await scope.store.requestSync(following.actorId, { fromStart: true });
      return following;
    });
    if (!applied.applied) return;
    if (!applied.value) {
      logger.warn({ activityId: admitted.activityId.href, object: followId }, "answer to a Follow we did not send ignored");
      return;
    }
    logger.info({ actorId: applied.value.actorId, state }, "our Follow was answered");
    if (state === "accepted") wakeCatchUp(ctx.data);
  };
}

export const onAccept: InboxListener<FederationContextData, Accept> = onFollowAnswer("accepted");
export const onReject: InboxListener<FederationContextData, Reject> = onFollowAnswer("rejected");
