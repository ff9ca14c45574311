import type { Context } from "@fedify/fedify";
import {
  type ActorRef,
  type BilingualMessage,
  type Catalog,
  type CatalogActionError,
  type CatalogEntry,
  type CatalogMember,
  type EntryAction,
  type MemberAction,
  describeCatalogError,
  moderateEntry,
  moderateMember,
  refuseNonModerator,
} from "@leitplanken/core";
import type { FederationContextData } from "../federation.deps.ts";
import { announceToMembers, answerFollow, appendLog, rejectSubmission, removeFromMembers } from "./catalog-activities.ts";

type Ctx = Context<FederationContextData>;

export function describeCatalogActionError(error: CatalogActionError): BilingualMessage {
  switch (error.type) {
    case "catalog-not-found":
      return { de: `Den Katalog „${error.catalog}“ gibt es auf diesem Knoten nicht.`, en: `There is no catalog "${error.catalog}" on this node.` };
    case "entry-not-found":
      return { de: "Diesen Katalogeintrag gibt es nicht.", en: "There is no such catalog entry." };
    case "member-not-found":
      return { de: `${error.actor} ist kein Mitglied dieses Katalogs.`, en: `${error.actor} is not a member of this catalog.` };
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

/**
 * A moderator's decision on an entry, from the API (a local moderator) or from a remote
 * moderator's Accept/Reject/Remove: core decides, the log gets every attempt (refused ones
 * too), and only then do members or the submitter hear of it. The entry is stored only if no
 * other decision was stored since it was read (two moderators at once: the second gets
 * `entry-changed`, and nothing of its decision is stored, logged or sent).
 */
export async function moderateCatalogEntry(
  ctx: Ctx,
  catalog: Catalog,
  entryId: string,
  action: EntryAction,
  moderator: ActorRef,
  reason: string | null,
): Promise<EntryActionResult> {
  const store = ctx.data.catalogs!.store;
  const early = refuseNonModerator(catalog, { entryId, action }, moderator, new Date(), reason);
  if (early) {
    await appendLog(ctx, early.log);
    return { ok: false, error: early.error };
  }
  const read = await store.getEntryVersioned(entryId);
  if (!read) return { ok: false, error: { type: "entry-not-found", entryId } };
  const result = moderateEntry(catalog, read.entry, action, moderator, new Date(), { reason });
  if (!result.ok) {
    await appendLog(ctx, result.log);
    return result;
  }
  const saved = await store.replaceEntry(result.entry, read.lockVersion);
  if (!saved.ok) return { ok: false, error: { type: "entry-changed", entryId, currentLockVersion: saved.currentLockVersion } };
  await appendLog(ctx, result.log);
  const status = result.entry.status;
  if (status.state === "approved") await announceToMembers(ctx, catalog, result.entry, "Create", null);
  else if (status.state === "rejected") await rejectSubmission(ctx, catalog, result.entry.record.originActor, result.entry.submissionActivityId, status.reason);
  else if (status.state === "removed") await removeFromMembers(ctx, catalog, result.entry, status.reason);
  ctx.data.logger.info({ catalogId: catalog.id, entryId, action }, "catalog entry moderated");
  return { ok: true, entry: result.entry };
}

/** A moderator accepts, rejects or removes a member; the city hears Accept or Reject of its Follow. */
export async function moderateCatalogMember(
  ctx: Ctx,
  catalog: Catalog,
  actor: string,
  action: MemberAction,
  moderator: ActorRef,
  reason: string | null,
): Promise<MemberActionResult> {
  const store = ctx.data.catalogs!.store;
  const early = refuseNonModerator(catalog, { member: actor, action }, moderator, new Date(), reason);
  if (early) {
    await appendLog(ctx, early.log);
    return { ok: false, error: early.error };
  }
  const member = await store.findMember(catalog.id, actor);
  if (!member) return { ok: false, error: { type: "member-not-found", actor } };
  const result = moderateMember(catalog, member, action, moderator, new Date(), { reason });
  await appendLog(ctx, result.log);
  if (!result.ok) return result;
  await store.saveMember(result.member);
  await answerFollow(ctx, catalog, result.member, result.member.state === "accepted" ? "accept" : "reject");
  return { ok: true, member: result.member };
}
