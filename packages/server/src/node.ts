import { randomBytes, randomUUID } from "node:crypto";
import { open, unlink, type FileHandle } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { pinoHttp } from "pino-http";
import { createApplication, type Application } from "@leitplanken/app";
import {
  acceptAllFollowers,
  catalogFederationStateOnKv,
  createCatalogEntryReader,
  createCatalogMembershipService,
  createCatalogService,
  createDomainEventDispatcher,
  createFederation,
  createFederationMiddleware,
  createActorDirectory,
  createFollowingService,
  createRecordRoutes,
  publishedRecordDocument,
  limitOutboundRequestTime,
  runCatchUp,
  type CatchUpOptions,
  type CityFederation,
  type DeliveryRetry,
  type DomainEventDispatcherOptions,
  type FederationDeps,
  type FollowPolicy,
  type InboundScope,
} from "@leitplanken/activitypub";
import {
  createAccessToken,
  createAccessTokenStore,
  createAdoptionRepository,
  createDeliveryExpediter,
  createCatalogRepository,
  createDomainEventOutbox,
  createDomainEventRelayStore,
  createNetworkRepository,
  createRateLimitStore,
  createSessionPersistence,
  createNodeSettingsRepository,
  createActorProfileRepository,
  createFederationRepository,
  createUnitOfWork,
  migrate,
  CachedKvStore,
  createDeliveryStatusReader,
  PostgresKvStore,
  queueLanes,
  type Database,
  type Queryable,
  type QueueLanesOptions,
} from "@leitplanken/db";
import {
  defaultNodeSettings,
  effectiveNodeSettings,
  outboxNotingAppends,
  reporterAddressRetentionMs,
  type AdoptionRepository,
  type CatalogModerationStore,
  type FollowingPort,
  type NodeSettings,
  type Principal,
} from "@leitplanken/core";
import { bindVisitorAddress, createGraphQLApi, type RateLimitOptions } from "@leitplanken/graphql";
import { createErrorPages, createWebRouter, SessionStore, type OidcOptions } from "@leitplanken/web";
import { adminSocketHandler } from "./admin-socket.ts";
import type { Config } from "./config.ts";
import { openNodeDatabase } from "./node-database.ts";
import { createLogger, requestForLog, routeLibraryLogs, type Logger } from "./logger.ts";
import { createNodeMetrics, type NodeMetrics } from "./metrics.ts";
import { operationsRoutes, requestMetrics, type OperationsDeps } from "./operations.ts";
import { logWrite } from "./write-log.ts";
import { nodeIdentity, recordRepositories, seedDemoRecords } from "./records.ts";
import { softwareVersion } from "./version.ts";

/** A node that is listening; `close()` shuts it down gracefully. */
export interface RunningNode {
  /** The base URL the node actually listens on (the port may have been chosen by the OS). */
  readonly url: string;
  /** The configuration it runs with (with the origin and port it took when `originFromPort` was asked for). */
  readonly config: Config;
  readonly db: Database;
  readonly logger: Logger;
  /** The application layer: every write of records goes through it (and its events to the outbox). */
  readonly application: Application;
  /** The record repositories on the node's database, for reads. */
  readonly records: ReturnType<typeof recordRepositories>;
  readonly adoptions: AdoptionRepository;
  readonly catalogStore: CatalogModerationStore;
  readonly federation: CityFederation;
  /** What the federation's handlers and services are given (Fedify's context data). */
  readonly federationDeps: FederationDeps;
  readonly following: FollowingPort;
  /** The HTTP server; a test closes and reopens it to take the node off the network for a while. */
  readonly server: Server;
  /**
   * Stops HTTP, the queue, the outbox dispatcher and the catch-up; closes the database when the node
   * opened it (a database given in `overrides.database` stays open for its owner).
   */
  close(): Promise<void>;
}

/**
 * Where a test or a benchmark may run a node differently from `leitplanken serve`; everything else
 * is composed the same way. Production passes none of the timing or hook overrides.
 */
export interface NodeOverrides {
  logger?: Logger;
  /** Host to bind; `config.bindAddress` unless given (tests bind 127.0.0.1). */
  host?: string;
  /** Listen on `config.port` (0: the OS picks one) before composing, and take `http://HOST:PORT` as the origin. */
  originFromPort?: boolean;
  /** A database the caller opened (and migrates here, and closes itself); default: the configured one, closed by `close()`. */
  database?: Database;
  /** Load the demo city's records (dated `now`, default the present) when the node has none of its own yet. */
  seedDemo?: boolean | { now: Date };
  /** Where to write a first admin token, if that file does not exist yet. */
  adminTokenFile?: string | undefined;
  /** The clients' budgets per window (tests lower them, or switch them off); default: graphql's `defaultRateLimit`. */
  rateLimit?: Partial<RateLimitOptions> | false;
  /** Lets a benchmark see every statement the node sends outside transactions (it wraps the opened database). */
  observeDatabase?: (db: Database) => Database;
  /** Tokens tried before the node's access tokens (fixed test identities). */
  authenticate?: (token: string) => Promise<Principal | null>;
  /** Called besides the error log line for every unexpected error of the API, the pages and the error pages. */
  onUnexpectedError?: (error: unknown) => void;
  /** Called besides the warning for a sign-in through the identity provider that was refused. */
  onSignInRefused?: (reason: string, cause: unknown) => void;
  /** Staff sign-in options beyond the configuration (a test provider's clock skew or fetch). */
  oidc?: OidcOptions;
  /** Route LogTape (Fedify, the queue) into `logger` (default true; process-wide, so a test with several nodes leaves it off). */
  libraryLogs?: boolean;
  /** The queue's polling and retry timing (tests shorten it). */
  queue?: Omit<QueueLanesOptions, "concurrency">;
  /** Retries of failed deliveries and Fedify's circuit breaker; default: activitypub's `defaultDeliveryRetry`. */
  deliveryRetry?: DeliveryRetry;
  /** Records per page of the outbox collection. */
  outboxPageSize?: number;
  followPolicy?: FollowPolicy;
  /**
   * With `allowPrivateAddress` configured (loopback test nodes): still check remote actors' inbox
   * addresses as a node without it does, while the document loaders reach loopback.
   */
  checkInboxAddresses?: boolean;
  /** The catch-up worker's timing. */
  catchUp?: Omit<CatchUpOptions, "signal">;
  /** The outbox dispatcher's timing. */
  dispatcher?: DomainEventDispatcherOptions;
  /** How long the actor directory waits for another city's actor document. */
  actorFetchTimeoutMs?: number;
  /** Runs before the node's own routes; returns true when it answered the request itself. */
  intercept?: (req: express.Request, res: express.Response) => boolean | Promise<boolean>;
}

/** How long in-flight requests and queue work may take after SIGTERM before we stop anyway. */
export const SHUTDOWN_GRACE_MS = 8_000;

/**
 * The one composition of a node (`leitplanken serve`, the demo, the benchmarks and every test
 * harness): opens and migrates the database, builds the application layer, the federation (Fedify
 * on the database-backed queue and key-value store), the GraphQL API and the web pages, starts the
 * queue, the outbox dispatcher and the catch-up, and serves HTTP. `overrides` is the only place a
 * test or a benchmark differs.
 */
export async function assembleNode(configured: Config, overrides: NodeOverrides = {}): Promise<RunningNode> {
  const logger = overrides.logger ?? createLogger(configured.logLevel);
  // Fedify's and the queue's logs (LogTape) go into the same JSON log.
  if (overrides.libraryLogs !== false) await routeLibraryLogs(logger, configured.logLevel);
  // A server that accepts a delivery and never answers holds a queue worker only this long.
  limitOutboundRequestTime(configured.outboundTimeoutMs);
  const host = overrides.host ?? configured.bindAddress;
  const server = createServer();
  let config = configured;
  if (overrides.originFromPort) {
    // The origin names the port the OS chose; requests wait until the app is attached below.
    await listen(server, configured.port, host);
    const { port } = server.address() as AddressInfo;
    const origin = `http://${host}:${port}`;
    // The website defaults to the origin (config.ts): then it follows it.
    config = { ...configured, port, origin, website: configured.website === `${configured.origin}/` ? `${origin}/` : configured.website };
  }
  const ownsDatabase = !overrides.database;
  const opened = overrides.database ?? (await openNodeDatabase(config));
  const db = overrides.observeDatabase ? overrides.observeDatabase(opened) : opened;
  let metrics: NodeMetrics | undefined;
  try {
    const { applied } = await migrate(db, { softwareVersion });
    if (applied.length > 0) logger.info({ applied }, "database migrations applied");
    const identity = nodeIdentity(config);
    // Every write goes through the application layer and commits its events to the outbox; the
    // dispatcher (below, once federation exists) hands them to Fedify's queue and is woken here.
    let wakeDispatcher = () => {};
    // The settings an admin saved win over the configuration (also for the uses: vetting policy, forks' issuer).
    const settingsStore = createNodeSettingsRepository(db);
    const settingsDefaults = defaultNodeSettings({ cityName: config.displayName, municipalityId: config.municipalityId, website: config.website });
    const application = createApplication({
      unitOfWork: createUnitOfWork(db),
      identity,
      settings: async () => effectiveNodeSettings(settingsDefaults, await settingsStore.load()).settings,
      onEventsCommitted: () => wakeDispatcher(),
    });
    // From here on `leitplanken token …` and `import` reach this node through its data folder.
    db.dataFolder?.serve(adminSocketHandler({ db, app: application, logger, version: softwareVersion, handle: config.handle, origin: config.origin }));
    const records = recordRepositories(db);
    if (overrides.adminTokenFile && (await writeFirstAdminToken(db, overrides.adminTokenFile, config.displayName))) {
      logger.info({ file: overrides.adminTokenFile }, "admin token written");
    }

    const accessTokens = createAccessTokenStore(db);
    const authenticate = async (token: string) => (await overrides.authenticate?.(token)) ?? (await accessTokens.authenticate(token));
    const unexpectedError = (message: string) => (error: unknown) => {
      logger.error({ err: error }, message);
      overrides.onUnexpectedError?.(error);
    };
    // Before the federation: Fedify takes the process's meter provider when it is built.
    metrics = createNodeMetrics({ db, logger });
    const nodeMetrics = metrics;
    // Fedify's hot keys (remote public keys, circuit breaker, signature spec, fetched documents) in memory.
    const kv = new CachedKvStore(new PostgresKvStore(db), db);
    const catalogStore = createCatalogRepository(db);
    const adoptions = createAdoptionRepository(db);
    const federationDeps: FederationDeps = {
      origin: config.origin,
      city: { handle: config.handle, name: config.displayName, municipalityId: config.municipalityId, website: config.website },
      store: createFederationRepository(db),
      blockedDomains: config.blockedDomains,
      followPolicy: overrides.followPolicy ?? acceptAllFollowers,
      logger,
      kv,
      // Inbox, deliveries and fan-outs in lanes of their own, several handlers at once each. A message
      // whose worker died is taken again when its lease runs out; the lease is renewed while a
      // handler runs, so a short one only shortens recovery after a crash.
      queue: queueLanes(db, { leaseMs: 10_000, ...overrides.queue, concurrency: config.queueConcurrency }),
      allowPrivateAddress: config.allowPrivateAddress,
      softwareVersion,
      outboxPageSize: overrides.outboxPageSize,
      deliveryRetry: overrides.deliveryRetry,
      records,
      adoptions,
      catalogs: { store: catalogStore, state: catalogFederationStateOnKv(kv) },
      // An inbound activity's id and its handler's writes commit together.
      // A catalog's decision commits its outbox event here: the dispatcher is woken once it committed.
      transaction: async (work) => {
        let appended = false;
        const result = await db.transaction((tx) => work(inboundScope(tx, () => (appended = true))));
        if (appended) wakeDispatcher();
        return result;
      },
      deliveries: createDeliveryExpediter(db),
      onRefused: (reason) => nodeMetrics.refused("inbox", reason),
    };
    // The saved settings show in the city's actor profile too.
    const showInProfile = (settings: NodeSettings) => Object.assign(federationDeps.city, cityProfileOf(settings, config.municipalityId));
    showInProfile(effectiveNodeSettings(settingsDefaults, await settingsStore.load()).settings);
    const federation = await createFederation(federationDeps);
    // The document loaders took the flag above; from here on it governs only the inbox checks.
    if (overrides.checkInboxAddresses) federationDeps.allowPrivateAddress = false;
    const dispatcher = createDomainEventDispatcher(federation, federationDeps, createDomainEventRelayStore(db), overrides.dispatcher);
    wakeDispatcher = dispatcher.wake;
    const membership = createCatalogMembershipService(federation, federationDeps);
    const following = createFollowingService(federation, federationDeps);
    const demoClock = typeof overrides.seedDemo === "object" ? overrides.seedDemo.now : undefined;
    if (overrides.seedDemo && (await seedDemoRecords(application, db, identity, demoClock))) logger.info("demo records loaded");

    // The end of the chain: unknown URLs and every error as a styled page (browsers) or JSON (clients).
    const errorPages = createErrorPages({
      origin: config.origin,
      city: { handle: config.handle, name: config.displayName },
      onUnexpectedError: unexpectedError("unexpected error in a request"),
    });
    const app = createApp({
      db,
      logger,
      config,
      errorPages,
      metrics: nodeMetrics,
      metricsToken: config.metricsToken,
      authenticate,
      intercept: overrides.intercept,
    });
    // A worker answers only the operations routes above (health, readiness, metrics).
    const actorDirectory = createActorDirectory(federation, federationDeps, {
      store: createActorProfileRepository(db),
      ...(overrides.actorFetchTimeoutMs ? { fetchTimeoutMs: overrides.actorFetchTimeoutMs } : {}),
    });
    // On PostgreSQL the API's rate-limit counters live in the database, so several web processes share each client's budget.
    const rateLimitStore = config.role !== "worker" && db.kind === "postgres" && overrides.rateLimit !== false ? createRateLimitStore(db) : undefined;
    if (config.role !== "worker") {
      // Fedify reads the raw body to verify signatures: it goes before any body parser. The API's
      // path is none of Fedify's, so its requests skip the copy into a fetch Request and Fedify's router (issue #16).
      const federationRoutes = createFederationMiddleware(federation, { origin: config.origin, contextData: federationDeps });
      app.use((req, res, next) => (req.path === "/graphql" ? next() : federationRoutes(req, res, next)));
      // A record's IRI answers JSON-LD to ActivityPub clients; other clients fall through.
      app.use(createRecordRoutes(federation, federationDeps));
      const api = await createGraphQLApi({
        records,
        app: application,
        identity,
        network: { adoptions, view: createNetworkRepository(db) },
        catalogs: {
          store: catalogStore,
          hub: createCatalogService(federation, federationDeps, { addressSecret: await nodeSecret(kv, "report-address") }),
          membership,
          entries: createCatalogEntryReader(federation, federationDeps),
        },
        settings: { store: settingsStore, defaults: settingsDefaults, onChange: showInProfile },
        actors: actorDirectory,
        federation: {
          following,
          store: federationDeps.store,
          configuredBlockedDomains: config.blockedDomains,
          deliveryStatus: createDeliveryStatusReader(db),
        },
        authenticate,
        accessTokens,
        rateLimit: overrides.rateLimit === false ? false : { ...overrides.rateLimit, ...(rateLimitStore ? { store: rateLimitStore } : {}) },
        onUnexpectedError: unexpectedError("unexpected error in a GraphQL request"),
        onOperation: (operation) => {
          nodeMetrics.graphqlOperation(operation);
          logWrite(logger, operation);
        },
      });
      // Pages count against the visitor's budget like API requests, and their in-process API calls
      // are charged to the visitor (not to the node): keyed on the address as the trusted proxies resolve it.
      app.use(bindVisitorAddress);
      const pageLimit = api.rateLimiter?.middleware((retryAfterSeconds, req, res) => errorPages.send(req, res, 429, { retryAfterSeconds }));
      if (pageLimit) app.use((req, res, next) => (req.path === "/graphql" || req.path.startsWith("/assets/") ? next() : pageLimit(req, res, next)));
      // CORS for /graphql before the pages, which answer a browser's GET /graphql with the explorer (ADR 0090).
      app.use("/graphql", api.cors);
      // The pages come before the API so that a browser's GET /graphql gets the explorer.
      app.use(
        createWebRouter({
          graphql: api.execute,
          origin: config.origin,
          city: { handle: config.handle, name: config.displayName },
          onUnexpectedError: unexpectedError("unexpected error on a web page"),
          ownRecordDocument: (iri) => publishedRecordDocument(federation, federationDeps, iri),
          ...((overrides.oidc ?? config.oidc) ? { oidc: overrides.oidc ?? config.oidc } : {}),
          // The reason and the library's message; never tokens or the client secret.
          onSignInRefused: (reason, cause) => {
            logger.warn({ reason, error: cause instanceof Error ? cause.message : undefined }, "sign-in through the identity provider refused");
            overrides.onSignInRefused?.(reason, cause);
          },
          // In the database: every web process knows each session and the report form's key, and a restart keeps them.
          sessions: new SessionStore({ persistence: createSessionPersistence(db) }),
          visitorFormSecret: await nodeSecret(kv, "report-form"),
        }),
      );
      app.use(api.router);
    }
    app.use(errorPages.notFound);
    app.use(errorPages.errorHandler);
    server.on("request", app);
    if (!server.listening) await listen(server, config.port, host);
    const { port } = server.address() as AddressInfo;
    const url = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
    logger.info({ url, origin: config.origin, database: db.kind, version: softwareVersion, handle: config.handle, role: config.role }, "node listening");
    // Started last: a node that failed to start has no worker left running on its database.
    const queueStop = new AbortController();
    // The queue (deliveries, inbound activities), the outbox dispatcher and the catch-up of followed cities stop together.
    // A web process leaves them to the workers: what it writes waits in the database's outbox and queue.
    const queueStopped =
      config.role === "web"
        ? Promise.resolve()
        : Promise.all([
            federation.startQueue(federationDeps, { signal: queueStop.signal }),
            dispatcher.run(queueStop.signal),
            runCatchUp(federation, federationDeps, { ...overrides.catchUp, signal: queueStop.signal }),
          ]).then(() => undefined);

    // Citizens' address hashes serve only the report rate limit: forgotten after a day (the privacy notice says so).
    const forgetReporterAddresses = () =>
      catalogStore
        .forgetReporterAddresses(new Date(Date.now() - reporterAddressRetentionMs))
        .catch((error: unknown) => logger.warn({ err: error }, "forgetting the address hashes of old reports failed"));
    void forgetReporterAddresses();
    const addressSweep = setInterval(forgetReporterAddresses, 3_600_000).unref();
    // Names of cities received before they were first shown (and after an upgrade), and renamed ones.
    const refreshActors = () =>
      void actorDirectory.refresh().catch((error: unknown) => logger.warn({ err: error }, "refreshing the names of other cities failed"));
    const firstActorRefresh = setTimeout(refreshActors, 5_000).unref();
    const actorRefresh = setInterval(refreshActors, 6 * 3_600_000).unref();

    let closing: Promise<void> | undefined;
    return {
      url,
      config,
      db,
      logger,
      application,
      records,
      adoptions,
      catalogStore,
      federation,
      federationDeps,
      following,
      server,
      close: () => {
        clearInterval(addressSweep);
        clearTimeout(firstActorRefresh);
        clearInterval(actorRefresh);
        return (closing ??= shutdown({ server, logger, queueStop, queueStopped, db, ownsDatabase, flushCounters: rateLimitStore?.flush }).finally(() =>
          nodeMetrics.close(),
        ));
      },
    };
  } catch (error) {
    metrics?.close();
    if (server.listening) server.close();
    if (ownsDatabase) await db.close();
    throw error;
  }
}

/** The stores an inbound handler writes, on one transaction (`FederationDeps.transaction`). */
function inboundScope(tx: Queryable, onAppended: () => void): InboundScope {
  return {
    store: createFederationRepository(tx),
    records: recordRepositories(tx),
    adoptions: createAdoptionRepository(tx),
    catalogs: { store: createCatalogRepository(tx), state: catalogFederationStateOnKv(new PostgresKvStore(tx)) },
    outbox: outboxNotingAppends(createDomainEventOutbox(tx), onAppended),
  };
}

/** What the city's actor shows of the settings: its name, website and municipality id. */
function cityProfileOf(settings: NodeSettings, configuredMunicipalityId: string) {
  const id = settings.issuingBody.organisationId;
  return { name: settings.cityName, website: settings.website, municipalityId: id?.scheme === "AGS" ? id.value : configuredMunicipalityId };
}

interface AppParts extends OperationsDeps {
  config: Config;
  errorPages: ReturnType<typeof createErrorPages>;
  intercept: NodeOverrides["intercept"];
}

function createApp({ config, errorPages, intercept, ...operations }: AppParts): express.Express {
  const { logger } = operations;
  const app = express();
  if (intercept) app.use(async (req, res, next) => ((await intercept(req, res)) ? undefined : next()));
  app.use(requestMetrics(operations.metrics));
  app.disable("x-powered-by");
  // Production unless a developer asks otherwise: express never renders its own error pages with stack traces.
  app.set("env", process.env.NODE_ENV === "development" ? "development" : "production");
  // Only the proxies the operator named may say who the client is; by default nobody (LEITPLANKEN_TRUST_PROXY).
  app.set("trust proxy", config.trustProxy);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
      // The request id, method, path and status: no address, headers or query (see logger.ts).
      serializers: { req: requestForLog, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    }),
  );

  app.use(operationsRoutes(operations));
  // Past the deadline the visitor gets a 503 and the node stays free for others (PostgreSQL cancels the statement).
  app.use(requestDeadline(config.requestTimeoutMs, (req, res) => errorPages.send(req, res, 503)));
  return app;
}

/**
 * Answers 503 when a request has not been answered within `timeoutMs`. The work behind it is not
 * interrupted (PostgreSQL's statement timeout is); a late answer is dropped instead of crashing.
 */
function requestDeadline(timeoutMs: number, expire: (req: express.Request, res: express.Response) => void): express.RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      expire(req, res);
    }, timeoutMs);
    timer.unref();
    res.once("close", () => clearTimeout(timer));
    next();
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.listen(port, host);
    server.once("listening", () => resolve());
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${port} is already in use: set PORT to a free port.`) : error);
    });
  });
}

/**
 * A random secret of this node, made on first start and kept in the database (e.g. the key
 * that turns reporters' addresses into hashes). Never logged, never sent anywhere.
 */
async function nodeSecret(kv: CachedKvStore, name: string): Promise<string> {
  const key = ["leitplanken", "secret", name] as const;
  const stored = await kv.get<string>(key);
  if (stored) return stored;
  // Compare-and-set: when two processes start at once, both end up with the first secret.
  await kv.cas(key, undefined, randomBytes(32).toString("base64url"));
  return (await kv.get<string>(key))!;
}

/** Creates an admin token and writes it to `file`, unless the file exists (then nothing happens). */
async function writeFirstAdminToken(db: Database, file: string, cityName: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    // "wx": fails when the file exists, so a restart never creates a second token.
    handle = await open(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    // A setup account no single person stands behind: it never vets (vetting records name a person).
    const { token } = await createAccessToken(db, { name: `Admin ${cityName}`, role: "admin" }, { shared: true });
    await handle.writeFile(`${token}\n`);
    await handle.close();
    return true;
  } catch (error) {
    // An empty file would stop every later start from making the token.
    await handle.close();
    await unlink(file);
    throw error;
  }
}

/**
 * Stop accepting and stop taking queue messages at once; let in-flight requests and the
 * message in hand finish, bounded by SHUTDOWN_GRACE_MS; close the database if the node opened it.
 * A database its owner keeps (a test restarting the node on it) sees no worker left afterwards:
 * then the queue is waited for without the bound.
 */
async function shutdown(parts: {
  server: Server;
  logger: Logger;
  queueStop: AbortController;
  queueStopped: Promise<void>;
  db: Database;
  ownsDatabase: boolean;
  /** Adds the rate-limit points counted since the last flush to the shared counters. */
  flushCounters: (() => Promise<void>) | undefined;
}): Promise<void> {
  const { server, logger, queueStop, queueStopped, db, ownsDatabase } = parts;
  logger.info("shutting down");
  queueStop.abort();
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  // Resolves also when the server was not listening (taken offline by a test).
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  try {
    await Promise.race([Promise.all([closed, queueStopped]), deadline]);
  } finally {
    server.closeAllConnections();
    await parts.flushCounters?.();
    if (ownsDatabase) await db.close();
    else await queueStopped.catch(() => undefined);
    logger.info("stopped");
  }
}
