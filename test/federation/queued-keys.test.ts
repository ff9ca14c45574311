import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recordIri } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { startFollowerSink, storeAcceptedFollowers, type FollowerSink } from "../../packages/activitypub/src/testing/follower-sink.ts";
import { eventually, startNode, type TestNode } from "./harness.ts";

describe("queued deliveries", () => {
  let node: TestNode;
  let sink: FollowerSink;
  let release: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    node = await startNode({ handle: "hagen" });
    // Every delivery waits for the test before it is answered, so the queue still holds them.
    sink = await startFollowerSink({ followers: 8, keys: false, beforeAnswer: () => held });
    await storeAcceptedFollowers(node.deps.store, sink.followers);
  });
  afterAll(async () => {
    release();
    await node?.stop();
    await sink?.close();
  });

  it("hold which of the node's keys signs, never a copy of the private key, and still arrive signed", async () => {
    const [model] = demoRecords({ actor: node.actorUrl, iri: (kind, slug) => recordIri(node.origin, kind, slug.replace("/", ".")), now: new Date() }).models;
    await node.app.records.seedRecords({ guidelines: [], useCases: [], models: [model!] });

    // One delivery per follower and activity (record Create, Note Create) waits in the outbox lane.
    const rows = await eventually(async () => {
      const { rows } = await node.db.query<{ lane: string; ordering_key: string; payload: { type: string; keys: Record<string, unknown>[] } }>(
        "SELECT lane, ordering_key, payload FROM fedify_queue WHERE payload->>'type' = 'outbox'",
      );
      return rows.length === 16 && rows;
    });
    expect(new Set(rows.map((row) => row.ordering_key))).toEqual(new Set([`${model!.id}\n${new URL(sink.followers[0]!.inboxUrl).origin}`]));
    const privateComponents = (await node.deps.store.listKeyPairs()).map((pair) => pair.privateKeyJwk.d!);
    expect(privateComponents).toHaveLength(2);
    for (const row of rows) {
      expect(row.lane).toBe("outbox");
      expect(row.payload.keys.map((key) => Object.keys(key).sort())).toEqual([
        ["keyId", "storedPrivateKey"],
        ["keyId", "storedPrivateKey"],
      ]);
      for (const secret of privateComponents) expect(JSON.stringify(row.payload)).not.toContain(secret);
    }

    release();
    // The sink verifies every signature: the keys came back when the messages were handled.
    await eventually(async () => sink.receipts.filter((receipt) => receipt.type === "Create").length === 16);
    expect(sink.refused).toBe(0);
    // The Note shares the record's ordering key (the record and the host): it waits for the record's
    // deliveries to the host, so a fan-out's Notes never hold back its records. Each follower gets the record first.
    for (const follower of sink.followers.keys()) {
      const arrived = sink.receipts.filter((receipt) => receipt.follower === follower && receipt.type === "Create");
      expect(arrived.map((receipt) => (receipt.activityId.includes("#note-") ? "note" : "record"))).toEqual(["record", "note"]);
    }
    await eventually(async () => (await node.db.query<{ n: number }>("SELECT count(*) AS n FROM fedify_queue")).rows[0]!.n === 0);
  });
});
