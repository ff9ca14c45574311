import type { CollectionCounter, CollectionDispatcher, Context, RequestContext } from "@fedify/fedify";
import type { Activity, Actor, Recipient } from "@fedify/vocab";
import { isBlockedHost } from "./domain-block.ts";
import type { FederationContextData } from "./federation.deps.ts";

type Data = FederationContextData;

/** Accepted followers outside blocked domains: the audience of every `"followers"` fan-out. */
async function deliverableFollowers(data: Data) {
  const followers = await data.store.listFollowers({ state: "accepted" });
  const allowed = await Promise.all(followers.map(async (f) => !(await isBlockedHost(data, new URL(f.actorId).host))));
  return followers.filter((_, index) => allowed[index]);
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

// Records are published through the outbox once the record bridge lands; until then it is empty.
export const dispatchOutbox: CollectionDispatcher<Activity, RequestContext<Data>, Data, void> = (ctx, identifier) =>
  identifier === ctx.data.city.handle ? { items: [] } : null;

export const countOutbox: CollectionCounter<Data, void> = (ctx, identifier) => (identifier === ctx.data.city.handle ? 0 : null);
