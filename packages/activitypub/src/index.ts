// The ActivityPub side of a node, for the server package to wire:
//   const federation = await createFederation(deps);          // builds Fedify, creates keys on first start
//   app.use(createFederationMiddleware(federation, { origin: deps.origin, contextData: deps }));  // before body parsers
//   void federation.startQueue(deps, { signal });             // abort the signal on shutdown
//   app.use(createRecordRoutes(federation, deps));              // record IRIs as JSON-LD; next() for web pages
//   const dispatcher = createDomainEventDispatcher(federation, deps, relay); // delivers the outbox's events; void dispatcher.run(signal)
//   const following = createFollowingService(federation, deps); // core's FollowingPort: followCity / unfollowCity / lists
//   void runCatchUp(federation, deps, { signal });              // keeps followed cities' records in step (backfill, catch-up)
export { createFederation, type CityFederation } from "./federation.ts";
export { createFederationMiddleware, MAX_INBOUND_BODY_BYTES, type FederationMiddlewareOptions } from "./middleware.ts";
export { createFollowingService } from "./following.ts";
export { createActorDirectory, type ActorDirectoryOptions, type NodeActorDirectory } from "./actor-directory.ts";
export {
  acceptAllFollowers,
  silentLogger,
  type CityProfile,
  type FederationContextData,
  type FederationDeps,
  type FederationLogger,
  type FollowDecision,
  type FollowPolicy,
  type InboundScope,
  type InboundTransaction,
} from "./federation.deps.ts";
export { MUNICIPALITY_ID_FIELD } from "./city.actor.ts";
// Fedify's storage interfaces (implemented on our database in @leitplanken/db).
export type { KvStore, MessageQueue } from "@fedify/fedify";
export { signRecord, verifyRecordProof, type JsonDocument } from "./record-proof.ts";
export { createRecordRoutes, publishedRecordDocument, wantsJsonLd } from "./record.routes.ts";
export { limitOutboundRequestTime, DEFAULT_OUTBOUND_TIMEOUT_MS } from "./outbound-http.ts";
export { mapQueues, privateKeysByReference, type FederationQueues } from "./queued-messages.ts";
export { defaultDeliveryRetry } from "./federation.ts";
export { circuitBreakerState } from "./circuit-breaker.ts";
export { createExponentialBackoffPolicy, type RetryPolicy } from "@fedify/fedify";
export type { DeliveryRetry } from "./federation.deps.ts";
export type { RecordRepositories } from "./record-kinds.ts";
export { guidelineMapper } from "./guideline.mapper.ts";
export { useCaseMapper } from "./use-case.mapper.ts";
export { modelMapper } from "./model.mapper.ts";
export {
  LEITPLANKEN_CONTEXT_PATH,
  recordContext,
  versionedContextPath,
  wireVersionOf,
  WIRE_VERSION,
  type RecordMapper,
  type WireVersion,
} from "./record-document.ts";
export { syncFrom, SyncRefusedError, type SyncResult } from "./backfill.ts";
export { runCatchUp, wakeCatchUp, DEFAULT_CATCH_UP_INTERVAL_MS, type CatchUpOptions } from "./catch-up.ts";
// Fedify's HTTP signature primitives, for callers that sign raw requests (tests, tools).
export { generateCryptoKeyPair, importJwk, signRequest } from "@fedify/fedify";
export { findReceivedRecordDocument } from "./record-receipt.ts";
// Catalogs (FEP-1b12 Group actors) and network trust: deps.catalogs = { store: createCatalogRepository(db), state: catalogFederationStateOnKv(kv) }.
export { createCatalogService, type CatalogServiceOptions } from "./catalog/catalog.service.ts";
export { createCatalogMembershipService, type CatalogMembershipService } from "./catalog/catalog-membership.service.ts";
export { createCatalogEntryReader } from "./catalog/catalog-entry.reader.ts";
export { catalogFederationStateOnKv, type CatalogFederationData, type CatalogFederationState } from "./catalog/catalog-federation.state.ts";
export { describeCatalogActionError } from "./catalog/catalog-moderation.ts";
// The transactional outbox's delivery: the application layer commits events, this hands them to Fedify.
export { createDomainEventDispatcher, type DomainEventDispatcher, type DomainEventDispatcherOptions } from "./domain-event.dispatcher.ts";
