import type { FederatedRecord, FederatedRecordKind, RecordPublication, RecordPublicationStore } from "@leitplanken/core";
import type { Queryable } from "./database.ts";

interface PublicationRow {
  record_id: string;
  kind: FederatedRecordKind;
  state: RecordPublication["state"];
  record: FederatedRecord | null;
  first_published_at: Date;
  updated_at: Date;
}

const toPublication = (row: PublicationRow): RecordPublication => ({
  recordId: row.record_id,
  kind: row.kind,
  state: row.state,
  record: row.record,
  firstPublishedAt: row.first_published_at,
  updatedAt: row.updated_at,
});

/** What the node published of its own records (migration 0012); give it the transaction of the record's change. */
export function createRecordPublicationStore(db: Queryable): RecordPublicationStore {
  return {
    async getPublication(recordId) {
      const { rows } = await db.query<PublicationRow>("SELECT * FROM record_publications WHERE record_id = $1", [recordId]);
      return rows[0] ? toPublication(rows[0]) : null;
    },
    async publish(kind, record, at) {
      const { rows } = await db.query<{ created: boolean }>(
        `INSERT INTO record_publications (record_id, kind, state, record, first_published_at, updated_at) VALUES ($1, $2, 'published', $3::jsonb, $4, $4)
         ON CONFLICT (record_id) DO UPDATE SET state = 'published', record = excluded.record, updated_at = excluded.updated_at
         RETURNING (xmax = 0) AS created`,
        [record.id, kind, JSON.stringify(record), at],
      );
      return rows[0]?.created ? "created" : "updated";
    },
    async withdraw(recordId, at) {
      const { rowCount } = await db.query(
        "UPDATE record_publications SET state = 'withdrawn', record = NULL, updated_at = $2 WHERE record_id = $1 AND state = 'published'",
        [recordId, at],
      );
      return rowCount > 0;
    },
  };
}
