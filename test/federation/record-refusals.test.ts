import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { generateCryptoKeyPair, modelMapper, signRecord } from "@leitplanken/activitypub";
import { recordIri, type SharedModel } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createRecordPublicationStore } from "@leitplanken/db";
import { eventually, logged, signedPost, startNode, type TestNode } from "./harness.ts";

const modelsOf = (node: TestNode) =>
  demoRecords({ actor: node.actorUrl, iri: (kind, slug) => recordIri(node.origin, kind, slug.replace("/", ".")), now: new Date("2026-03-01T09:00:00Z") })
    .models as [SharedModel, SharedModel];

/** Stores and publishes a record at its origin without telling anyone (the tests send their own activities). */
async function publishQuietly(node: TestNode, model: SharedModel) {
  await node.records.sharedModels.save(model);
  await createRecordPublicationStore(node.db).publish("model", model, new Date());
}

const refused = (node: TestNode, activityId: string, type: string) =>
  logged(node, "received record refused", (fields) => fields.activityId === activityId && (fields.refusal as { type: string }).type === type);

describe("receiving records: what is refused or ignored", () => {
  let a: TestNode;
  let b: TestNode;
  let m: TestNode;
  let tamperedModel: string | undefined;

  beforeAll(async () => {
    [a, b] = await Promise.all([startNode({ handle: "aachen" }), startNode({ handle: "bonn" })]);
    // Mallory serves one record with a changed name after signing it.
    m = await startNode({
      handle: "mallory",
      intercept: async (req, res) => {
        if (!tamperedModel || `${m.origin}${req.path}` !== tamperedModel || !req.headers.accept?.includes("json")) return false;
        const record = (await m.deps.store.getPublication(tamperedModel))!.record as SharedModel;
        const signed = await signRecord(m.federation, m.deps, modelMapper.toDocument(record));
        res.type("application/activity+json").send(JSON.stringify({ ...signed, nameMap: { de: "Gefälscht", en: "Forged" } }));
        return true;
      },
    });
    for (const followed of [a, m]) expect(await b.following.followCity(followed.actorUrl)).toMatchObject({ ok: true });
    await eventually(async () => (await b.following.listFollowing({ state: "accepted" })).length === 2);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), m?.stop()]);
  });

  const create = (from: TestNode, object: string, name: string) => ({
    id: `${from.actorUrl}#create/${name}`,
    type: "Create",
    actor: from.actorUrl,
    object,
  });

  it("a forged signature gets 401 and stores nothing", async () => {
    const [model] = modelsOf(a);
    await publishQuietly(a, model);
    const stranger = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const post = await signedPost(a, `${b.origin}/inbox`, create(a, model.id, "forged"), stranger.privateKey);
    expect((await post.send()).status).toBe(401);
    expect(await b.records.sharedModels.get(model.id)).toBeNull();
  });

  it("a valid signature by an actor that does not own the record is accepted for processing and ignored", async () => {
    const [model] = modelsOf(a);
    const activity = create(m, model.id, "not-mine");
    expect((await (await signedPost(m, `${b.origin}/inbox`, activity)).send()).status).toBe(202);
    await refused(b, activity.id, "not-own-record");
    expect(await b.records.sharedModels.get(model.id)).toBeNull();
  });

  it("a record whose proof fails (changed after signing) is not stored", async () => {
    const [, model] = modelsOf(m);
    tamperedModel = model.id;
    await m.app.records.seedRecords({ guidelines: [], useCases: [], models: [model] });
    const { activityId } = await eventually(() => m.deps.store.findLatestOutboxActivity(model.id));
    await refused(b, activityId, "proof-invalid");
    expect(await b.records.sharedModels.get(model.id)).toBeNull();
  });

  it("a replayed activity changes nothing", async () => {
    const [model] = modelsOf(a);
    const update = { id: `${a.actorUrl}#update/replayed`, type: "Update", actor: a.actorUrl, object: model.id };
    const post = await signedPost(a, `${b.origin}/inbox`, update);
    expect((await post.send()).status).toBe(202);
    // Handled in its request (ADR 0190): the inbox answered 202 after the record was stored.
    expect(await b.records.sharedModels.get(model.id)).toMatchObject({ id: model.id });

    // A's publication changes (its own Update not sent yet); a replay of the old Update would make B fetch and store the new state.
    await createRecordPublicationStore(a.db).publish("model", { ...model, version: "9.9.9" }, new Date());
    expect((await post.send()).status).toBe(202);
    // A later activity that B does apply shows that the replay was handled before it.
    const [, later] = modelsOf(a);
    await a.app.records.seedRecords({ guidelines: [], useCases: [], models: [later] });
    await eventually(() => b.records.sharedModels.get(later.id));
    expect((await b.records.sharedModels.get(model.id))?.version).toBe(model.version);
    expect(await b.deps.store.listRecordVersions(model.id)).toEqual([]);
  });
});
