import type { Context } from "@fedify/fedify";
import { parseRecordIri, type FederatedRecord, type OutboxActivityRecord, type RecordEvent, type RecordEventSink } from "@leitplanken/core";
import { publishAdoptionOf } from "./adoption-publisher.ts";
import type { FederationContextData, FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";
import { publishActivity, type ActivityOrigin } from "./outbound-delivery.ts";
import { recordKindAccess, type RecordRepositories } from "./record-kinds.ts";
import { noteActivity } from "./record-note.ts";

type Ctx = Context<FederationContextData>;

const activityTypes: Record<RecordEvent["type"], OutboxActivityRecord["type"]> = {
  published: "Create",
  updated: "Update",
  withdrawn: "Delete",
};

/** The city a fork was forked from: it lists the fork among its `forks`, so it must hear of it. */
async function forkOriginCity(records: RecordRepositories, record: FederatedRecord | null): Promise<string | undefined> {
  if (record === null || !("documentId" in record) || record.origin === undefined) return undefined;
  return (await records.guidelines.get(record.origin))?.provenance.originActor;
}

/**
 * Turns a record event into outgoing activities: it goes into the ActivityPub outbox (what a
 * new follower backfills from) and to every follower through Fedify's durable queue, shared
 * inboxes preferred; a fork's also to the city it was forked from. A Note activity about the
 * same record follows for fediverse readers, and an adopted use case brings its adoption record.
 * It only enqueues, so a dead peer never fails it. The activities' ids come from `origin.key`
 * (the outbox event's id): delivering the same event again sends the same activities.
 */
export async function deliverRecordEvent(ctx: Ctx, event: RecordEvent, origin: ActivityOrigin): Promise<void> {
  const { data } = ctx;
  if (parseRecordIri(ctx.origin, event.id)?.kind !== event.kind) {
    data.logger.warn({ recordId: event.id }, "record event about an IRI that is not one of ours ignored");
    return;
  }
  const access = recordKindAccess(data.records, event.kind);
  const record = event.type === "withdrawn" ? null : await access.get(event.id);
  if (event.type !== "withdrawn" && (!record || record.provenance.source !== "local" || !access.isPublic(record))) {
    data.logger.warn({ recordId: event.id, event: event.type }, "record event about a record that is not public here ignored");
    return;
  }
  const type = activityTypes[event.type];
  const publishedAt = await publishActivity(ctx, type, event.id, await forkOriginCity(data.records, record), origin);
  const note = noteActivity(ctx, event, record, publishedAt, origin.key);
  if (note) await ctx.sendActivity({ identifier: data.city.handle }, "followers", note, { preferSharedInbox: true, orderingKey: note.objectId?.href });
  data.logger.info({ recordId: event.id, type }, "record activity sent to followers");
  await publishAdoptionOf(ctx, event, record !== null && "workflow" in record ? record : null, origin);
}

/**
 * A RecordEventSink that delivers at once (each call its own activity ids). The application
 * layer writes events into the outbox instead, which the dispatcher delivers; this sink remains
 * for callers that announce a change outside it.
 */
export function createRecordPublisher(federation: CityFederation, deps: FederationDeps): RecordEventSink {
  return {
    recordChanged: (event) => deliverRecordEvent(federation.createContext(new URL(deps.origin), deps), event, { key: crypto.randomUUID(), at: new Date() }),
  };
}
