// Starts real nodes on 127.0.0.1: each an HTTP server with its own PGlite database and the
// federation mounted as the server package mounts it (a connect-style middleware).
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  InProcessMessageQueue,
  MemoryKvStore,
  type MessageQueue,
  type MessageQueueEnqueueOptions,
  type MessageQueueListenOptions,
  acceptAllFollowers,
  createFederation,
  createFederationMiddleware,
  createFollowingService,
  silentLogger,
  type CityFederation,
  type FederationDeps,
  type FollowingService,
} from "../../packages/activitypub/src/index.ts";
import { createFederationRepository, openDatabase, type Database } from "../../packages/db/src/index.ts";

export interface TestNode {
  handle: string;
  origin: string;
  actorUrl: string;
  db: Database;
  deps: FederationDeps;
  federation: CityFederation;
  following: FollowingService;
  stop(): Promise<void>;
}

// Until the db package's migration runner lands, apply 0003 by hand (no inner semicolons).
async function applyFederationMigration(db: Database) {
  const sql = await readFile(new URL("../../packages/db/migrations/0003_federation.sql", import.meta.url), "utf8");
  for (const statement of sql.split(/;\s*$/m).map((part) => part.replace(/^--.*$/gm, "").trim()).filter(Boolean)) {
    await db.query(statement);
  }
}

/**
 * Fedify's in-process queue with retries that stop with the node: its delayed redeliveries
 * are plain timers that would keep jest alive after the test.
 */
class StoppableQueue implements MessageQueue {
  readonly #inner = new InProcessMessageQueue();
  readonly #timers = new Set<NodeJS.Timeout>();
  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    const delay = options?.delay?.total("millisecond") ?? 0;
    if (delay <= 0) return this.#inner.enqueue(message);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#inner.enqueue(message);
    }, delay);
    this.#timers.add(timer);
  }
  listen(handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions): Promise<void> {
    return this.#inner.listen(handler, options);
  }
  stop() {
    for (const timer of this.#timers) clearTimeout(timer);
  }
}

export interface NodeOptions {
  handle: string;
  blockedDomains?: string[];
  followPolicy?: FederationDeps["followPolicy"];
}

export async function startNode(options: NodeOptions): Promise<TestNode> {
  const db = await openDatabase();
  await applyFederationMigration(db);
  const queue = new StoppableQueue();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deps: FederationDeps = {
    origin,
    city: { handle: options.handle, name: `Stadt ${options.handle}`, municipalityId: `id-${options.handle}`, website: `https://${options.handle}.example/` },
    store: createFederationRepository(db),
    blockedDomains: options.blockedDomains ?? [],
    followPolicy: options.followPolicy ?? acceptAllFollowers,
    logger: silentLogger,
    kv: new MemoryKvStore(),
    queue,
    allowPrivateAddress: true,
    softwareVersion: "0.1.0",
  };
  const federation = await createFederation(deps);
  const middleware = createFederationMiddleware(federation, { origin, contextData: deps });
  server.on("request", (req, res) => {
    void middleware(req, res, (error) => {
      res.statusCode = error ? 500 : 404;
      res.end(error ? "error" : "not here");
    });
  });
  const queueRunning = new AbortController();
  void federation.startQueue(deps, { signal: queueRunning.signal });
  return {
    handle: options.handle,
    origin,
    actorUrl: `${origin}/actors/${options.handle}`,
    db,
    deps,
    federation,
    following: createFollowingService(federation, deps),
    async stop() {
      queueRunning.abort();
      queue.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

export async function startNodes(...handles: string[]): Promise<TestNode[]> {
  return Promise.all(handles.map((handle) => startNode({ handle })));
}

/** Polls until `check` returns a truthy value (deliveries are queued), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
