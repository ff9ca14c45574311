import { describe, expect, it } from "@jest/globals";
import { chargeRate, MemoryRateLimitStore, rateWindowOf } from "./rate-limit.ts";

describe("chargeRate on the memory store", () => {
  const rule = { limit: 10, windowMs: 60_000 };
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, seconds));

  it("allows a client up to the limit per window, then refuses and says how long to wait", async () => {
    const store = new MemoryRateLimitStore();
    expect(await chargeRate(store, rule, "a", 4, at(1))).toEqual({ allowed: true, used: 4, remaining: 6, resetSeconds: 59 });
    expect(await chargeRate(store, rule, "a", 6, at(2))).toMatchObject({ allowed: true, remaining: 0 });
    // Until the next window has left enough of this one behind (sliding: 30 s to its end, then 11 s).
    expect(await chargeRate(store, rule, "a", 1, at(30))).toEqual({ allowed: false, used: 11, retryAfterSeconds: 41 });
    // Another client has its own budget; a window later the client starts afresh.
    expect(await chargeRate(store, rule, "b", 1, at(31))).toMatchObject({ allowed: true, used: 1 });
    expect(await chargeRate(store, rule, "a", 1, at(120))).toMatchObject({ allowed: true });
  });

  it("aligns windows to the clock, so every process agrees on them", () => {
    expect(rateWindowOf(at(59), 60_000)).toEqual({ start: at(0), end: at(60) });
  });
});

describe("the window slides", () => {
  const rule = { limit: 10, windowMs: 60_000 };
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, 0) + seconds * 1000);

  it("a client that spends its budget at the end of a window cannot spend another at the start of the next", async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 10; i++) expect(await chargeRate(store, rule, "a", 1, at(59.5))).toMatchObject({ allowed: true });
    // One second later a fixed window would allow ten more; the last minute already holds ten.
    const refused = await chargeRate(store, rule, "a", 1, at(60.5));
    expect(refused).toMatchObject({ allowed: false });
    // It is told when the weighted rest of the last window has shrunk enough (not just "in a minute").
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Half a window on, half of the old budget counts: about four more fit (10 × 0.5 + the 1 refused + 4 ≤ 10).
    const later = [];
    for (let i = 0; i < 6; i++) later.push((await chargeRate(store, rule, "a", 1, at(90))).allowed);
    expect(later).toEqual([true, true, true, true, false, false]);
    // A whole window without the client: its full budget again.
    for (let i = 0; i < 10; i++) expect(await chargeRate(store, rule, "a", 1, at(180))).toMatchObject({ allowed: true });
    expect(await chargeRate(store, rule, "b", 10, at(60.5))).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("a client that waits the Retry-After it was given is let in", async () => {
    const store = new MemoryRateLimitStore();
    await chargeRate(store, rule, "a", 10, at(59));
    const refused = await chargeRate(store, rule, "a", 1, at(61));
    if (refused.allowed) throw new Error("should be refused");
    expect(refused.retryAfterSeconds).toBeLessThan(60);
    expect(await chargeRate(store, rule, "a", 1, at(61 + refused.retryAfterSeconds))).toMatchObject({ allowed: true });
  });
});
