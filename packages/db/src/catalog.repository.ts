import {
  type ActorRef,
  type CatalogMember,
  type CatalogModerationStore,
  type ModerationActionKind,
  type ModerationLogEntry,
  type ModerationTargetType,
  type MemberState,
  type TrustListEntry,
  type TrustListKind,
  type TrustMode,
  type TrustScope,
  catalogSchema,
  catalogEntrySchema,
  catalogMemberSchema,
  reportSchema,
} from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import { createFederationRepository } from "./federation.repository.ts";
import { Conditions, listPage, parseRow } from "./record-query.ts";
import { cachedRead, tablesChanged } from "./table-cache.ts";

const parseCatalog = parseRow("catalog", catalogSchema);
const parseEntry = parseRow("catalog entry", catalogEntrySchema);
const parseMember = parseRow("catalog member", catalogMemberSchema);
const parseReport = parseRow("report", reportSchema);

interface MemberRow {
  catalog_id: string;
  actor: string;
  state: MemberState;
  follow_activity_id: string | null;
  requested_at: Date;
  joined_at: Date | null;
  reason: string | null;
}

interface LogRow {
  position: number;
  catalog_id: string | null;
  kind: ModerationActionKind;
  actor_type: ActorRef["type"];
  actor_id: string;
  target_type: ModerationTargetType;
  target: string;
  reason: string | null;
  at: Date;
  is_revert: boolean;
  refused: boolean;
  refusal: string | null;
  confidential: boolean;
}

interface TrustListRow {
  list: TrustListKind;
  value: string;
  reason: string | null;
  created_at: Date;
}

const toMember = (row: MemberRow): CatalogMember =>
  parseMember({
    catalogId: row.catalog_id,
    actor: row.actor,
    state: row.state,
    followActivityId: row.follow_activity_id,
    requestedAt: row.requested_at.toISOString(),
    joinedAt: row.joined_at?.toISOString() ?? null,
    reason: row.reason,
  });

const toLogEntry = (row: LogRow): ModerationLogEntry => ({
  position: row.position,
  catalogId: row.catalog_id,
  kind: row.kind,
  actor: row.actor_type === "actor" ? { type: "actor", id: row.actor_id } : { type: "local", name: row.actor_id },
  targetType: row.target_type,
  target: row.target,
  reason: row.reason,
  at: row.at.toISOString(),
  isRevert: row.is_revert,
  refused: row.refused,
  refusal: row.refusal,
  confidential: row.confidential,
});

const toTrustListEntry = (row: TrustListRow): TrustListEntry => ({ list: row.list, value: row.value, reason: row.reason, createdAt: row.created_at });

const scopeCatalogId = (scope: TrustScope) => (scope.type === "node" ? null : scope.catalogId);
const isNodeDomainBlock = (scope: TrustScope, list: TrustListKind) => scope.type === "node" && list === "blocked-domain";

// Entries and reports page through listPage, which reads `seq` and `record`.
const entryPageSource = "(SELECT seq, catalog_id, state, entry AS record FROM catalog_entries) AS entries";
const reportPageSource = "(SELECT seq, catalog_id, state, target, report AS record FROM moderation_reports) AS reports";
// The log's position is its insertion order: `seq` to listPage, which pages along (catalog_id, position).
const logPageSource = "(SELECT position AS seq, catalog_id, confidential, target, to_jsonb(log) AS record FROM moderation_log AS log) AS log_page";
const parseLogRecord = (record: unknown) => {
  const row = record as Omit<LogRow, "at"> & { at: string };
  return toLogEntry({ ...row, at: new Date(row.at) });
};

/** `catalogId`: one catalog; null: node-wide rows; undefined: all. */
function catalogConditions(catalogId: string | null | undefined): Conditions {
  const conditions = new Conditions();
  if (catalogId === null) conditions.clauses.push("catalog_id IS NULL");
  return conditions.add("catalog_id = ?", catalogId ?? undefined);
}

/**
 * Catalogs, members, entries, reports, the moderation log and network trust on our database
 * (migration 0005). The node's blocked domains are read and written through the federation
 * repository's domain block list (migration 0003), so both packages see one list.
 */
export function createCatalogRepository(db: Queryable): CatalogModerationStore {
  const federation = createFederationRepository(db);

  // The trust mode and lists are read on every delivery and inbound activity: kept in memory until they change.
  async function getTrustMode(scope: TrustScope): Promise<TrustMode> {
    const catalogId = scopeCatalogId(scope);
    const rows = await cachedRead(db, ["network_trust_modes"], `network_trust_modes ${catalogId}`, async () => {
      const { rows } = await db.query<{ mode: TrustMode }>("SELECT mode FROM network_trust_modes WHERE catalog_id IS NOT DISTINCT FROM $1::text", [catalogId]);
      return rows;
    });
    return rows[0]?.mode ?? "open";
  }

  async function listTrustListEntries(scope: TrustScope): Promise<TrustListEntry[]> {
    const catalogId = scopeCatalogId(scope);
    const rows = await cachedRead(db, ["network_trust_lists"], `network_trust_lists ${catalogId}`, async () => {
      const { rows } = await db.query<TrustListRow>(
        "SELECT list, value, reason, created_at FROM network_trust_lists WHERE catalog_id IS NOT DISTINCT FROM $1::text ORDER BY list, value",
        [catalogId],
      );
      return rows;
    });
    const entries = rows.map(toTrustListEntry);
    if (scope.type === "catalog") return entries;
    const domainBlocks = (await federation.listBlockedDomains()).map((block): TrustListEntry => ({
      list: "blocked-domain",
      value: block.domain,
      reason: block.reason,
      createdAt: block.createdAt,
    }));
    return [...entries, ...domainBlocks].sort((a, b) => a.list.localeCompare(b.list) || a.value.localeCompare(b.value));
  }

  return {
    async saveCatalog(catalog) {
      await db.query(
        `INSERT INTO catalogs (id, handle, catalog, created_at, updated_at) VALUES ($1, $2, $3::jsonb, $4, $5)
         ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, catalog = excluded.catalog, updated_at = excluded.updated_at`,
        [catalog.id, catalog.handle, JSON.stringify(catalog), catalog.createdAt, catalog.updatedAt],
      );
    },
    async getCatalog(id) {
      const { rows } = await db.query<{ catalog: unknown }>("SELECT catalog FROM catalogs WHERE id = $1", [id]);
      return rows[0] ? parseCatalog(rows[0].catalog) : null;
    },
    async findCatalogByHandle(handle) {
      const { rows } = await db.query<{ catalog: unknown }>("SELECT catalog FROM catalogs WHERE handle = $1", [handle]);
      return rows[0] ? parseCatalog(rows[0].catalog) : null;
    },
    async listCatalogs() {
      const { rows } = await db.query<{ catalog: unknown }>("SELECT catalog FROM catalogs ORDER BY handle");
      return rows.map((row) => parseCatalog(row.catalog));
    },
    async removeCatalog(id) {
      const { rowCount } = await db.query("DELETE FROM catalogs WHERE id = $1", [id]);
      // Its trust mode and lists went with it.
      tablesChanged(db, ["network_trust_modes", "network_trust_lists"]);
      return rowCount > 0;
    },

    async saveMember(member) {
      await db.query(
        `INSERT INTO catalog_members (catalog_id, actor, state, follow_activity_id, requested_at, joined_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (catalog_id, actor) DO UPDATE SET state = excluded.state, follow_activity_id = excluded.follow_activity_id,
           requested_at = excluded.requested_at, joined_at = excluded.joined_at, reason = excluded.reason`,
        [member.catalogId, member.actor, member.state, member.followActivityId, member.requestedAt, member.joinedAt, member.reason],
      );
    },
    async replaceMember(member, read) {
      const { rowCount } = await db.query(
        `UPDATE catalog_members SET state = $3, follow_activity_id = $4, requested_at = $5, joined_at = $6, reason = $7
         WHERE catalog_id = $1 AND actor = $2 AND state = $8 AND follow_activity_id IS NOT DISTINCT FROM $9`,
        [
          member.catalogId,
          member.actor,
          member.state,
          member.followActivityId,
          member.requestedAt,
          member.joinedAt,
          member.reason,
          read.state,
          read.followActivityId,
        ],
      );
      return rowCount > 0;
    },
    async findMember(catalogId, actor) {
      const { rows } = await db.query<MemberRow>("SELECT * FROM catalog_members WHERE catalog_id = $1 AND actor = $2", [catalogId, actor]);
      return rows[0] ? toMember(rows[0]) : null;
    },
    async listMembers(catalogId, filter) {
      const { rows } = await db.query<MemberRow>(
        "SELECT * FROM catalog_members WHERE catalog_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY requested_at, actor",
        [catalogId, filter?.state ?? null],
      );
      return rows.map(toMember);
    },
    async forgetMember(catalogId, actor) {
      const { rowCount } = await db.query("DELETE FROM catalog_members WHERE catalog_id = $1 AND actor = $2", [catalogId, actor]);
      return rowCount > 0;
    },

    async saveEntry(entry) {
      await db.query(
        `INSERT INTO catalog_entries (id, catalog_id, record_id, record_kind, origin_actor, state, submitted_at, entry)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, entry = excluded.entry, lock_version = catalog_entries.lock_version + 1`,
        [entry.id, entry.catalogId, entry.record.id, entry.record.kind, entry.record.originActor, entry.status.state, entry.submittedAt, JSON.stringify(entry)],
      );
    },
    async getEntry(id) {
      const { rows } = await db.query<{ entry: unknown }>("SELECT entry FROM catalog_entries WHERE id = $1", [id]);
      return rows[0] ? parseEntry(rows[0].entry) : null;
    },
    async getEntryVersioned(id) {
      const { rows } = await db.query<{ entry: unknown; lock_version: number }>("SELECT entry, lock_version FROM catalog_entries WHERE id = $1", [id]);
      return rows[0] ? { entry: parseEntry(rows[0].entry), lockVersion: rows[0].lock_version } : null;
    },
    async replaceEntry(entry, lockVersion) {
      // One statement: the row changes only at the count that was read (two moderators at once: the second finds it raised).
      const { rows } = await db.query<{ lock_version: number }>(
        `UPDATE catalog_entries SET state = $2, entry = $3::jsonb, lock_version = lock_version + 1
         WHERE id = $1 AND lock_version = $4 RETURNING lock_version`,
        [entry.id, entry.status.state, JSON.stringify(entry), lockVersion],
      );
      if (rows[0]) return { ok: true, lockVersion: rows[0].lock_version };
      const current = await db.query<{ lock_version: number }>("SELECT lock_version FROM catalog_entries WHERE id = $1", [entry.id]);
      return { ok: false, currentLockVersion: current.rows[0]?.lock_version ?? null };
    },
    async findEntryByRecord(catalogId, recordId) {
      const { rows } = await db.query<{ entry: unknown }>(
        "SELECT entry FROM catalog_entries WHERE catalog_id = $1 AND record_id = $2 ORDER BY seq DESC LIMIT 1",
        [catalogId, recordId],
      );
      return rows[0] ? parseEntry(rows[0].entry) : null;
    },
    async listEntriesOfRecord(recordId) {
      const { rows } = await db.query<{ entry: unknown }>(
        "SELECT DISTINCT ON (catalog_id) entry FROM catalog_entries WHERE record_id = $1 ORDER BY catalog_id, seq DESC",
        [recordId],
      );
      return rows.map((row) => parseEntry(row.entry));
    },
    listEntries(catalogId, filter, page) {
      const conditions = new Conditions().add("catalog_id = ?", catalogId).add("state = ?", filter.state);
      return listPage(db, entryPageSource, conditions, page, parseEntry);
    },

    async saveReport(report) {
      await db.query(
        `INSERT INTO moderation_reports (id, catalog_id, target, state, reporter_address_hash, created_at, report)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, report = excluded.report`,
        [
          report.id,
          report.catalogId,
          report.target,
          report.status.state,
          report.reporter.type === "anonymous" ? report.reporter.addressHash : null,
          report.createdAt,
          JSON.stringify(report),
        ],
      );
    },
    async saveReportWithinLimit(report, limit) {
      const addressHash = report.reporter.type === "anonymous" ? report.reporter.addressHash : null;
      const since = new Date(Date.parse(report.createdAt) - limit.windowMs);
      const { rowCount } = await db.query(
        `INSERT INTO moderation_reports (id, catalog_id, target, state, reporter_address_hash, created_at, report)
         SELECT $1, $2, $3, $4, $5::text, $6, $7::jsonb
         WHERE $5::text IS NULL OR report_slot_free($5::text, $8::timestamptz, $9::integer)`,
        [report.id, report.catalogId, report.target, report.status.state, addressHash, report.createdAt, JSON.stringify(report), since, limit.maxReports],
      );
      return rowCount > 0;
    },
    async getReport(id) {
      const { rows } = await db.query<{ report: unknown }>("SELECT report FROM moderation_reports WHERE id = $1", [id]);
      return rows[0] ? parseReport(rows[0].report) : null;
    },
    listReports(filter, page) {
      const conditions = catalogConditions(filter.catalogId).add("state = ?", filter.state).add("target = ?", filter.target);
      return listPage(db, reportPageSource, conditions, page, parseReport);
    },
    async forgetReporterAddresses(before) {
      // The partial index on reporter_address_hash holds only the hashes not yet forgotten: a day's worth.
      const { rowCount } = await db.query(
        `UPDATE moderation_reports SET reporter_address_hash = NULL, report = report #- '{reporter,addressHash}'
         WHERE reporter_address_hash IS NOT NULL AND created_at < $1`,
        [before],
      );
      return rowCount;
    },
    async reportTimesFromAddress(addressHash, since) {
      const { rows } = await db.query<{ created_at: Date }>(
        "SELECT created_at FROM moderation_reports WHERE reporter_address_hash = $1 AND created_at > $2 ORDER BY created_at",
        [addressHash, since],
      );
      return rows.map((row) => row.created_at);
    },

    async appendModerationLog(entry) {
      const { rows } = await db.query<LogRow>(
        `INSERT INTO moderation_log (catalog_id, kind, actor_type, actor_id, target_type, target, reason, at, is_revert, refused, refusal, confidential)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
        [
          entry.catalogId,
          entry.kind,
          entry.actor.type,
          entry.actor.type === "actor" ? entry.actor.id : entry.actor.name,
          entry.targetType,
          entry.target,
          entry.reason,
          entry.at,
          entry.isRevert,
          entry.refused,
          entry.refusal,
          entry.confidential,
        ],
      );
      return toLogEntry(rows[0]!);
    },
    async listModerationLog(filter, { before, limit }) {
      const conditions = catalogConditions(filter.catalogId)
        .add("confidential = ?", filter.includeConfidential ? undefined : false)
        .add("target = ?", filter.target)
        .add("position < ?", before);
      conditions.params.push(Math.max(0, Math.min(limit, 100)));
      const { rows } = await db.query<LogRow>(
        `SELECT * FROM moderation_log ${conditions.where()} ORDER BY position DESC LIMIT $${conditions.params.length}`,
        conditions.params,
      );
      return rows.map(toLogEntry);
    },
    pageModerationLog(filter, page) {
      const conditions = catalogConditions(filter.catalogId)
        .add("confidential = ?", filter.includeConfidential ? undefined : false)
        .add("target = ?", filter.target);
      return listPage(db, logPageSource, conditions, page, parseLogRecord);
    },

    getTrustMode,
    async setTrustMode(scope, mode) {
      await db.query(
        `INSERT INTO network_trust_modes (catalog_id, mode) VALUES ($1, $2)
         ON CONFLICT ON CONSTRAINT network_trust_modes_scope DO UPDATE SET mode = excluded.mode, updated_at = now()`,
        [scopeCatalogId(scope), mode],
      );
      tablesChanged(db, ["network_trust_modes"]);
    },
    async addTrustListEntry(scope, list, value, reason) {
      if (isNodeDomainBlock(scope, list)) {
        const block = await federation.blockDomain(value, reason ?? null);
        return { list, value: block.domain, reason: block.reason, createdAt: block.createdAt };
      }
      const { rows } = await db.query<TrustListRow>(
        `INSERT INTO network_trust_lists (catalog_id, list, value, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT network_trust_lists_entry DO UPDATE SET reason = excluded.reason
         RETURNING list, value, reason, created_at`,
        [scopeCatalogId(scope), list, value, reason ?? null],
      );
      tablesChanged(db, ["network_trust_lists"]);
      return toTrustListEntry(rows[0]!);
    },
    async removeTrustListEntry(scope, list, value) {
      if (isNodeDomainBlock(scope, list)) return federation.unblockDomain(value);
      const { rowCount } = await db.query("DELETE FROM network_trust_lists WHERE catalog_id IS NOT DISTINCT FROM $1::text AND list = $2 AND value = $3", [
        scopeCatalogId(scope),
        list,
        value,
      ]);
      tablesChanged(db, ["network_trust_lists"]);
      return rowCount > 0;
    },
    listTrustListEntries,
    async trustSettings(scope) {
      const [mode, entries] = await Promise.all([getTrustMode(scope), listTrustListEntries(scope)]);
      const values = (list: TrustListKind) => entries.filter((entry) => entry.list === list).map((entry) => entry.value);
      return {
        mode,
        lists: {
          blockedDomains: values("blocked-domain"),
          blockedActors: values("blocked-actor"),
          allowedDomains: values("allowed-domain"),
          allowedActors: values("allowed-actor"),
        },
      };
    },
  };
}
