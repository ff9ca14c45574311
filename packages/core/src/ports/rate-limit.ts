/**
 * Counters of what each client used in the current window (requests, query cost points).
 * In memory for one process; in the database (`createRateLimitStore` in @leitplanken/db) when
 * several web processes behind a load balancer must share them.
 */
export interface RateLimitStore {
  /**
   * Adds `points` to `key`'s counter of the fixed window that starts at `windowStart` and returns
   * the counter after adding (one atomic step, also across processes).
   */
  add(key: string, windowStart: Date, points: number): Promise<number>;
}

export interface RateLimitRule {
  /** Points (requests, or cost points) a client may use per window. */
  limit: number;
  windowMs: number;
}

export type RateDecision =
  { allowed: true; used: number; remaining: number; resetSeconds: number } | { allowed: false; used: number; retryAfterSeconds: number };

/** The window a moment falls in (fixed windows aligned to the epoch, so every process agrees). */
export function rateWindowOf(now: Date, windowMs: number): { start: Date; end: Date } {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start: new Date(start), end: new Date(start + windowMs) };
}

/** Charges `points` to a client under a rule; refused once the window's total passes the limit. */
export async function chargeRate(store: RateLimitStore, rule: RateLimitRule, key: string, points: number, now: Date): Promise<RateDecision> {
  const window = rateWindowOf(now, rule.windowMs);
  const used = await store.add(key, window.start, points);
  const resetSeconds = Math.max(1, Math.ceil((window.end.getTime() - now.getTime()) / 1000));
  if (used > rule.limit) return { allowed: false, used, retryAfterSeconds: resetSeconds };
  return { allowed: true, used, remaining: rule.limit - used, resetSeconds };
}

/** One process's counters (the default for a node that runs as one process). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, { windowStart: number; points: number }>();
  private lastSweep = 0;

  async add(key: string, windowStart: Date, points: number): Promise<number> {
    const start = windowStart.getTime();
    // Forget finished windows now and then, so the map holds only current clients.
    if (start !== this.lastSweep) {
      for (const [name, counter] of this.counters) if (counter.windowStart < start) this.counters.delete(name);
      this.lastSweep = start;
    }
    const counter = this.counters.get(key);
    if (counter && counter.windowStart === start) counter.points += points;
    else this.counters.set(key, { windowStart: start, points });
    return this.counters.get(key)!.points;
  }
}
