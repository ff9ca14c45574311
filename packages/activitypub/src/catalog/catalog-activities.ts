import type { Context } from "@fedify/fedify";
import { Accept, Announce, Create, Delete, Follow, Reject, Remove, Update, isActor, type Recipient } from "@fedify/vocab";
import type { Catalog, CatalogDecisionEvent, CatalogEntry, CatalogMember } from "@leitplanken/core";
import type { FederationContextData } from "../federation.deps.ts";
import { deliverableInboxes } from "../public-url.ts";

type Ctx = Context<FederationContextData>;

/**
 * What a catalog sends (FEP-1b12). Records travel by IRI (custom types do not survive Fedify's
 * vocabulary): an approved entry is an `Announce` of the origin's activity naming the record,
 * and members fetch the record from its origin and verify its FEP-8b32 proof.
 */

export const catalogUri = (ctx: Ctx, catalog: Catalog) => new URL(catalog.id);
const handleOf = (catalog: Catalog) => ({ identifier: catalog.handle });
/** An activity's id: from `key` (an outbox event's id, so that a repeat after a crash carries the same id and receivers drop it), else new. */
const activityId = (ctx: Ctx, catalog: Catalog, kind: string, key: string = crypto.randomUUID()) => new URL(`#${kind}/${key}`, catalogUri(ctx, catalog));

/** The recipient for a direct message to an actor: a member's stored inbox, or the actor looked up (null when its inbox is not a public address). */
export async function recipientOf(ctx: Ctx, actor: string): Promise<Recipient | null> {
  const stored = await ctx.data.catalogs?.state.findMemberInbox(actor);
  if (stored) return { id: new URL(actor), inboxId: new URL(stored.inboxUrl), endpoints: null };
  const documentLoader = await ctx.getDocumentLoader({ identifier: ctx.data.city.handle });
  const found = await ctx.lookupObject(actor, { documentLoader, contextLoader: ctx.contextLoader }).catch(() => null);
  if (!isActor(found) || found.id?.href !== actor) return null;
  const inboxes = await deliverableInboxes(found, ctx.data.allowPrivateAddress);
  return inboxes ? { id: found.id, inboxId: inboxes.inbox, endpoints: null } : null;
}

/** The origin's activity about the entry's record, as the catalog passes it on. */
type AnnouncedEntry = Pick<CatalogEntry, "catalogId" | "submissionActivityId"> & { record: Pick<CatalogEntry["record"], "id" | "originActor"> };

function originActivity(entry: AnnouncedEntry, type: "Create" | "Update" | "Delete", id: string | null) {
  const values = {
    id: id ? new URL(id) : null,
    actor: new URL(entry.record.originActor),
    object: new URL(entry.record.id),
    audience: new URL(entry.catalogId),
  };
  return type === "Create" ? new Create(values) : type === "Update" ? new Update(values) : new Delete(values);
}

/** Approved (Create), changed or withdrawn by its origin (Update, Delete): the catalog announces it to its members. */
export async function announceToMembers(
  ctx: Ctx,
  catalog: Catalog,
  entry: AnnouncedEntry,
  type: "Create" | "Update" | "Delete",
  originActivityId: string | null,
  key?: string,
): Promise<void> {
  const me = catalogUri(ctx, catalog);
  const announce = new Announce({
    id: activityId(ctx, catalog, "announce", key),
    actor: me,
    object: originActivity(entry, type, originActivityId ?? (type === "Create" ? entry.submissionActivityId : null)),
    audience: me,
    to: ctx.getFollowersUri(catalog.handle),
  });
  await ctx.sendActivity(handleOf(catalog), "followers", announce, { preferSharedInbox: true });
}

/** A moderator removed an approved entry: members are told, with the reason. */
export async function removeFromMembers(ctx: Ctx, catalog: Catalog, recordId: string, reason: string, key?: string): Promise<void> {
  const me = catalogUri(ctx, catalog);
  const remove = new Remove({
    id: activityId(ctx, catalog, "remove", key),
    actor: me,
    object: new URL(recordId),
    target: me,
    summary: reason,
    to: ctx.getFollowersUri(catalog.handle),
  });
  await ctx.sendActivity(handleOf(catalog), "followers", remove, { preferSharedInbox: true });
}

/** A refused submission: the submitter gets a Reject of its Create with the reason. */
export async function rejectSubmission(
  ctx: Ctx,
  catalog: Catalog,
  submitter: string,
  submissionActivityId: string | null,
  reason: string,
  key?: string,
): Promise<void> {
  if (!submissionActivityId) return;
  const recipient = await recipientOf(ctx, submitter);
  if (!recipient) return;
  const me = catalogUri(ctx, catalog);
  const reject = new Reject({ id: activityId(ctx, catalog, "reject", key), actor: me, object: new URL(submissionActivityId), target: me, summary: reason });
  await ctx.sendActivity(handleOf(catalog), recipient, reject);
}

/** Answers a city's Follow of the catalog. */
export async function answerFollow(
  ctx: Ctx,
  catalog: Catalog,
  member: Pick<CatalogMember, "actor" | "followActivityId">,
  answer: "accept" | "reject",
  key?: string,
): Promise<void> {
  if (!member.followActivityId) return;
  const recipient = await recipientOf(ctx, member.actor);
  if (!recipient) return;
  const me = catalogUri(ctx, catalog);
  const follow = new Follow({ id: new URL(member.followActivityId), actor: new URL(member.actor), object: me });
  const Answer = answer === "accept" ? Accept : Reject;
  await ctx.sendActivity(handleOf(catalog), recipient, new Answer({ id: activityId(ctx, catalog, answer, key), actor: me, object: follow }));
}

/**
 * Sends what a moderator's decision (written to the outbox with it) tells: the dispatcher calls
 * this, at least once; the activities' ids come from the event's, so receivers drop a repeat.
 */
export async function deliverCatalogDecision(ctx: Ctx, event: CatalogDecisionEvent, key: string): Promise<void> {
  // Thrown, so the dispatcher tries again: a node composed without its catalogs (yet) sends nothing.
  if (!ctx.data.catalogs) throw new Error("catalogs are not composed on this node");
  const catalog = await ctx.data.catalogs.store.getCatalog(event.catalogId);
  if (!catalog) {
    ctx.data.logger.info({ catalogId: event.catalogId, event: event.type }, "decision of a catalog that is gone not sent");
    return;
  }
  if (event.type === "catalog-member-decided") return answerFollow(ctx, catalog, event, event.answer, key);
  const reason = event.reason ?? "";
  if (event.decision === "rejected") return rejectSubmission(ctx, catalog, event.originActor, event.submissionActivityId, reason, key);
  if (event.decision === "removed") return removeFromMembers(ctx, catalog, event.recordId, reason, key);
  const approved = { catalogId: catalog.id, record: { id: event.recordId, originActor: event.originActor }, submissionActivityId: event.submissionActivityId };
  await announceToMembers(ctx, catalog, approved, "Create", null, key);
}
