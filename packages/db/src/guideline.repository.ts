import { type Guideline, type GuidelineRepository, guidelineSchema, type guidelineOrderFields } from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import {
  createdOrder,
  getById,
  getManyByIds,
  getManyVersionedByIds,
  getVersionedById,
  listPage,
  lockVersionsByIds,
  nameOrder,
  type OrderKey,
  parseRow,
  provenanceColumns,
  provenanceValues,
  recordFilterConditions,
  removeById,
  saveOutcome,
  searchDocument,
  updatedOrder,
  writeRecordRow,
} from "./record-query.ts";

export const parseGuidelineRecord = parseRow("guideline", guidelineSchema);
const parse = parseGuidelineRecord;

/** What `list` orders by (core's `guidelineOrderFields`). */
const orders: Record<(typeof guidelineOrderFields)[number], OrderKey> = {
  ...createdOrder,
  updated: updatedOrder,
  title: nameOrder("title"),
  // Drafts (no publication date) come last when newest first. Indexed with `seq` (migration 0090).
  published: { sql: "coalesce(published_at, '-infinity')", type: "timestamptz" },
};

const columns = [
  "id",
  "document_id",
  "version",
  "state",
  "kind",
  "licence",
  "published_at",
  "supersedes",
  "forked_from",
  ...provenanceColumns,
  "record",
] as const;

const isCurrentSql = `state = 'published' AND NOT EXISTS (
  SELECT 1 FROM guideline_versions newer
  WHERE newer.document_id = guideline_versions.document_id AND newer.state = 'published' AND newer.published_at > guideline_versions.published_at)`;

export function createGuidelineRepository(db: Queryable): GuidelineRepository {
  async function listVersionsMany(documentIds: readonly string[]): Promise<Guideline[][]> {
    if (documentIds.length === 0) return [];
    const rows = await db.query<{ document_id: string; record: unknown }>(
      "SELECT document_id, record FROM guideline_versions WHERE document_id = ANY($1) ORDER BY published_at ASC NULLS LAST, seq ASC",
      [documentIds],
    );
    const byDocument = new Map(documentIds.map((documentId) => [documentId, [] as Guideline[]]));
    for (const row of rows.rows) byDocument.get(row.document_id)?.push(parse(row.record));
    return documentIds.map((documentId) => byDocument.get(documentId) ?? []);
  }

  return {
    async save(guideline, options) {
      const existing = await db.query<{ same: boolean; state: string; lock_version: number }>(
        "SELECT state, lock_version, record = $2::jsonb AS same FROM guideline_versions WHERE id = $1",
        [guideline.id, JSON.stringify(guideline)],
      );
      const current = existing.rows[0];
      const expected = options?.expectedLockVersion;
      if (expected !== undefined && current?.lock_version !== expected) {
        return { ok: false, error: { type: "stale", id: guideline.id, currentLockVersion: current?.lock_version ?? null } };
      }
      if (current?.state === "published") {
        // Saving the identical record again is harmless (a redelivered activity); changing it is not.
        return current.same
          ? { ok: true, outcome: "updated", lockVersion: current.lock_version }
          : { ok: false, error: { type: "guideline-version-published", id: guideline.id } };
      }
      const taken = await db.query("SELECT 1 FROM guideline_versions WHERE document_id = $1 AND version = $2 AND id <> $3", [
        guideline.documentId,
        guideline.version,
        guideline.id,
      ]);
      if (taken.rows.length > 0) {
        return { ok: false, error: { type: "version-label-taken", documentId: guideline.documentId, version: guideline.version } };
      }
      await db.query(
        `INSERT INTO guideline_documents (id, kind, source, origin_actor) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind`,
        [guideline.documentId, guideline.kind, guideline.provenance.source, guideline.provenance.originActor],
      );
      const values = [
        guideline.id,
        guideline.documentId,
        guideline.version,
        guideline.state,
        guideline.kind,
        guideline.licence,
        guideline.publishedAt ?? null,
        guideline.supersedes ?? null,
        guideline.origin ?? null,
        ...provenanceValues(guideline.provenance),
        JSON.stringify(guideline),
      ];
      const search = searchDocument([
        guideline.title,
        guideline.summary,
        ...guideline.principles.map((principle) => principle.statement),
        ...guideline.sections.flatMap((section) => [section.heading, section.body]),
      ]);
      // The checks above ran in other statements: a version published, or a label taken, in
      // between must still win here (the WHERE and the unique index decide atomically).
      let written: { created: boolean; lockVersion: number } | null;
      try {
        written = await writeRecordRow(db, "guideline_versions", columns, values, search, {
          expectedLockVersion: expected,
          condition: "guideline_versions.state <> 'published'",
        });
      } catch (error) {
        if ((error as { code?: string }).code === "23505") {
          return { ok: false, error: { type: "version-label-taken", documentId: guideline.documentId, version: guideline.version } };
        }
        throw error;
      }
      if (written) return saveOutcome(db, "guideline_versions", guideline.id, written);
      const [now] = await lockVersionsByIds(db, "guideline_versions", [guideline.id]);
      if (expected !== undefined && now !== expected) return { ok: false, error: { type: "stale", id: guideline.id, currentLockVersion: now ?? null } };
      return { ok: false, error: { type: "guideline-version-published", id: guideline.id } };
    },

    get: (id) => getById<Guideline>(db, "guideline_versions", id, parse),
    getVersioned: (id) => getVersionedById<Guideline>(db, "guideline_versions", id, parse),
    lockVersions: (ids) => lockVersionsByIds(db, "guideline_versions", ids),

    getManyByIds: (ids) => getManyByIds<Guideline>(db, "guideline_versions", ids, parse),
    getManyVersionedByIds: (ids) => getManyVersionedByIds<Guideline>(db, "guideline_versions", ids, parse),

    async listVersions(documentId) {
      const [versions] = await listVersionsMany([documentId]);
      return versions ?? [];
    },

    listVersionsMany,

    async getCurrent(documentId) {
      const rows = await db.query<{ record: unknown }>(
        "SELECT record FROM guideline_versions WHERE document_id = $1 AND state = 'published' ORDER BY published_at DESC LIMIT 1",
        [documentId],
      );
      const row = rows.rows[0];
      return row ? parse(row.record) : null;
    },

    list(filter, page) {
      const conditions = recordFilterConditions(filter)
        .add("state = ?", filter.state)
        .add("kind = ?", filter.kind)
        .add("document_id = ?", filter.documentId)
        .add("forked_from = ?", filter.forkedFrom);
      if (filter.currentOnly) conditions.clauses.push(isCurrentSql);
      return listPage(db, "guideline_versions", conditions, page, parse, orders);
    },

    async remove(id) {
      const removed = await removeById(db, "guideline_versions", id);
      // A document without versions is gone too.
      await db.query("DELETE FROM guideline_documents d WHERE NOT EXISTS (SELECT 1 FROM guideline_versions v WHERE v.document_id = d.id)");
      return removed;
    },
  };
}
