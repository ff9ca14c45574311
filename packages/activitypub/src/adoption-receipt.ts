import type { Context, InboxContext } from "@fedify/fedify";
import type { Create, Delete, Update } from "@fedify/vocab";
import type { Adoption } from "@leitplanken/core";
import { adoptionMapper } from "./adoption.mapper.ts";
import { cityActorUri } from "./city.actor.ts";
import type { FederationContextData, InboundScope } from "./federation.deps.ts";
import { admitActivity, applyOnce } from "./inbound-checks.ts";
import { fetchSignedDocument, fetchVerifiedRecord, logRefusal, verifiedProvenance, type RecordRefusal, type Refused } from "./record-receipt.ts";

type Ctx = Context<FederationContextData>;

/**
 * Fetches an adoption record from its adopter with a signed GET and checks that anyone could
 * believe it: the adopter signed it (HTTP signature of the activity, FEP-8b32 proof of the
 * document), the adopted use case lives on the node of the city named as its origin (ours: we
 * have it), and the adopter's own use case, fetched and verified too, says it was adopted from
 * that use case. Throws `TransientFetchError` when the adopter cannot be reached for now, so that
 * the activity is retried.
 */
export async function fetchVerifiedAdoption(ctx: Ctx, actorId: URL, objectId: URL): Promise<{ ok: true; adoption: Adoption } | Refused> {
  const refuse = (refusal: RecordRefusal): Refused => ({ ok: false, refusal });
  if (objectId.origin !== actorId.origin) return refuse({ type: "not-own-record", objectId: objectId.href });
  const fetched = await fetchSignedDocument(ctx, actorId, objectId);
  if (!fetched.ok) return fetched;
  const validated = adoptionMapper.fromDocument(fetched.document, verifiedProvenance(actorId));
  if (!validated.ok) return refuse({ type: "invalid-record", objectId: objectId.href, errors: validated.errors });
  const adoption = validated.value;
  const { useCase, actor } = adoption.origin;
  if (new URL(useCase).origin !== new URL(actor).origin) return refuse({ type: "adoption-origin-mismatch", useCase, actor });
  if (actor === cityActorUri(ctx).href) {
    const ours = await ctx.data.records.useCases.get(useCase);
    if (ours?.provenance.source !== "local") return refuse({ type: "adoption-of-unknown-use-case", useCase });
  }
  const adopting = await fetchVerifiedRecord(ctx, actorId, new URL(adoption.adoptingUseCase));
  if (!adopting.ok) return adopting;
  const adoptedFrom = "adoptedFrom" in adopting.verified.record ? adopting.verified.record.adoptedFrom : undefined;
  if (adoptedFrom !== useCase) return refuse({ type: "adopting-use-case-mismatch", adoptingUseCase: adoption.adoptingUseCase, adoptedFrom });
  return { ok: true, adoption };
}

/** Keeps a verified adoption record, inside the handler's transaction; an Update replaces the kept one. */
export async function saveVerifiedAdoption(scope: InboundScope, adoption: Adoption): Promise<void> {
  await scope.adoptions!.save(adoption);
}

/** The adopter withdrew its adoption (inside the handler's transaction): only the adopter may. */
export async function withdrawAdoption(scope: InboundScope, actorId: URL, objectId: URL): Promise<{ ok: true } | Refused> {
  const { adoptions } = scope;
  if (!adoptions) return { ok: false, refusal: { type: "adoptions-not-kept", objectId: objectId.href } };
  const existing = await adoptions.get(objectId.href);
  if (existing?.adopter !== actorId.href || existing.provenance.source !== "received")
    return { ok: false, refusal: { type: "not-the-adopter", objectId: objectId.href } };
  await adoptions.remove(existing.id);
  return { ok: true };
}

/**
 * Create and Update of an adoption record. As with records, the activity names it by IRI; it is
 * fetched and verified, then kept in one transaction with the activity's id.
 */
export async function receiveAdoptionActivity(ctx: InboxContext<FederationContextData>, activity: Create | Update, objectId: URL): Promise<void> {
  const admitted = await admitActivity(ctx, activity);
  if (!admitted) return;
  if (!ctx.data.adoptions) return logRefusal(ctx, admitted.activityId, { type: "adoptions-not-kept", objectId: objectId.href });
  const verified = await fetchVerifiedAdoption(ctx, admitted.actorId, objectId);
  const applied = await applyOnce(ctx, admitted, async (scope) => (verified.ok ? (await saveVerifiedAdoption(scope, verified.adoption), verified) : verified));
  if (!applied.applied) return;
  if (!applied.value.ok) return logRefusal(ctx, admitted.activityId, applied.value.refusal);
  ctx.data.logger.info(
    { activityId: admitted.activityId.href, adoptionId: objectId.href, useCase: applied.value.adoption.origin.useCase },
    "received adoption stored",
  );
}

export async function receiveAdoptionDeletion(ctx: InboxContext<FederationContextData>, deletion: Delete, objectId: URL): Promise<void> {
  const admitted = await admitActivity(ctx, deletion);
  if (!admitted) return;
  const applied = await applyOnce(ctx, admitted, (scope) => withdrawAdoption(scope, admitted.actorId, objectId));
  if (!applied.applied) return;
  if (!applied.value.ok) return logRefusal(ctx, admitted.activityId, applied.value.refusal);
  ctx.data.logger.info({ activityId: admitted.activityId.href, adoptionId: objectId.href }, "received adoption withdrawn");
}
