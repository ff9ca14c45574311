import type { RecordKind } from "../record-iri.ts";

/**
 * A change to one of the node's own records that peers should hear about. Emitted after
 * the local write has committed, so a dead peer never fails a local write.
 * - `published`: a guideline version or use case was published, a model registered (Create).
 * - `updated`: a published record changed (Update; receivers keep the earlier version).
 * - `withdrawn`: a record was retired or deleted (Delete; receivers keep a tombstone).
 */
export interface RecordEvent {
  type: "published" | "updated" | "withdrawn";
  kind: Exclude<RecordKind, "guideline-document">;
  /** The record's IRI. */
  id: string;
}

/** Where the API reports record events; federation turns them into outgoing activities. */
export interface RecordEventSink {
  recordChanged(event: RecordEvent): Promise<void>;
}

/** For a node without federation (and the API's own tests): events go nowhere. */
export const ignoreRecordEvents: RecordEventSink = { recordChanged: async () => {} };
