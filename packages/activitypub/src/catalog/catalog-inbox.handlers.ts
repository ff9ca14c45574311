import type { InboxContext, InboxListener, UnverifiedActivityHandler } from "@fedify/fedify";
import { Accept, Flag, Reject, Remove, isActor, type Activity, type Create, type Delete, type Follow, type Undo, type Update } from "@fedify/vocab";
import {
  type Catalog,
  type CatalogEntry,
  type EntryAction,
  applyOriginDelete,
  applyOriginUpdate,
  describeCatalogError,
  fileReport,
  isCatalogModerator,
  leaveCatalog,
  refusedAction,
  requestMembership,
  submitToCatalog,
  trustDecision,
} from "@leitplanken/core";
import type { FederationContextData } from "../federation.deps.ts";
import { classifyFetchFailure, TransientFetchError } from "../fetch-failure.ts";
import { applyOnce, checkActivity, seenBefore, type AdmittedActivity } from "../inbound-checks.ts";
import { deliverableInboxes } from "../public-url.ts";
import { fetchVerifiedRecord, logRefusal } from "../record-receipt.ts";
import { catalogByIri, findHostedCatalog } from "./catalog.actor.ts";
import { announceToMembers, answerFollow, rejectSubmission } from "./catalog-activities.ts";
import { decideOnEntry, storeEntryDecision } from "./catalog-moderation.ts";

type Data = FederationContextData;
type Ctx = InboxContext<Data>;
export type CatalogListener<T extends Activity> = (ctx: Ctx, activity: T, catalog: Catalog) => Promise<void>;

/**
 * The catalog an inbound activity is for: the owner of the inbox it came to, else the catalog it
 * names as `audience`, `target`, or (a Follow, a Flag) its object. Deliveries to the shared
 * inbox are routed by what they name.
 */
export async function addressedCatalog(ctx: Ctx, activity: Activity): Promise<Catalog | null> {
  if (!ctx.data.catalogs) return null;
  if (ctx.recipient !== null) return findHostedCatalog(ctx, ctx.recipient);
  for (const iri of [...activity.audienceIds, activity.targetId, activity.objectId]) {
    const catalog = await catalogByIri(ctx, iri);
    if (catalog) return catalog;
  }
  return null;
}

/** Fedify allows one listener per type: activities for a catalog go to its listener, the rest to the city's. */
export function catalogsFirst<T extends Activity>(catalogListener: CatalogListener<T>, cityListener: InboxListener<Data, T>): InboxListener<Data, T> {
  return async (ctx, activity) => {
    const catalog = await addressedCatalog(ctx, activity);
    return catalog ? catalogListener(ctx, activity, catalog) : cityListener(ctx, activity);
  };
}

/**
 * The node's checks, then the catalog's own trust mode and lists; a refused actor's activity
 * leaves nothing behind. An activity applied before is left alone too (each handler records it
 * with its writes: `applyOnce`).
 */
async function admitToCatalog(ctx: Ctx, activity: Activity, catalog: Catalog): Promise<AdmittedActivity | null> {
  const admitted = await checkActivity(ctx, activity);
  if (!admitted || (await seenBefore(ctx, admitted))) return null;
  const trust = await ctx.data.catalogs!.store.trustSettings({ type: "catalog", catalogId: catalog.id });
  const decision = trustDecision(trust.mode, trust.lists, admitted.actorId.href);
  if (decision !== "allow") {
    ctx.data.logger.warn(
      { activityId: admitted.activityId.href, catalogId: catalog.id, refusal: decision.refuse },
      "activity refused by the catalog's trust settings",
    );
    return null;
  }
  return admitted;
}

/**
 * A city asks to join: a member at once, or pending for a moderator, as the policy says. The
 * answer goes out before the membership is recorded (with the Follow's id, in one transaction):
 * a repeated answer is harmless, a lost one is not.
 */
export const onCatalogFollow: CatalogListener<Follow> = async (ctx, follow, catalog) => {
  const admitted = await admitToCatalog(ctx, follow, catalog);
  if (!admitted) return;
  let follower: Awaited<ReturnType<Follow["getActor"]>>;
  try {
    follower = await follow.getActor(ctx);
  } catch (error) {
    const failure = classifyFetchFailure(error);
    if (failure.kind === "transient") throw new TransientFetchError(admitted.actorId.href, failure.reason);
    follower = null;
  }
  if (!isActor(follower) || follower.id?.href !== admitted.actorId.href || !follower.inboxId) {
    ctx.data.logger.warn({ activityId: admitted.activityId.href }, "Follow of a catalog from an actor without an inbox ignored");
    return;
  }
  const inboxes = await deliverableInboxes(follower, ctx.data.allowPrivateAddress);
  if (!inboxes) {
    ctx.data.logger.warn(
      { activityId: admitted.activityId.href, actorId: admitted.actorId.href },
      "Follow of a catalog from an actor whose inbox is not a public address ignored",
    );
    return;
  }
  const { store, state } = ctx.data.catalogs!;
  const existing = await store.findMember(catalog.id, admitted.actorId.href);
  const result = requestMembership(catalog, existing, { actor: admitted.actorId.href, followActivityId: admitted.activityId.href, now: new Date() });
  // Where the city's inbox is: a cache for answering, kept whatever the decision.
  await state.saveMemberInbox(admitted.actorId.href, { inboxUrl: inboxes.inbox.href, sharedInboxUrl: inboxes.sharedInbox?.href ?? null });
  if (!result.ok) {
    ctx.data.logger.warn({ catalogId: catalog.id, actor: admitted.actorId.href, error: result.error }, "request to join a catalog refused");
    if (existing) await answerFollow(ctx, catalog, { ...existing, followActivityId: admitted.activityId.href }, "reject");
    await applyOnce(ctx, admitted, async () => undefined);
    return;
  }
  if (result.member.state === "accepted") await answerFollow(ctx, catalog, result.member, "accept");
  const applied = await applyOnce(ctx, admitted, (scope) => scope.catalogs!.store.saveMember(result.member));
  if (applied.applied) ctx.data.logger.info({ catalogId: catalog.id, actor: result.member.actor, state: result.member.state }, "city asked to join a catalog");
};

/** Undo(Follow): the city leaves; rejected and removed cities stay recorded so the decision sticks. */
export const onCatalogUndo: CatalogListener<Undo> = async (ctx, undo, catalog) => {
  const admitted = await admitToCatalog(ctx, undo, catalog);
  if (!admitted) return;
  const applied = await applyOnce(ctx, admitted, async (scope) => {
    const store = scope.catalogs!.store;
    const member = await store.findMember(catalog.id, admitted.actorId.href);
    const result = member ? leaveCatalog(member, { actor: admitted.actorId.href, followActivityId: undo.objectId?.href ?? null }) : null;
    if (result?.ok && result.forget) await store.forgetMember(catalog.id, admitted.actorId.href);
    return result?.ok ?? false;
  });
  if (applied.applied && !applied.value) {
    ctx.data.logger.warn({ activityId: admitted.activityId.href, catalogId: catalog.id }, "Undo of a catalog membership we do not hold ignored");
  }
};

/**
 * A city submits one of its records (Create naming the record by IRI, `audience` the catalog).
 * The catalog fetches and verifies it and keeps the signed document; the entry waits for a
 * moderator. A refused submission is answered with a Reject and its reason.
 */
export const onCatalogCreate: CatalogListener<Create> = async (ctx, create, catalog) => {
  const admitted = await admitToCatalog(ctx, create, catalog);
  const objectId = create.objectId;
  if (!admitted || !objectId) return;
  const fetched = await fetchVerifiedRecord(ctx, admitted.actorId, objectId);
  if (!fetched.ok) {
    await applyOnce(ctx, admitted, async () => undefined);
    return logRefusal(ctx, admitted.activityId, fetched.refusal);
  }
  const { access, document } = fetched.verified;
  const store = ctx.data.catalogs!.store;
  const [member, existing] = await Promise.all([store.findMember(catalog.id, admitted.actorId.href), store.findEntryByRecord(catalog.id, objectId.href)]);
  const result = submitToCatalog(
    catalog,
    {
      id: `${new URL(catalog.id).origin}/catalogs/${catalog.handle}/entries/${crypto.randomUUID()}`,
      record: { id: objectId.href, kind: access.kind, originActor: admitted.actorId.href },
      submitter: admitted.actorId.href,
      submissionActivityId: admitted.activityId.href,
      document,
      now: new Date(),
    },
    { member, existing },
  );
  if (!result.ok) {
    ctx.data.logger.warn({ catalogId: catalog.id, activityId: admitted.activityId.href, error: result.error }, "catalog submission refused");
    const reason = describeCatalogError(result.error);
    await rejectSubmission(ctx, catalog, admitted.actorId.href, admitted.activityId.href, `${reason.de} / ${reason.en}`);
    await applyOnce(ctx, admitted, async () => undefined);
    return;
  }
  const applied = await applyOnce(ctx, admitted, (scope) => scope.catalogs!.store.saveEntry(result.entry));
  if (applied.applied) ctx.data.logger.info({ catalogId: catalog.id, entryId: result.entry.id, recordId: objectId.href }, "catalog submission queued");
};

/** The origin changed a catalogued record: the entry carries the new signed document, and members hear of it if it was approved. */
export const onCatalogUpdate: CatalogListener<Update> = async (ctx, update, catalog) => {
  const admitted = await admitToCatalog(ctx, update, catalog);
  const entry = admitted && (await catalogEntryOfObject(ctx, catalog, update.objectId));
  if (!admitted || !entry) return;
  const fetched = await fetchVerifiedRecord(ctx, admitted.actorId, new URL(entry.record.id));
  if (!fetched.ok) return logRefusal(ctx, admitted.activityId, fetched.refusal);
  const result = applyOriginUpdate(entry, { actor: admitted.actorId.href, document: fetched.verified.document, now: new Date() });
  if (!result.ok) return ctx.data.logger.warn({ catalogId: catalog.id, error: result.error }, "origin's update of a catalog entry refused");
  // Members fetch the record from its origin, so announcing before the entry is saved is safe; a repeat is harmless.
  if (result.entry.status.state === "approved") await announceToMembers(ctx, catalog, result.entry, "Update", admitted.activityId.href);
  await applyOnce(ctx, admitted, (scope) => scope.catalogs!.store.saveEntry(result.entry));
};

/** The origin withdrew a catalogued record: the entry is removed, and members of an approved one hear of the Delete. */
export const onCatalogDelete: CatalogListener<Delete> = async (ctx, deletion, catalog) => {
  const admitted = await admitToCatalog(ctx, deletion, catalog);
  const entry = admitted && (await catalogEntryOfObject(ctx, catalog, deletion.objectId));
  if (!admitted || !entry) return;
  const result = applyOriginDelete(entry, { actor: admitted.actorId.href, now: new Date() });
  if (!result.ok) return ctx.data.logger.warn({ catalogId: catalog.id, error: result.error }, "origin's withdrawal of a catalog entry refused");
  if (entry.status.state === "approved") await announceToMembers(ctx, catalog, result.entry, "Delete", admitted.activityId.href);
  await applyOnce(ctx, admitted, (scope) => scope.catalogs!.store.saveEntry(result.entry));
};

async function catalogEntryOfObject(ctx: Ctx, catalog: Catalog, objectId: URL | null): Promise<CatalogEntry | null> {
  if (!objectId) return null;
  const entry = await ctx.data.catalogs!.store.findEntryByRecord(catalog.id, objectId.href);
  if (!entry) ctx.data.logger.info({ catalogId: catalog.id, recordId: objectId.href }, "activity about a record the catalog does not hold ignored");
  return entry;
}

/**
 * A remote moderator's decision: Accept (approve), Reject (with `summary` as reason) or Remove of
 * an entry IRI, `target` the catalog. The actor is verified by its HTTP signature; whether it
 * moderates this catalog, and whether the entry is this catalog's, core decides; every attempt is logged.
 */
function onRemoteModeration<T extends Accept | Reject | Remove>(action: EntryAction): CatalogListener<T> {
  return async (ctx, activity, catalog) => {
    const admitted = await admitToCatalog(ctx, activity, catalog);
    const entryId = activity.objectId?.href;
    if (!admitted || !entryId) return;
    const reason = activity.summary?.toString() ?? null;
    // The decision, its log line, its outbox event and the activity's id commit together.
    const decision = await decideOnEntry(ctx.data.catalogs!.store, catalog, entryId, action, { type: "actor", id: admitted.actorId.href }, reason);
    const outcome = await applyOnce(ctx, admitted, (scope) => storeEntryDecision(scope, catalog, decision));
    if (outcome.applied && !outcome.value.ok) {
      ctx.data.logger.warn({ catalogId: catalog.id, entryId, actor: admitted.actorId.href, error: outcome.value.error }, "remote moderation refused");
    }
  };
}

export const onCatalogAccept: CatalogListener<Accept> = onRemoteModeration("approve");
export const onCatalogReject: CatalogListener<Reject> = onRemoteModeration("reject");
export const onCatalogRemove: CatalogListener<Remove> = onRemoteModeration("remove");

/** A report between nodes (`Flag`, `summary` the text) waits in the catalog's queue, or the node's own when it names no catalog. */
export async function receiveFlag(ctx: Ctx, flag: Flag, catalog: Catalog | null): Promise<void> {
  const admitted = catalog
    ? await admitToCatalog(ctx, flag, catalog)
    : await checkActivity(ctx, flag).then(async (a) => (a && !(await seenBefore(ctx, a)) ? a : null));
  const target = flag.objectIds.find((iri) => iri.href !== catalog?.id);
  if (!admitted || !ctx.data.catalogs || !target) return;
  const text = flag.summary?.toString() ?? flag.content?.toString();
  const filed = fileReport(
    { target: target.href, category: "other", ...(text ? { text: text.slice(0, 2_000) } : {}) },
    { id: admitted.activityId.href, catalogId: catalog?.id ?? null, reporter: { type: "actor", id: admitted.actorId.href }, now: new Date() },
  );
  if (!filed.ok) return ctx.data.logger.warn({ activityId: admitted.activityId.href, error: filed.error }, "Flag refused");
  const applied = await applyOnce(ctx, admitted, (scope) => scope.catalogs!.store.saveReport(filed.report));
  if (applied.applied) ctx.data.logger.info({ reportId: filed.report.id, catalogId: catalog?.id ?? null }, "report received");
}

export const onCatalogFlag: CatalogListener<Flag> = (ctx, flag, catalog) => receiveFlag(ctx, flag, catalog);
export const onFlag: InboxListener<Data, Flag> = (ctx, flag) => receiveFlag(ctx, flag, null);

const moderationKinds = new Map<string, "approve" | "reject" | "remove">([
  [Accept.typeId.href, "approve"],
  [Reject.typeId.href, "reject"],
  [Remove.typeId.href, "remove"],
]);

/**
 * A moderation activity for one of our catalogs whose signature does not verify, in the name
 * of one of its moderators: a forgery, logged as a refused attempt. Fedify still answers 401.
 */
export const onUnverifiedCatalogActivity: UnverifiedActivityHandler<Data> = async (ctx, activity, reason) => {
  const kind = [...moderationKinds].find(([typeId]) => (activity.constructor as { typeId?: URL }).typeId?.href === typeId)?.[1];
  const actorId = activity.actorId;
  if (!kind || !actorId || !ctx.data.catalogs) return;
  const inbox = ctx.parseUri(ctx.url);
  const catalog = inbox?.type === "inbox" && inbox.identifier ? await findHostedCatalog(ctx, inbox.identifier) : await catalogByIri(ctx, activity.targetId);
  if (!catalog || !isCatalogModerator(catalog, { type: "actor", id: actorId.href })) return;
  await ctx.data.catalogs.store.appendModerationLog(
    refusedAction(
      {
        catalogId: catalog.id,
        kind,
        actor: { type: "actor", id: actorId.href },
        targetType: "entry",
        target: activity.objectId?.href ?? catalog.id,
        at: new Date().toISOString(),
      },
      `unverified-signature:${reason.type}`,
    ),
  );
  ctx.data.logger.warn(
    { catalogId: catalog.id, actor: actorId.href, reason: reason.type },
    "moderation activity with a signature that does not verify refused",
  );
};
