import type { RateLimitStore } from "@leitplanken/core";
import type { Queryable } from "./database.ts";

/**
 * Core's `RateLimitStore` in the database: one upsert per charge, atomic across processes, so
 * web processes behind a load balancer share each client's budget. Finished windows are deleted
 * at most once a minute (by whichever process charges first after that).
 */
export function createRateLimitStore(db: Queryable, options: { keepMs?: number } = {}): RateLimitStore {
  const keepMs = options.keepMs ?? 3_600_000;
  let nextSweep = 0;
  return {
    async add(key, windowStart, points) {
      const now = Date.now();
      if (now >= nextSweep) {
        nextSweep = now + 60_000;
        await db.query("DELETE FROM rate_limit_counters WHERE window_start < $1", [new Date(now - keepMs)]);
      }
      const { rows } = await db.query<{ points: number }>(
        `INSERT INTO rate_limit_counters (key, window_start, points) VALUES ($1, $2, $3)
         ON CONFLICT (key, window_start) DO UPDATE SET points = rate_limit_counters.points + excluded.points
         RETURNING points`,
        [key, windowStart, points],
      );
      return Number(rows[0]!.points);
    },
  };
}
