import type { CircuitBreakerOptions, KvStore, RetryPolicy } from "@fedify/fedify";
import type { AdoptionRepository, DomainEventOutbox, FederationStore } from "@leitplanken/core";
import type { CatalogFederationData } from "./catalog/catalog-federation.state.ts";
import type { FederationQueues } from "./queued-messages.ts";
import type { RecordRepositories } from "./record-kinds.ts";

/** The municipality this node speaks for; its Organization actor is built from it. */
export interface CityProfile {
  /** The actor's user name, e.g. "dortmund" (WebFinger `acct:dortmund@host`). */
  handle: string;
  /** Display name, e.g. "Stadt Dortmund". */
  name: string;
  /** A stable organisation id, e.g. the German Amtlicher Gemeindeschlüssel "05913000". */
  municipalityId: string;
  /** The city's website. */
  website: string;
  /** A short plain-text description for the profile. */
  summary?: string | undefined;
}

export type FollowDecision = "accept" | "reject" | "pending";

/**
 * Decides on an inbound Follow. The default accepts everyone; an allowlist mode plugs in
 * here (a "pending" follower waits for an editor).
 */
export type FollowPolicy = (followerActorId: URL) => FollowDecision | Promise<FollowDecision>;

/** Structured logging in pino's call shape (`logger.warn({ fields }, "message")`). */
export interface FederationLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * The storage an inbound handler writes, bound to one database transaction: the same ports as in
 * `FederationContextData`, and the outbox for what the writes must send (a catalog's decisions),
 * nothing else (no Fedify KV, no queue, no network).
 */
export type InboundScope = Pick<FederationContextData, "store" | "records" | "adoptions" | "catalogs"> & { outbox: DomainEventOutbox };

/**
 * Runs `work` in one database transaction over the node's stores: its writes commit together
 * or not at all. Inside, only the scope's stores may be used: no other database access (PGlite
 * has one connection: it would wait for the transaction forever), no network, no sending.
 */
export type InboundTransaction = <T>(work: (scope: InboundScope) => Promise<T>) => Promise<T>;

/** What Fedify hands to every dispatcher and inbox handler (`ctx.data`). */
export interface FederationContextData {
  city: CityProfile;
  store: FederationStore;
  /** Our records and the received copies of other cities' records. */
  records: RecordRepositories;
  /** Domains blocked by configuration, in addition to those in the store; subdomains included. */
  blockedDomains: readonly string[];
  followPolicy: FollowPolicy;
  logger: FederationLogger;
  /**
   * Adoption records: the ones our city publishes when it publishes an adopted use case, and the
   * verified ones other cities send. Without it the node neither publishes nor keeps adoptions.
   */
  adoptions?: AdoptionRepository | undefined;
  /** Catalogs hosted here, network trust (open/allowlist) and this city's catalog memberships; without it the node hosts no catalogs and trust is the block list alone. */
  catalogs?: CatalogFederationData | undefined;
  /**
   * One transaction over the stores above (the same database): an inbound activity's id is
   * recorded together with the handler's writes, so that a handler that fails half-way is retried
   * whole instead of being taken for a replay.
   */
  transaction: InboundTransaction;
  /** Fedify's key–value store (database-backed in production): caches, and its circuit breaker's state per server. */
  kv: KvStore;
  /**
   * Makes queued deliveries to a server due now (db's `createDeliveryExpediter`): used when a
   * server that failed answers again. Without it such a server waits for Fedify's next retry.
   */
  deliveries?: { expediteTo(host: string): Promise<number> } | undefined;
  /**
   * Lets the node fetch from and deliver to loopback/private addresses (actor documents, inboxes,
   * shared inboxes): local demo networks and tests only.
   */
  allowPrivateAddress?: boolean | undefined;
  /** Told of every inbound activity a check refused, with the reason (the node's metrics count them). */
  onRefused?: ((reason: string) => void) | undefined;
}

/** Everything createFederation needs; the caller (server) builds it from configuration. */
export interface FederationDeps extends FederationContextData {
  /** The node's public base URL, e.g. "https://ki.dortmund.de"; actor and object IRIs are built on it. */
  origin: string;
  /**
   * Fedify's durable queue: one for everything, or (production) one per lane, `{ inbox, outbox, fanout }`,
   * so that a fan-out never holds back inbound activities (db's `queueLanes`).
   */
  queue: FederationQueues;
  /** Reported in NodeInfo. */
  softwareVersion: string;
  /** Activities per outbox page (default 50). */
  outboxPageSize?: number | undefined;
  /** When failed deliveries are retried; the default retries for more than 24 hours (see `defaultDeliveryRetry`). */
  deliveryRetry?: DeliveryRetry | undefined;
}

export interface DeliveryRetry {
  /** Outgoing activities, per recipient inbox. */
  outbox: RetryPolicy;
  /** Processing an inbound activity whose handler failed (e.g. the origin could not be reached). */
  inbox: RetryPolicy;
  /** Fedify's per-host circuit breaker, which holds activities for a host that keeps failing; false turns it off. */
  circuitBreaker: CircuitBreakerOptions | false;
}

export const acceptAllFollowers: FollowPolicy = () => "accept";

export const silentLogger: FederationLogger = { info() {}, warn() {}, error() {} };
