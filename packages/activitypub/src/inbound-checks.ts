import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { isBlockedHost } from "./domain-block.ts";
import type { FederationContextData } from "./federation.deps.ts";

/**
 * The checks every inbound activity passes before a handler applies it: it has an id and an
 * actor, the actor's domain is not blocked, and the id was not seen before (replays and
 * redeliveries change nothing). Fedify has already verified that the actor signed it.
 */
export async function admitActivity(
  ctx: InboxContext<FederationContextData>,
  activity: Activity,
): Promise<{ activityId: URL; actorId: URL } | null> {
  const { logger, store } = ctx.data;
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
  if (await isBlockedHost(ctx.data, actorId.host)) {
    logger.warn({ activityId: activityId.href, actorId: actorId.href }, "inbound activity from a blocked domain ignored");
    return null;
  }
  if (!(await store.recordInboundActivity(activityId.href, actorId.href))) {
    logger.info({ activityId: activityId.href }, "inbound activity seen before; ignored");
    return null;
  }
  return { activityId, actorId };
}
