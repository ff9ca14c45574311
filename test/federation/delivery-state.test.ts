import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createExponentialBackoffPolicy } from "@leitplanken/activitypub";
import { recordIri } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { startFollowerSink, type FollowerSink } from "../../packages/activitypub/src/testing/follower-sink.ts";
import { eventually, startNode, type TestNode } from "./harness.ts";

const retryTwice = createExponentialBackoffPolicy({ initialDelay: { milliseconds: 50 }, maxDelay: { milliseconds: 100 }, maxAttempts: 2, jitter: false });
// The failing host fails 6 times (2 activities, 3 attempts each); a breaker opening at its 5th failure
// (Fedify's default) holds whichever activity is not yet at its last attempt, and Fedify counts no
// attempts while it holds: it probes until heldActivityTtl (7 days), never reaching the retry policy's
// end. Which activity that is depends on whether the Note's delivery was enqueued before the record's
// first attempt failed (one ordering key: first in, first out), which a busy machine decides. Here the
// breaker does not open; record-delivery and catch-up test the breaker's holding.
const noBreakerWithinTheTest = { failureThreshold: 7 };

describe("delivery state per follower", () => {
  let a: TestNode;
  let sink: FollowerSink;
  const [healthy, failing, gone] = [0, 1, 2];
  beforeAll(async () => {
    a = await startNode({ handle: "attendorn", deliveryRetry: { outbox: retryTwice, inbox: retryTwice, circuitBreaker: noBreakerWithinTheTest } });
    // The Accept reaches every follower; then one inbox keeps failing and one is gone.
    // Each follower on its own host (port), as cities are.
    sink = await startFollowerSink({
      followers: 3,
      servers: 3,
      respond: (follower, activity) => (activity.type === "Accept" || follower.index === healthy ? 202 : follower.index === failing ? 500 : 410),
    });
    for (const follower of sink.followers) expect(await sink.follow(follower, a.actorUrl, `${a.actorUrl}/inbox`)).toBe(202);
    await eventually(async () => sink.receipts.filter((receipt) => receipt.type === "Accept").length === 3);
  });
  afterAll(async () => {
    await a?.stop();
    await sink?.close();
  });

  it("records a failure for good after the last retry, and a 410 Gone removes the follower", async () => {
    expect((await a.deps.store.listFollowers({ state: "accepted" })).map((follower) => follower.actorId).sort()).toEqual(
      sink.followers.map((follower) => follower.actorId).sort(),
    );
    const [model] = demoRecords({
      actor: a.actorUrl,
      iri: (kind, slug) => recordIri(a.origin, kind, slug.replace("/", ".")),
      now: new Date("2026-03-01T09:00:00Z"),
    }).models;
    await a.app.records.seedRecords({ guidelines: [], useCases: [], models: [model!] });

    const [healthyActor, failingActor, goneActor] = sink.followers.map((follower) => follower.actorId) as [string, string, string];
    // Two activities (the record's Create and the Note's Create), each given up after three attempts.
    const failures = await eventually(async () => {
      const recorded = await a.deps.store.listDeliveryFailures(failingActor);
      return recorded.length === 2 && recorded;
    });
    expect(failures.map((failure) => failure.statusCode)).toEqual([500, 500]);
    const creates = (index: number) => sink.receipts.filter((receipt) => receipt.follower === index && receipt.type === "Create");
    // Three attempts per activity; Fedify knocks twice on each (RFC 9421, then draft-cavage).
    expect(creates(failing)).toHaveLength(12);
    expect(new Set(creates(failing).map((receipt) => receipt.activityId)).size).toBe(2);

    await eventually(async () => (await a.deps.store.findFollower(goneActor)) === null);
    expect((await a.deps.store.listDeliveryFailures(goneActor)).map((failure) => failure.statusCode)).toContain(410);
    // 410 is not retried: one attempt (of two knocks) per activity.
    const knocks = new Map<string, number>();
    for (const receipt of creates(gone)) knocks.set(receipt.activityId, (knocks.get(receipt.activityId) ?? 0) + 1);
    expect([...knocks.values()]).toEqual(Array(knocks.size).fill(2));

    expect(creates(healthy)).toHaveLength(2);
    expect(await a.deps.store.listDeliveryFailures(healthyActor)).toEqual([]);
    expect((await a.deps.store.listFollowers()).map((follower) => follower.actorId).sort()).toEqual([healthyActor, failingActor].sort());
    expect(sink.refused).toBe(0);
  });
});
