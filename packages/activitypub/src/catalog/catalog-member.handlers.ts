import type { InboxContext, InboxListener } from "@fedify/fedify";
import { Create, Delete, Update, type Announce, type Reject, type Remove } from "@fedify/vocab";
import { type CatalogViewEntry, type CatalogViewState, withdrawnByOriginReason } from "@leitplanken/core";
import { cityActorUri } from "../city.actor.ts";
import type { FederationContextData } from "../federation.deps.ts";
import type { CatalogFederationState } from "./catalog-federation.state.ts";
import { applyOnce, checkActivity, seenBefore, type AdmittedActivity } from "../inbound-checks.ts";
import { fetchVerifiedRecord, logRefusal, storeReceivedRecord } from "../record-receipt.ts";

type Data = FederationContextData;
type Ctx = InboxContext<Data>;

/**
 * A member city's side of a catalog: Announces of approved records (kept as verified copies and
 * in the city's view of the catalog), Removes with the moderator's reason, and Rejects of our
 * own submissions. Only from a catalog this city follows, and only about what it names.
 */

/** The sender, if it is a catalog (or any group) this city's Follow was accepted by. */
async function fromJoinedCatalog(ctx: Ctx, activity: Announce | Remove | Reject): Promise<AdmittedActivity | null> {
  const admitted = await checkActivity(ctx, activity);
  if (!admitted || !ctx.data.catalogs || (await seenBefore(ctx, admitted))) return null;
  const following = await ctx.data.store.findFollowing(admitted.actorId.href);
  if (following?.state !== "accepted") {
    ctx.data.logger.warn({ activityId: admitted.activityId.href, actorId: admitted.actorId.href }, "catalog activity from an actor we have not joined ignored");
    return null;
  }
  return admitted;
}

/** Our view of a catalog's entry, written inside the handler's transaction (`catalogState` is the transaction's). */
async function setViewState(
  catalogState: CatalogFederationState,
  catalogId: string,
  recordId: string,
  state: CatalogViewState,
  reason: string | null,
): Promise<void> {
  const existing = await catalogState.findViewEntry(catalogId, recordId);
  const entry: CatalogViewEntry = {
    catalogId,
    recordId,
    state,
    reason,
    submissionActivityId: existing?.submissionActivityId ?? null,
    updatedAt: new Date().toISOString(),
  };
  await catalogState.saveViewEntry(entry);
}

/**
 * A catalog announces the origin's Create or Update of a record: the record is fetched from its
 * origin and verified against the origin's key (the catalog's word is not enough), then kept as
 * a copy of the origin's record. An announced Delete marks the entry withdrawn in our view.
 */
export const onCatalogAnnounce: InboxListener<Data, Announce> = async (ctx, announce) => {
  const admitted = await fromJoinedCatalog(ctx, announce);
  if (!admitted) return;
  const catalogId = admitted.actorId.href;
  const inner = await announce.getObject({ crossOrigin: "trust", documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
  const originActor = inner instanceof Create || inner instanceof Update || inner instanceof Delete ? inner.actorId : null;
  const recordId = inner instanceof Create || inner instanceof Update || inner instanceof Delete ? inner.objectId : null;
  if (!originActor || !recordId) {
    ctx.data.logger.info({ activityId: admitted.activityId.href }, "Announce of something other than a record activity ignored");
    return;
  }
  if (inner instanceof Delete) {
    await applyOnce(ctx, admitted, (scope) => setViewState(scope.catalogs!.state, catalogId, recordId.href, "removed", withdrawnByOriginReason));
    return;
  }
  // Our own record comes back from the catalog: nothing to fetch, only our view changes.
  const fetched = originActor.href !== cityActorUri(ctx).href ? await fetchVerifiedRecord(ctx, originActor, recordId) : null;
  const applied = await applyOnce(ctx, admitted, async (scope) => {
    if (fetched && !fetched.ok) return fetched;
    const stored = fetched ? await storeReceivedRecord(scope, fetched.verified, admitted.activityId) : null;
    if (stored && !stored.ok) return stored;
    await setViewState(scope.catalogs!.state, catalogId, recordId.href, "approved", null);
    return { ok: true as const };
  });
  if (!applied.applied) return;
  if (!applied.value.ok) return logRefusal(ctx, admitted.activityId, applied.value.refusal);
  ctx.data.logger.info({ catalogId, recordId: recordId.href }, "catalog entry received");
};

/** The catalog removed an entry (`object` the record, `target` the catalog, `summary` the reason). */
export const onCatalogEntryRemoved: InboxListener<Data, Remove> = async (ctx, remove) => {
  const admitted = await fromJoinedCatalog(ctx, remove);
  const recordId = remove.objectId;
  if (!admitted || !recordId || remove.targetId?.href !== admitted.actorId.href) return;
  const applied = await applyOnce(ctx, admitted, (scope) =>
    setViewState(scope.catalogs!.state, admitted.actorId.href, recordId.href, "removed", remove.summary?.toString() ?? null),
  );
  if (applied.applied) ctx.data.logger.info({ catalogId: admitted.actorId.href, recordId: recordId.href }, "catalog entry removed");
};

/** A Reject of one of our submissions comes from the catalog it went to; any other Reject is the city's (an answer to a Follow). */
export function withSubmissionAnswers(cityListener: InboxListener<Data, Reject>): InboxListener<Data, Reject> {
  return async (ctx, reject) => {
    const submission = reject.objectId && ctx.data.catalogs ? await ctx.data.catalogs.state.findSubmission(reject.objectId.href) : null;
    if (!submission) return cityListener(ctx, reject);
    const admitted = await checkActivity(ctx, reject);
    if (!admitted || admitted.actorId.href !== submission.catalogId) {
      ctx.data.logger.warn({ activityId: reject.id?.href }, "Reject of a submission from another actor than its catalog ignored");
      return;
    }
    if (await seenBefore(ctx, admitted)) return;
    const applied = await applyOnce(ctx, admitted, (scope) =>
      setViewState(scope.catalogs!.state, submission.catalogId, submission.recordId, "rejected", reject.summary?.toString() ?? null),
    );
    if (applied.applied) ctx.data.logger.info({ catalogId: submission.catalogId, recordId: submission.recordId }, "catalog submission rejected");
  };
}
