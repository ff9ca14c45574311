import type { Context } from "@fedify/fedify";
import {
  type ActorRef,
  type CatalogModerationStore,
  type BilingualMessage,
  type Catalog,
  type CatalogActionError,
  type CatalogEntry,
  type CatalogMember,
  type EntryAction,
  type MemberAction,
  type NewModerationLogEntry,
  catalogMemberStream,
  describeCatalogError,
  moderateEntry,
  moderateMember,
  refuseNonModerator,
} from "@leitplanken/core";
import type { FederationContextData, InboundScope } from "../federation.deps.ts";

type Ctx = Context<FederationContextData>;

export function describeCatalogActionError(error: CatalogActionError): BilingualMessage {
  switch (error.type) {
    case "catalog-not-found":
      return { de: `Den Katalog „${error.catalog}“ gibt es auf diesem Knoten nicht.`, en: `There is no catalog "${error.catalog}" on this node.` };
    case "entry-not-found":
      return { de: "Diesen Katalogeintrag gibt es nicht.", en: "There is no such catalog entry." };
    case "member-not-found":
      return { de: `${error.actor} ist kein Mitglied dieses Katalogs.`, en: `${error.actor} is not a member of this catalog.` };
    case "member-changed":
      return {
        de: `Über ${error.actor} hat inzwischen jemand anderes entschieden; Ihre Entscheidung wurde nicht gespeichert. Bitte laden Sie die Mitgliederliste neu.`,
        en: `Someone else decided on ${error.actor} meanwhile; your decision was not stored. Please reload the member list.`,
      };
    case "entry-changed":
      return {
        de: "Über diesen Eintrag hat inzwischen jemand anderes entschieden; Ihre Entscheidung wurde nicht gespeichert. Bitte laden Sie die Warteschlange neu.",
        en: "Someone else decided on this entry meanwhile; your decision was not stored. Please reload the queue.",
      };
    default:
      return describeCatalogError(error);
  }
}

export type EntryActionResult = { ok: true; entry: CatalogEntry } | { ok: false; error: CatalogActionError };
export type MemberActionResult = { ok: true; member: CatalogMember } | { ok: false; error: CatalogActionError };

const appendLogIn = async (scope: InboundScope, log: NewModerationLogEntry | null) => {
  if (log) await scope.catalogs!.store.appendModerationLog(log);
};

/** What core decided on an entry as read (with the count of its saves); nothing is stored yet. */
export type EntryDecision =
  | { ok: false; error: CatalogActionError; log: NewModerationLogEntry | null }
  | { ok: true; entry: CatalogEntry; lockVersion: number; log: NewModerationLogEntry | null };

/** Reads the entry and lets core decide: every attempt gets a log line, refused ones too. */
export async function decideOnEntry(
  store: CatalogModerationStore,
  catalog: Catalog,
  entryId: string,
  action: EntryAction,
  moderator: ActorRef,
  reason: string | null,
): Promise<EntryDecision> {
  const now = new Date();
  const early = refuseNonModerator(catalog, { entryId, action }, moderator, now, reason);
  if (early) return { ok: false, error: early.error, log: early.log };
  const read = await store.getEntryVersioned(entryId);
  if (!read) return { ok: false, error: { type: "entry-not-found", entryId }, log: null };
  const result = moderateEntry(catalog, read.entry, action, moderator, now, { reason });
  return result.ok ? { ok: true, entry: result.entry, lockVersion: read.lockVersion, log: result.log } : { ok: false, error: result.error, log: result.log };
}

/**
 * Stores a decision in the transaction of `scope`: a refused one as its log line; a taken one
 * with its log line and the outbox event that tells the members or the submitter
 * (`deliverCatalogDecision`), all committed together, so a crash never keeps a decision unsent.
 * The entry is stored only if no other decision was stored since it was read (two moderators at
 * once: the second gets `entry-changed`, and nothing of its decision is stored, logged or sent).
 */
export async function storeEntryDecision(scope: InboundScope, catalog: Catalog, decision: EntryDecision): Promise<EntryActionResult> {
  if (!decision.ok) {
    await appendLogIn(scope, decision.log);
    return { ok: false, error: decision.error };
  }
  const { entry } = decision;
  const saved = await scope.catalogs!.store.replaceEntry(entry, decision.lockVersion);
  if (!saved.ok) return { ok: false, error: { type: "entry-changed", entryId: entry.id, currentLockVersion: saved.currentLockVersion } };
  await appendLogIn(scope, decision.log);
  const status = entry.status;
  if (status.state === "approved" || status.state === "rejected" || status.state === "removed") {
    await scope.outbox.append({
      type: "catalog-entry-decided",
      id: entry.id,
      catalogId: catalog.id,
      decision: status.state,
      recordId: entry.record.id,
      originActor: entry.record.originActor,
      submissionActivityId: entry.submissionActivityId,
      reason: status.state === "approved" ? null : status.reason,
    });
  }
  return { ok: true, entry };
}

/** A local moderator's decision on an entry (from the API): `decideOnEntry` in a transaction of its own. */
export async function moderateCatalogEntry(
  ctx: Ctx,
  catalog: Catalog,
  entryId: string,
  action: EntryAction,
  moderator: ActorRef,
  reason: string | null,
): Promise<EntryActionResult> {
  const decision = await decideOnEntry(ctx.data.catalogs!.store, catalog, entryId, action, moderator, reason);
  const result = await ctx.data.transaction((scope) => storeEntryDecision(scope, catalog, decision));
  if (result.ok) ctx.data.logger.info({ catalogId: catalog.id, entryId, action }, "catalog entry moderated");
  return result;
}

/**
 * A moderator accepts, rejects or removes a member; the city hears Accept or Reject of its Follow
 * (an outbox event written with the decision). The member is stored only if no other decision on
 * it was stored since it was read (two moderators at once: the second gets `member-changed`, and
 * nothing of its decision is stored, logged or sent).
 */
export async function moderateCatalogMember(
  ctx: Ctx,
  catalog: Catalog,
  actor: string,
  action: MemberAction,
  moderator: ActorRef,
  reason: string | null,
): Promise<MemberActionResult> {
  const now = new Date();
  const early = refuseNonModerator(catalog, { member: actor, action }, moderator, now, reason);
  const member = early ? null : await ctx.data.catalogs!.store.findMember(catalog.id, actor);
  const result = early ? { ok: false as const, ...early } : member ? moderateMember(catalog, member, action, moderator, now, { reason }) : null;
  return ctx.data.transaction(async (scope): Promise<MemberActionResult> => {
    if (!result) return { ok: false, error: { type: "member-not-found", actor } };
    if (!result.ok) {
      await appendLogIn(scope, result.log);
      return { ok: false, error: result.error };
    }
    if (!(await scope.catalogs!.store.replaceMember(result.member, member!))) return { ok: false, error: { type: "member-changed", actor } };
    await appendLogIn(scope, result.log);
    const { followActivityId } = result.member;
    if (followActivityId) {
      await scope.outbox.append({
        type: "catalog-member-decided",
        id: catalogMemberStream(catalog.id, actor),
        catalogId: catalog.id,
        actor,
        followActivityId,
        answer: result.member.state === "accepted" ? "accept" : "reject",
      });
    }
    return { ok: true, member: result.member };
  });
}
