import type { FederatedRecord, FederatedRecordKind } from "./federation.ts";

/**
 * What this node has published of one of its own records: the state the network sees. It is
 * written by the application layer in the same transaction as the record, and it is what the
 * node serves at the record's IRI and what followers receive, so a published record that is
 * being revised stays published in its last published state until the revision is published
 * (then the publication is replaced: an Update) or the record is retired (withdrawn: a Delete
 * and a tombstone). A withdrawn IRI never comes back.
 */
export interface RecordPublication {
  recordId: string;
  kind: FederatedRecordKind;
  state: "published" | "withdrawn";
  /** The published state; null once withdrawn. */
  record: FederatedRecord | null;
  firstPublishedAt: Date;
  /** When this state was published (or withdrawn). */
  updatedAt: Date;
}

export interface RecordPublicationReader {
  getPublication(recordId: string): Promise<RecordPublication | null>;
}

export interface RecordPublicationStore extends RecordPublicationReader {
  /** Publishes `record` as it is now; "created" the first time, "updated" when it replaced a published state. */
  publish(kind: FederatedRecordKind, record: FederatedRecord, at: Date): Promise<"created" | "updated">;
  /** Withdraws a published record for good; false when it was not published. */
  withdraw(recordId: string, at: Date): Promise<boolean>;
}
