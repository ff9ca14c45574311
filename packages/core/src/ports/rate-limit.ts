/**
 * Counters of what each client used per fixed window (requests, query cost points); chargeRate
 * reads the current and the previous window to slide.
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

/**
 * Charges `points` to a client under a rule. Sliding window (as Cloudflare counts): the client's
 * use is this window's points plus the previous window's, weighted by how much of the previous
 * window still lies within the last `windowMs`; so a client cannot spend a whole budget at the end
 * of one window and another at the start of the next. Refused once that passes the limit.
 */
export async function chargeRate(store: RateLimitStore, rule: RateLimitRule, key: string, points: number, now: Date): Promise<RateDecision> {
  const window = rateWindowOf(now, rule.windowMs);
  const current = await store.add(key, window.start, points);
  // Adding nothing reads the previous window's counter.
  const previous = await store.add(key, new Date(window.start.getTime() - rule.windowMs), 0);
  const elapsed = (now.getTime() - window.start.getTime()) / rule.windowMs;
  const weighted = current + previous * (1 - elapsed);
  const used = Math.ceil(weighted);
  const resetSeconds = Math.max(1, Math.ceil((window.end.getTime() - now.getTime()) / 1000));
  if (weighted > rule.limit) {
    // Until the same charge would fit: later in this window once enough of the previous one has slid
    // out, else in the next one (where this window's points are the ones that slide out).
    const fitsThisWindow = previous > 0 && current + points <= rule.limit;
    const waitMs = fitsThisWindow
      ? rule.windowMs * (1 - (rule.limit - current - points) / previous - elapsed)
      : window.end.getTime() - now.getTime() + rule.windowMs * Math.min(1, Math.max(0, 1 - (rule.limit - points) / current));
    return { allowed: false, used, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  const remaining = Math.max(0, rule.limit - used);
  return { allowed: true, used, remaining, resetSeconds };
}

/** One process's counters (the default for a node that runs as one process). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, { windowStart: number; points: number }>();
  private lastSweep = 0;

  async add(key: string, windowStart: Date, points: number): Promise<number> {
    const start = windowStart.getTime();
    // Forget windows older than the previous one now and then, so the map holds only current clients.
    if (start > this.lastSweep) {
      for (const [name, counter] of this.counters) if (counter.windowStart < this.lastSweep) this.counters.delete(name);
      this.lastSweep = start;
    }
    const name = `${start}:${key}`;
    const counter = this.counters.get(name) ?? { windowStart: start, points: 0 };
    counter.points += points;
    if (counter.points > 0) this.counters.set(name, counter);
    return counter.points;
  }
}
