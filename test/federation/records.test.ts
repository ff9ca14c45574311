import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { verifyRecordProof } from "@leitplanken/activitypub";
import { recordIri, type FederatedRecord, type SharedModel } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { editor, eventually, logged, modelContent, startNode, type TestNode } from "./harness.ts";

/** The demo records of a node, under its own IRIs (the demo's `ki-leitlinie/1.0` becomes one path segment). */
const demoOf = (node: TestNode) =>
  demoRecords({ actor: node.actorUrl, iri: (kind, slug) => recordIri(node.origin, kind, slug.replace("/", ".")), now: new Date("2026-03-01T09:00:00Z") });

/** What travels: everything but the provenance, and a use case's internal review (who submitted it, why it was sent back) stays home. */
const withoutProvenance = ({ provenance: _provenance, ...content }: FederatedRecord) => {
  if (!("workflow" in content)) return content;
  const { submitted: _submitted, sentBack: _sentBack, ...workflow } = content.workflow;
  return { ...content, workflow };
};

const jsonLd = { accept: "application/activity+json" };

describe("records travel between cities", () => {
  let a: TestNode;
  let b: TestNode;
  let c: TestNode;
  let d: TestNode | undefined;
  let published: FederatedRecord[];
  let updatedModel: SharedModel;
  let withdrawnModel: SharedModel;

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startNode({ handle: "arnsberg", outboxPageSize: 2 }), startNode({ handle: "bochum" }), startNode({ handle: "celle" })]);
    for (const follower of [b, c]) expect(await follower.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    await eventually(async () => (await a.following.listFollowers({ state: "accepted" })).length === 2);
    // Their (empty) backfills are done, so the copies below come by delivery.
    await Promise.all([logged(b, "backfill done"), logged(c, "backfill done")]);
  });
  afterAll(async () => {
    await Promise.all([a, b, c, d].map((node) => node?.stop()));
  });

  const copyOn = (node: TestNode, record: FederatedRecord): Promise<FederatedRecord | null> => {
    if ("documentId" in record) return node.records.guidelines.get(record.id);
    if ("workflow" in record) return node.records.useCases.get(record.id);
    return node.records.sharedModels.get(record.id);
  };

  const expectEqualCopy = async (node: TestNode, record: FederatedRecord) => {
    const copy = await eventually(() => copyOn(node, record));
    expect(withoutProvenance(copy)).toEqual(withoutProvenance(record));
    expect(copy.provenance).toMatchObject({ source: "received", originActor: a.actorUrl, originHost: new URL(a.origin).host, proofVerified: true });
  };

  it("A publishes a guideline version, vetted use cases and models; B and C hold field-for-field equal copies with verified proofs", async () => {
    const demo = demoOf(a);
    const useCases = demo.useCases.filter((useCase) => useCase.workflow.state === "published");
    expect(useCases.length).toBeGreaterThan(0);
    await a.app.records.seedRecords({ guidelines: demo.guidelines, useCases, models: demo.models });
    published = [...demo.guidelines, ...useCases, ...demo.models];
    [updatedModel, withdrawnModel] = demo.models as [SharedModel, SharedModel];

    for (const node of [b, c]) for (const record of published) await expectEqualCopy(node, record);
  });

  it("A serves each record as signed JSON-LD at its IRI, passes other clients on, and serves the context", async () => {
    const record = published[0]!;
    const response = await fetch(record.id, { headers: jsonLd });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/activity+json");
    const document = (await response.json()) as Record<string, unknown>;
    expect(document).toMatchObject({ id: record.id, type: "Guideline", attributedTo: a.actorUrl, proof: { cryptosuite: "eddsa-jcs-2022" } });
    expect((await verifyRecordProof(b.federation, b.deps, document))?.controllerId?.href).toBe(a.actorUrl);

    // A browser gets the record's page.
    const page = await fetch(record.id, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain(`<code>${record.id}</code>`);
    const context = await fetch(`${a.origin}/ns/leitplanken.jsonld`);
    expect(((await context.json()) as { "@context": Record<string, unknown> })["@context"]).toHaveProperty("Guideline");
    expect((await fetch(`${a.origin}/models/no-such-model`, { headers: jsonLd })).status).toBe(404);
  });

  it("fediverse readers get a Note with a summary and a link; Leitplanken nodes ignore it", async () => {
    const model = published.at(-1)!;
    const note = (await (await fetch(`${a.origin}/notes/model/${model.id.split("/").at(-1)}`, { headers: jsonLd })).json()) as Record<string, unknown>;
    expect(note).toMatchObject({ type: "Note", attributedTo: a.actorUrl, url: model.id });
    expect(note.content).toContain("Straßenschaden-Detektor");
    expect(note.content).toContain(`href="${model.id}"`);
    await eventually(async () => b.logs.some((entry) => entry.message.startsWith("activity about something other")));
    expect(b.logs.filter((entry) => entry.level !== "info")).toEqual([]);
  });

  it("an Update replaces the copy and keeps the earlier version in its history", async () => {
    const next: SharedModel = { ...updatedModel, version: "1.3.0", limitations: { de: "Neu bewertet.", en: "Re-assessed." } };
    expect(await a.app.models.update({ id: next.id, content: modelContent(next) }, editor)).toMatchObject({ ok: true });
    for (const node of [b, c]) {
      await eventually(async () => (await node.records.sharedModels.get(next.id))?.version === "1.3.0");
      await expectEqualCopy(node, next);
      const history = await node.deps.store.listRecordVersions(next.id);
      expect(history.map((entry) => withoutProvenance(entry.record))).toEqual([withoutProvenance(updatedModel)]);
    }
    updatedModel = next;
  });

  it("a Delete leaves a tombstone; the record is gone from the copies and answers 410 at its origin", async () => {
    expect(await a.app.models.retire({ id: withdrawnModel.id }, editor)).toMatchObject({ ok: true, model: { state: "retired" } });
    for (const node of [b, c]) {
      await eventually(() => node.deps.store.findTombstone(withdrawnModel.id));
      expect(await node.records.sharedModels.get(withdrawnModel.id)).toBeNull();
      expect((await node.deps.store.listRecordVersions(withdrawnModel.id)).map((entry) => entry.record.id)).toEqual([withdrawnModel.id]);
    }
    const gone = await fetch(withdrawnModel.id, { headers: jsonLd });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ type: "Tombstone", formerType: "SharedModel" });
  });

  it("D follows A afterwards and receives the current state of everything by backfill, across outbox pages", async () => {
    const outbox = (await (await fetch(`${a.actorUrl}/outbox`, { headers: jsonLd })).json()) as { totalItems: number; first: unknown };
    expect(outbox.totalItems).toBe(published.length + 2);
    d = await startNode({ handle: "dorsten" });
    expect(await d.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    await eventually(async () => d!.logs.find((entry) => entry.message === "backfill done"));
    const current = published.map((record) => (record.id === updatedModel.id ? updatedModel : record)).filter((record) => record.id !== withdrawnModel.id);
    for (const record of current) await expectEqualCopy(d, record);
    expect(await d.records.sharedModels.get(withdrawnModel.id)).toBeNull();
    expect(await d.deps.store.findTombstone(withdrawnModel.id)).not.toBeNull();
    expect(d.logs.find((entry) => entry.message === "backfill done")?.fields).toMatchObject({ imported: current.length });
  });
});
