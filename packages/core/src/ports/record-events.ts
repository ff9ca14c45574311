import type { RecordKind } from "../record-iri.ts";

/**
 * A change of what the network sees of one of this node's records (its publication, see
 * ports/publications.ts). The application layer writes it into the outbox in the same
 * transaction as the change; federation delivers it, so a dead peer never fails a local write.
 * - `published`: a guideline version, use case or model was published (Create).
 * - `updated`: a new state of a published record was published (Update; receivers keep the earlier one).
 * - `withdrawn`: a record was retired for good (Delete; receivers keep a tombstone).
 */
export interface RecordEvent {
  type: "published" | "updated" | "withdrawn";
  kind: Exclude<RecordKind, "guideline-document">;
  /** The record's IRI. */
  id: string;
}
