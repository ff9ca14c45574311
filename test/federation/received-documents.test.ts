import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { findReceivedRecordDocument, verifyRecordProof } from "@leitplanken/activitypub";
import { recordIri, type SharedModel } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { editor, eventually, logged, modelContent, startNodes, type TestNode } from "./harness.ts";

const jsonLd = { accept: "application/activity+json" };
const withoutProof = ({ proof: _proof, ...document }: Record<string, unknown>) => document;

describe("the signed documents of received copies", () => {
  let a: TestNode;
  let b: TestNode;
  let model: SharedModel;
  beforeAll(async () => {
    [a, b] = (await startNodes("arnsberg", "bochum")) as [TestNode, TestNode];
    [model] = demoRecords({ actor: a.actorUrl, iri: (kind, slug) => recordIri(a.origin, kind, slug.replace("/", ".")), now: new Date("2026-03-01T09:00:00Z") })
      .models as [SharedModel];
    await a.app.records.seedRecords({ guidelines: [], useCases: [], models: [model] });
    // B follows afterwards: its first copy comes by backfill.
    expect(await b.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    await logged(b, "backfill done");
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("keeps the document as the origin served it, whose proof still verifies, follows Updates and drops it on Delete", async () => {
    const kept = await eventually(() => findReceivedRecordDocument(b.deps.store, model.id));
    const served = (await (await fetch(model.id, { headers: jsonLd })).json()) as Record<string, unknown>;
    expect(withoutProof(kept)).toEqual(withoutProof(served));
    expect(kept.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-jcs-2022" });
    // Anyone can verify the kept document again, e.g. a third node a catalog passes it to.
    expect((await verifyRecordProof(a.federation, a.deps, kept))?.controllerId?.href).toBe(a.actorUrl);
    expect(await b.deps.store.findReceivedDocument(model.id)).toMatchObject({ kind: "model", originActor: a.actorUrl });

    expect(await a.app.models.update({ id: model.id, content: { ...modelContent(model), version: "9.0.0" } }, editor)).toMatchObject({ ok: true });
    const updated = await eventually(async () => {
      const document = await findReceivedRecordDocument(b.deps.store, model.id);
      return document?.version === "9.0.0" && document;
    });
    expect((await verifyRecordProof(a.federation, a.deps, updated))?.controllerId?.href).toBe(a.actorUrl);

    expect(await a.app.models.retire({ id: model.id }, editor)).toMatchObject({ ok: true });
    await eventually(() => b.deps.store.findTombstone(model.id));
    expect(await findReceivedRecordDocument(b.deps.store, model.id)).toBeNull();
  });
});
