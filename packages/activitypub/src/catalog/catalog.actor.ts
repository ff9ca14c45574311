import type { ActorDispatcher, ActorKeyPairsDispatcher, CollectionCounter, CollectionDispatcher, Context } from "@fedify/fedify";
import { Endpoints, Group, type Recipient } from "@fedify/vocab";
import { trustDecision, type Catalog, type CatalogMember } from "@leitplanken/core";
import { loadActorKeyPairs } from "../actor-keys.ts";
import { isBlockedHost } from "../domain-block.ts";
import type { FederationContextData } from "../federation.deps.ts";

type Data = FederationContextData;
type Ctx = Context<Data>;

/**
 * Catalogs are `Group` actors (FEP-1b12) beside the city's Organization under Fedify's one actor
 * path, `/actors/{identifier}`: the identifier is the catalog's handle. They sign with the
 * node's key pairs (one operator, one set of keys; the key ids are the catalog's own).
 */
export async function findHostedCatalog(ctx: Ctx, identifier: string): Promise<Catalog | null> {
  if (identifier === ctx.data.city.handle) return null;
  return (await ctx.data.catalogs?.store.findCatalogByHandle(identifier)) ?? null;
}

/** A catalog of this node named by IRI (its Group actor), or null. */
export async function catalogByIri(ctx: Ctx, iri: URL | null | undefined): Promise<Catalog | null> {
  if (!iri) return null;
  const parsed = ctx.parseUri(iri);
  return parsed?.type === "actor" ? findHostedCatalog(ctx, parsed.identifier) : null;
}

const languageText = (map: { de?: string | undefined; en?: string | undefined } | undefined) => (map ? (map.de ?? map.en ?? null) : null);

export const dispatchCatalogActor = async (ctx: Ctx, identifier: string): Promise<Group | null> => {
  const catalog = await findHostedCatalog(ctx, identifier);
  if (!catalog) return null;
  const keys = await ctx.getActorKeyPairs(identifier);
  const rsaKey = keys.find((key) => key.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5");
  return new Group({
    id: ctx.getActorUri(identifier),
    preferredUsername: catalog.handle,
    name: languageText(catalog.name),
    summary: languageText(catalog.description),
    inbox: ctx.getInboxUri(identifier),
    outbox: ctx.getOutboxUri(identifier),
    followers: ctx.getFollowersUri(identifier),
    // A catalog follows no one; the empty collection is there because every actor here has one.
    following: ctx.getFollowingUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    manuallyApprovesFollowers: catalog.policy.memberApprovalRequired,
    publicKey: rsaKey?.cryptographicKey ?? null,
    assertionMethods: keys.filter((key) => key.privateKey.algorithm.name === "Ed25519").map((key) => key.multikey),
  });
};

/** The city's actor dispatcher, then the catalogs. */
export const withCatalogActors =
  (dispatchCity: ActorDispatcher<Data>): ActorDispatcher<Data> =>
  async (ctx, identifier) =>
    (await dispatchCity(ctx, identifier)) ?? (await dispatchCatalogActor(ctx, identifier));

export const withCatalogKeyPairs =
  (dispatchCity: ActorKeyPairsDispatcher<Data>): ActorKeyPairsDispatcher<Data> =>
  async (ctx, identifier) =>
    (await findHostedCatalog(ctx, identifier)) ? loadActorKeyPairs(ctx.data.store) : dispatchCity(ctx, identifier);

/** Accepted members the node and the catalog both trust: the audience of the catalog's Announces. */
export async function deliverableMembers(ctx: Ctx, catalog: Catalog): Promise<CatalogMember[]> {
  const catalogs = ctx.data.catalogs;
  if (!catalogs) return [];
  const [members, trust] = await Promise.all([
    catalogs.store.listMembers(catalog.id, { state: "accepted" }),
    catalogs.store.trustSettings({ type: "catalog", catalogId: catalog.id }),
  ]);
  const admitted = await Promise.all(
    members.map(
      async (member) => trustDecision(trust.mode, trust.lists, member.actor) === "allow" && !(await isBlockedHost(ctx.data, new URL(member.actor).host)),
    ),
  );
  return members.filter((_, index) => admitted[index]);
}

/** The city's followers collection, then a catalog's: its members (FEP-1b12). */
export function withCatalogFollowers(dispatchCity: CollectionDispatcher<Recipient, Ctx, Data, URL>): CollectionDispatcher<Recipient, Ctx, Data, URL> {
  return async (ctx, identifier, cursor, filter) => {
    const catalog = await findHostedCatalog(ctx, identifier);
    if (!catalog) return dispatchCity(ctx, identifier, cursor, filter);
    const members = await deliverableMembers(ctx, catalog);
    const items: Recipient[] = [];
    for (const member of members) {
      const inbox = await ctx.data.catalogs!.state.findMemberInbox(member.actor);
      if (!inbox) continue;
      items.push({
        id: new URL(member.actor),
        inboxId: new URL(inbox.inboxUrl),
        endpoints: inbox.sharedInboxUrl ? { sharedInbox: new URL(inbox.sharedInboxUrl) } : null,
      });
    }
    return { items };
  };
}

/** The city's following collection, then a catalog's: always empty (a catalog follows no one). */
export function withCatalogFollowing<Item, C extends Ctx>(dispatchCity: CollectionDispatcher<Item, C, Data, void>): CollectionDispatcher<Item, C, Data, void> {
  return async (ctx, identifier, cursor, filter) =>
    (await findHostedCatalog(ctx, identifier)) ? { items: [] } : dispatchCity(ctx, identifier, cursor, filter);
}

export function withCatalogFollowingCount(countCity: CollectionCounter<Data, void>): CollectionCounter<Data, void> {
  return async (ctx, identifier, filter) => ((await findHostedCatalog(ctx, identifier)) ? 0 : countCity(ctx, identifier, filter));
}

export function withCatalogFollowerCount(countCity: CollectionCounter<Data, URL>): CollectionCounter<Data, URL> {
  return async (ctx, identifier, filter) => {
    const catalog = await findHostedCatalog(ctx, identifier);
    return catalog ? (await deliverableMembers(ctx, catalog)).length : countCity(ctx, identifier, filter);
  };
}
