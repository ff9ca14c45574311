import type { Context } from "@fedify/fedify";
import { parseRecordIri, type AdoptionEvent, type FederatedRecord, type OutboxActivityRecord, type RecordEvent } from "@leitplanken/core";
import type { FederationContextData } from "./federation.deps.ts";
import { publishActivity, type ActivityOrigin } from "./outbound-delivery.ts";
import { noteActivity } from "./record-note.ts";

type Ctx = Context<FederationContextData>;

const activityTypes: Record<RecordEvent["type"], OutboxActivityRecord["type"]> = {
  published: "Create",
  updated: "Update",
  withdrawn: "Delete",
};

/** The city a fork was forked from: it lists the fork among its `forks`, so it must hear of it. */
async function forkOriginCity(ctx: Ctx, record: FederatedRecord | null): Promise<string | undefined> {
  if (record === null || !("documentId" in record) || record.origin === undefined) return undefined;
  return (await ctx.data.records.guidelines.get(record.origin))?.provenance.originActor;
}

/**
 * Turns a record event into outgoing activities: it goes into the ActivityPub outbox (what a
 * new follower backfills from) and to every follower through Fedify's durable queue, shared
 * inboxes preferred; a fork's also to the city it was forked from. A Note activity about the
 * same record follows for fediverse readers. What followers fetch is the record's publication
 * (what the application layer published), not a draft being worked on. It only enqueues, so a
 * dead peer never fails it. The activities' ids come from `origin.key` (the outbox event's
 * id): delivering the same event again sends the same activities, which receivers drop.
 */
export async function deliverRecordEvent(ctx: Ctx, event: RecordEvent, origin: ActivityOrigin): Promise<void> {
  const { data } = ctx;
  if (parseRecordIri(ctx.origin, event.id)?.kind !== event.kind) {
    data.logger.warn({ recordId: event.id }, "record event about an IRI that is not one of ours ignored");
    return;
  }
  const publication = await data.store.getPublication(event.id);
  const record = event.type === "withdrawn" ? null : (publication?.record ?? null);
  if (event.type !== "withdrawn" && record === null) {
    // Withdrawn since (its Delete follows), or never published: followers could not fetch it.
    data.logger.info({ recordId: event.id, event: event.type }, "record event about a record that is no longer published skipped");
    return;
  }
  const type = activityTypes[event.type];
  const publishedAt = await publishActivity(ctx, type, event.id, await forkOriginCity(ctx, record), origin);
  const note = noteActivity(ctx, event, record, publishedAt, origin.key);
  // The Note shares the record's ordering key: it reaches each follower after the record's own
  // activity, so a fan-out's Note deliveries never hold back the record's (peer cities wait for
  // the record; the Note is for fediverse readers, and links to the record).
  if (note) await ctx.sendActivity({ identifier: data.city.handle }, "followers", note, { preferSharedInbox: true, orderingKey: event.id });
  data.logger.info({ recordId: event.id, type }, "record activity sent to followers");
}

const adoptionActivityTypes: Record<AdoptionEvent["type"], OutboxActivityRecord["type"]> = {
  "adoption-published": "Create",
  "adoption-updated": "Update",
  "adoption-withdrawn": "Delete",
};

/**
 * An adoption record of ours (published, replaced or withdrawn with its use case by the
 * application layer) goes to our followers and to the city whose use case we adopted, whose
 * `adoptedBy` lists us once it has verified the record.
 */
export async function deliverAdoptionEvent(ctx: Ctx, event: AdoptionEvent, origin: ActivityOrigin): Promise<void> {
  const type = adoptionActivityTypes[event.type];
  await publishActivity(ctx, type, event.id, event.originActor, origin);
  ctx.data.logger.info({ adoptionId: event.id, type }, "adoption activity sent");
}
