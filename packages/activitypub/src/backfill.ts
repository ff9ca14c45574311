import type { Context } from "@fedify/fedify";
import { Create, Delete, Group, Update, isActor } from "@fedify/vocab";
import { isAdoptionIri } from "./adoption.mapper.ts";
import { fetchVerifiedAdoption, saveVerifiedAdoption, withdrawAdoption } from "./adoption-receipt.ts";
import { classifyFetchFailure, TransientFetchError } from "./fetch-failure.ts";
import type { FederationContextData, InboundScope } from "./federation.deps.ts";
import {
  fetchVerifiedRecord,
  logRefusal,
  needsUpgrade,
  storeReceivedRecord,
  withdrawReceivedRecord,
  type RecordRefusal,
  type Refused,
} from "./record-receipt.ts";

export interface SyncResult {
  /** Records (and adoption records) stored or replaced. */
  imported: number;
  /** Records (and adoption records) withdrawn by their origin. */
  withdrawn: number;
  /** Activities already applied (delivered before), records held unchanged, and refusals. */
  skipped: number;
  /** The newest outbox activity walked: where the next sync stops. */
  cursor: string | null;
}

/** The followed city's outbox could not be read for a reason that will not pass (gone, refused, no outbox). */
export class SyncRefusedError extends Error {
  override name = "SyncRefusedError";
}

type RecordActivity = Create | Update | Delete;

/**
 * Brings our copies of a followed city's records up to date from its outbox: walks it newest
 * first until the activity the last sync stopped at (`since`; everything when null: the backfill
 * after a Follow is accepted) and applies the newest activity per record (or adoption record)
 * exactly as a delivered one is applied: fetched, verified, and stored in one transaction with
 * the activity ids, so that a delivery of the same activity later changes nothing. Activities
 * applied before are skipped without fetching.
 *
 * Throws `TransientFetchError` when the outbox or a record cannot be fetched for now: the caller
 * retries the whole sync later (what was applied stays applied and is skipped then);
 * `SyncRefusedError` when the outbox cannot be read at all.
 */
export async function syncFrom(ctx: Context<FederationContextData>, actorId: URL, since: string | null, signal?: AbortSignal): Promise<SyncResult> {
  const { logger, city } = ctx.data;
  const documentLoader = await ctx.getDocumentLoader({ identifier: city.handle });
  const loaders = { documentLoader, contextLoader: ctx.contextLoader };
  const fetching = async <T>(url: string, fetch: () => Promise<T>): Promise<T> => {
    try {
      return await fetch();
    } catch (error) {
      const failure = classifyFetchFailure(error);
      if (failure.kind === "transient") throw new TransientFetchError(url, failure.reason);
      throw new SyncRefusedError(`${url}: ${failure.kind === "gone" ? `HTTP ${failure.status}` : failure.reason}`);
    }
  };
  const actor = await fetching(actorId.href, () => ctx.lookupObject(actorId.href, loaders));
  const result: SyncResult = { imported: 0, withdrawn: 0, skipped: 0, cursor: since };
  // A catalog (Group) passes its entries on by Announce as they are approved; its outbox holds
  // no records, so joining one syncs nothing.
  if (actor instanceof Group) return result;
  if (!isActor(actor) || actor.id?.href !== actorId.href) throw new SyncRefusedError(`${actorId.href} is not an actor`);
  const outbox = await fetching(actorId.href, () => actor.getOutbox(loaders));
  if (!outbox) throw new SyncRefusedError(`${actorId.href} has no outbox`);

  // Newest first: the first activity seen about a record is its current state; the older ones
  // about it are recorded as applied with it.
  const newest = new Map<string, { activity: RecordActivity; activityId: URL; older: URL[] }>();
  let first = true;
  await fetching(outbox.id?.href ?? actorId.href, async () => {
    for await (const item of ctx.traverseCollection(outbox, loaders)) {
      if (first && item.id) result.cursor = item.id.href;
      first = false;
      if (since !== null && item.id?.href === since) break;
      if (!(item instanceof Create || item instanceof Update || item instanceof Delete)) continue;
      const objectId = item.objectId?.href;
      if (!item.id || item.id.origin !== actorId.origin || item.actorId?.href !== actorId.href || !objectId) continue;
      const known = newest.get(objectId);
      if (known) known.older.push(item.id);
      else newest.set(objectId, { activity: item, activityId: item.id, older: [] });
    }
  });

  for (const [objectId, entry] of newest) {
    signal?.throwIfAborted();
    result[await applyOutboxActivity(ctx, actorId, new URL(objectId), entry)]++;
  }
  const { imported, withdrawn, skipped } = result;
  logger.info({ actorId: actorId.href, imported, withdrawn, skipped }, since === null ? "backfill done" : "catch-up done");
  return result;
}

/** Applies one outbox activity (the newest about its object) and records it and the older ones as seen, in one transaction. */
async function applyOutboxActivity(
  ctx: Context<FederationContextData>,
  actorId: URL,
  objectId: URL,
  { activity, activityId, older }: { activity: RecordActivity; activityId: URL; older: URL[] },
): Promise<"imported" | "withdrawn" | "skipped"> {
  if (await ctx.data.store.hasInboundActivity(activityId.href)) return "skipped";
  const deletion = activity instanceof Delete;
  const markSeen = async (scope: InboundScope) => {
    if (!(await scope.store.recordInboundActivity(activityId.href, actorId.href))) return false;
    for (const id of older) await scope.store.recordInboundActivity(id.href, actorId.href);
    return true;
  };
  // Fetched and verified before the transaction (network); a transient failure throws.
  let outcome: Awaited<ReturnType<typeof storeReceivedRecord>> | { ok: true; outcome: "withdrawn" | "stored" } | Refused | null;
  if (isAdoptionIri(objectId)) {
    const fetched = deletion ? null : await fetchVerifiedAdoption(ctx, actorId, objectId);
    outcome = await ctx.data.transaction(async (scope) => {
      if (!(await markSeen(scope))) return null;
      if (!fetched) return withdrawAdoption(scope, actorId, objectId).then((r) => (r.ok ? { ok: true as const, outcome: "withdrawn" as const } : r));
      return fetched.ok ? saveVerifiedAdoption(scope, fetched.adoption).then(() => ({ ok: true as const, outcome: "stored" as const })) : fetched;
    });
  } else {
    const withdrawn = !deletion && (await ctx.data.store.findTombstone(objectId.href));
    const fetched = deletion ? null : withdrawn ? refused({ type: "withdrawn", objectId: objectId.href }) : await fetchVerifiedRecord(ctx, actorId, objectId);
    // Left unrecorded: the catch-up after this node's upgrade reads it again.
    if (fetched && !fetched.ok && needsUpgrade(fetched.refusal)) {
      logRefusal(ctx, activityId, fetched.refusal);
      return "skipped";
    }
    outcome = await ctx.data.transaction(async (scope) => {
      if (!(await markSeen(scope))) return null;
      if (!fetched) return withdrawReceivedRecord(ctx, scope, actorId, objectId, activityId);
      return fetched.ok ? storeReceivedRecord(scope, fetched.verified, activityId) : fetched;
    });
  }
  if (!outcome) return "skipped";
  if (!outcome.ok) {
    if (!quietRefusal(outcome.refusal)) logRefusal(ctx, activityId, outcome.refusal);
    return "skipped";
  }
  if (outcome.outcome === "withdrawn") return "withdrawn";
  return outcome.outcome === "stored" || outcome.outcome === "replaced" ? "imported" : "skipped";
}

const refused = (refusal: RecordRefusal): Refused => ({ ok: false, refusal });

/** Refusals that are normal in an outbox: a withdrawal of an adoption we never held, a record withdrawn since. */
const quietRefusal = (refusal: RecordRefusal) => refusal.type === "not-the-adopter" || refusal.type === "withdrawn" || refusal.type === "record-gone";
