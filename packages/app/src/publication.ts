import {
  adoptionIri,
  adoptionRecord,
  type FederatedRecordKind,
  type Guideline,
  type SharedModel,
  type TransactionStores,
  type UseCase,
} from "@leitplanken/core";

/**
 * The record lifecycle on the wire, in one place: what the network sees of a record changes only
 * here, together with the event that tells followers. Publishing a record the network has not
 * seen is a Create (`published`), publishing a new state of a published record an Update
 * (`updated`), withdrawing it a Delete (`withdrawn`) that leaves a tombstone; a revision under way
 * changes nothing on the wire.
 */
export async function publishRecord(stores: TransactionStores, kind: FederatedRecordKind, record: Guideline | UseCase | SharedModel, at: Date): Promise<void> {
  const outcome = await stores.publications.publish(kind, record, at);
  await stores.outbox.append({ type: outcome === "created" ? "published" : "updated", kind, id: record.id });
}

/** Withdraws a published record for good (nothing happens for one that was never published). */
export async function withdrawRecord(stores: TransactionStores, kind: FederatedRecordKind, id: string, at: Date): Promise<void> {
  if (await stores.publications.withdraw(id, at)) await stores.outbox.append({ type: "withdrawn", kind, id });
}

/**
 * The adoption record of an adopted use case of ours follows the use case: published (or
 * replaced) with it, withdrawn with it. It needs our copy of the adopted use case, for the city
 * and the published state we adopted; without it no adoption is claimed.
 */
export async function publishAdoptionOf(stores: TransactionStores, origin: string, useCase: UseCase): Promise<void> {
  const id = adoptionIri(origin, useCase.id);
  if (id === null || useCase.adoptedFrom === undefined) return;
  const adopted = await stores.useCases.get(useCase.adoptedFrom);
  if (adopted?.provenance.source !== "received") return;
  const built = adoptionRecord(useCase, { id, origin: { actor: adopted.provenance.originActor, publishedAt: adopted.workflow.publishedAt } });
  if (!built.ok) return;
  const existing = await stores.adoptions.get(id);
  await stores.adoptions.save(built.adoption);
  await stores.outbox.append({ type: existing ? "adoption-updated" : "adoption-published", id, originActor: built.adoption.origin.actor });
}

export async function withdrawAdoptionOf(stores: TransactionStores, origin: string, useCase: UseCase): Promise<void> {
  const id = adoptionIri(origin, useCase.id);
  const existing = id === null ? null : await stores.adoptions.get(id);
  if (id === null || existing === null || existing.provenance.source !== "local") return;
  await stores.adoptions.remove(id);
  await stores.outbox.append({ type: "adoption-withdrawn", id, originActor: existing.origin.actor });
}
