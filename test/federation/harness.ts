// Starts real nodes on 127.0.0.1: each an express app with its own migrated PGlite database,
// Fedify on the database-backed key-value store and queue, and the federation mounted as the
// server package mounts it (the federation middleware, then the record routes).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createApplication, type Application } from "@leitplanken/app";
import {
  acceptAllFollowers,
  circuitBreakerState,
  createDomainEventDispatcher,
  createExponentialBackoffPolicy,
  createFederation,
  createFederationMiddleware,
  createFollowingService,
  createRecordRoutes,
  catalogFederationStateOnKv,
  importJwk,
  runCatchUp,
  signRequest,
  type CatchUpOptions,
  type CityFederation,
  type DeliveryRetry,
  type FederationDeps,
  type FederationLogger,
  type RecordRepositories,
} from "@leitplanken/activitypub";
import {
  sharedModelContentOf,
  useCaseContentOf,
  type AdoptionRepository,
  type FollowingPort,
  type NodeSettings,
  type Principal,
  type SharedModel,
  type SharedModelContent,
  type UseCase,
  type UseCaseContent,
} from "@leitplanken/core";
import {
  CachedKvStore,
  PostgresKvStore,
  queueLanes,
  createAdoptionRepository,
  createDeliveryExpediter,
  createDomainEventOutbox,
  createDomainEventRelayStore,
  createCatalogRepository,
  createFederationRepository,
  createGuidelineRepository,
  createSharedModelRepository,
  createUnitOfWork,
  createUseCaseRepository,
  testDatabase,
  type Database,
  type Queryable,
} from "@leitplanken/db";

/** The editor the tests act as in the application layer (publishing, revising, retiring). */
export const editor: Principal = { name: "Erika Beispiel", role: "editor" };

/** The vetter the tests act as (a named human, as vetting requires). */
export const vetter: Principal = { name: "Max Mustermann", role: "vetter" };

/**
 * Revises a use case of the node and publishes the revision, as staff would: revise → submit →
 * vet (against the guideline it was vetted against before, else the city's published one) → publish.
 * Followers receive an Update; returns the republished use case.
 */
export async function republishUseCase(node: TestNode, id: string, change: (content: UseCaseContent) => UseCaseContent): Promise<UseCase> {
  const current = await node.records.useCases.get(id);
  // Vetted against the guideline it was vetted against before, else the city's published one.
  const guidelineVersionId =
    current?.conformance?.guidelineVersion ?? (await node.records.guidelines.list({ source: "local", state: "published" }, { first: 1 })).items[0]?.id;
  if (!current || !guidelineVersionId) throw new Error(`${id} is not a use case of ${node.handle} with a guideline to vet it against`);
  const steps = [
    () => node.app.useCases.revise({ id, content: change(useCaseContentOf(current)) }, editor),
    () => node.app.useCases.submit({ id }, editor),
    () => node.app.useCases.vet({ id, guidelineVersionId }, vetter),
    () => node.app.useCases.publish({ id }, editor),
  ];
  let result: Awaited<ReturnType<(typeof steps)[number]>> | undefined;
  for (const step of steps) {
    result = await step();
    if (!result.ok) throw new Error(`republishing ${id} failed: ${JSON.stringify(result.error)}`);
  }
  return (result as { useCase: UseCase }).useCase;
}

/** A model's content as an editor writes it (for `app.models.update`). */
export const modelContent = (model: SharedModel): SharedModelContent => sharedModelContentOf(model);

export interface LogEntry {
  level: "info" | "warn" | "error";
  message: string;
  fields: Record<string, unknown>;
}

export interface TestNode {
  handle: string;
  origin: string;
  actorUrl: string;
  db: Database;
  deps: FederationDeps;
  records: RecordRepositories;
  /** The adoption records the node publishes and the verified ones it received. */
  adoptions: AdoptionRepository;
  federation: CityFederation;
  following: FollowingPort;
  /** The application layer on the node's database; its events reach followers through the node's outbox dispatcher. */
  app: Application;
  /** Everything the node logged, newest last. */
  logs: LogEntry[];
  /** Closes the HTTP port (connections are refused) while the database and the queue keep running. */
  goOffline(): Promise<void>;
  /** Listens on the same port again. */
  comeOnline(): Promise<void>;
  /** Stops the node (queue, catch-up, HTTP) but keeps its database: `startNode({ handle, restart })` starts it again. */
  shutDown(): Promise<{ db: Database; port: number }>;
  stop(): Promise<void>;
}

/**
 * Fast retries so that a test sees a redelivery within a second. Fedify's circuit breaker is on,
 * as in production (5 failures of a host within 10 minutes open it), only its probe comes after
 * half a second instead of 30 minutes: a test that takes a node offline sees the breaker open,
 * probe and close again.
 */
export const fastDeliveryRetry: DeliveryRetry = {
  outbox: createExponentialBackoffPolicy({ initialDelay: { milliseconds: 100 }, maxDelay: { milliseconds: 500 }, maxAttempts: 40, jitter: false }),
  inbox: createExponentialBackoffPolicy({ initialDelay: { milliseconds: 100 }, maxDelay: { milliseconds: 500 }, maxAttempts: 40, jitter: false }),
  circuitBreaker: { recoveryDelay: { milliseconds: 500 } },
};

export interface NodeOptions {
  handle: string;
  blockedDomains?: string[];
  followPolicy?: FederationDeps["followPolicy"];
  outboxPageSize?: number;
  /** Retries of failed deliveries; default `fastDeliveryRetry`. */
  deliveryRetry?: DeliveryRetry;
  /**
   * Checks remote actors' inbox and shared inbox addresses as a node with `allowPrivateAddress` off
   * does, while its document loaders still reach the other test nodes on loopback.
   */
  checkInboxAddresses?: boolean;
  /** Starts the node again on the database and port of one that was shut down (`shutDown()`), as a restarted process would. */
  restart?: { db: Database; port: number };
  /** The catch-up worker's timing; default: retries after 0.2 s doubling up to 1 s, syncs every 5 minutes as in production. */
  catchUp?: CatchUpOptions;
  /** The node settings in force, for the uses that read them (a fork's issuer, an adoption's contact); default none. */
  settings?: () => Promise<NodeSettings | null>;
  /** Runs before the node's own routes; returns true when it answered the request itself. */
  intercept?: (req: express.Request, res: express.Response) => boolean | Promise<boolean>;
}

function recordingLogger(logs: LogEntry[]): FederationLogger {
  const record = (level: LogEntry["level"]) => (fields: object, message: string) =>
    void logs.push({ level, message, fields: fields as Record<string, unknown> });
  return { info: record("info"), warn: record("warn"), error: record("error") };
}

const listen = (server: Server, port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

export async function startNode(options: NodeOptions): Promise<TestNode> {
  const db = options.restart?.db ?? (await testDatabase({ backend: "pglite" }));
  const server = createServer();
  await listen(server, options.restart?.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const logs: LogEntry[] = [];
  const repositories = (q: Queryable): RecordRepositories => ({
    guidelines: createGuidelineRepository(q),
    useCases: createUseCaseRepository(q),
    sharedModels: createSharedModelRepository(q),
  });
  const records = repositories(db);
  const adoptions = createAdoptionRepository(db);
  const deps: FederationDeps = {
    origin,
    city: { handle: options.handle, name: `Stadt ${options.handle}`, municipalityId: `id-${options.handle}`, website: `https://${options.handle}.example/` },
    store: createFederationRepository(db),
    records,
    adoptions,
    blockedDomains: options.blockedDomains ?? [],
    followPolicy: options.followPolicy ?? acceptAllFollowers,
    logger: recordingLogger(logs),
    kv: new CachedKvStore(new PostgresKvStore(db), db),
    queue: queueLanes(db, { pollIntervalMs: 50, retryBaseMs: 100, retryMaxMs: 500 }),
    allowPrivateAddress: true,
    softwareVersion: "0.1.0",
    outboxPageSize: options.outboxPageSize,
    deliveryRetry: options.deliveryRetry ?? fastDeliveryRetry,
    deliveries: createDeliveryExpediter(db),
    // As the server composes it; catalogs are in it once a test attaches them to `deps.catalogs`.
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          store: createFederationRepository(tx),
          records: repositories(tx),
          adoptions: createAdoptionRepository(tx),
          catalogs: deps.catalogs && { store: createCatalogRepository(tx), state: catalogFederationStateOnKv(new PostgresKvStore(tx)) },
          outbox: createDomainEventOutbox(tx),
        }),
      ),
  };
  const federation = await createFederation(deps);
  // The document loaders took the flag above; from here on it governs only the inbox checks.
  deps.allowPrivateAddress = !options.checkInboxAddresses;
  const app = express();
  if (options.intercept) {
    const intercept = options.intercept;
    app.use(async (req, res, next) => ((await intercept(req, res)) ? undefined : next()));
  }
  app.use(createFederationMiddleware(federation, { origin, contextData: deps }));
  app.use(createRecordRoutes(federation, deps));
  app.use((_req: express.Request, res: express.Response) => void res.status(404).send("not here"));
  server.on("request", app);
  const queueRunning = new AbortController();
  const queueStopped = federation.startQueue(deps, { signal: queueRunning.signal });
  const dispatcher = createDomainEventDispatcher(federation, deps, createDomainEventRelayStore(db), { pollIntervalMs: 200 });
  const dispatcherStopped = dispatcher.run(queueRunning.signal);
  const shutDown = async () => {
    queueRunning.abort();
    await Promise.all([queueStopped.catch(() => undefined), dispatcherStopped, catchUpStopped]);
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    return { db, port };
  };
  const catchUpStopped = runCatchUp(federation, deps, { pollMs: 50, retryBaseMs: 200, retryMaxMs: 1_000, ...options.catchUp, signal: queueRunning.signal });
  return {
    handle: options.handle,
    origin,
    actorUrl: `${origin}/actors/${options.handle}`,
    db,
    deps,
    records,
    adoptions,
    federation,
    following: createFollowingService(federation, deps),
    app: createApplication({
      unitOfWork: createUnitOfWork(db),
      identity: { actor: `${origin}/actors/${options.handle}`, origin },
      ...(options.settings ? { settings: options.settings } : {}),
      onEventsCommitted: dispatcher.wake,
    }),
    logs,
    async goOffline() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    comeOnline: () => listen(server, port),
    shutDown,
    async stop() {
      await shutDown();
      await db.close();
    },
  };
}

/**
 * An express app as an `intercept` step: true when the app answered, false when it passed the
 * request on (to the node's federation routes behind it). For composing a node's API or pages.
 */
export function servedFirstBy(app: express.Express): NonNullable<NodeOptions["intercept"]> {
  return (req, res) =>
    new Promise<boolean>((resolve, reject) => {
      res.once("finish", () => resolve(true));
      app(req, res, (error?: unknown) => (error ? reject(error as Error) : resolve(false)));
    });
}

export async function startNodes(...handles: string[]): Promise<TestNode[]> {
  return Promise.all(handles.map((handle) => startNode({ handle })));
}

/**
 * Polls until `check` returns a truthy value (deliveries are queued), or fails after `timeoutMs`.
 * The default is generous: it only bounds a test that would otherwise hang, and a busy 2-core
 * machine can take well over 10 s to deliver and verify a few records between nodes.
 */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fedify's circuit breaker state for deliveries from `node` to `host` (host:port); undefined when closed and cleared. */
export async function circuitState(node: TestNode, host: string) {
  return circuitBreakerState(node.deps.kv, host);
}

/** Waits until the node logged a line with this message whose fields match. */
export function logged(node: TestNode, message: string, match: (fields: Record<string, unknown>) => boolean = () => true, timeoutMs?: number) {
  return eventually(async () => node.logs.find((entry) => entry.message === message && match(entry.fields)), timeoutMs);
}

/**
 * A POST signed once (draft-cavage, as Mastodon signs) by `from`'s RSA key or by `privateKey`
 * under `from`'s key id; `send()` can be called again to replay the very same request.
 */
export async function signedPost(from: TestNode, inboxUrl: string, activity: object, privateKey?: CryptoKey) {
  const actor = (await (await fetch(from.actorUrl, { headers: { accept: "application/activity+json" } })).json()) as { publicKey: { id: string } };
  const rsa = (await from.deps.store.listKeyPairs()).find((pair) => pair.algorithm === "RSASSA-PKCS1-v1_5")!;
  const key = privateKey ?? (await importJwk(rsa.privateKeyJwk, "private"));
  const body = JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", ...activity });
  const request = new Request(inboxUrl, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
  const signed = await signRequest(request, key, new URL(actor.publicKey.id));
  const headers = [...signed.headers];
  return { send: () => fetch(inboxUrl, { method: "POST", headers, body }) };
}
