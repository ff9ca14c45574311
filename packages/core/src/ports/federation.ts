import type { Guideline } from "../guideline.entity.ts";
import type { SharedModel } from "../shared-model.entity.ts";
import type { UseCase } from "../use-case.entity.ts";
import type { RecordPublicationReader } from "./publications.ts";
import type { RecordEvent } from "./record-events.ts";

/**
 * The storage that ActivityPub federation needs; implemented in @leitplanken/db.
 * Received copies of peer records are not here: they live in the record tables with a
 * "received" provenance (see provenance.ts and ports/records.ts).
 */

/** The two key pairs of the city actor: RSA for HTTP signatures (Mastodon), Ed25519 for FEP-8b32 proofs. */
export type ActorKeyAlgorithm = "RSASSA-PKCS1-v1_5" | "Ed25519";

export interface ActorKeyPairRecord {
  algorithm: ActorKeyAlgorithm;
  publicKeyJwk: JsonWebKey;
  /** Secret: read only to sign; never logged or returned through any API. */
  privateKeyJwk: JsonWebKey;
  createdAt: Date;
}

export interface ActorKeyPairStore {
  listKeyPairs(): Promise<ActorKeyPairRecord[]>;
  /**
   * Stores the pair unless one of its algorithm exists, and returns the stored pair, so
   * two processes starting at once end up with the same keys.
   */
  saveKeyPairIfAbsent(pair: Omit<ActorKeyPairRecord, "createdAt">): Promise<ActorKeyPairRecord>;
}

export type FollowState = "pending" | "accepted" | "rejected";

/** A follow relation with a remote actor, seen from our city (it follows us, or we follow it). */
export interface FollowRecord {
  /** The remote actor's IRI. */
  actorId: string;
  inboxUrl: string;
  sharedInboxUrl: string | null;
  /** The id of the Follow activity; an Accept/Reject/Undo must name this one. */
  followActivityId: string;
  state: FollowState;
  createdAt: Date;
  updatedAt: Date;
}

export type NewFollow = Omit<FollowRecord, "createdAt" | "updatedAt">;

export interface FollowStore {
  /** Insert or replace the follower with this actor id (a repeated Follow replaces the old one). */
  saveFollower(follower: NewFollow): Promise<FollowRecord>;
  findFollower(actorId: string): Promise<FollowRecord | null>;
  /** Removes the follower only when `followActivityId` (if given) is the one stored; false when nothing was removed. */
  removeFollower(actorId: string, followActivityId?: string): Promise<boolean>;
  listFollowers(filter?: { state?: FollowState }): Promise<FollowRecord[]>;

  /** Insert or replace the actor we follow. */
  saveFollowing(following: NewFollow): Promise<FollowRecord>;
  findFollowing(actorId: string): Promise<FollowRecord | null>;
  /** Changes the state only when `followActivityId` is the stored one; false otherwise. */
  setFollowingState(actorId: string, followActivityId: string, state: FollowState): Promise<boolean>;
  removeFollowing(actorId: string): Promise<boolean>;
  listFollowing(filter?: { state?: FollowState }): Promise<FollowRecord[]>;
}

/**
 * Where this node stands with a followed city's outbox. Catching up reads the outbox again from
 * the last activity applied from it (`cursor`; null reads all of it: the backfill).
 */
export interface FollowingSync {
  actorId: string;
  /** The id of the newest outbox activity the last complete sync walked; null: never synced. */
  cursor: string | null;
  /** When a sync last completed. */
  syncedAt: Date | null;
  /** When the next sync is due; null: none planned (the Follow is not accepted). */
  dueAt: Date | null;
  /** Failed syncs in a row (reset by a complete one). */
  attempts: number;
  /** Why the last sync failed, when it did. */
  lastError: string | null;
}

/** A followed city's catch-up that has not completed for this long makes this node possibly behind it (three periods of 5 minutes). */
export const CATCH_UP_BEHIND_AFTER_MS = 15 * 60 * 1000;

/** This node may be behind the followed city: its last read of the outbox failed, or none completed lately. */
export function catchUpBehind(sync: FollowingSync, now: Date = new Date()): boolean {
  if (sync.attempts > 0) return true;
  if (sync.dueAt === null) return false;
  return sync.syncedAt === null || now.getTime() - sync.syncedAt.getTime() > CATCH_UP_BEHIND_AFTER_MS;
}

export interface FollowingSyncStore {
  /** Makes a sync of an accepted followed city due now; `fromStart` forgets the cursor (a new Follow was accepted: backfill all). */
  requestSync(actorId: string, options?: { fromStart?: boolean }): Promise<void>;
  /**
   * Makes a sync of every accepted followed city due now (the node just started: it may have been
   * down); `fromStart` forgets the cursors (the node was upgraded: what it could not read before is read again).
   */
  requestSyncOfAll(options?: { fromStart?: boolean }): Promise<void>;
  /** Takes the sync that is due longest for `leaseMs` (no other process takes it meanwhile); null when none is due. */
  claimDueSync(leaseMs: number): Promise<FollowingSync | null>;
  /** A sync completed: the cursor moves on, the next one is due at `nextDueAt`. */
  completeSync(actorId: string, result: { cursor: string | null; nextDueAt: Date }): Promise<void>;
  /** A sync failed: counted, with its reason, and retried at `nextDueAt`. */
  failSync(actorId: string, failure: { error: string; nextDueAt: Date }): Promise<void>;
  findSync(actorId: string): Promise<FollowingSync | null>;
  listSyncs(): Promise<FollowingSync[]>;
}

export interface InboxDedupStore {
  /** Records an inbound activity id; false when it was seen before (a replay or a retry). */
  recordInboundActivity(activityId: string, actorId: string): Promise<boolean>;
  /** Whether the activity id was recorded (applied before): a handler skips the fetching, the recording decides. */
  hasInboundActivity(activityId: string): Promise<boolean>;
}

/** Why a delivery to a follower failed for good (the durable queue retries the others). */
export interface DeliveryFailureRecord {
  followerActorId: string;
  activityId: string;
  inboxUrl: string;
  statusCode: number | null;
  error: string;
  failedAt: Date;
}

export interface DeliveryStore {
  recordDeliveryFailure(failure: Omit<DeliveryFailureRecord, "failedAt">): Promise<void>;
  listDeliveryFailures(followerActorId?: string): Promise<DeliveryFailureRecord[]>;
}

export interface DomainBlockRecord {
  /** A lower-case host name; it also blocks its subdomains. */
  domain: string;
  reason: string | null;
  createdAt: Date;
}

export interface DomainBlockStore {
  blockDomain(domain: string, reason?: string | null): Promise<DomainBlockRecord>;
  unblockDomain(domain: string): Promise<boolean>;
  listBlockedDomains(): Promise<DomainBlockRecord[]>;
}

/** An activity our city published about one of its own records: an entry of the outbox. */
export interface OutboxActivityRecord {
  /** Position in the outbox; a newer activity has a higher one. */
  position: number;
  activityId: string;
  type: "Create" | "Update" | "Delete";
  /** The record's IRI. */
  objectId: string;
  publishedAt: Date;
}

export interface OutboxStore {
  /**
   * Appends an activity (published now unless `publishedAt` is given). An activity id that is
   * there already is not appended again: the stored entry is returned (a repeated delivery).
   */
  appendOutboxActivity(activity: Pick<OutboxActivityRecord, "activityId" | "type" | "objectId"> & { publishedAt?: Date }): Promise<OutboxActivityRecord>;
  /** Newest first; `before` is the position of the last entry of the previous page. */
  listOutboxActivities(page: { before?: number | undefined; limit: number }): Promise<OutboxActivityRecord[]>;
  countOutboxActivities(): Promise<number>;
  /** The newest outbox activity about a record (a Delete means it is withdrawn), or null. */
  findLatestOutboxActivity(objectId: string): Promise<OutboxActivityRecord | null>;
}

export type FederatedRecordKind = RecordEvent["kind"];
export type FederatedRecord = Guideline | UseCase | SharedModel;

/** The earlier state of a received copy, kept when an Update or a Delete from its origin replaced it. */
export interface ReceivedRecordVersion {
  recordId: string;
  kind: FederatedRecordKind;
  record: FederatedRecord;
  /** The activity that replaced this state. */
  activityId: string;
  replacedAt: Date;
}

/** A received record its origin withdrew (Delete); it keeps the record from coming back. */
export interface TombstoneRecord {
  recordId: string;
  kind: FederatedRecordKind;
  originActor: string;
  activityId: string;
  deletedAt: Date;
}

export interface ReceivedRecordHistoryStore {
  archiveRecordVersion(version: Omit<ReceivedRecordVersion, "replacedAt">): Promise<void>;
  /** Oldest first. */
  listRecordVersions(recordId: string): Promise<ReceivedRecordVersion[]>;
  saveTombstone(tombstone: Omit<TombstoneRecord, "deletedAt">): Promise<void>;
  findTombstone(recordId: string): Promise<TombstoneRecord | null>;
}

/**
 * A received record's document exactly as its origin served it, FEP-8b32 proof included: what
 * a catalog passes on (Announce) unchanged, and what anyone can verify again.
 */
export interface ReceivedDocumentRecord {
  recordId: string;
  kind: FederatedRecordKind;
  originActor: string;
  document: Record<string, unknown>;
  /** The activity (or outbox entry, for a backfill) that brought this state. */
  activityId: string;
  receivedAt: Date;
}

export interface ReceivedDocumentStore {
  /**
   * Inside a transaction: holds off other writers of this received record until the transaction
   * ends, so that two deliveries about one record (or a delivery and a catch-up) apply one after the other.
   */
  lockReceivedRecord(recordId: string): Promise<void>;
  /** Keeps the document of the copy's current state, replacing the one before. */
  saveReceivedDocument(document: Omit<ReceivedDocumentRecord, "receivedAt">): Promise<void>;
  findReceivedDocument(recordId: string): Promise<ReceivedDocumentRecord | null>;
  /** When the origin withdrew the record; false when none was kept. */
  removeReceivedDocument(recordId: string): Promise<boolean>;
}

export interface FederationStore
  extends
    ActorKeyPairStore,
    FollowStore,
    FollowingSyncStore,
    InboxDedupStore,
    DeliveryStore,
    DomainBlockStore,
    OutboxStore,
    ReceivedRecordHistoryStore,
    ReceivedDocumentStore,
    RecordPublicationReader {}
