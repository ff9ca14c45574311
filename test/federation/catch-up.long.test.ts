// A follower is down for 10 minutes (its node stopped: no HTTP, no queue, no catch-up) while its
// origin publishes, updates and retires records across the window, as in a real maintenance
// window. The origin delivers as in production: retries from a minute on and Fedify's circuit
// breaker with its production settings, so its deliveries fail, are retried and fail again, and
// the breaker opens and holds them. Within 5 minutes after the follower is back it holds exactly
// the origin's state, by the production catch-up (a sync from its cursor at start, and the
// origin resuming its held deliveries when the follower's server answers again).
//
// catch-up.test.ts shows the same mechanism with the follower down only until the breaker opened;
// this file keeps it down for the full window. It mostly waits, so it runs in a jest worker of its
// own (test-sequencer.ts starts `*.long.test.ts` files first; jest.config.ts gives them a worker).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultDeliveryRetry } from "@leitplanken/activitypub";
import { recordIri, type SharedModel, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { circuitState, editor, eventually, logged, modelContent, recordsFrom, republishUseCase, startNode, type TestNode } from "./harness.ts";

const DOWN_FOR_MS = 10 * 60_000;
const CONVERGED_WITHIN_MS = 5 * 60_000;

describe("catch-up after 10 minutes of downtime", () => {
  let a: TestNode;
  let b: TestNode;
  let updated: SharedModel;
  let withdrawn: SharedModel;
  let revisedUseCase: UseCase;
  let demo: ReturnType<typeof demoRecords>;

  beforeAll(async () => {
    [a, b] = await Promise.all([startNode({ handle: "arnsberg", deliveryRetry: defaultDeliveryRetry }), startNode({ handle: "bochum" })]);
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

  it(
    "a follower down for 10 minutes while its origin published, updated and retired holds exactly the origin's state within 5 minutes after it is back",
    async () => {
      const down = await b.shutDown();
      const downAt = Date.now();
      const bHost = new URL(b.origin).host;
      /** The follower's maintenance window: waits until `ms` after it went down. */
      const windowAt = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + ms - Date.now())));

      // Minute 0: a guideline version and the published use cases.
      await a.app.records.seedRecords({
        guidelines: demo.guidelines,
        useCases: demo.useCases.filter((candidate) => candidate.workflow.state === "published"),
        models: [],
      });
      // Minute 3: a model changed (its deliveries fail, and so do the retries of minute 0's).
      await windowAt(3 * 60_000);
      updated = { ...updated, version: "2.0.0", limitations: { de: "Neu bewertet.", en: "Re-assessed." } };
      expect(await a.app.models.update({ id: updated.id, content: modelContent(updated) }, editor)).toMatchObject({ ok: true });
      // Minute 6: a model retired.
      await windowAt(6 * 60_000);
      expect(await a.app.models.retire({ id: withdrawn.id }, editor)).toMatchObject({ ok: true });
      // Minute 9: a use case published at minute 0 revised and published again.
      await windowAt(9 * 60_000);
      const published = demo.useCases.find((candidate) => candidate.workflow.state === "published")!;
      revisedUseCase = await republishUseCase(a, published.id, (content) => ({ ...content, shortDescription: { de: "Nach der Wartung neu beschrieben." } }));

      // Every event of the window went through A's outbox, and the deliveries to B failed until the
      // breaker for B's server opened.
      await eventually(async () => {
        const pending = await a.db.query<{ n: number }>("SELECT count(*) AS n FROM outbox_events WHERE dispatched_at IS NULL");
        return pending.rows[0]!.n === 0;
      });
      await windowAt(DOWN_FOR_MS);
      expect((await circuitState(a, bHost))?.state).toBe("open");
      const held = await a.db.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue WHERE payload ->> 'type' = 'outbox'");
      expect(held.rows[0]!.n).toBeGreaterThan(0);
      expect(Date.now() - downAt).toBeGreaterThanOrEqual(DOWN_FOR_MS);

      const backAt = Date.now();
      b = await startNode({ handle: "bochum", restart: down });
      const expected = await recordsFrom(a, a, true);
      const same = async () => {
        const held = await recordsFrom(b, a, false);
        return held.size === expected.size && [...expected].every(([id, record]) => JSON.stringify(held.get(id)) === JSON.stringify(record));
      };
      await eventually(same, CONVERGED_WITHIN_MS);
      const convergedAfterMs = Date.now() - backAt;
      expect(convergedAfterMs).toBeLessThan(CONVERGED_WITHIN_MS);

      expect(await recordsFrom(b, a, false)).toEqual(expected);
      expect(await b.records.sharedModels.get(withdrawn.id)).toBeNull();
      expect(await b.deps.store.findTombstone(withdrawn.id)).not.toBeNull();
      expect((await b.records.sharedModels.get(updated.id))?.version).toBe("2.0.0");
      expect((await b.records.useCases.get(revisedUseCase.id))?.shortDescription).toEqual({ de: "Nach der Wartung neu beschrieben." });

      // The origin learnt that B is back and sent what its breaker held; B dropped those as applied.
      await eventually(async () => {
        const waiting = await a.db.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue WHERE payload ->> 'type' = 'outbox'");
        return waiting.rows[0]!.n === 0;
      }, CONVERGED_WITHIN_MS);
      expect(await circuitState(a, bHost)).toBeUndefined();
      expect(await same()).toBe(true);
      expect(b.logs.filter((entry) => entry.message === "received record refused")).toEqual([]);
      process.stdout.write(
        `catch-up.long: follower down ${Math.round((backAt - downAt) / 1000)} s, converged ${Math.round(convergedAfterMs / 1000)} s after it was back\n`,
      );
    },
    DOWN_FOR_MS + 2 * CONVERGED_WITHIN_MS + 120_000,
  );
});
