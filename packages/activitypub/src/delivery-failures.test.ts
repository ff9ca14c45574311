import { describe, expect, it } from "@jest/globals";
import { Temporal } from "@js-temporal/polyfill";
import type { RetryPolicy } from "@fedify/fedify";
import { defaultDeliveryRetry } from "./federation.ts";

/** The waits Fedify schedules between delivery attempts under a policy, until it gives up. */
function schedule(policy: RetryPolicy): number[] {
  const waits: number[] = [];
  for (let attempts = 0; ; attempts++) {
    const delay = policy({ elapsedTime: Temporal.Duration.from({ milliseconds: waits.reduce((a, b) => a + b, 0) }), attempts } as Parameters<RetryPolicy>[0]);
    if (delay === null) return waits;
    waits.push(delay.total({ unit: "millisecond" }));
  }
}

describe("default delivery retries", () => {
  it("keep retrying a failed delivery for more than 24 hours before it is recorded as failed", () => {
    const hour = 3_600_000;
    for (const policy of [defaultDeliveryRetry.outbox, defaultDeliveryRetry.inbox]) {
      const waits = schedule(policy);
      expect(waits).toHaveLength(14); // 15 attempts in all
      expect(waits[0]).toBeGreaterThanOrEqual(60_000);
      expect(Math.max(...waits)).toBeLessThanOrEqual(6 * hour);
      // 1, 2, 4, … 256 minutes, then 6 hours five times: at least 38.5 hours (jitter only adds).
      expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(38.5 * hour);
    }
  });
});
