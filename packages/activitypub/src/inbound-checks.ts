import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { nodeTrustDecision } from "./domain-block.ts";
import type { FederationContextData } from "./federation.deps.ts";

export interface AdmittedActivity {
  activityId: URL;
  actorId: URL;
}

/**
 * The checks every inbound activity passes before a handler applies it: it has an id and an
 * actor, its id is on the actor's origin and the node's trust (blocks, allowlist mode) admits the actor. Fedify has
 * already verified that the actor signed it.
 */
export async function checkActivity(ctx: InboxContext<FederationContextData>, activity: Activity): Promise<AdmittedActivity | null> {
  const { logger } = ctx.data;
  const activityId = activity.id;
  const actorId = activity.actorId;
  if (!activityId || !actorId) {
    logger.warn({ activityId: activityId?.href, type: activity.constructor.name }, "inbound activity without id or actor ignored");
    return null;
  }
  if (activityId.origin !== actorId.origin) {
    logger.warn({ activityId: activityId.href, actorId: actorId.href }, "inbound activity whose id is not on its actor's origin ignored");
    return null;
  }
  const trust = await nodeTrustDecision(ctx.data, actorId.href);
  if (trust !== "allow") {
    logger.warn({ activityId: activityId.href, actorId: actorId.href, refusal: trust.refuse }, "inbound activity from a blocked domain ignored");
    return null;
  }
  return { activityId, actorId };
}

/** Records the activity id; false (and a log line) when it was seen before: replays and redeliveries change nothing. */
export async function markActivitySeen(ctx: InboxContext<FederationContextData>, activity: AdmittedActivity): Promise<boolean> {
  if (await ctx.data.store.recordInboundActivity(activity.activityId.href, activity.actorId.href)) return true;
  ctx.data.logger.info({ activityId: activity.activityId.href }, "inbound activity seen before; ignored");
  return false;
}

/** `checkActivity`, then replay protection: for handlers that need nothing fetched before they apply. */
export async function admitActivity(ctx: InboxContext<FederationContextData>, activity: Activity): Promise<AdmittedActivity | null> {
  const admitted = await checkActivity(ctx, activity);
  return admitted && (await markActivitySeen(ctx, admitted)) ? admitted : null;
}
