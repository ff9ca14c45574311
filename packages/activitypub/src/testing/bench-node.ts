// A node for the benchmarks: the federation composed as the server composes it (Fedify on the
// database-backed queue and key-value store, the federation middleware and record routes on
// an HTTP port on 127.0.0.1), on its own PGlite database.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createApplication, type Application } from "@leitplanken/app";
import {
  CachedKvStore,
  PostgresKvStore,
  queueLanes,
  createDomainEventRelayStore,
  createFederationRepository,
  createGuidelineRepository,
  createSharedModelRepository,
  createUnitOfWork,
  createUseCaseRepository,
  testDatabase,
  type Database,
} from "@leitplanken/db";
import { acceptAllFollowers, silentLogger, type FederationDeps } from "../federation.deps.ts";
import { createFederation, type CityFederation } from "../federation.ts";
import { createFederationMiddleware } from "../middleware.ts";
import { createDomainEventDispatcher } from "../domain-event.dispatcher.ts";
import { createRecordRoutes } from "../record.routes.ts";

export interface BenchNode {
  origin: string;
  actorUrl: string;
  db: Database;
  queue: ReturnType<typeof queueLanes>;
  deps: FederationDeps;
  federation: CityFederation;
  /** The application layer: its events reach followers through the node's outbox dispatcher. */
  app: Application;
  stop(): Promise<void>;
}

export async function startBenchNode(handle: string): Promise<BenchNode> {
  const db = await testDatabase({ backend: "pglite" });
  const server = createServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const queue = queueLanes(db);
  const deps: FederationDeps = {
    origin,
    city: { handle, name: `Stadt ${handle}`, municipalityId: `id-${handle}`, website: `https://${handle}.example/` },
    store: createFederationRepository(db),
    records: { guidelines: createGuidelineRepository(db), useCases: createUseCaseRepository(db), sharedModels: createSharedModelRepository(db) },
    blockedDomains: [],
    followPolicy: acceptAllFollowers,
    logger: silentLogger,
    kv: new CachedKvStore(new PostgresKvStore(db), db),
    queue,
    allowPrivateAddress: true,
    softwareVersion: "bench",
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          store: createFederationRepository(tx),
          records: { guidelines: createGuidelineRepository(tx), useCases: createUseCaseRepository(tx), sharedModels: createSharedModelRepository(tx) },
        }),
      ),
  };
  const federation = await createFederation(deps);
  const app = express();
  app.use(createFederationMiddleware(federation, { origin, contextData: deps }));
  app.use(createRecordRoutes(federation, deps));
  server.on("request", app);
  const queueRunning = new AbortController();
  const queueStopped = federation.startQueue(deps, { signal: queueRunning.signal });
  const dispatcher = createDomainEventDispatcher(federation, deps, createDomainEventRelayStore(db));
  const dispatcherStopped = dispatcher.run(queueRunning.signal);
  return {
    origin,
    actorUrl: `${origin}/actors/${handle}`,
    db,
    queue,
    deps,
    federation,
    app: createApplication({ unitOfWork: createUnitOfWork(db), identity: { actor: `${origin}/actors/${handle}`, origin }, onEventsCommitted: dispatcher.wake }),
    async stop() {
      queueRunning.abort();
      await Promise.all([queueStopped.catch(() => undefined), dispatcherStopped]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
