// Starts real nodes on 127.0.0.1 as `leitplanken serve` composes them (server's `assembleNode`:
// the database, the application layer, Fedify on the database-backed queue and key-value store,
// the GraphQL API, the pages, the outbox dispatcher and the catch-up), each on its own migrated
// PGlite database. Only the overrides differ: loopback addresses, fast retries, a recording log.
import { Writable } from "node:stream";
import type express from "express";
import type { Application } from "@leitplanken/app";
import {
  circuitBreakerState,
  createExponentialBackoffPolicy,
  importJwk,
  signRequest,
  type CatchUpOptions,
  type CityFederation,
  type DeliveryRetry,
  type FederationDeps,
  type RecordRepositories,
} from "@leitplanken/activitypub";
import {
  sharedModelContentOf,
  type FederatedRecord,
  useCaseContentOf,
  type AdoptionRepository,
  type FollowingPort,
  type Principal,
  type SharedModel,
  type SharedModelContent,
  type UseCase,
  type UseCaseContent,
} from "@leitplanken/core";
import { type Database } from "@leitplanken/db";
import { testDatabase } from "@leitplanken/db/testing";
import { assembleNode, createLogger, loadConfig, type NodeOverrides, type RunningNode } from "@leitplanken/server";

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
  /** The node as the server composed it (its API at `${origin}/graphql`, its pages, its configuration). */
  node: RunningNode;
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
  /** Domains (or host:port) this node never federates with, as LEITPLANKEN_BLOCKED_DOMAINS. */
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
  /** The catch-up worker's timing; default: retries after 0.2 s doubling up to 1 s (looked for every 0.2 s), syncs every 5 minutes as in production. */
  catchUp?: CatchUpOptions;
  /** Runs before the node's own routes; returns true when it answered the request itself. */
  intercept?: (req: express.Request, res: express.Response) => boolean | Promise<boolean>;
  /** Further overrides of the node's composition (web and network harnesses: tokens, seed, rate limits, hooks). */
  overrides?: NodeOverrides;
  /** Further configuration, as environment variables (e.g. LEITPLANKEN_NAME). */
  environment?: Record<string, string>;
}

const logLevels: Record<number, LogEntry["level"]> = { 30: "info", 40: "warn", 50: "error", 60: "error" };

/** A JSON log (the node's pino logger) whose lines land in `logs`, parsed. */
function recordingLogger(logs: LogEntry[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        const { level, msg, time: _time, pid: _pid, hostname: _hostname, service: _service, ...fields } = JSON.parse(line) as Record<string, unknown>;
        const known = logLevels[level as number];
        if (known) logs.push({ level: known, message: String(msg ?? ""), fields });
      }
      done();
    },
  });
  return createLogger("info", sink);
}

export async function startNode(options: NodeOptions): Promise<TestNode> {
  const db = options.restart?.db ?? (await testDatabase({ backend: "pglite" }));
  const logs: LogEntry[] = [];
  const { handle } = options;
  const configured = loadConfig({
    LEITPLANKEN_HANDLE: handle,
    LEITPLANKEN_NAME: `Stadt ${handle}`,
    LEITPLANKEN_MUNICIPALITY_ID: `id-${handle}`,
    LEITPLANKEN_WEBSITE: `https://${handle}.example/`,
    LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
    // A busy 2-core machine running two test files at a time is slow; the deadline is not under test here.
    LEITPLANKEN_REQUEST_TIMEOUT: "120",
    ...options.environment,
  });
  const node = await assembleNode(
    // The port the OS picks (or the one of the node this restarts); blocks as given (a host:port too).
    { ...configured, port: options.restart?.port ?? 0, blockedDomains: options.blockedDomains ?? [] },
    {
      host: "127.0.0.1",
      originFromPort: true,
      database: db,
      logger: recordingLogger(logs),
      // LogTape is configured once per process: with several nodes in it, it would log into the newest.
      libraryLogs: false,
      // Fast retries. The queue's poll is only a fallback (an enqueue and a due retry wake it at once),
      // so it keeps its default. With polls every 50 ms here, 50 ms for the catch-up and 200 ms for the
      // dispatcher an idle node used 5.3 % of a core; with these 2.5-2.9 %.
      queue: { retryBaseMs: 100, retryMaxMs: 500 },
      deliveryRetry: options.deliveryRetry ?? fastDeliveryRetry,
      outboxPageSize: options.outboxPageSize,
      followPolicy: options.followPolicy,
      checkInboxAddresses: options.checkInboxAddresses,
      // A failed sync is found by the catch-up's poll: every 200 ms, as often as its first retry.
      catchUp: { pollMs: 200, retryBaseMs: 200, retryMaxMs: 1_000, ...options.catchUp },
      // New events wake the dispatcher at once; its poll finds the retries of failed ones.
      dispatcher: { pollIntervalMs: 500 },
      intercept: options.intercept,
      ...options.overrides,
    },
  );
  const { origin } = node.config;
  const { port } = node.config;
  const listen = () => new Promise<void>((resolve) => node.server.listen(port, "127.0.0.1", resolve));
  const shutDown = async () => {
    await node.close();
    return { db, port };
  };
  return {
    handle,
    node,
    origin,
    actorUrl: `${origin}/actors/${handle}`,
    db,
    deps: node.federationDeps,
    records: node.records,
    adoptions: node.adoptions,
    federation: node.federation,
    following: node.following,
    app: node.application,
    logs,
    async goOffline() {
      node.server.closeAllConnections();
      await new Promise<void>((resolve) => node.server.close(() => resolve()));
    },
    comeOnline: listen,
    shutDown,
    async stop() {
      await shutDown();
      await db.close();
    },
  };
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
/** What travels of a record (a use case's internal review stays home), without provenance. */
function travelling(record: FederatedRecord): object {
  const { provenance: _provenance, ...content } = record;
  if (!("workflow" in content)) return content;
  const { submitted: _submitted, sentBack: _sentBack, ...workflow } = content.workflow;
  return { ...content, workflow };
}

/** The node's own public records, or the copies it holds of `origin`'s, by IRI. */
export async function recordsFrom(node: TestNode, origin: TestNode, own: boolean): Promise<Map<string, object>> {
  const filter = own ? { source: "local" as const } : { originActor: origin.actorUrl, source: "received" as const };
  const page = { first: 100 };
  const [guidelines, useCases, models] = await Promise.all([
    node.records.guidelines.list({ ...filter, currentOnly: false }, page),
    node.records.useCases.list(filter, page),
    node.records.sharedModels.list(filter, page),
  ]);
  const all: FederatedRecord[] = [
    ...guidelines.items.filter((guideline) => guideline.state === "published"),
    ...useCases.items.filter((useCase) => useCase.workflow.state === "published"),
    ...models.items.filter((model) => model.state === "published"),
  ];
  return new Map(all.map((record) => [record.id, travelling(record)]));
}

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
