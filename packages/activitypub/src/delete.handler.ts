import type { InboxListener } from "@fedify/fedify";
import type { Delete } from "@fedify/vocab";
import { isAdoptionIri } from "./adoption.mapper.ts";
import { receiveAdoptionDeletion } from "./adoption-receipt.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { applyOnce, checkActivity } from "./inbound-checks.ts";
import { logRefusal, withdrawReceivedRecord } from "./record-receipt.ts";

/** A city withdrew a record (or an adoption record): only that city may; the copy leaves a tombstone and its last state in history. */
export const onDelete: InboxListener<FederationContextData, Delete> = async (ctx, deletion) => {
  if (deletion.objectId && isAdoptionIri(deletion.objectId)) return receiveAdoptionDeletion(ctx, deletion, deletion.objectId);
  const admitted = await checkActivity(ctx, deletion);
  if (!admitted) return;
  const objectId = deletion.objectId;
  if (!objectId) {
    ctx.data.logger.warn({ activityId: admitted.activityId.href }, "Delete without object ignored");
    return;
  }
  const applied = await applyOnce(ctx, admitted, (scope) => withdrawReceivedRecord(ctx, scope, admitted.actorId, objectId, admitted.activityId));
  if (!applied.applied) return;
  if (!applied.value.ok) return logRefusal(ctx, admitted.activityId, applied.value.refusal);
  ctx.data.logger.info({ activityId: admitted.activityId.href, recordId: objectId.href }, "received record withdrawn");
};
