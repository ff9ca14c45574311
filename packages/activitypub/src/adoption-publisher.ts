import type { Context } from "@fedify/fedify";
import { adoptionRecord, describeAdoptError, type RecordEvent, type UseCase } from "@leitplanken/core";
import { adoptionIri } from "./adoption.mapper.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { publishActivity, type ActivityOrigin } from "./outbound-delivery.ts";

type Ctx = Context<FederationContextData>;

/**
 * The adoption record of one of our use cases follows the use case: published with it
 * (`adoptionRecord` of core, kept with the adoption repository, served signed at
 * `/adoptions/{slug}`), and withdrawn with it. It goes to our followers and to the city whose
 * use case we adopted, whose `adoptedBy` lists us once it has verified the record.
 */
export async function publishAdoptionOf(ctx: Ctx, event: RecordEvent, useCase: UseCase | null, from: ActivityOrigin): Promise<void> {
  const activityOrigin = { key: `${from.key}-adoption`, at: from.at };
  const { adoptions, logger, records } = ctx.data;
  if (event.kind !== "use-case" || !adoptions) return;
  const origin = ctx.origin;
  const id = adoptionIri(origin, event.id);
  if (id === null) return;
  const existing = await adoptions.get(id);

  if (event.type === "withdrawn" || useCase === null) {
    if (existing === null) return;
    await adoptions.remove(id);
    await publishActivity(ctx, "Delete", id, existing.origin.actor, activityOrigin);
    logger.info({ adoptionId: id, useCase: event.id }, "adoption withdrawn");
    return;
  }
  if (useCase.adoptedFrom === undefined) return;
  const adopted = await records.useCases.get(useCase.adoptedFrom);
  if (adopted?.provenance.source !== "received") {
    logger.warn({ useCase: useCase.id, adoptedFrom: useCase.adoptedFrom }, "adoption not published: this node holds no copy of the adopted use case");
    return;
  }
  const built = adoptionRecord(useCase, { id, origin: { actor: adopted.provenance.originActor, publishedAt: adopted.workflow.publishedAt } });
  if (!built.ok) {
    logger.warn({ useCase: useCase.id, error: built.error, reason: describeAdoptError(built.error).en }, "adoption not published");
    return;
  }
  await adoptions.save(built.adoption);
  await publishActivity(ctx, existing ? "Update" : "Create", id, built.adoption.origin.actor, activityOrigin);
  logger.info({ adoptionId: id, useCase: useCase.id, adoptedFrom: useCase.adoptedFrom }, "adoption published");
}
