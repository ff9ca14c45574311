import { Accept, Create, Delete, Flag, Reject, Remove, Update, isActor, type Actor } from "@fedify/vocab";
import { type BilingualMessage, type EntryAction, type RecordEventSink, parseRecordIri } from "@leitplanken/core";
import { cityActorUri } from "../city.actor.ts";
import type { FederationDeps } from "../federation.deps.ts";
import type { CityFederation } from "../federation.ts";
import { createFollowingService, type FollowResult, type UnfollowResult } from "../following.ts";
import { recordKindAccess } from "../record-kinds.ts";
import type { CatalogViewEntry, CatalogViewState } from "./catalog-federation.state.ts";

export type MembershipError =
  | { type: "catalog-not-found"; catalog: string }
  /** Only this city's public records can be submitted: the catalog fetches them from here. */
  | { type: "not-own-public-record"; recordId: string };

export type MembershipResult<T> = ({ ok: true } & T) | { ok: false; error: MembershipError };

export function describeMembershipError(error: MembershipError): BilingualMessage {
  switch (error.type) {
    case "catalog-not-found":
      return { de: `Unter „${error.catalog}“ wurde kein Katalog gefunden.`, en: `No catalog was found at "${error.catalog}".` };
    case "not-own-public-record":
      return { de: "Einreichen lassen sich nur eigene, veröffentlichte Einträge.", en: "Only this city's own published records can be submitted." };
  }
}

export interface CatalogMembershipService {
  /** Follows the catalog's Group actor; the catalog accepts at once or after a moderator's review. */
  join(catalogIri: string): Promise<FollowResult>;
  leave(catalogIri: string): Promise<UnfollowResult>;
  /** Submits one of our published records: `Create` of its IRI with the catalog as `audience`. */
  submit(catalogIri: string, recordId: string): Promise<MembershipResult<{ submissionActivityId: string }>>;
  /** Our view of a catalog: what it approved (and we hold verified copies of), rejected or removed, with reasons. */
  view(catalogIri: string, filter?: { state?: CatalogViewState }): Promise<CatalogViewEntry[]>;
  /** This city acting as a remote moderator of a catalog: Accept, Reject or Remove of an entry IRI, `target` the catalog. */
  moderate(input: { catalogIri: string; entryId: string; action: EntryAction; reason?: string | null }): Promise<MembershipResult<{ activityId: string }>>;
  /** A report to a catalog (or a city) about a record or entry: `Flag`, `summary` the text. */
  report(input: { to: string; target: string; text?: string | null }): Promise<MembershipResult<{ activityId: string }>>;
  /**
   * Wraps the node's RecordEventSink: after the city's followers are told, each catalog the
   * record was submitted to gets the Update or Delete too, so the catalog follows its origin.
   */
  forwardRecordEvents(sink: RecordEventSink): RecordEventSink;
}

/** What a member city does with catalogs (for GraphQL); the catalog side is `createCatalogService`. */
export function createCatalogMembershipService(federation: CityFederation, deps: FederationDeps): CatalogMembershipService {
  const catalogs = deps.catalogs;
  if (!catalogs) throw new Error("createCatalogMembershipService needs deps.catalogs (the catalog store and state)");
  const following = createFollowingService(federation, deps);
  const context = () => federation.createContext(new URL(deps.origin), deps);
  const sender = { identifier: deps.city.handle };

  async function lookupActor(iri: string): Promise<Actor | null> {
    const ctx = context();
    const documentLoader = await ctx.getDocumentLoader(sender);
    const actor = await ctx.lookupObject(iri, { documentLoader, contextLoader: ctx.contextLoader }).catch(() => null);
    return isActor(actor) && actor.id && actor.inboxId ? actor : null;
  }

  async function sendTo(target: string, build: (ctx: ReturnType<typeof context>, me: URL, id: URL) => Parameters<ReturnType<typeof context>["sendActivity"]>[2], kind: string) {
    const actor = await lookupActor(target);
    if (!actor) return { ok: false as const, error: { type: "catalog-not-found" as const, catalog: target } };
    const ctx = context();
    const me = cityActorUri(ctx);
    const id = new URL(`#${kind}/${crypto.randomUUID()}`, me);
    await ctx.sendActivity(sender, actor, build(ctx, me, id));
    return { ok: true as const, activityId: id.href, actorId: actor.id!.href };
  }

  return {
    join: (catalogIri) => following.followCity(catalogIri),
    leave: (catalogIri) => following.unfollowCity(catalogIri),

    async submit(catalogIri, recordId) {
      const kind = parseRecordIri(deps.origin, recordId)?.kind;
      const access = kind && kind !== "guideline-document" ? recordKindAccess(deps.records, kind) : null;
      const record = access ? await access.get(recordId) : null;
      if (!access || !record || record.provenance.source !== "local" || !access.isPublic(record)) return { ok: false, error: { type: "not-own-public-record", recordId } };
      const sent = await sendTo(catalogIri, (_ctx, me, id) => new Create({ id, actor: me, object: new URL(recordId), audience: new URL(catalogIri), to: new URL(catalogIri) }), "catalog-submission");
      if (!sent.ok) return sent;
      await catalogs.state.saveViewEntry({ catalogId: sent.actorId, recordId, state: "submitted", reason: null, submissionActivityId: sent.activityId, updatedAt: new Date().toISOString() });
      deps.logger.info({ catalogId: sent.actorId, recordId }, "record submitted to a catalog");
      return { ok: true, submissionActivityId: sent.activityId };
    },

    view: (catalogIri, filter) => catalogs.state.listViewEntries(new URL(catalogIri).href, filter),

    async moderate({ catalogIri, entryId, action, reason }) {
      const Activity = action === "approve" ? Accept : action === "reject" ? Reject : Remove;
      const summary = reason ?? null;
      return sendTo(catalogIri, (_ctx, me, id) => new Activity({ id, actor: me, object: new URL(entryId), target: new URL(catalogIri), summary }), `moderation-${action}`);
    },

    async report({ to, target, text }) {
      return sendTo(to, (_ctx, me, id) => new Flag({ id, actor: me, object: new URL(target), summary: text ?? null }), "flag");
    },

    forwardRecordEvents(sink) {
      return {
        async recordChanged(event) {
          await sink.recordChanged(event);
          if (event.type === "published") return;
          const submittedTo = await submittedCatalogs(event.id);
          for (const catalogIri of submittedTo) {
            const Activity = event.type === "updated" ? Update : Delete;
            await sendTo(catalogIri, (_ctx, me, id) => new Activity({ id, actor: me, object: new URL(event.id), audience: new URL(catalogIri), to: new URL(catalogIri) }), event.type === "updated" ? "catalog-update" : "catalog-delete");
          }
        },
      };
    },
  };

  /** The catalogs holding (or reviewing) one of our records that we submitted. */
  async function submittedCatalogs(recordId: string): Promise<string[]> {
    const joined = await deps.store.listFollowing({ state: "accepted" });
    const result: string[] = [];
    for (const { actorId } of joined) {
      const entry = await catalogs!.state.findViewEntry(actorId, recordId);
      if (entry?.submissionActivityId && (entry.state === "submitted" || entry.state === "approved")) result.push(actorId);
    }
    return result;
  }
}
