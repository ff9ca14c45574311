import { randomBytes, randomUUID } from "node:crypto";
import { open, unlink, type FileHandle } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { pinoHttp } from "pino-http";
import { createApplication } from "@leitplanken/app";
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
  type FederationDeps,
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
} from "@leitplanken/db";
import { defaultNodeSettings, effectiveNodeSettings, reporterAddressRetentionMs, type NodeSettings } from "@leitplanken/core";
import { bindVisitorAddress, createGraphQLApi } from "@leitplanken/graphql";
import { createErrorPages, createWebRouter, SessionStore } from "@leitplanken/web";
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
  readonly config: Config;
  readonly db: Database;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Host to bind; all interfaces unless given (tests bind 127.0.0.1). */
  host?: string;
  /** Load the demo city's records when the node has none of its own yet. */
  seedDemo?: boolean;
  /** Where to write a first admin token, if that file does not exist yet. */
  adminTokenFile?: string | undefined;
  /** The clients' budgets per window (tests lower them); default: graphql's `defaultRateLimit`. */
  rateLimit?: { windowMs?: number; limit?: number; costLimit?: number };
  /** Lets a benchmark see every statement the node sends outside transactions (it wraps the opened database). */
  observeDatabase?: (db: Database) => Database;
}

/** How long in-flight requests and queue work may take after SIGTERM before we stop anyway. */
export const SHUTDOWN_GRACE_MS = 8_000;

/** Opens the database, applies migrations, and serves the node's HTTP interface. */
export async function startNode(config: Config, options: StartOptions = {}): Promise<RunningNode> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Fedify's and the queue's logs (LogTape) go into the same JSON log.
  await routeLibraryLogs(logger, config.logLevel);
  // A server that accepts a delivery and never answers holds a queue worker only this long.
  limitOutboundRequestTime(config.outboundTimeoutMs);
  const opened = await openNodeDatabase(config);
  const db = options.observeDatabase ? options.observeDatabase(opened) : opened;
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
    if (options.adminTokenFile && (await writeFirstAdminToken(db, options.adminTokenFile, config.displayName))) {
      logger.info({ file: options.adminTokenFile }, "admin token written");
    }

    const accessTokens = createAccessTokenStore(db);
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
      followPolicy: acceptAllFollowers,
      logger,
      kv,
      // Inbox, deliveries and fan-outs in lanes of their own, several handlers at once each. A message
      // whose worker died is taken again when its lease runs out; the lease is renewed while a
      // handler runs, so a short one only shortens recovery after a crash.
      queue: queueLanes(db, { leaseMs: 10_000, concurrency: config.queueConcurrency }),
      allowPrivateAddress: config.allowPrivateAddress,
      softwareVersion,
      records,
      adoptions,
      catalogs: { store: catalogStore, state: catalogFederationStateOnKv(kv) },
      // An inbound activity's id and its handler's writes commit together.
      transaction: (work) => db.transaction((tx) => work(inboundScope(tx))),
      deliveries: createDeliveryExpediter(db),
      onRefused: (reason) => nodeMetrics.refused("inbox", reason),
    };
    // The saved settings show in the city's actor profile too.
    const showInProfile = (settings: NodeSettings) => Object.assign(federationDeps.city, cityProfileOf(settings, config.municipalityId));
    showInProfile(effectiveNodeSettings(settingsDefaults, await settingsStore.load()).settings);
    const federation = await createFederation(federationDeps);
    const dispatcher = createDomainEventDispatcher(federation, federationDeps, createDomainEventRelayStore(db));
    wakeDispatcher = dispatcher.wake;
    const membership = createCatalogMembershipService(federation, federationDeps);
    if (options.seedDemo && (await seedDemoRecords(application, db, identity))) logger.info("demo records loaded");

    // The end of the chain: unknown URLs and every error as a styled page (browsers) or JSON (clients).
    const errorPages = createErrorPages({
      origin: config.origin,
      city: { handle: config.handle, name: config.displayName },
      onUnexpectedError: (error) => logger.error({ err: error }, "unexpected error in a request"),
    });
    const app = createApp({
      db,
      logger,
      config,
      errorPages,
      metrics: nodeMetrics,
      metricsToken: config.metricsToken,
      authenticate: (token) => accessTokens.authenticate(token),
    });
    // A worker answers only the operations routes above (health, readiness, metrics).
    const actorDirectory = createActorDirectory(federation, federationDeps, { store: createActorProfileRepository(db) });
    // On PostgreSQL the API's rate-limit counters live in the database, so several web processes share each client's budget.
    const rateLimitStore = config.role !== "worker" && db.kind === "postgres" ? createRateLimitStore(db) : undefined;
    if (config.role !== "worker") {
      // Fedify reads the raw body to verify signatures: it goes before any body parser.
      app.use(createFederationMiddleware(federation, { origin: config.origin, contextData: federationDeps }));
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
          following: createFollowingService(federation, federationDeps),
          store: federationDeps.store,
          configuredBlockedDomains: config.blockedDomains,
          deliveryStatus: createDeliveryStatusReader(db),
        },
        authenticate: (token) => accessTokens.authenticate(token),
        accessTokens,
        rateLimit: { ...options.rateLimit, ...(rateLimitStore ? { store: rateLimitStore } : {}) },
        onUnexpectedError: (error) => logger.error({ err: error }, "unexpected error in a GraphQL request"),
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
          onUnexpectedError: (error) => logger.error({ err: error }, "unexpected error on a web page"),
          ownRecordDocument: (iri) => publishedRecordDocument(federation, federationDeps, iri),
          ...(config.oidc ? { oidc: config.oidc } : {}),
          // The reason and the library's message; never tokens or the client secret.
          onSignInRefused: (reason, cause) =>
            logger.warn({ reason, error: cause instanceof Error ? cause.message : undefined }, "sign-in through the identity provider refused"),
          // In the database: every web process knows each session and the report form's key, and a restart keeps them.
          sessions: new SessionStore({ persistence: createSessionPersistence(db) }),
          visitorFormSecret: await nodeSecret(kv, "report-form"),
        }),
      );
      app.use(api.router);
    }
    app.use(errorPages.notFound);
    app.use(errorPages.errorHandler);
    const server = await listen(app, config.port, options.host ?? config.bindAddress);
    const { port } = server.address() as AddressInfo;
    const url = `http://${options.host === undefined || options.host === "0.0.0.0" ? "localhost" : options.host}:${port}`;
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
            runCatchUp(federation, federationDeps, { signal: queueStop.signal }),
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
      close: () => {
        clearInterval(addressSweep);
        clearTimeout(firstActorRefresh);
        clearInterval(actorRefresh);
        return (closing ??= shutdown({ server, logger, queueStop, queueStopped, db, flushCounters: rateLimitStore?.flush }).finally(() => nodeMetrics.close()));
      },
    };
  } catch (error) {
    metrics?.close();
    await db.close();
    throw error;
  }
}

/** The stores an inbound handler writes, on one transaction (`FederationDeps.transaction`). */
function inboundScope(tx: Queryable): InboundScope {
  return {
    store: createFederationRepository(tx),
    records: recordRepositories(tx),
    adoptions: createAdoptionRepository(tx),
    catalogs: { store: createCatalogRepository(tx), state: catalogFederationStateOnKv(new PostgresKvStore(tx)) },
    outbox: createDomainEventOutbox(tx),
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
}

function createApp({ config, errorPages, ...operations }: AppParts): express.Express {
  const { logger } = operations;
  const app = express();
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

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once("listening", () => resolve(server));
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
 * message in hand finish, bounded by SHUTDOWN_GRACE_MS; always close the database.
 */
async function shutdown(parts: {
  server: Server;
  logger: Logger;
  queueStop: AbortController;
  queueStopped: Promise<void>;
  db: Database;
  /** Adds the rate-limit points counted since the last flush to the shared counters. */
  flushCounters: (() => Promise<void>) | undefined;
}): Promise<void> {
  const { server, logger, queueStop, queueStopped, db } = parts;
  logger.info("shutting down");
  queueStop.abort();
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  try {
    await Promise.race([Promise.all([closed, queueStopped]), deadline]);
  } finally {
    server.closeAllConnections();
    await parts.flushCounters?.();
    await db.close();
    logger.info("stopped");
  }
}
