import { parseRecordIri, type FederatedRecord, type OutboxActivityRecord, type RecordEvent, type RecordEventSink } from "@leitplanken/core";
import { publishAdoptionOf } from "./adoption-publisher.ts";
import type { FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";
import { publishActivity } from "./outbound-delivery.ts";
import { recordKindAccess, type RecordRepositories } from "./record-kinds.ts";
import { noteActivity } from "./record-note.ts";

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
 * Turns the API's record events into outgoing activities: each goes into the outbox (what a
 * new follower backfills from) and to every follower through Fedify's durable queue, shared
 * inboxes preferred; a fork's also to the city it was forked from. A Note activity about the same
 * record follows for fediverse readers, and an adopted use case brings its adoption record.
 * Call it after the local write has committed; it only enqueues, so a dead peer never fails it.
 */
export function createRecordPublisher(federation: CityFederation, deps: FederationDeps): RecordEventSink {
  return {
    async recordChanged(event) {
      const ctx = federation.createContext(new URL(deps.origin), deps);
      if (parseRecordIri(deps.origin, event.id)?.kind !== event.kind) {
        deps.logger.warn({ recordId: event.id }, "record event about an IRI that is not one of ours ignored");
        return;
      }
      const access = recordKindAccess(deps.records, event.kind);
      const record = event.type === "withdrawn" ? null : await access.get(event.id);
      if (event.type !== "withdrawn" && (!record || record.provenance.source !== "local" || !access.isPublic(record))) {
        deps.logger.warn({ recordId: event.id, event: event.type }, "record event about a record that is not public here ignored");
        return;
      }
      const type = activityTypes[event.type];
      const publishedAt = await publishActivity(ctx, type, event.id, await forkOriginCity(deps.records, record));
      const note = noteActivity(ctx, event, record, publishedAt);
      if (note) await ctx.sendActivity({ identifier: deps.city.handle }, "followers", note, { preferSharedInbox: true });
      deps.logger.info({ recordId: event.id, type }, "record activity sent to followers");
      await publishAdoptionOf(ctx, event, record !== null && "workflow" in record ? record : null);
    },
  };
}
