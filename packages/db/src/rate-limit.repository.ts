import type { RateLimitStore } from "@leitplanken/core";
import { getLogger } from "@logtape/logtape";
import type { Queryable } from "./database.ts";

const logger = getLogger(["leitplanken", "db", "rate-limit"]);

/** One client key's counter of one window, as this process knows it. */
interface Counter {
  key: string;
  windowStart: Date;
  /** The shared count (every process's points) as the database last answered it. */
  shared: number;
  /** This process's points not yet added to the shared count. */
  pending: number;
  /** Until the first answer from the database: the statement that brings it. */
  loading: Promise<void> | undefined;
  touchedAt: number;
}

export interface DatabaseRateLimitStore extends RateLimitStore {
  /** Adds this process's pending points to the shared counters now (and learns the others'). */
  flush(): Promise<void>;
}

/**
 * Core's `RateLimitStore` in the database, so web processes behind a load balancer share each
 * client's budget, without a statement per request: a client's first charge in a window is one
 * upsert that also reads its earlier windows; later charges count in this process at once and are
 * added to the shared counters every `flushMs` (one statement for all clients), which answers with
 * what the other processes added. Within one process the count is exact; across processes a client
 * can overdraw by what the others counted in the last `flushMs`. Finished windows are deleted at
 * most once a minute.
 */
export function createRateLimitStore(db: Queryable, options: { keepMs?: number; flushMs?: number } = {}): DatabaseRateLimitStore {
  const keepMs = options.keepMs ?? 3_600_000;
  const flushMs = options.flushMs ?? 1_000;
  const counters = new Map<string, Counter>();
  /** Per key: the earlier windows a first charge read ([from, to)); those without a row there had no points. */
  const readBack = new Map<string, { from: number; to: number }>();
  const nameOf = (key: string, windowStart: Date) => `${windowStart.getTime()}:${key}`;
  let nextSweep = 0;
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  /** The first charge of `key` in `windowStart`'s window: adds the points, reads the count and the key's earlier windows. */
  async function load(counter: Counter, points: number): Promise<void> {
    const { rows } = await db.query<{ window_start: Date; points: number }>(
      `WITH added AS (
         INSERT INTO rate_limit_counters (key, window_start, points) VALUES ($1, $2, $3)
         ON CONFLICT (key, window_start) DO UPDATE SET points = rate_limit_counters.points + excluded.points
         RETURNING window_start, points)
       SELECT window_start, points FROM added
       UNION ALL SELECT window_start, points FROM rate_limit_counters WHERE key = $1 AND window_start < $2 AND window_start >= $4`,
      [counter.key, counter.windowStart, points, new Date(counter.windowStart.getTime() - keepMs)],
    );
    readBack.set(counter.key, { from: counter.windowStart.getTime() - keepMs, to: counter.windowStart.getTime() });
    for (const row of rows) {
      const windowStart = new Date(row.window_start);
      if (windowStart.getTime() === counter.windowStart.getTime()) counter.shared = Number(row.points);
      else {
        const name = nameOf(counter.key, windowStart);
        if (!counters.has(name))
          counters.set(name, { key: counter.key, windowStart, shared: Number(row.points), pending: 0, loading: undefined, touchedAt: Date.now() });
      }
    }
  }

  async function flush(): Promise<void> {
    flushTimer = undefined;
    const now = Date.now();
    const due = [...counters.values()].filter((counter) => counter.pending > 0 && !counter.loading);
    const sent = due.map((counter) => counter.pending);
    for (const counter of due) counter.pending = 0;
    try {
      if (now >= nextSweep) {
        nextSweep = now + 60_000;
        await db.query("DELETE FROM rate_limit_counters WHERE window_start < $1", [new Date(now - keepMs)]);
      }
      // Clients not seen for a while are forgotten here (the database keeps their counts).
      for (const [name, counter] of counters)
        if (counter.pending === 0 && !counter.loading && counter.touchedAt < now - 2 * flushMs - 60_000) counters.delete(name);
      const known = new Set([...counters.values()].map((counter) => counter.key));
      for (const key of readBack.keys()) if (!known.has(key)) readBack.delete(key);
      if (due.length === 0) return;
      const { rows } = await db.query<{ key: string; window_start: Date; points: number }>(
        `INSERT INTO rate_limit_counters (key, window_start, points)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[])
         ON CONFLICT (key, window_start) DO UPDATE SET points = rate_limit_counters.points + excluded.points
         RETURNING key, window_start, points`,
        [due.map((counter) => counter.key), due.map((counter) => counter.windowStart), sent],
      );
      for (const row of rows) {
        const counter = counters.get(nameOf(row.key, new Date(row.window_start)));
        if (counter) counter.shared = Number(row.points);
      }
    } catch (error) {
      // Points not added stay this process's (counted again at the next flush).
      due.forEach((counter, index) => (counter.pending += sent[index]!));
      logger.warn("Could not add the rate-limit counters to the database: {error}", { error });
    }
  }

  const scheduleFlush = () => {
    flushTimer ??= setTimeout(() => void (flushing = flush().finally(() => (flushing = undefined))), flushMs).unref();
  };

  return {
    async add(key, windowStart, points) {
      const name = nameOf(key, windowStart);
      let counter = counters.get(name);
      const read = readBack.get(key);
      if (!counter && read && windowStart.getTime() >= read.from && windowStart.getTime() < read.to) {
        // An earlier window that the first charge of a later one found empty.
        counter = { key, windowStart, shared: 0, pending: 0, loading: undefined, touchedAt: Date.now() };
        counters.set(name, counter);
      }
      if (!counter) {
        counter = { key, windowStart, shared: 0, pending: 0, loading: undefined, touchedAt: Date.now() };
        const created = counter;
        counters.set(name, counter);
        counter.loading = load(counter, points).then(
          () => void (created.loading = undefined),
          (error: unknown) => {
            counters.delete(name);
            throw error;
          },
        );
        await counter.loading;
        return counter.shared + counter.pending;
      }
      counter.touchedAt = Date.now();
      if (counter.loading) await counter.loading;
      counter.pending += points;
      if (counter.pending > 0) scheduleFlush();
      return counter.shared + counter.pending;
    },
    async flush() {
      await flushing;
      if (flushTimer) clearTimeout(flushTimer);
      await flush();
    },
  };
}
