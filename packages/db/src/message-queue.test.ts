import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Temporal } from "@js-temporal/polyfill";
import { openDatabase, type Database, type Queryable } from "./database.ts";
import type { QueueWorkerConfig } from "./fixtures/queue-worker.ts";
import { PostgresMessageQueue, defaultQueueConcurrency, queueLanes } from "./message-queue.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const fast = { pollIntervalMs: 20, retryBaseMs: 100, retryMaxMs: 1_000 };
const workerScript = path.join(import.meta.dirname, "fixtures", "queue-worker.ts");

/** Resolves once check() holds, polling; fails after timeoutMs. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** A promise and the function that resolves it. */
function released(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** The database, with the statements sent through it and the size of each claim recorded. */
function observed(db: Database) {
  const statements: string[] = [];
  const claims: number[] = [];
  const counted: Database = {
    ...db,
    query: async <Row>(text: string, params?: readonly unknown[]) => {
      statements.push(text);
      const result = await db.query<Row>(text, params);
      if (text.includes("WITH due AS")) claims.push((result.rows as { id: number | null }[]).filter((row) => row.id !== null).length);
      return result;
    },
  };
  return { counted, statements, claims };
}

/** Runs queue.listen until stop() is called; stop() resolves when listen has returned. */
function listening(queue: PostgresMessageQueue, handler: (message: unknown) => Promise<void> | void) {
  const controller = new AbortController();
  const done = queue.listen(handler, { signal: controller.signal });
  return {
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** A child process running fixtures/queue-worker.ts, with its stdout lines collected. */
function startWorker(config: QueueWorkerConfig) {
  const child = spawn(process.execPath, [workerScript, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  const lines: string[] = [];
  let stderr = "";
  let buffered = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    async waitFor(line: string, timeoutMs = 20_000) {
      await eventually(() => {
        if (child.exitCode !== null) throw new Error(`worker ${config.worker} exited early (${child.exitCode}): ${stderr}`);
        return lines.includes(line);
      }, timeoutMs);
    },
    // A PGlite worker's start and close (which writes the file database) took 4–7 s each at load 10–18:
    // 20 s was too short for the second worker of the SIGKILL tests.
    async finished(timeoutMs = 60_000) {
      const timeout = new AbortController();
      const result = await Promise.race([exited, sleep(timeoutMs, undefined, { signal: timeout.signal }).then(() => undefined)]);
      timeout.abort();
      if (!result) {
        child.kill("SIGKILL");
        throw new Error(`worker ${config.worker} did not stop within ${timeoutMs} ms; stderr: ${stderr}`);
      }
      if (result.code !== 0) throw new Error(`worker ${config.worker} failed (${result.code ?? result.signal}): ${stderr}`);
    },
  };
}

const handledTable = "CREATE TABLE handled (n int NOT NULL, worker text NOT NULL)";

async function handledCounts(db: Database): Promise<{ rows: number; distinct: number; byWorker: Record<string, number> }> {
  const { rows } = await db.query<{ worker: string; count: number; distinct: number }>(
    "SELECT worker, count(*) AS count, count(DISTINCT n) AS distinct FROM handled GROUP BY ROLLUP (worker)",
  );
  const total = rows.find((row) => row.worker === null);
  return {
    rows: total?.count ?? 0,
    distinct: total?.distinct ?? 0,
    byWorker: Object.fromEntries(rows.filter((row) => row.worker !== null).map((row) => [row.worker, row.count])),
  };
}

describe.each(storageBackends())("PostgresMessageQueue on %s", (backend) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await testDatabase({ backend });
  });

  afterAll(async () => {
    await db.close();
  });

  afterEach(async () => {
    await db.query("DELETE FROM fedify_queue");
  });

  it("hands each message to the handler once and then removes it", async () => {
    const queue = new PostgresMessageQueue(db, fast);
    const received: unknown[] = [];
    const worker = listening(queue, (message) => {
      received.push(message);
    });
    await queue.enqueue({ type: "deliver", inbox: "https://example.org/inbox" });
    await queue.enqueueMany([{ n: 1 }, { n: 2 }]);
    await eventually(() => received.length === 3);
    await worker.stop();

    expect(received).toEqual([{ type: "deliver", inbox: "https://example.org/inbox" }, { n: 1 }, { n: 2 }]);
    expect(await queue.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
  });

  it("holds a delayed message back until its time", async () => {
    const queue = new PostgresMessageQueue(db, fast);
    const handledAt: number[] = [];
    const enqueuedAt = Date.now();
    await queue.enqueue({ later: true }, { delay: Temporal.Duration.from({ milliseconds: 700 }) });
    await queue.enqueue({ now: true });
    expect(await queue.getDepth()).toEqual({ queued: 2, ready: 1, delayed: 1 });

    const worker = listening(queue, () => {
      handledAt.push(Date.now() - enqueuedAt);
    });
    await eventually(() => handledAt.length === 2);
    await worker.stop();
    expect(handledAt[0]).toBeLessThan(600);
    expect(handledAt[1]).toBeGreaterThanOrEqual(650);
  });

  it("refuses a negative delay and stores nothing", async () => {
    const queue = new PostgresMessageQueue(db, fast);
    await expect(queue.enqueue({}, { delay: Temporal.Duration.from({ seconds: -1 }) })).rejects.toThrow(RangeError);
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("retries a throwing handler with growing delays, recording attempts and the error, until it succeeds", async () => {
    const queue = new PostgresMessageQueue(db, fast);
    const attemptsAt: number[] = [];
    let recorded: { attempts: number; last_error: string | null } | undefined;
    const worker = listening(queue, async () => {
      attemptsAt.push(Date.now());
      if (attemptsAt.length === 2) {
        const { rows } = await db.query<{ attempts: number; last_error: string | null }>("SELECT attempts, last_error FROM fedify_queue");
        recorded = rows[0];
      }
      if (attemptsAt.length < 4) throw new Error(`remote inbox down (try ${attemptsAt.length})`);
    });
    await queue.enqueue({ flaky: true });
    await eventually(() => attemptsAt.length === 4);
    await worker.stop();

    expect(recorded).toEqual({ attempts: 2, last_error: expect.stringContaining("remote inbox down (try 1)") });
    const gaps = attemptsAt.slice(1).map((at, i) => at - (attemptsAt[i] ?? at));
    // Backoff 100, 200, 400 ms: each gap is at least its delay, and the last (400) is longer than the first (100).
    // Neighbouring gaps are not compared: polling on a loaded machine stretched one 100 ms gap past the next one.
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(190);
    expect(gaps[2]).toBeGreaterThanOrEqual(390);
    expect(gaps[2]).toBeGreaterThan(gaps[0] ?? Infinity);
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("lets the handler in hand finish when the signal aborts, then resolves", async () => {
    const queue = new PostgresMessageQueue(db, fast);
    let started = false;
    let finished = false;
    const worker = listening(queue, async () => {
      started = true;
      await sleep(300);
      finished = true;
    });
    await queue.enqueue({ slow: true });
    await eventually(() => started);
    await worker.stop();

    expect(finished).toBe(true);
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("handles messages with one ordering key one after the other, in order", async () => {
    const queue = new PostgresMessageQueue(db, fast);
    const events: string[] = [];
    const handler = async (message: unknown) => {
      const { n } = message as { n: number };
      events.push(`start ${n}`);
      await sleep(20);
      events.push(`end ${n}`);
    };
    await queue.enqueueMany([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }], { orderingKey: "https://example.org/notes/1" });
    const workers = [listening(queue, handler), listening(queue, handler)];
    await eventually(() => events.length === 8);
    await Promise.all(workers.map((worker) => worker.stop()));

    expect(events).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3", "start 4", "end 4"]);
  });

  it("gives each message to exactly one of two workers", async () => {
    // On PostgreSQL the second worker has its own connection pool, as another process would.
    const otherDb = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : db;
    try {
      const seen = new Map<number, string[]>();
      const handlerFor = (name: string) => (message: unknown) => {
        const { n } = message as { n: number };
        seen.set(n, [...(seen.get(n) ?? []), name]);
      };
      const queueA = new PostgresMessageQueue(db, fast);
      const queueB = new PostgresMessageQueue(otherDb, fast);
      const workers = [listening(queueA, handlerFor("a")), listening(queueB, handlerFor("b"))];
      await queueA.enqueueMany(Array.from({ length: 100 }, (_, n) => ({ n })));
      await eventually(async () => (await queueA.getDepth()).queued === 0 && seen.size === 100);
      await Promise.all(workers.map((worker) => worker.stop()));

      expect([...seen.values()].every((names) => names.length === 1)).toBe(true);
      expect(seen.size).toBe(100);
    } finally {
      if (otherDb !== db) await otherDb.close();
    }
  });

  it("runs up to `concurrency` handlers at once and takes several messages with one statement, never an empty claim after a message", async () => {
    const { counted, statements, claims } = observed(db);
    const queue = new PostgresMessageQueue(counted, { ...fast, pollIntervalMs: 600_000, concurrency: 4 });
    let running = 0;
    let mostAtOnce = 0;
    const gate = released();
    const handled: number[] = [];
    const worker = listening(queue, async (message) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      if (running === 4) gate.resolve();
      // The first four wait until all four run at once: only concurrent handlers get past this.
      await gate.promise;
      handled.push((message as { n: number }).n);
      running--;
    });
    await eventually(() => claims.length >= 1); // the first look at the empty queue
    await queue.enqueueMany(Array.from({ length: 20 }, (_, n) => ({ n })));
    await eventually(() => handled.length === 20);
    await worker.stop();

    expect(mostAtOnce).toBe(4);
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    // 20 messages, up to 16 per claim (4 × concurrency: the ones beyond the free slots wait in hand),
    // the next claim only once none is left waiting; after the start only the claim after a last
    // full batch finds nothing.
    expect(claims.reduce((sum, n) => sum + n, 0)).toBe(20);
    expect(Math.max(...claims)).toBe(16);
    expect(claims.length).toBeLessThanOrEqual(4);
    expect(claims.slice(1).filter((n) => n === 0).length).toBeLessThanOrEqual(1);
    // The deletes of messages finishing together share a statement.
    expect(statements.filter((text) => text.startsWith("DELETE FROM fedify_queue")).length).toBeLessThan(20);
    expect(await queue.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
  });

  it("stores messages enqueued at the same moment with one statement, each with its own ordering key, in order per key", async () => {
    const { counted, statements, claims } = observed(db);
    const queue = new PostgresMessageQueue(counted, { ...fast, pollIntervalMs: 600_000, concurrency: 4 });
    const handled: { key: string; n: number }[] = [];
    const worker = listening(queue, async (message) => {
      await sleep(5);
      handled.push(message as { key: string; n: number });
    });
    await eventually(() => claims.length >= 1);
    // As Fedify fans out: one enqueue per inbox, each keyed by the object and the inbox's origin; two rounds.
    const keys = Array.from({ length: 10 }, (_, inbox) => `https://example.org/notes/1\nhttps://host${inbox}.example`);
    await Promise.all([0, 1].flatMap((n) => keys.map((key) => queue.enqueue({ key, n }, { orderingKey: key }))));
    await eventually(() => handled.length === 20);
    await worker.stop();

    expect(statements.filter((text) => text.includes("INSERT INTO fedify_queue")).length).toBeLessThanOrEqual(2);
    for (const key of keys) expect(handled.filter((message) => message.key === key).map((message) => message.n)).toEqual([0, 1]);
    // Finishing a keyed message looks again only when a later message of its key was waiting.
    expect(claims.slice(1).filter((n) => n === 0).length).toBeLessThanOrEqual(1);
  });

  it("gives the claimed messages that never started back to the lane when the signal aborts, for the next worker at once", async () => {
    const queue = new PostgresMessageQueue(db, { ...fast, pollIntervalMs: 600_000, concurrency: 1, batchSize: 4, leaseMs: 600_000 });
    const release = released();
    const handled: number[] = [];
    let started = 0;
    const first = listening(queue, async (message) => {
      started++;
      await release.promise;
      handled.push((message as { n: number }).n);
    });
    await queue.enqueueMany(Array.from({ length: 4 }, (_, n) => ({ n })));
    await eventually(() => started === 1);
    // One runs, three wait in hand: all four are leased to this worker for ten minutes.
    expect(await queue.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
    const stopped = first.stop();
    release.resolve();
    await stopped;
    expect(handled).toEqual([0]);
    const { rows } = await db.query<{ locked: boolean; attempts: number }>("SELECT locked_until IS NOT NULL AS locked, attempts FROM fedify_queue ORDER BY id");
    expect(rows).toEqual(Array.from({ length: 3 }, () => ({ locked: false, attempts: 0 })));

    const second = listening(queue, (message) => {
      handled.push((message as { n: number }).n);
    });
    await eventually(() => handled.length === 4);
    await second.stop();
    expect(handled).toEqual([0, 1, 2, 3]);
  });

  it("sizes a lane whose concurrency is given as undefined (an unset setting) by the machine, not 1", () => {
    const lanes = queueLanes(db, { concurrency: { outbox: undefined, inbox: 3 } });
    expect(lanes.outbox.concurrency).toBe(defaultQueueConcurrency().outbox);
    expect(lanes.outbox.concurrency).toBeGreaterThanOrEqual(4);
    expect(lanes.inbox.concurrency).toBe(3);
    expect(lanes.fanout.concurrency).toBe(defaultQueueConcurrency().fanout);
  });

  it("refuses a batchSize below concurrency", () => {
    expect(() => new PostgresMessageQueue(db, { concurrency: 8, batchSize: 4 })).toThrow("batchSize must be at least concurrency (8), got 4");
  });

  it("keeps lanes apart: a lane whose handlers are all stuck does not hold back another lane", async () => {
    const outbox = new PostgresMessageQueue(db, { ...fast, lane: "outbox", concurrency: 2 });
    const inbox = new PostgresMessageQueue(db, { ...fast, lane: "inbox", concurrency: 1 });
    const release = released();
    const delivered: unknown[] = [];
    const received: unknown[] = [];
    let stuck = 0;
    const deliveries = listening(outbox, async (message) => {
      stuck++;
      await release.promise;
      delivered.push(message);
    });
    const activities = listening(inbox, (message) => {
      received.push(message);
    });
    await outbox.enqueueMany(Array.from({ length: 10 }, (_, n) => ({ delivery: n })));
    await eventually(() => stuck === 2); // both of the lane's handlers are stuck
    await inbox.enqueue({ activity: 1 });
    await eventually(() => received.length === 1);
    expect(received).toEqual([{ activity: 1 }]);
    expect(delivered).toEqual([]);
    expect(await inbox.getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });

    release.resolve();
    await eventually(() => delivered.length === 10);
    await Promise.all([deliveries.stop(), activities.stop()]);
  });

  it("wakes an idle worker for a delayed message and for a lease that ran out, without polling", async () => {
    const queue = new PostgresMessageQueue(db, { ...fast, pollIntervalMs: 600_000 });
    const handled: unknown[] = [];
    const worker = listening(queue, (message) => {
      handled.push(message);
    });
    await eventually(async () => (await queue.getDepth()).queued === 0);
    await queue.enqueue({ later: true }, { delay: Temporal.Duration.from({ milliseconds: 300 }) });
    await eventually(() => handled.length === 1, 5_000);

    // A message leased by a worker that died: its lease runs out in 300 ms.
    await db.query(
      `INSERT INTO fedify_queue (payload, locked_until, lock_token, attempts)
       VALUES ('{"orphan": true}', now() + interval '300 milliseconds', gen_random_uuid(), 1)`,
    );
    await queue.enqueue({ now: true }); // the worker claims this one and learns when the lease runs out
    await eventually(() => handled.length === 3, 5_000);
    await worker.stop();
    expect(handled).toEqual([{ later: true }, { now: true }, { orphan: true }]);
  });

  it("wakes a worker of another queue object on the same database through NOTIFY", async () => {
    // On PostgreSQL with a pool of its own, as another process would have.
    const otherDb = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : db;
    try {
      const listeningQueue = new PostgresMessageQueue(otherDb, { ...fast, pollIntervalMs: 600_000 });
      const handled: unknown[] = [];
      const worker = listening(listeningQueue, (message) => {
        handled.push(message);
      });
      await eventually(async () => (await listeningQueue.getDepth()).queued === 0);
      await sleep(200); // the worker has looked once and now sleeps until woken
      await new PostgresMessageQueue(db, fast).enqueue({ from: "elsewhere" });
      await eventually(() => handled.length === 1, 5_000);
      await worker.stop();
      expect(handled).toEqual([{ from: "elsewhere" }]);
    } finally {
      if (otherDb !== db) await otherDb.close();
    }
  });

  it("gives up on a handler that hangs past handlerTimeoutMs: its slot goes to the next message and it is tried again", async () => {
    const queue = new PostgresMessageQueue(db, { ...fast, concurrency: 1, handlerTimeoutMs: 200 });
    const events: string[] = [];
    let hung = false;
    const worker = listening(queue, async (message) => {
      const { n } = message as { n: number };
      events.push(`start ${n}`);
      if (n === 1 && !hung) {
        hung = true;
        await new Promise(() => {}); // never settles, like a request to a host that never answers
      }
      events.push(`done ${n}`);
    });
    await queue.enqueue({ n: 1 });
    await queue.enqueue({ n: 2 });
    await eventually(() => events.includes("done 1") && events.includes("done 2"));
    await worker.stop();
    expect(events.indexOf("done 2")).toBeLessThan(events.indexOf("done 1"));
    const { rows } = await db.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue");
    expect(rows[0]?.n).toBe(0);
  });

  describe("ordering chains", () => {
    const heads = async () =>
      (await db.query<{ n: number; blocked: boolean }>("SELECT (payload ->> 'n')::int AS n, blocked FROM fedify_queue ORDER BY id")).rows;

    it("runs the heads of different keys at once while each key runs in order, one message at a time", async () => {
      const queue = new PostgresMessageQueue(db, { ...fast, concurrency: 4 });
      const keys = ["a", "b", "c", "d"];
      const runningPerKey = new Map<string, number>();
      let running = 0;
      let mostAtOnce = 0;
      let overlaps = 0;
      const handled = new Map<string, number[]>();
      const worker = listening(queue, async (message) => {
        const { key, n } = message as { key: string; n: number };
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        if ((runningPerKey.get(key) ?? 0) > 0) overlaps++;
        runningPerKey.set(key, (runningPerKey.get(key) ?? 0) + 1);
        await sleep(15);
        handled.set(key, [...(handled.get(key) ?? []), n]);
        runningPerKey.set(key, runningPerKey.get(key)! - 1);
        running--;
      });
      for (let n = 0; n < 5; n++) await Promise.all(keys.map((key) => queue.enqueue({ key, n }, { orderingKey: key })));
      await eventually(() => [...handled.values()].flat().length === 20);
      await worker.stop();

      expect(overlaps).toBe(0);
      expect(mostAtOnce).toBe(4);
      for (const key of keys) expect(handled.get(key)).toEqual([0, 1, 2, 3, 4]);
    });

    it("keeps one head per key for writers that bypass the queue (a raw INSERT, a DELETE of the head or of a waiting message)", async () => {
      await db.query(`INSERT INTO fedify_queue (payload, ordering_key) SELECT jsonb_build_object('n', n), 'raw' FROM generate_series(1, 3) AS n`);
      await db.query(`INSERT INTO fedify_queue (payload, ordering_key) VALUES ('{"n": 4}', 'raw'), ('{"n": 5}', NULL)`);
      expect(await heads()).toEqual([
        { n: 1, blocked: false },
        { n: 2, blocked: true },
        { n: 3, blocked: true },
        { n: 4, blocked: true },
        { n: 5, blocked: false },
      ]);
      await db.query(`DELETE FROM fedify_queue WHERE payload ->> 'n' = '3'`);
      expect((await heads()).filter((row) => !row.blocked).map((row) => row.n)).toEqual([1, 5]);
      await db.query(`DELETE FROM fedify_queue WHERE payload ->> 'n' IN ('1', '5')`);
      expect(await heads()).toEqual([
        { n: 2, blocked: false },
        { n: 4, blocked: true },
      ]);
      await db.query(`DELETE FROM fedify_queue WHERE payload ->> 'n' IN ('2', '4')`);
      expect(await heads()).toEqual([]);
    });

    it("keeps the order of each writer and handles every message once when two pools enqueue the same keys (in opposite orders) while workers on both take them", async () => {
      // On PostgreSQL with a pool of its own, as another process would have: enqueues, claims and deletes race.
      const otherDb = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : db;
      try {
        const queues = [new PostgresMessageQueue(db, { ...fast, concurrency: 4 }), new PostgresMessageQueue(otherDb, { ...fast, concurrency: 4 })];
        const keys = Array.from({ length: 6 }, (_, n) => `https://example.org/notes/1\nhttps://host${n}.example`);
        const runningPerKey = new Map<string, number>();
        let overlaps = 0;
        const handled: { key: string; writer: number; n: number }[] = [];
        const handler = async (message: unknown) => {
          const entry = message as { key: string; writer: number; n: number };
          if ((runningPerKey.get(entry.key) ?? 0) > 0) overlaps++;
          runningPerKey.set(entry.key, (runningPerKey.get(entry.key) ?? 0) + 1);
          await sleep(1 + (entry.n % 3));
          handled.push(entry);
          runningPerKey.set(entry.key, runningPerKey.get(entry.key)! - 1);
        };
        const workers = queues.map((queue) => listening(queue, handler));
        const rounds = 15;
        await Promise.all(
          queues.map(async (queue, writer) => {
            for (let n = 0; n < rounds; n++) {
              const ordered = writer === 0 ? keys : [...keys].reverse();
              await Promise.all(ordered.map((key) => queue.enqueue({ key, writer, n }, { orderingKey: key })));
              if (n % 4 === writer) await sleep(5);
            }
          }),
        );
        await eventually(() => handled.length === 2 * rounds * keys.length, 30_000);
        await Promise.all(workers.map((worker) => worker.stop()));

        expect(overlaps).toBe(0);
        expect(await heads()).toEqual([]);
        for (const key of keys)
          for (const writer of [0, 1])
            expect(handled.filter((entry) => entry.key === key && entry.writer === writer).map((entry) => entry.n)).toEqual(
              Array.from({ length: rounds }, (_, n) => n),
            );
      } finally {
        if (otherDb !== db) await otherDb.close();
      }
    });

    if (backend === "postgres") {
      describe("races between transactions (PostgreSQL: connections of their own)", () => {
        let otherDb: Database;
        const key = "https://example.org/notes/race\nhttps://inbox.example";
        /** A transaction on otherDb that runs first() and stays open until release() is called. */
        function heldOpen(first: (tx: Queryable) => Promise<unknown>) {
          const gate = released();
          const ready = released();
          const done = otherDb.transaction(async (tx) => {
            await first(tx);
            ready.resolve();
            await gate.promise;
          });
          return { ready: ready.promise, commit: async () => (gate.resolve(), await done) };
        }
        /** Settles with "waiting" if the promise has not settled within 300 ms. */
        const stillWaiting = (promise: Promise<unknown>) => Promise.race([promise.then(() => "done"), sleep(300).then(() => "waiting")]);
        /** `blocked` waits for the transaction `held` keeps open; then that commits and `blocked` finishes. */
        async function waitsForCommit(held: ReturnType<typeof heldOpen>, blocked: Promise<unknown>) {
          try {
            expect(await stillWaiting(blocked)).toBe("waiting");
          } finally {
            await held.commit();
            await blocked;
          }
        }

        beforeAll(async () => {
          otherDb = await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema });
        });
        afterAll(async () => {
          await otherDb.close();
        });

        it("two transactions enqueueing the first messages of one key at once make one head, not two", async () => {
          const first = heldOpen((tx) => new PostgresMessageQueue(tx).enqueue({ n: 1 }, { orderingKey: key }));
          await first.ready;
          // The second cannot see the first's message yet; it waits for the key's lock.
          const second = new PostgresMessageQueue(db).enqueue({ n: 2 }, { orderingKey: key });
          await waitsForCommit(first, second);
          expect(await heads()).toEqual([
            { n: 1, blocked: false },
            { n: 2, blocked: true },
          ]);
        });

        it("a head deleted while a message of its key is being enqueued hands over to that message", async () => {
          await new PostgresMessageQueue(db).enqueue({ n: 1 }, { orderingKey: key });
          // The enqueue sees the head and stores its message blocked; it commits only after the delete ran.
          const enqueue = heldOpen((tx) => new PostgresMessageQueue(tx).enqueue({ n: 2 }, { orderingKey: key }));
          await enqueue.ready;
          const deleted = db.query(`DELETE FROM fedify_queue WHERE payload ->> 'n' = '1'`);
          await waitsForCommit(enqueue, deleted);
          expect(await heads()).toEqual([{ n: 2, blocked: false }]);
        });

        it("a message enqueued while the delete of its key's head is not yet committed becomes the head", async () => {
          await new PostgresMessageQueue(db).enqueue({ n: 1 }, { orderingKey: key });
          const deletion = heldOpen((tx) => tx.query(`DELETE FROM fedify_queue WHERE payload ->> 'n' = '1'`));
          await deletion.ready;
          // The enqueue still sees the head (its delete is not committed) and guesses "blocked"; under the lock it learns better.
          const enqueued = new PostgresMessageQueue(db).enqueue({ n: 2 }, { orderingKey: key });
          await waitsForCommit(deletion, enqueued);
          expect(await heads()).toEqual([{ n: 2, blocked: false }]);
        });
      });
    }
  });

  describe("across processes", () => {
    let dataDir: string | undefined;
    let processDb: Database;
    let connection: Pick<QueueWorkerConfig, "url" | "schema" | "dataDir">;

    beforeAll(async () => {
      if (backend === "pglite") {
        // A PGlite database belongs to one process at a time: a file database, opened in turn.
        dataDir = await mkdtemp(path.join(os.tmpdir(), "leitplanken-queue-"));
        const fileDb = await testDatabase({ backend, dataDir });
        await fileDb.query(handledTable);
        await fileDb.close();
        connection = { dataDir };
      } else {
        processDb = await testDatabase({ backend });
        await processDb.query(handledTable);
        connection = { url: process.env.DATABASE_URL, schema: (processDb as TestDatabase).schema };
      }
    });

    afterAll(async () => {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      else await processDb.close();
    });

    it("handles every message exactly once after a worker is killed with SIGKILL in the middle of one", async () => {
      const total = 20;
      const first = startWorker({ ...connection, worker: "first", enqueue: total, handleMs: 150, leaseMs: 1_000 });
      // Messages 0–2 are done and message 3 is in hand (its row not yet written) when the kill comes.
      await first.waitFor("start 3");
      first.child.kill("SIGKILL");
      expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });

      const second = startWorker({ ...connection, worker: "second", enqueue: 0, handleMs: 0, leaseMs: 1_000, stopAfterHandled: total });
      await second.finished();
      // The second worker took message 3 only once the first one's lease had run out.
      expect(second.lines).toContain("start 3");

      const db = dataDir ? await openDatabase({ dataDir }) : processDb;
      try {
        const counts = await handledCounts(db);
        expect(counts).toEqual({ rows: total, distinct: total, byWorker: { first: 3, second: total - 3 } });
        const { rows } = await db.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue");
        expect(rows[0]?.n).toBe(0);
      } finally {
        if (dataDir) await db.close();
      }
    });

    it("handles every message exactly once after a worker with four handlers at once is killed with SIGKILL", async () => {
      const db = dataDir ? undefined : processDb;
      if (db) await db.query("DELETE FROM handled");
      else {
        const fileDb = await openDatabase({ dataDir });
        await fileDb.query("DELETE FROM handled");
        await fileDb.close();
      }
      const total = 24;
      const first = startWorker({ ...connection, worker: "first", enqueue: total, handleMs: 400, leaseMs: 1_000, concurrency: 4 });
      // Four messages in hand, none of them recorded yet.
      await first.waitFor("start 3");
      first.child.kill("SIGKILL");
      await first.exited;

      const second = startWorker({ ...connection, worker: "second", enqueue: 0, handleMs: 0, leaseMs: 1_000, concurrency: 4, stopAfterHandled: total });
      await second.finished();
      const check = dataDir ? await openDatabase({ dataDir }) : processDb;
      try {
        const counts = await handledCounts(check);
        expect(counts.rows).toBe(total);
        expect(counts.distinct).toBe(total);
        const { rows } = await check.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue");
        expect(rows[0]?.n).toBe(0);
      } finally {
        if (dataDir) await check.close();
      }
    });

    if (backend === "postgres") {
      it("lets two worker processes share 200 messages without handling any twice or losing any", async () => {
        await processDb.query("DELETE FROM handled");
        const total = 200;
        const workers = ["one", "two"].map((worker) =>
          startWorker({ ...connection, worker, enqueue: 0, handleMs: 2, leaseMs: 5_000, stopAfterHandled: total }),
        );
        await Promise.all(workers.map((worker) => worker.waitFor("listening")));
        await new PostgresMessageQueue(processDb).enqueueMany(Array.from({ length: total }, (_, n) => ({ n })));
        await Promise.all(workers.map((worker) => worker.finished()));

        const counts = await handledCounts(processDb);
        expect(counts.rows).toBe(total);
        expect(counts.distinct).toBe(total);
        expect(counts.byWorker.one).toBeGreaterThan(0);
        expect(counts.byWorker.two).toBeGreaterThan(0);
      });
    }
  });
});
