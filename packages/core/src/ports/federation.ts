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

export interface InboxDedupStore {
  /** Records an inbound activity id; false when it was seen before (a replay or a retry). */
  recordInboundActivity(activityId: string, actorId: string): Promise<boolean>;
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

export interface FederationStore extends ActorKeyPairStore, FollowStore, InboxDedupStore, DeliveryStore, DomainBlockStore {}
