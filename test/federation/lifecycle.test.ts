// The record lifecycle on the wire (ADR 0012): a use case and a model are revised and published
// again; the followers that held them before and a follower that joins afterwards (backfill) end
// with byte-identical records and documents. A revision under way changes nothing for followers.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recordIri, useCaseContentOf, type FederatedRecord, type SharedModel, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { editor, eventually, logged, modelContent, republishUseCase, startNode, type TestNode } from "./harness.ts";

const jsonLd = { accept: "application/activity+json" };

/** What a follower holds of a record: the copy (its arrival time aside) and the document its origin signed. */
async function heldBy(node: TestNode, id: string) {
  const record: FederatedRecord | null = (await node.records.useCases.get(id)) ?? (await node.records.sharedModels.get(id));
  const document = (await node.deps.store.findReceivedDocument(id))?.document ?? null;
  if (record === null || document === null) return null;
  const { receivedAt: _receivedAt, ...provenance } = record.provenance as { receivedAt: string };
  return { record: JSON.stringify({ ...record, provenance }), document: JSON.stringify(document) };
}

describe("a record revised and published again reaches every follower alike", () => {
  let a: TestNode;
  let b: TestNode;
  let c: TestNode | undefined;
  let useCase: UseCase;
  let model: SharedModel;
  let retiredModel: SharedModel;

  beforeAll(async () => {
    [a, b] = await Promise.all([startNode({ handle: "arnsberg" }), startNode({ handle: "bochum" })]);
    expect(await b.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    await logged(b, "backfill done");
    const demo = demoRecords({
      actor: a.actorUrl,
      iri: (kind, slug) => recordIri(a.origin, kind, slug.replace("/", ".")),
      now: new Date("2026-03-01T09:00:00Z"),
    });
    useCase = demo.useCases.find((candidate) => candidate.workflow.state === "published")!;
    [model, retiredModel] = demo.models as [SharedModel, SharedModel];
    await a.app.records.seedRecords({ guidelines: demo.guidelines, useCases: [useCase], models: [model, retiredModel] });
    for (const id of [useCase.id, model.id, retiredModel.id]) await eventually(() => heldBy(b, id));
  });
  afterAll(async () => {
    await Promise.all([a, b, c].map((node) => node?.stop()));
  });

  it("keeps serving and keeps the published state while a revision is under way", async () => {
    const before = await (await fetch(useCase.id, { headers: jsonLd })).text();
    const revised = await a.app.useCases.revise(
      { id: useCase.id, content: { ...useCaseContentOf(useCase), name: { de: "Überarbeitet, noch nicht geprüft" } } },
      editor,
    );
    expect(revised).toMatchObject({ ok: true, useCase: { workflow: { state: "draft" } } });
    // The origin serves the published state, byte for byte, and followers keep it.
    expect(await (await fetch(useCase.id, { headers: jsonLd })).text()).toBe(before);
    const held = await heldBy(b, useCase.id);
    expect(JSON.parse(held!.record).name).toEqual(useCase.name);
  });

  it("republishes the use case and changes the model: the follower gets Updates, a later follower the same by backfill", async () => {
    const republished = await republishUseCase(a, useCase.id, (content) => ({ ...content, shortDescription: { de: "Neu beschrieben, neu geprüft." } }));
    expect(republished.name).toEqual({ de: "Überarbeitet, noch nicht geprüft" });
    expect(await a.app.models.update({ id: model.id, content: { ...modelContent(model), version: "2.0.0" } }, editor)).toMatchObject({ ok: true });
    expect(await a.app.models.retire({ id: retiredModel.id }, editor)).toMatchObject({ ok: true });

    await eventually(async () => JSON.parse((await heldBy(b, useCase.id))!.record).shortDescription.de === "Neu beschrieben, neu geprüft.");
    await eventually(async () => JSON.parse((await heldBy(b, model.id))!.record).version === "2.0.0");
    await eventually(() => b.deps.store.findTombstone(retiredModel.id));
    // The follower kept the earlier published state of each in its history.
    expect((await b.deps.store.listRecordVersions(useCase.id)).map((version) => (version.record as UseCase).shortDescription)).toEqual([
      useCase.shortDescription,
    ]);

    c = await startNode({ handle: "celle" });
    expect(await c.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    await logged(c, "backfill done");
    for (const id of [useCase.id, model.id]) {
      const early = await heldBy(b, id);
      const late = await eventually(() => heldBy(c!, id));
      expect(late.document).toBe(early!.document);
      expect(late.record).toBe(early!.record);
      // And both are what the origin serves now.
      const served = JSON.parse(await (await fetch(id, { headers: jsonLd })).text()) as object;
      expect(JSON.parse(late.document)).toEqual(served);
    }
    expect(await c.records.sharedModels.get(retiredModel.id)).toBeNull();
    expect(await c.deps.store.findTombstone(retiredModel.id)).not.toBeNull();
    expect((await fetch(retiredModel.id, { headers: jsonLd })).status).toBe(410);
    expect([...b.logs, ...c.logs].filter((entry) => entry.message === "received record refused")).toEqual([]);
  });
});
