import { parseRecordIri, type OutboxActivityRecord, type RecordEvent, type RecordEventSink } from "@leitplanken/core";
import { cityActorUri } from "./city.actor.ts";
import type { FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";
import { recordActivity } from "./record-activity.ts";
import { recordKindAccess } from "./record-kinds.ts";
import { noteActivity } from "./record-note.ts";

const activityTypes: Record<RecordEvent["type"], OutboxActivityRecord["type"]> = {
  published: "Create",
  updated: "Update",
  withdrawn: "Delete",
};

/**
 * Turns the API's record events into outgoing activities: each goes into the outbox (what a
 * new follower backfills from) and to every follower through Fedify's durable queue, shared
 * inboxes preferred. A Note activity about the same record follows for fediverse readers.
 * Call it after the local write has committed; it only enqueues, so a dead peer never fails it.
 */
export function createRecordPublisher(federation: CityFederation, deps: FederationDeps): RecordEventSink {
  return {
    async recordChanged(event) {
      const ctx = federation.createContext(new URL(deps.origin), deps);
      const sender = { identifier: deps.city.handle };
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
      const entry = await deps.store.appendOutboxActivity({
        activityId: new URL(`#${type.toLowerCase()}/${crypto.randomUUID()}`, cityActorUri(ctx)).href,
        type,
        objectId: event.id,
      });
      await ctx.sendActivity(sender, "followers", recordActivity(ctx, entry), { preferSharedInbox: true });
      const note = noteActivity(ctx, event, record, entry.publishedAt);
      if (note) await ctx.sendActivity(sender, "followers", note, { preferSharedInbox: true });
      deps.logger.info({ recordId: event.id, activityId: entry.activityId, type }, "record activity sent to followers");
    },
  };
}
