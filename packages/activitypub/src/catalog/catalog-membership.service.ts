import type { Context } from "@fedify/fedify";
import { Accept, Create, Delete, Flag, Group, Reject, Remove, Update, isActor, type Actor } from "@fedify/vocab";
import { type CatalogMembershipPort, type CatalogProfile, type JoinedCatalog, type RecordEvent } from "@leitplanken/core";
import { cityActorUri } from "../city.actor.ts";
import type { FederationContextData, FederationDeps } from "../federation.deps.ts";
import type { CityFederation } from "../federation.ts";
import { createFollowingService, resolveFollowTarget } from "../following.ts";
import type { ActivityOrigin } from "../outbound-delivery.ts";
import { deliverableInboxes } from "../public-url.ts";

export type CatalogMembershipService = CatalogMembershipPort;

type Ctx = Context<FederationContextData>;

/** An actor we can deliver to, looked up with our signed requests; null when it is gone or not on a public address. */
async function lookupActor(ctx: Ctx, iri: string): Promise<Actor | null> {
  const documentLoader = await ctx.getDocumentLoader({ identifier: ctx.data.city.handle });
  const actor = await ctx.lookupObject(iri, { documentLoader, contextLoader: ctx.contextLoader }).catch(() => null);
  if (!isActor(actor) || !actor.id) return null;
  return (await deliverableInboxes(actor, ctx.data.allowPrivateAddress)) ? actor : null;
}

/** The catalogs holding (or reviewing) one of our records that we submitted. */
async function submittedCatalogs(ctx: Ctx, recordId: string): Promise<string[]> {
  const state = ctx.data.catalogs?.state;
  if (!state) return [];
  const joined = await ctx.data.store.listFollowing({ state: "accepted" });
  const result: string[] = [];
  for (const { actorId } of joined) {
    const entry = await state.findViewEntry(actorId, recordId);
    if (entry?.submissionActivityId && (entry.state === "submitted" || entry.state === "approved")) result.push(actorId);
  }
  return result;
}

/**
 * After our followers heard of an Update or a Delete of one of our records, each catalog the
 * record was submitted to gets it too, so the catalog follows its origin. The activity ids come
 * from the outbox event (`origin.key`), so a repeated delivery is dropped by the catalog.
 */
export async function forwardRecordEventToCatalogs(ctx: Ctx, event: RecordEvent, origin: ActivityOrigin): Promise<void> {
  if (event.type === "published") return;
  const me = cityActorUri(ctx);
  const Activity = event.type === "updated" ? Update : Delete;
  for (const catalogIri of await submittedCatalogs(ctx, event.id)) {
    const actor = await lookupActor(ctx, catalogIri);
    if (!actor) {
      ctx.data.logger.warn({ catalogId: catalogIri, recordId: event.id }, "catalog not reachable: record change not forwarded");
      continue;
    }
    const id = new URL(`#catalog-${event.type === "updated" ? "update" : "delete"}/${origin.key}-${encodeURIComponent(catalogIri)}`, me);
    await ctx.sendActivity(
      { identifier: ctx.data.city.handle },
      actor,
      new Activity({ id, actor: me, object: new URL(event.id), audience: new URL(catalogIri), to: new URL(catalogIri) }),
      { orderingKey: event.id },
    );
  }
}

/** What a member city does with catalogs (for GraphQL); the catalog side is `createCatalogService`. */
export function createCatalogMembershipService(federation: CityFederation, deps: FederationDeps): CatalogMembershipService {
  const catalogs = deps.catalogs;
  if (!catalogs) throw new Error("createCatalogMembershipService needs deps.catalogs (the catalog store and state)");
  const following = createFollowingService(federation, deps);
  const context = () => federation.createContext(new URL(deps.origin), deps);
  const sender = { identifier: deps.city.handle };

  async function sendTo(
    target: string,
    build: (ctx: ReturnType<typeof context>, me: URL, id: URL) => Parameters<ReturnType<typeof context>["sendActivity"]>[2],
    kind: string,
  ) {
    const actor = await lookupActor(context(), target);
    if (!actor) return { ok: false as const, error: { type: "catalog-not-found" as const, catalog: target } };
    const ctx = context();
    const me = cityActorUri(ctx);
    const id = new URL(`#${kind}/${crypto.randomUUID()}`, me);
    await ctx.sendActivity(sender, actor, build(ctx, me, id));
    return { ok: true as const, activityId: id.href, actorId: actor.id!.href };
  }

  /** A Group actor as a catalog's profile (names are plain text: a language map's first text, as the Group carries it). */
  const profileOf = (group: Group): CatalogProfile => ({
    id: group.id!.href,
    handle: group.preferredUsername?.toString() ?? null,
    name: group.name?.toString() ?? null,
    summary: group.summary?.toString() ?? null,
    membersNeedApproval: group.manuallyApprovesFollowers === true,
  });

  const lookup: CatalogMembershipPort["lookup"] = async (address) => {
    const resolved = await resolveFollowTarget(federation, deps, address);
    if (!resolved.ok) return resolved;
    if (!(resolved.actor instanceof Group)) return { ok: false, error: { type: "not-a-catalog", target: address } };
    return { ok: true, catalog: profileOf(resolved.actor) };
  };

  return {
    lookup,

    async joined() {
      const joined: JoinedCatalog[] = [];
      for (const catalog of await catalogs.state.listJoinedCatalogs()) {
        const relation = await deps.store.findFollowing(catalog.id);
        if (relation) joined.push({ catalog, state: relation.state, since: relation.createdAt });
      }
      return joined.sort((a, b) => b.since.getTime() - a.since.getTime());
    },

    async join(catalogIri) {
      const looked = await lookup(catalogIri);
      // A city is followed under "following", not joined: the same refusal as a lookup.
      if (!looked.ok && looked.error.type === "not-a-catalog") return { ok: false, error: { type: "actor-not-found", target: catalogIri } };
      const result = await following.followCity(catalogIri);
      if (result.ok && looked.ok) await catalogs.state.saveJoinedCatalog(looked.catalog);
      return result;
    },

    async leave(catalogIri) {
      const result = await following.unfollowCity(catalogIri);
      if (result.ok && URL.canParse(catalogIri)) await catalogs.state.removeJoinedCatalog(new URL(catalogIri).href);
      return result;
    },

    async submit(catalogIri, recordId) {
      // What the catalog fetches is the record's publication: only a published record of ours can go.
      const publication = await deps.store.getPublication(recordId);
      if (publication?.record == null) return { ok: false, error: { type: "not-own-public-record", recordId } };
      const sent = await sendTo(
        catalogIri,
        (_ctx, me, id) => new Create({ id, actor: me, object: new URL(recordId), audience: new URL(catalogIri), to: new URL(catalogIri) }),
        "catalog-submission",
      );
      if (!sent.ok) return sent;
      await catalogs.state.saveViewEntry({
        catalogId: sent.actorId,
        recordId,
        state: "submitted",
        reason: null,
        submissionActivityId: sent.activityId,
        updatedAt: new Date().toISOString(),
      });
      deps.logger.info({ catalogId: sent.actorId, recordId }, "record submitted to a catalog");
      return { ok: true, submissionActivityId: sent.activityId };
    },

    view: (catalogIri, filter) => catalogs.state.listViewEntries(new URL(catalogIri).href, filter),

    async moderate({ catalogIri, entryId, action, reason }) {
      const Activity = action === "approve" ? Accept : action === "reject" ? Reject : Remove;
      const summary = reason ?? null;
      return sendTo(
        catalogIri,
        (_ctx, me, id) => new Activity({ id, actor: me, object: new URL(entryId), target: new URL(catalogIri), summary }),
        `moderation-${action}`,
      );
    },

    async report({ to, target, text }) {
      return sendTo(to, (_ctx, me, id) => new Flag({ id, actor: me, object: new URL(target), summary: text ?? null }), "flag");
    },
  };
}
