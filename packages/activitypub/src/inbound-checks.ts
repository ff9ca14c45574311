import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { nodeTrustDecision } from "./domain-block.ts";
import { noteHostAnswered } from "./host-recovery.ts";
import type { FederationContextData, InboundScope } from "./federation.deps.ts";

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
    ctx.data.onRefused?.("missing-id-or-actor");
    logger.warn({ activityId: activityId?.href, type: activity.constructor.name }, "inbound activity without id or actor ignored");
    return null;
  }
  if (activityId.origin !== actorId.origin) {
    ctx.data.onRefused?.("id-not-on-actor-origin");
    logger.warn({ activityId: activityId.href, actorId: actorId.href }, "inbound activity whose id is not on its actor's origin ignored");
    return null;
  }
  const trust = await nodeTrustDecision(ctx.data, actorId.href);
  if (trust !== "allow") {
    ctx.data.onRefused?.(trust.refuse.type);
    logger.warn({ activityId: activityId.href, actorId: actorId.href, refusal: trust.refuse }, "inbound activity from a blocked domain ignored");
    return null;
  }
  // Its server is up: deliveries to it that wait for a retry need not wait any longer.
  noteHostAnswered(ctx.data, actorId.host);
  return { activityId, actorId };
}

/**
 * Whether the activity was applied before (its id is recorded): a replay or a redelivery, which
 * the handler skips before fetching anything. Only `applyOnce` records an id.
 */
export async function seenBefore(ctx: InboxContext<FederationContextData>, activity: AdmittedActivity): Promise<boolean> {
  if (!(await ctx.data.store.hasInboundActivity(activity.activityId.href))) return false;
  ctx.data.logger.info({ activityId: activity.activityId.href }, "inbound activity seen before; ignored");
  return true;
}

/**
 * Applies an inbound activity once: in one transaction, records its id and runs the handler's
 * writes (on the transaction's stores), so that a handler that fails half-way, or a process
 * killed in the middle, leaves neither the writes nor the mark behind and the queue runs the
 * activity again. An activity whose id was recorded meanwhile changes nothing: `applied` false.
 * The handler fetches and decides before, and sends (Accept, Reject) before it calls this: a
 * repeated answer is harmless, a lost one is not.
 */
export async function applyOnce<T>(
  ctx: InboxContext<FederationContextData>,
  activity: AdmittedActivity,
  write: (scope: InboundScope) => Promise<T>,
): Promise<{ applied: true; value: T } | { applied: false }> {
  const result = await ctx.data.transaction(async (scope) => {
    if (!(await scope.store.recordInboundActivity(activity.activityId.href, activity.actorId.href))) return { applied: false as const };
    return { applied: true as const, value: await write(scope) };
  });
  if (!result.applied) ctx.data.logger.info({ activityId: activity.activityId.href }, "inbound activity seen before; ignored");
  return result;
}

/**
 * `checkActivity`, then the replay check: for handlers that fetch before `applyOnce`. A handler
 * that fetches nothing needs only `checkActivity`: `applyOnce` skips a replay (one statement
 * less for every activity that is not one).
 */
export async function admitActivity(ctx: InboxContext<FederationContextData>, activity: Activity): Promise<AdmittedActivity | null> {
  const admitted = await checkActivity(ctx, activity);
  return admitted && !(await seenBefore(ctx, admitted)) ? admitted : null;
}
