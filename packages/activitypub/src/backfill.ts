import type { Context } from "@fedify/fedify";
import { Create, Delete, Group, Update, isActor } from "@fedify/vocab";
import { isAdoptionIri } from "./adoption.mapper.ts";
import { receiveAdoption, withdrawAdoption } from "./adoption-receipt.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { fetchVerifiedRecord, logRefusal, storeReceivedRecord, withdrawReceivedRecord } from "./record-receipt.ts";

export interface BackfillResult {
  /** Records stored or replaced. */
  imported: number;
  /** Records already held unchanged, refused, withdrawn, or that could not be fetched. */
  skipped: number;
}

/**
 * Imports what a followed city published before we followed it: walks its outbox (every
 * page) and applies the newest activity per record (or adoption record) exactly as a delivered
 * one would be applied, fetched and verified the same way.
 */
export async function backfillFrom(ctx: Context<FederationContextData>, actorId: URL): Promise<BackfillResult> {
  const { logger, city } = ctx.data;
  const documentLoader = await ctx.getDocumentLoader({ identifier: city.handle });
  const loaders = { documentLoader, contextLoader: ctx.contextLoader };
  const actor = await ctx.lookupObject(actorId.href, loaders);
  const result: BackfillResult = { imported: 0, skipped: 0 };
  // A catalog (Group) passes its entries on by Announce as they are approved; its outbox holds
  // no records, so joining one backfills nothing.
  if (actor instanceof Group) return result;
  const outbox = isActor(actor) && actor.id?.href === actorId.href ? await actor.getOutbox(loaders) : null;
  if (!outbox) {
    logger.warn({ actorId: actorId.href }, "backfill: the followed actor has no outbox");
    return result;
  }

  // Newest first, so the first activity seen about a record is its current state.
  const newest = new Map<string, { activity: Create | Update | Delete; activityId: URL }>();
  for await (const item of ctx.traverseCollection(outbox, loaders)) {
    if (!(item instanceof Create || item instanceof Update || item instanceof Delete)) continue;
    const objectId = item.objectId?.href;
    if (!item.id || item.id.origin !== actorId.origin || item.actorId?.href !== actorId.href || !objectId || newest.has(objectId)) continue;
    newest.set(objectId, { activity: item, activityId: item.id });
  }

  for (const [objectId, { activity, activityId }] of newest) {
    try {
      if (isAdoptionIri(new URL(objectId))) {
        const applied =
          activity instanceof Delete ? await withdrawAdoption(ctx, actorId, new URL(objectId)) : await receiveAdoption(ctx, actorId, new URL(objectId));
        if (!applied.ok || activity instanceof Delete) {
          if (!applied.ok && applied.refusal.type !== "not-the-adopter") logRefusal(ctx, activityId, applied.refusal);
          result.skipped++;
        } else result.imported++;
        continue;
      }
      if (activity instanceof Delete) {
        await withdrawReceivedRecord(ctx, actorId, new URL(objectId), activityId);
        result.skipped++;
        continue;
      }
      const fetched = await fetchVerifiedRecord(ctx, actorId, new URL(objectId));
      const stored = fetched.ok ? await storeReceivedRecord(ctx, fetched.verified, activityId) : fetched;
      if (!stored.ok) {
        logRefusal(ctx, activityId, stored.refusal);
        result.skipped++;
      } else if (stored.outcome === "unchanged") result.skipped++;
      else result.imported++;
    } catch (error) {
      logger.warn({ actorId: actorId.href, recordId: objectId, error: (error as Error).message }, "backfill: record could not be fetched");
      result.skipped++;
    }
  }
  logger.info({ actorId: actorId.href, ...result }, "backfill done");
  return result;
}
