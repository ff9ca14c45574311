import type { InboxListener } from "@fedify/fedify";
import type { Accept, Reject } from "@fedify/vocab";
import type { FollowState } from "@leitplanken/core";
import { backfillFrom } from "./backfill.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { admitActivity } from "./inbound-checks.ts";

/**
 * Answers to our Follow: only the followed actor may answer, and only the Follow we sent.
 * Once accepted, the city's earlier records are backfilled from its outbox.
 */
function onFollowAnswer(state: FollowState): InboxListener<FederationContextData, Accept | Reject> {
  return async (ctx, answer) => {
    const { logger, store } = ctx.data;
    const admitted = await admitActivity(ctx, answer);
    if (!admitted) return;
    const following = await store.findFollowing(admitted.actorId.href);
    const followId = answer.objectId?.href;
    if (!following || !followId || !(await store.setFollowingState(following.actorId, followId, state))) {
      logger.warn({ activityId: admitted.activityId.href, object: followId }, "answer to a Follow we did not send ignored");
      return;
    }
    logger.info({ actorId: following.actorId, state }, "our Follow was answered");
    if (state !== "accepted") return;
    // The answer is already recorded; a failed backfill must not make Fedify retry it.
    await backfillFrom(ctx, admitted.actorId).catch((error: unknown) =>
      logger.error({ actorId: following.actorId, error: (error as Error).message }, "backfill failed"),
    );
  };
}

export const onAccept: InboxListener<FederationContextData, Accept> = onFollowAnswer("accepted");
export const onReject: InboxListener<FederationContextData, Reject> = onFollowAnswer("rejected");
