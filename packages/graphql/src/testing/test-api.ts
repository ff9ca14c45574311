import type { AddressInfo } from "node:net";
import express from "express";
import { createApplication } from "@leitplanken/app";
import { defaultNodeSettings, effectiveNodeSettings, type DomainEvent, type Principal } from "@leitplanken/core";
// Tests and the benchmark compose the API with the real repositories, as the server package does.
import {
  createAccessTokenStore,
  createAdoptionRepository,
  createDomainEventRelayStore,
  createGuidelineRepository,
  createNetworkRepository,
  createNodeSettingsRepository,
  createSharedModelRepository,
  createUnitOfWork,
  createUseCaseRepository,
  readGuidelineAndUseCase,
  readUseCaseDetail,
  type Queryable,
} from "@leitplanken/db";
import { type StorageBackend, testDatabase, type TestDatabase } from "@leitplanken/db/testing";
import type { CatalogAccess, FederationAccess, NodeIdentity, RecordRepositories } from "../context.ts";
import { createGraphQLApi, type GraphQLExecutor, type GraphQLRouterDeps } from "../router.ts";

export const testActor = "https://ki.dortmund.example/actor";
export const testIdentity: NodeIdentity = { actor: testActor, origin: "https://ki.dortmund.example" };

/** The test node's settings as its configuration gives them. */
export const testNodeSettings = defaultNodeSettings({ cityName: "Stadt Dortmund", municipalityId: "05913000", website: "https://www.dortmund.example/" });

/** Staff accounts of the test node: bearer token → principal (test input for `authenticate`). */
export const testTokens: Record<string, Principal> = {
  "token-admin": { name: "Ada Admin", role: "admin" },
  "token-editor": { name: "Erika Beispiel", role: "editor" },
  "token-vetter": { name: "Max Mustermann", role: "vetter" },
  "token-moderator": { name: "Mia Moderatorin", role: "moderator" },
};

/** The real repositories on a connection or a transaction. */
function recordRepositoriesOn(db: Queryable): RecordRepositories {
  return {
    guidelines: createGuidelineRepository(db),
    useCases: createUseCaseRepository(db),
    sharedModels: createSharedModelRepository(db),
    combined: {
      useCaseDetail: (id) => readUseCaseDetail(db, id),
      guidelineAndUseCase: (guidelineId, useCaseId) => readGuidelineAndUseCase(db, guidelineId, useCaseId),
    },
  };
}

export interface TestApi {
  url: string;
  db: TestDatabase;
  records: RecordRepositories;
  /** Stores many records in one transaction (e.g. the benchmark's 10,000 use cases). */
  inTransaction<T>(fn: (records: RecordRepositories) => Promise<T>): Promise<T>;
  /** POSTs a GraphQL operation, with `token` as bearer token when given. */
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  /** The in-process executor of the same API (as the web pages use it). */
  execute: GraphQLExecutor;
  /** The events the API's writes committed to the outbox (for federation), oldest first. */
  outboxEvents(): Promise<DomainEvent[]>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A fresh, migrated database (PGlite by default, or PostgreSQL in its own schema) and the API on 127.0.0.1. */
export async function startTestApi(
  options: {
    backend?: StorageBackend;
    deps?: Partial<GraphQLRouterDeps>;
    /** Lets a test observe the real repositories (e.g. count batch reads). */
    observeRecords?: (records: RecordRepositories) => RecordRepositories;
    /** Lets the benchmark see every SQL statement the API's repositories send. */
    observeDatabase?: (db: Queryable) => Queryable;
    /** Federation on the test's database (federation has its own tests; the API is composed with it). */
    federation?: (db: TestDatabase) => FederationAccess;
    /** Catalogs on the test's database. */
    catalogs?: (db: TestDatabase) => CatalogAccess;
    /** The real API token store on the test's database; its tokens authenticate besides `testTokens`. */
    accessTokens?: boolean;
  } = {},
): Promise<TestApi> {
  const db = await testDatabase({ backend: options.backend ?? "pglite" });
  const observed = options.observeDatabase ? options.observeDatabase(db) : db;
  const records = recordRepositoriesOn(observed);
  const app = express();
  const accessTokens = options.accessTokens ? createAccessTokenStore(db) : undefined;
  const settingsStore = createNodeSettingsRepository(observed);
  const api = await createGraphQLApi({
    records: options.observeRecords ? options.observeRecords(records) : records,
    // The writes of this node, under the identity it is given (a peer city in a test has its own).
    app: createApplication({
      unitOfWork: createUnitOfWork(db),
      identity: options.deps?.identity ?? testIdentity,
      settings: async () => effectiveNodeSettings(testNodeSettings, await settingsStore.load()).settings,
      ...(options.deps?.now ? { now: options.deps.now } : {}),
    }),
    identity: testIdentity,
    authenticate: async (token) => testTokens[token] ?? (await accessTokens?.authenticate(token)) ?? null,
    ...(accessTokens ? { accessTokens } : {}),
    rateLimit: false,
    network: { adoptions: createAdoptionRepository(observed), view: createNetworkRepository(observed) },
    settings: { store: settingsStore, defaults: testNodeSettings },
    ...(options.federation ? { federation: options.federation(db) } : {}),
    ...(options.catalogs ? { catalogs: options.catalogs(db) } : {}),
    ...options.deps,
  });
  app.use(api.router);
  const server = app.listen(0, "127.0.0.1");
  // The tests write through PGlite in this process, which blocks the event loop (16 s for 1,001 use
  // cases at load 20). Node's 5 s keep-alive timer and fetch's 4 s one then expire together, and
  // fetch could reuse the socket the server was just closing (ECONNRESET). Longer than any such
  // write, the server never closes first; fetch drops its idle socket itself.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    db,
    records,
    execute: api.execute,
    outboxEvents: async () => (await createDomainEventRelayStore(db).pendingEvents(10_000)).map((entry) => entry.event),
    inTransaction: (fn) => db.transaction((tx) => fn(recordRepositoriesOn(tx))),
    async graphql(query, variables, token) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await db.close();
    },
  };
}
