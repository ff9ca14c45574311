import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recordIri } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { circuitState, eventually, logged, startNodes, type TestNode } from "./harness.ts";

describe("delivery to a node that is down", () => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    [a, b] = (await startNodes("attendorn", "bielefeld")) as [TestNode, TestNode];
    expect(await b.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    // The (empty) backfill after the Accept is done, so whatever B holds later came by delivery.
    await logged(b, "backfill done");
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("B is down while A publishes; once B is back, Fedify's retries from the queue bring it everything", async () => {
    const demo = demoRecords({
      actor: a.actorUrl,
      iri: (kind, slug) => recordIri(a.origin, kind, slug.replace("/", ".")),
      now: new Date("2026-03-01T09:00:00Z"),
    });
    await b.goOffline();
    for (const model of demo.models) await a.app.records.seedRecords({ guidelines: [], useCases: [], models: [model] });
    const [guideline] = demo.guidelines;
    await a.app.records.seedRecords({ guidelines: [guideline!], useCases: [], models: [] });

    // At least one delivery attempt has failed and waits in the queue for its retry.
    await eventually(async () => {
      const { rows } = await a.db.query<{ waiting: number }>("SELECT count(*) AS waiting FROM fedify_queue WHERE run_at > now()");
      return rows[0]!.waiting > 0;
    });
    expect(await b.records.sharedModels.get(demo.models[0]!.id)).toBeNull();
    // Six deliveries failing within seconds open Fedify's circuit breaker for B's host.
    const bHost = new URL(b.origin).host;
    await eventually(async () => (await circuitState(a, bHost))?.state === "open");

    await b.comeOnline();
    for (const model of demo.models) await eventually(() => b.records.sharedModels.get(model.id));
    await eventually(() => b.records.guidelines.get(guideline!.id));
    expect(await a.deps.store.listDeliveryFailures()).toEqual([]);
    // The probe succeeded and closed the breaker: its state is cleared (a store whose cas() cannot clear it keeps the host half-open for good).
    await eventually(async () => (await circuitState(a, bHost)) === undefined);
  });
});
