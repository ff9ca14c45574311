// A node for the benchmarks: the federation composed as the server composes it (Fedify on the
// database-backed queue and key-value store, the federation middleware and record routes on
// an HTTP port on 127.0.0.1), on its own PGlite database.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { RecordEventSink } from "@leitplanken/core";
import {
  CachedKvStore,
  PostgresKvStore,
  queueLanes,
  createFederationRepository,
  createGuidelineRepository,
  createSharedModelRepository,
  createUseCaseRepository,
  testDatabase,
  type Database,
} from "@leitplanken/db";
import { acceptAllFollowers, silentLogger, type FederationDeps } from "../federation.deps.ts";
import { createFederation, type CityFederation } from "../federation.ts";
import { createFederationMiddleware } from "../middleware.ts";
import { createRecordPublisher } from "../record-publisher.ts";
import { createRecordRoutes } from "../record.routes.ts";

export interface BenchNode {
  origin: string;
  actorUrl: string;
  db: Database;
  queue: ReturnType<typeof queueLanes>;
  deps: FederationDeps;
  federation: CityFederation;
  publisher: RecordEventSink;
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
  return {
    origin,
    actorUrl: `${origin}/actors/${handle}`,
    db,
    queue,
    deps,
    federation,
    publisher: createRecordPublisher(federation, deps),
    async stop() {
      queueRunning.abort();
      await queueStopped.catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
