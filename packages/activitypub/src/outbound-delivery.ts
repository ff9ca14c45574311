import type { Context } from "@fedify/fedify";
import { isActor, type Activity, type Recipient } from "@fedify/vocab";
import type { OutboxActivityRecord } from "@leitplanken/core";
import { cityActorUri } from "./city.actor.ts";
import { nodeTrustDecision } from "./domain-block.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { deliverableInboxes } from "./public-url.ts";
import { recordActivity } from "./record-activity.ts";

type Ctx = Context<FederationContextData>;

/**
 * The inbox of a city we refer to (the origin of a fork or an adoption): from our follow of it
 * when we follow it (no request), else from its actor document. Null when it cannot be found or
 * is not a public address.
 */
async function recipientOf(ctx: Ctx, actorIri: string): Promise<Recipient | null> {
  const following = await ctx.data.store.findFollowing(actorIri);
  if (following) return { id: new URL(following.actorId), inboxId: new URL(following.inboxUrl), endpoints: null };
  const documentLoader = await ctx.getDocumentLoader({ identifier: ctx.data.city.handle });
  const actor = await ctx.lookupObject(actorIri, { documentLoader, contextLoader: ctx.contextLoader }).catch(() => null);
  if (!isActor(actor) || actor.id?.href !== actorIri) return null;
  const inboxes = await deliverableInboxes(actor, ctx.data.allowPrivateAddress);
  return inboxes ? { id: actor.id, inboxId: inboxes.inbox, endpoints: null } : null;
}

/**
 * Sends an activity our followers got to another city as well: the city a fork or an adoption
 * refers to must hear of it even when it does not follow us. A follower already has it, our own
 * city needs nothing, and a city our trust refuses gets nothing.
 */
export async function deliverToCity(ctx: Ctx, actorIri: string, activity: Activity): Promise<void> {
  const { logger, store } = ctx.data;
  if (actorIri === cityActorUri(ctx).href) return;
  if ((await store.findFollower(actorIri))?.state === "accepted") return;
  if ((await nodeTrustDecision(ctx.data, actorIri)) !== "allow") {
    logger.warn({ actorId: actorIri, activityId: activity.id?.href }, "activity not sent to a refused city");
    return;
  }
  const recipient = await recipientOf(ctx, actorIri);
  if (!recipient) {
    logger.warn({ actorId: actorIri, activityId: activity.id?.href }, "activity not sent: the city's inbox could not be found");
    return;
  }
  await ctx.sendActivity({ identifier: ctx.data.city.handle }, recipient, activity, { orderingKey: activity.objectId?.href });
  logger.info({ actorId: actorIri, activityId: activity.id?.href }, "activity sent to the city it refers to");
}

/** Where an activity's id and time come from: the outbox event it delivers (a repeat carries the same id). */
export interface ActivityOrigin {
  /** A unique name for this activity within the event, e.g. the event id, or the event id with a suffix. */
  key: string;
  at: Date;
}

/** The id of an activity of our city: `{actor}#{type}/{key}`. */
export const cityActivityId = (ctx: Ctx, type: string, key: string) => new URL(`#${type.toLowerCase()}/${key}`, cityActorUri(ctx));

/**
 * Appends an outbox entry (once per activity id: a repeated delivery finds the entry it made
 * before) and sends its activity to our followers and to the city named; when it was published.
 * Activities about one object reach each follower in order (Fedify's ordering key).
 */
export async function publishActivity(
  ctx: Ctx,
  type: OutboxActivityRecord["type"],
  objectId: string,
  alsoTo: string | undefined,
  origin: ActivityOrigin = { key: crypto.randomUUID(), at: new Date() },
): Promise<Date> {
  const entry = await ctx.data.store.appendOutboxActivity({
    activityId: cityActivityId(ctx, type, origin.key).href,
    type,
    objectId,
    publishedAt: origin.at,
  });
  const activity = recordActivity(ctx, entry);
  await ctx.sendActivity({ identifier: ctx.data.city.handle }, "followers", activity, { preferSharedInbox: true, orderingKey: objectId });
  if (alsoTo !== undefined) await deliverToCity(ctx, alsoTo, activity);
  return entry.publishedAt;
}
