import type {
  ActorKeyAlgorithm,
  ActorKeyPairRecord,
  DeliveryFailureRecord,
  DomainBlockRecord,
  FederationStore,
  FollowRecord,
  FollowingSync,
  FederatedRecord,
  FederatedRecordKind,
  FollowState,
  NewFollow,
  OutboxActivityRecord,
  ReceivedDocumentRecord,
  ReceivedRecordVersion,
  TombstoneRecord,
} from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import { cachedRead, tablesChanged } from "./table-cache.ts";
import { createRecordPublicationStore } from "./publication.repository.ts";

interface KeyPairRow {
  algorithm: ActorKeyAlgorithm;
  public_key_jwk: JsonWebKey;
  private_key_jwk: JsonWebKey;
  created_at: Date;
}

interface FollowRow {
  actor_id: string;
  inbox_url: string;
  shared_inbox_url: string | null;
  follow_activity_id: string;
  state: FollowState;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryFailureRow {
  follower_actor_id: string;
  activity_id: string;
  inbox_url: string;
  status_code: number | null;
  error: string;
  failed_at: Date;
}

interface DomainBlockRow {
  domain: string;
  reason: string | null;
  created_at: Date;
}

interface OutboxRow {
  position: number;
  activity_id: string;
  type: OutboxActivityRecord["type"];
  object_id: string;
  published_at: Date;
}

interface RecordHistoryRow {
  record_id: string;
  kind: FederatedRecordKind;
  activity_id: string;
  record: FederatedRecord;
  replaced_at: Date;
}

interface TombstoneRow {
  record_id: string;
  kind: FederatedRecordKind;
  origin_actor: string;
  activity_id: string;
  deleted_at: Date;
}

interface ReceivedDocumentRow {
  record_id: string;
  kind: FederatedRecordKind;
  origin_actor: string;
  activity_id: string;
  document: Record<string, unknown>;
  received_at: Date;
}

const toReceivedDocument = (row: ReceivedDocumentRow): ReceivedDocumentRecord => ({
  recordId: row.record_id,
  kind: row.kind,
  originActor: row.origin_actor,
  document: row.document,
  activityId: row.activity_id,
  receivedAt: row.received_at,
});

const toOutboxActivity = (row: OutboxRow): OutboxActivityRecord => ({
  position: row.position,
  activityId: row.activity_id,
  type: row.type,
  objectId: row.object_id,
  publishedAt: row.published_at,
});

const toRecordVersion = (row: RecordHistoryRow): ReceivedRecordVersion => ({
  recordId: row.record_id,
  kind: row.kind,
  record: row.record,
  activityId: row.activity_id,
  replacedAt: row.replaced_at,
});

const toTombstone = (row: TombstoneRow): TombstoneRecord => ({
  recordId: row.record_id,
  kind: row.kind,
  originActor: row.origin_actor,
  activityId: row.activity_id,
  deletedAt: row.deleted_at,
});

const toKeyPair = (row: KeyPairRow): ActorKeyPairRecord => ({
  algorithm: row.algorithm,
  publicKeyJwk: row.public_key_jwk,
  privateKeyJwk: row.private_key_jwk,
  createdAt: row.created_at,
});

const toFollow = (row: FollowRow): FollowRecord => ({
  actorId: row.actor_id,
  inboxUrl: row.inbox_url,
  sharedInboxUrl: row.shared_inbox_url,
  followActivityId: row.follow_activity_id,
  state: row.state,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toDeliveryFailure = (row: DeliveryFailureRow): DeliveryFailureRecord => ({
  followerActorId: row.follower_actor_id,
  activityId: row.activity_id,
  inboxUrl: row.inbox_url,
  statusCode: row.status_code,
  error: row.error,
  failedAt: row.failed_at,
});

const toDomainBlock = (row: DomainBlockRow): DomainBlockRecord => ({
  domain: row.domain,
  reason: row.reason,
  createdAt: row.created_at,
});

interface SyncRow {
  actor_id: string;
  sync_cursor: string | null;
  synced_at: Date | null;
  sync_due_at: Date | null;
  sync_attempts: number;
  sync_error: string | null;
}

const syncColumns = "actor_id, sync_cursor, synced_at, sync_due_at, sync_attempts, sync_error";

const toSync = (row: SyncRow): FollowingSync => ({
  actorId: row.actor_id,
  cursor: row.sync_cursor,
  syncedAt: row.synced_at,
  dueAt: row.sync_due_at,
  attempts: row.sync_attempts,
  lastError: row.sync_error,
});

type FollowTable = "federation_followers" | "federation_following";

/** The federation ports on our database (migrations 0003, 0003b, 0003c, 0020; publications 0012); works inside and outside transactions. */
export function createFederationRepository(db: Queryable): FederationStore {
  const saveFollow = async (table: FollowTable, follow: NewFollow) => {
    const { rows } = await db.query<FollowRow>(
      `INSERT INTO ${table} (actor_id, inbox_url, shared_inbox_url, follow_activity_id, state)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (actor_id) DO UPDATE SET inbox_url = excluded.inbox_url, shared_inbox_url = excluded.shared_inbox_url,
         follow_activity_id = excluded.follow_activity_id, state = excluded.state, updated_at = now()
       RETURNING *`,
      [follow.actorId, follow.inboxUrl, follow.sharedInboxUrl, follow.followActivityId, follow.state],
    );
    return toFollow(rows[0]!);
  };
  const findFollow = async (table: FollowTable, actorId: string) => {
    const { rows } = await db.query<FollowRow>(`SELECT * FROM ${table} WHERE actor_id = $1`, [actorId]);
    return rows[0] ? toFollow(rows[0]) : null;
  };
  const listFollows = async (table: FollowTable, state: FollowState | undefined) => {
    const { rows } = await db.query<FollowRow>(`SELECT * FROM ${table} WHERE $1::text IS NULL OR state = $1 ORDER BY created_at, actor_id`, [state ?? null]);
    return rows.map(toFollow);
  };

  const publications = createRecordPublicationStore(db);
  return {
    getPublication: (recordId) => publications.getPublication(recordId),

    async listKeyPairs() {
      const { rows } = await db.query<KeyPairRow>("SELECT * FROM federation_key_pairs ORDER BY algorithm DESC");
      return rows.map(toKeyPair);
    },
    async saveKeyPairIfAbsent(pair) {
      await db.query(
        `INSERT INTO federation_key_pairs (algorithm, public_key_jwk, private_key_jwk)
         VALUES ($1, $2::jsonb, $3::jsonb) ON CONFLICT (algorithm) DO NOTHING`,
        [pair.algorithm, JSON.stringify(pair.publicKeyJwk), JSON.stringify(pair.privateKeyJwk)],
      );
      const { rows } = await db.query<KeyPairRow>("SELECT * FROM federation_key_pairs WHERE algorithm = $1", [pair.algorithm]);
      return toKeyPair(rows[0]!);
    },

    saveFollower: (follower) => saveFollow("federation_followers", follower),
    findFollower: (actorId) => findFollow("federation_followers", actorId),
    async removeFollower(actorId, followActivityId) {
      const { rowCount } = await db.query("DELETE FROM federation_followers WHERE actor_id = $1 AND ($2::text IS NULL OR follow_activity_id = $2)", [
        actorId,
        followActivityId ?? null,
      ]);
      return rowCount > 0;
    },
    listFollowers: (filter) => listFollows("federation_followers", filter?.state),

    saveFollowing: (following) => saveFollow("federation_following", following),
    findFollowing: (actorId) => findFollow("federation_following", actorId),
    async setFollowingState(actorId, followActivityId, state) {
      const { rowCount } = await db.query("UPDATE federation_following SET state = $3, updated_at = now() WHERE actor_id = $1 AND follow_activity_id = $2", [
        actorId,
        followActivityId,
        state,
      ]);
      return rowCount > 0;
    },
    async removeFollowing(actorId) {
      const { rowCount } = await db.query("DELETE FROM federation_following WHERE actor_id = $1", [actorId]);
      return rowCount > 0;
    },
    listFollowing: (filter) => listFollows("federation_following", filter?.state),

    async recordInboundActivity(activityId, actorId) {
      const { rowCount } = await db.query("INSERT INTO federation_inbound_activities (activity_id, actor_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
        activityId,
        actorId,
      ]);
      return rowCount > 0;
    },

    async requestSync(actorId, options) {
      await db.query(
        `UPDATE federation_following SET sync_due_at = now(), sync_cursor = CASE WHEN $2 THEN NULL ELSE sync_cursor END
         WHERE actor_id = $1 AND state = 'accepted'`,
        [actorId, options?.fromStart ?? false],
      );
    },
    async requestSyncOfAll(options) {
      await db.query(
        "UPDATE federation_following SET sync_due_at = now(), sync_cursor = CASE WHEN $1 THEN NULL ELSE sync_cursor END WHERE state = 'accepted'",
        [options?.fromStart ?? false],
      );
    },
    async claimDueSync(leaseMs) {
      const { rows } = await db.query<SyncRow>(
        `UPDATE federation_following SET sync_lease_until = now() + $1::double precision * interval '1 millisecond'
         WHERE actor_id = (
           SELECT actor_id FROM federation_following
           WHERE state = 'accepted' AND sync_due_at <= now() AND (sync_lease_until IS NULL OR sync_lease_until <= now())
           ORDER BY sync_due_at, actor_id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING ${syncColumns}`,
        [leaseMs],
      );
      return rows[0] ? toSync(rows[0]) : null;
    },
    async completeSync(actorId, { cursor, nextDueAt }) {
      await db.query(
        `UPDATE federation_following SET sync_cursor = $2, synced_at = now(), sync_due_at = $3, sync_attempts = 0, sync_error = NULL, sync_lease_until = NULL
         WHERE actor_id = $1`,
        [actorId, cursor, nextDueAt],
      );
    },
    async failSync(actorId, { error, nextDueAt }) {
      await db.query(
        `UPDATE federation_following SET sync_due_at = $3, sync_attempts = sync_attempts + 1, sync_error = $2, sync_lease_until = NULL
         WHERE actor_id = $1`,
        [actorId, error, nextDueAt],
      );
    },
    async findSync(actorId) {
      const { rows } = await db.query<SyncRow>(`SELECT ${syncColumns} FROM federation_following WHERE actor_id = $1`, [actorId]);
      return rows[0] ? toSync(rows[0]) : null;
    },
    async listSyncs() {
      const { rows } = await db.query<SyncRow>(`SELECT ${syncColumns} FROM federation_following ORDER BY actor_id`);
      return rows.map(toSync);
    },

    async hasInboundActivity(activityId) {
      const { rows } = await db.query("SELECT 1 FROM federation_inbound_activities WHERE activity_id = $1", [activityId]);
      return rows.length > 0;
    },

    async recordDeliveryFailure(failure) {
      await db.query(
        `INSERT INTO federation_delivery_failures (follower_actor_id, activity_id, inbox_url, status_code, error)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (follower_actor_id, activity_id) DO UPDATE SET inbox_url = excluded.inbox_url,
           status_code = excluded.status_code, error = excluded.error, failed_at = now()`,
        [failure.followerActorId, failure.activityId, failure.inboxUrl, failure.statusCode, failure.error],
      );
    },
    async listDeliveryFailures(followerActorId) {
      const { rows } = await db.query<DeliveryFailureRow>(
        `SELECT * FROM federation_delivery_failures WHERE $1::text IS NULL OR follower_actor_id = $1
         ORDER BY failed_at DESC, activity_id`,
        [followerActorId ?? null],
      );
      return rows.map(toDeliveryFailure);
    },

    async blockDomain(domain, reason) {
      const { rows } = await db.query<DomainBlockRow>(
        `INSERT INTO federation_domain_blocks (domain, reason) VALUES ($1, $2)
         ON CONFLICT (domain) DO UPDATE SET reason = excluded.reason RETURNING *`,
        [domain.toLowerCase(), reason ?? null],
      );
      tablesChanged(db, ["federation_domain_blocks"]);
      return toDomainBlock(rows[0]!);
    },
    async unblockDomain(domain) {
      const { rowCount } = await db.query("DELETE FROM federation_domain_blocks WHERE domain = $1", [domain.toLowerCase()]);
      tablesChanged(db, ["federation_domain_blocks"]);
      return rowCount > 0;
    },
    async listBlockedDomains() {
      // Read on every delivery and inbound activity: kept in memory until the list changes.
      const rows = await cachedRead(db, ["federation_domain_blocks"], "federation_domain_blocks", async () => {
        const { rows } = await db.query<DomainBlockRow>("SELECT * FROM federation_domain_blocks ORDER BY domain");
        return rows;
      });
      return rows.map(toDomainBlock);
    },

    async appendOutboxActivity(activity) {
      const { rows } = await db.query<OutboxRow>(
        `INSERT INTO federation_outbox (activity_id, type, object_id, published_at) VALUES ($1, $2, $3, coalesce($4, now()))
         ON CONFLICT (activity_id) DO NOTHING RETURNING *`,
        [activity.activityId, activity.type, activity.objectId, activity.publishedAt ?? null],
      );
      if (rows[0]) return toOutboxActivity(rows[0]);
      const existing = await db.query<OutboxRow>("SELECT * FROM federation_outbox WHERE activity_id = $1", [activity.activityId]);
      return toOutboxActivity(existing.rows[0]!);
    },
    async listOutboxActivities({ before, limit }) {
      const { rows } = await db.query<OutboxRow>("SELECT * FROM federation_outbox WHERE $1::bigint IS NULL OR position < $1 ORDER BY position DESC LIMIT $2", [
        before ?? null,
        limit,
      ]);
      return rows.map(toOutboxActivity);
    },
    async countOutboxActivities() {
      const { rows } = await db.query<{ total: number }>("SELECT count(*) AS total FROM federation_outbox");
      return rows[0]?.total ?? 0;
    },
    async findLatestOutboxActivity(objectId) {
      const { rows } = await db.query<OutboxRow>("SELECT * FROM federation_outbox WHERE object_id = $1 ORDER BY position DESC LIMIT 1", [objectId]);
      return rows[0] ? toOutboxActivity(rows[0]) : null;
    },

    async archiveRecordVersion(version) {
      await db.query("INSERT INTO federation_record_history (record_id, kind, activity_id, record) VALUES ($1, $2, $3, $4::jsonb)", [
        version.recordId,
        version.kind,
        version.activityId,
        JSON.stringify(version.record),
      ]);
    },
    async listRecordVersions(recordId) {
      const { rows } = await db.query<RecordHistoryRow>("SELECT * FROM federation_record_history WHERE record_id = $1 ORDER BY seq", [recordId]);
      return rows.map(toRecordVersion);
    },
    async saveTombstone(tombstone) {
      await db.query(
        `INSERT INTO federation_tombstones (record_id, kind, origin_actor, activity_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (record_id) DO NOTHING`,
        [tombstone.recordId, tombstone.kind, tombstone.originActor, tombstone.activityId],
      );
    },
    async findTombstone(recordId) {
      const { rows } = await db.query<TombstoneRow>("SELECT * FROM federation_tombstones WHERE record_id = $1", [recordId]);
      return rows[0] ? toTombstone(rows[0]) : null;
    },

    async lockReceivedRecord(recordId) {
      // A transaction-scoped advisory lock on the record's IRI (released at commit or rollback).
      await db.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 20))", [recordId]);
    },
    async saveReceivedDocument(received) {
      await db.query(
        `INSERT INTO federation_received_documents (record_id, kind, origin_actor, activity_id, document) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (record_id) DO UPDATE SET kind = excluded.kind, origin_actor = excluded.origin_actor,
           activity_id = excluded.activity_id, document = excluded.document, received_at = now()`,
        [received.recordId, received.kind, received.originActor, received.activityId, JSON.stringify(received.document)],
      );
    },
    async findReceivedDocument(recordId) {
      const { rows } = await db.query<ReceivedDocumentRow>("SELECT * FROM federation_received_documents WHERE record_id = $1", [recordId]);
      return rows[0] ? toReceivedDocument(rows[0]) : null;
    },
    async removeReceivedDocument(recordId) {
      const { rowCount } = await db.query("DELETE FROM federation_received_documents WHERE record_id = $1", [recordId]);
      return rowCount > 0;
    },
  };
}
