import type { CollectionCounter, CollectionCursor, CollectionDispatcher, Context, RequestContext } from "@fedify/fedify";
import type { Activity, Actor, Recipient } from "@fedify/vocab";
import { hostRefused, nodeTrust } from "./domain-block.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { noteHostAnswered } from "./host-recovery.ts";
import { recordActivity } from "./record-activity.ts";

type Data = FederationContextData;

/** Accepted followers outside blocked domains: the audience of every `"followers"` fan-out (the node's trust read once, not per follower). */
async function deliverableFollowers(data: Data) {
  const [followers, trust] = await Promise.all([data.store.listFollowers({ state: "accepted" }), nodeTrust(data)]);
  return followers.filter((follower) => !hostRefused(trust, new URL(follower.actorId).host));
}

export const dispatchFollowers: CollectionDispatcher<Recipient, Context<Data>, Data, URL> = async (ctx, identifier) => {
  if (identifier !== ctx.data.city.handle) return null;
  const followers = await deliverableFollowers(ctx.data);
  return {
    items: followers.map((f) => ({
      id: new URL(f.actorId),
      inboxId: new URL(f.inboxUrl),
      endpoints: f.sharedInboxUrl ? { sharedInbox: new URL(f.sharedInboxUrl) } : null,
    })),
  };
};

export const countFollowers: CollectionCounter<Data, URL> = async (ctx, identifier) =>
  identifier === ctx.data.city.handle ? (await deliverableFollowers(ctx.data)).length : null;

export const dispatchFollowing: CollectionDispatcher<Actor | URL, RequestContext<Data>, Data, void> = async (ctx, identifier) => {
  if (identifier !== ctx.data.city.handle) return null;
  const following = await ctx.data.store.listFollowing({ state: "accepted" });
  return { items: following.map((f) => new URL(f.actorId)) };
};

export const countFollowing: CollectionCounter<Data, void> = async (ctx, identifier) =>
  identifier === ctx.data.city.handle ? (await ctx.data.store.listFollowing({ state: "accepted" })).length : null;

export const DEFAULT_OUTBOX_PAGE_SIZE = 50;
const FIRST_PAGE = "newest";

/** The record activities, newest first, a page per cursor (the position of the last entry seen). */
export function createOutboxDispatcher(pageSize: number): CollectionDispatcher<Activity, RequestContext<Data>, Data, void> {
  return async (ctx, identifier, cursor) => {
    if (identifier !== ctx.data.city.handle) return null;
    // A follower catching up (a signed fetch) shows that its server is up again: resume deliveries to it.
    if (ctx.request.headers.has("signature") || ctx.request.headers.has("signature-input")) {
      void ctx
        .getSignedKey()
        .then((key) => key?.id && noteHostAnswered(ctx.data, key.id.host))
        .catch(() => undefined);
    }
    const before = cursor === null || cursor === FIRST_PAGE ? undefined : Number(cursor);
    if (before !== undefined && !Number.isSafeInteger(before)) return null;
    const entries = await ctx.data.store.listOutboxActivities({ before, limit: pageSize });
    const last = entries.at(-1);
    return {
      items: entries.map((entry) => recordActivity(ctx, entry)),
      nextCursor: entries.length === pageSize && last ? String(last.position) : null,
    };
  };
}

export const firstOutboxCursor: CollectionCursor<RequestContext<Data>, Data, void> = () => FIRST_PAGE;

export const countOutbox: CollectionCounter<Data, void> = async (ctx, identifier) =>
  identifier === ctx.data.city.handle ? ctx.data.store.countOutboxActivities() : null;

/** The inbox read as a collection (ActivityPub's GET on an inbox): what the city received is not public, so it is empty. */
export const dispatchInbox: CollectionDispatcher<Activity, RequestContext<Data>, Data, void> = (ctx, identifier) =>
  identifier === ctx.data.city.handle ? { items: [] } : null;
