// A follower is down (its node stopped: no HTTP, no queue) while its origin publishes, updates and
// withdraws records. The origin delivers as in production (first retry after a minute, Fedify's
// circuit breaker on with its production settings), so its deliveries fail, the breaker for the
// follower's server opens and holds them for 30 minutes. When the follower starts again it catches
// up from the origin's outbox (the production mechanism: a sync from its cursor at start) and holds
// exactly the origin's state within a bounded wait, long before any retry of the origin. Its fetch
// of the outbox also tells the origin that it is back: the origin closes the breaker and sends what
// it held right away, and the follower drops those deliveries as applied already (checked in a
// second step, so that the first shows the follower's catch-up alone).
//
// The real-world window is 10 minutes; this test keeps the follower down only until the origin's
// breaker has opened (what 10 minutes of failures lead to: 10 failed deliveries in seconds open it,
// and no retry comes before the first one after a minute). Nothing in the catch-up depends on how
// long the follower was down.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultDeliveryRetry, wakeCatchUp } from "@leitplanken/activitypub";
import { createDeliveryExpediter } from "@leitplanken/db";
import { recordIri, type SharedModel } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { circuitState, editor, eventually, logged, modelContent, recordsFrom, startNode, type TestNode } from "./harness.ts";

const CONVERGED_WITHIN_MS = 120_000;

describe("catch-up after downtime", () => {
  let a: TestNode;
  let b: TestNode;
  let updated: SharedModel;
  let withdrawn: SharedModel;
  let demo: ReturnType<typeof demoRecords>;

  beforeAll(async () => {
    [a, b] = await Promise.all([startNode({ handle: "arnsberg", deliveryRetry: defaultDeliveryRetry }), startNode({ handle: "bochum" })]);
    // First without resuming deliveries early, so that B's catch-up alone is seen.
    a.deps.deliveries = undefined;
    demo = demoRecords({ actor: a.actorUrl, iri: (kind, slug) => recordIri(a.origin, kind, slug.replace("/", ".")), now: new Date("2026-03-01T09:00:00Z") });
    [updated, withdrawn] = demo.models as [SharedModel, SharedModel];
    await a.app.records.seedRecords({ guidelines: [], useCases: [], models: [updated, withdrawn] });
    expect(await b.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    await logged(b, "backfill done", () => true, 30_000);
    await eventually(async () => (await b.records.sharedModels.get(withdrawn.id)) !== null);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("a follower that was down while its origin published, updated and withdrew holds exactly the origin's state soon after it is back", async () => {
    const down = await b.shutDown();
    const bHost = new URL(b.origin).host;

    // While B is down: a guideline version, the published use cases, a model changed, a model withdrawn.
    await a.app.records.seedRecords({
      guidelines: demo.guidelines,
      useCases: demo.useCases.filter((candidate) => candidate.workflow.state === "published"),
      models: [],
    });
    updated = { ...updated, version: "2.0.0", limitations: { de: "Neu bewertet.", en: "Re-assessed." } };
    expect(await a.app.models.update({ id: updated.id, content: modelContent(updated) }, editor)).toMatchObject({ ok: true });
    expect(await a.app.models.retire({ id: withdrawn.id }, editor)).toMatchObject({ ok: true });

    // Everything A did is in its outbox (its dispatcher has handed every event to Fedify's queue).
    await eventually(async () => {
      const pending = await a.db.query<{ n: number }>("SELECT count(*) AS n FROM outbox_events WHERE dispatched_at IS NULL");
      return pending.rows[0]!.n === 0;
    }, 60_000);
    // The deliveries to B failed; Fedify's breaker holds the rest for its recovery delay (30 minutes).
    await eventually(async () => (await circuitState(a, bHost))?.state === "open", 60_000);
    const { rows } = await a.db.query<{ waiting: number }>(
      "SELECT count(*) AS waiting FROM fedify_queue WHERE payload ->> 'type' = 'outbox' AND run_at > now() + interval '50 seconds'",
    );
    expect(rows[0]!.waiting).toBeGreaterThan(0);

    const backAt = Date.now();
    b = await startNode({ handle: "bochum", restart: down });
    const expected = await recordsFrom(a, a, true);
    await eventually(async () => {
      const held = await recordsFrom(b, a, false);
      return held.size === expected.size && [...expected].every(([id, record]) => JSON.stringify(held.get(id)) === JSON.stringify(record));
    }, CONVERGED_WITHIN_MS);
    const convergedAfterMs = Date.now() - backAt;

    expect(await recordsFrom(b, a, false)).toEqual(expected);
    expect(await b.records.sharedModels.get(withdrawn.id)).toBeNull();
    expect(await b.deps.store.findTombstone(withdrawn.id)).not.toBeNull();
    expect((await b.records.sharedModels.get(updated.id))?.version).toBe("2.0.0");
    expect(b.logs.find((entry) => entry.message === "catch-up done")?.fields).toMatchObject({ imported: expected.size, withdrawn: 1 });
    expect(convergedAfterMs).toBeLessThan(CONVERGED_WITHIN_MS);

    // B caught up by itself: A (composed here without resuming deliveries early) still holds its
    // deliveries to B in the queue, waiting for the breaker's probe in 30 minutes.
    const held = await a.db.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue WHERE payload ->> 'type' = 'outbox'");
    expect(held.rows[0]!.n).toBeGreaterThan(0);

    // As the server composes A: a signed fetch of its outbox (B's next catch-up) tells it that B's
    // server is up, and it sends what it held at once; B drops those as applied already.
    a.deps.deliveries = createDeliveryExpediter(a.db);
    await b.deps.store.requestSync(a.actorUrl);
    wakeCatchUp(b.deps);
    await logged(a, "server answered again: its deliveries resume now", (fields) => fields.host === bHost && Number(fields.expedited) > 0, 30_000);
    await eventually(async () => {
      const waiting = await a.db.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue WHERE payload ->> 'type' = 'outbox'");
      return waiting.rows[0]!.n === 0;
    }, 60_000);
    expect(await circuitState(a, bHost)).toBeUndefined();
    expect(b.logs.some((entry) => entry.message === "inbound activity seen before; ignored")).toBe(true);
    expect(await recordsFrom(b, a, false)).toEqual(expected);
    expect(b.logs.filter((entry) => entry.message === "received record refused")).toEqual([]);
  }, 240_000);
});
