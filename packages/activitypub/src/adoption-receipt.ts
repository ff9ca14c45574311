import type { Context, InboxContext } from "@fedify/fedify";
import type { Create, Delete, Update } from "@fedify/vocab";
import type { Adoption } from "@leitplanken/core";
import { adoptionMapper } from "./adoption.mapper.ts";
import { cityActorUri } from "./city.actor.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { admitActivity, checkActivity, markActivitySeen } from "./inbound-checks.ts";
import { fetchSignedDocument, fetchVerifiedRecord, logRefusal, verifiedProvenance, type RecordRefusal, type Refused } from "./record-receipt.ts";

type Ctx = Context<FederationContextData>;

/**
 * Fetches an adoption record from its adopter with a signed GET and checks that anyone could
 * believe it: the adopter signed it (HTTP signature of the activity, FEP-8b32 proof of the
 * document), the adopted use case lives on the node of the city named as its origin (ours: we
 * have it), and the adopter's own use case, fetched and verified too, says it was adopted from
 * that use case. Throws when the adopter cannot be reached, so that Fedify retries.
 */
export async function fetchVerifiedAdoption(ctx: Ctx, actorId: URL, objectId: URL): Promise<{ ok: true; adoption: Adoption } | Refused> {
  const refuse = (refusal: RecordRefusal): Refused => ({ ok: false, refusal });
  if (objectId.origin !== actorId.origin) return refuse({ type: "not-own-record", objectId: objectId.href });
  const fetched = await fetchSignedDocument(ctx, actorId, objectId);
  if (!fetched.ok) return fetched;
  const validated = adoptionMapper.fromDocument(fetched.document, verifiedProvenance(actorId));
  if (!validated.ok) return refuse({ type: "invalid-record", errors: validated.errors });
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

/** Fetches, verifies and keeps an adoption record (a backfill); an Update replaces the kept one. */
export async function receiveAdoption(ctx: Ctx, actorId: URL, objectId: URL): Promise<{ ok: true; adoption: Adoption } | Refused> {
  const { adoptions } = ctx.data;
  if (!adoptions) return { ok: false, refusal: { type: "adoptions-not-kept", objectId: objectId.href } };
  const verified = await fetchVerifiedAdoption(ctx, actorId, objectId);
  if (verified.ok) await adoptions.save(verified.adoption);
  return verified;
}

/** The adopter withdrew its adoption: only the adopter may. */
export async function withdrawAdoption(ctx: Ctx, actorId: URL, objectId: URL): Promise<{ ok: true } | Refused> {
  const { adoptions } = ctx.data;
  if (!adoptions) return { ok: false, refusal: { type: "adoptions-not-kept", objectId: objectId.href } };
  const existing = await adoptions.get(objectId.href);
  if (existing?.adopter !== actorId.href || existing.provenance.source !== "received")
    return { ok: false, refusal: { type: "not-the-adopter", objectId: objectId.href } };
  await adoptions.remove(existing.id);
  return { ok: true };
}

/**
 * Create and Update of an adoption record. As with records, the activity names it by IRI and
 * the activity id is recorded only once the adoption verified.
 */
export async function receiveAdoptionActivity(ctx: InboxContext<FederationContextData>, activity: Create | Update, objectId: URL): Promise<void> {
  const admitted = await checkActivity(ctx, activity);
  if (!admitted) return;
  const { adoptions } = ctx.data;
  if (!adoptions) return logRefusal(ctx, admitted.activityId, { type: "adoptions-not-kept", objectId: objectId.href });
  const verified = await fetchVerifiedAdoption(ctx, admitted.actorId, objectId);
  if (!verified.ok) return logRefusal(ctx, admitted.activityId, verified.refusal);
  if (!(await markActivitySeen(ctx, admitted))) return;
  await adoptions.save(verified.adoption);
  ctx.data.logger.info(
    { activityId: admitted.activityId.href, adoptionId: objectId.href, useCase: verified.adoption.origin.useCase },
    "received adoption stored",
  );
}

export async function receiveAdoptionDeletion(ctx: InboxContext<FederationContextData>, deletion: Delete, objectId: URL): Promise<void> {
  const admitted = await admitActivity(ctx, deletion);
  if (!admitted) return;
  const withdrawn = await withdrawAdoption(ctx, admitted.actorId, objectId);
  if (!withdrawn.ok) return logRefusal(ctx, admitted.activityId, withdrawn.refusal);
  ctx.data.logger.info({ activityId: admitted.activityId.href, adoptionId: objectId.href }, "received adoption withdrawn");
}
