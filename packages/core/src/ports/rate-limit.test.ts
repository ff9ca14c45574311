import { describe, expect, it } from "@jest/globals";
import { chargeRate, MemoryRateLimitStore, rateWindowOf } from "./rate-limit.ts";

describe("chargeRate on the memory store", () => {
  const rule = { limit: 10, windowMs: 60_000 };
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, seconds));

  it("allows a client up to the limit per window, then refuses until the window ends", async () => {
    const store = new MemoryRateLimitStore();
    expect(await chargeRate(store, rule, "a", 4, at(1))).toEqual({ allowed: true, used: 4, remaining: 6, resetSeconds: 59 });
    expect(await chargeRate(store, rule, "a", 6, at(2))).toMatchObject({ allowed: true, remaining: 0 });
    expect(await chargeRate(store, rule, "a", 1, at(30))).toEqual({ allowed: false, used: 11, retryAfterSeconds: 30 });
    // Another client has its own budget; the next window starts afresh.
    expect(await chargeRate(store, rule, "b", 1, at(31))).toMatchObject({ allowed: true, used: 1 });
    expect(await chargeRate(store, rule, "a", 1, at(60))).toMatchObject({ allowed: true, used: 1 });
  });

  it("aligns windows to the clock, so every process agrees on them", () => {
    expect(rateWindowOf(at(59), 60_000)).toEqual({ start: at(0), end: at(60) });
  });
});
