// Transient faults on the receiving side: for 5 seconds one URL of a node does not answer (the
// connection is cut, or it answers 503), while another node needs it to apply an activity. The
// activity must not be taken for a bad one nor be dropped: the inbound handler (or the catch-up
// of a followed city's outbox) fails, is retried, and applies it once the URL answers again.
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type express from "express";
import { recordIri, type FederatedRecord, type SharedModel } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { editor, eventually, logged, modelContent, startNode, type LogEntry, type TestNode } from "./harness.ts";

const OUTAGE_MS = 5_000;

/**
 * Outages of one URL of a node: armed by `down(path)`, an outage starts with the first GET of a
 * matching path and lasts OUTAGE_MS from there (so it happens however slow the machine is); each
 * such GET is cut off (or answered 503).
 */
function faults() {
  const outages: { path: (path: string) => boolean; startedAt: number | null; answer: "cut" | 503; hits: number }[] = [];
  return {
    intercept(req: express.Request, res: express.Response): boolean {
      const now = Date.now();
      const outage = outages.find(
        (candidate) => req.method === "GET" && candidate.path(req.path) && (candidate.startedAt === null || now < candidate.startedAt + OUTAGE_MS),
      );
      if (!outage) return false;
      outage.startedAt ??= now;
      outage.hits++;
      if (outage.answer === 503) res.status(503).send("down for maintenance");
      else (req.socket as Socket).destroy();
      return true;
    },
    /** Arms an outage; returns it, so that a test can check the other node really ran into it. */
    down(path: string | ((path: string) => boolean), answer: "cut" | 503 = "cut") {
      const outage = { path: typeof path === "string" ? (candidate: string) => candidate === path : path, startedAt: null, answer, hits: 0 };
      outages.push(outage);
      return outage;
    },
  };
}

const withoutProvenance = ({ provenance: _provenance, ...content }: FederatedRecord) => content;
const failures = (node: TestNode, text: string) =>
  node.logs.filter((entry: LogEntry) => entry.level !== "info" && JSON.stringify(entry.fields).includes(text) && entry.message !== "received record refused");
const refusals = (node: TestNode) => node.logs.filter((entry) => entry.message === "received record refused");

describe("transient faults while receiving", () => {
  const aFaults = faults();
  const bFaults = faults();
  let a: TestNode;
  let b: TestNode;
  let c: TestNode | undefined;
  let d: TestNode | undefined;
  let models: SharedModel[];
  const path = (iri: string) => new URL(iri).pathname;

  /** A publishes the model (first time) or its changed description (an Update), as its editors would. */
  const publish = async (model: SharedModel, type: "published" | "updated" = "published") => {
    if (type === "published") await a.app.records.seedRecords({ guidelines: [], useCases: [], models: [model] });
    else expect(await a.app.models.update({ id: model.id, content: modelContent(model) }, editor)).toMatchObject({ ok: true });
  };
  const expectCopy = async (node: TestNode, model: SharedModel) => {
    const copy = await eventually(async () => {
      const held = await node.records.sharedModels.get(model.id);
      return held?.version === model.version && held;
    });
    expect(withoutProvenance(copy)).toEqual(withoutProvenance(model));
    expect(copy.provenance).toMatchObject({ source: "received", originActor: a.actorUrl, proofVerified: true });
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startNode({ handle: "arnsberg", intercept: aFaults.intercept }),
      startNode({ handle: "bochum", intercept: bFaults.intercept }),
    ]);
    const demo = demoRecords({
      actor: a.actorUrl,
      iri: (kind, slug) => recordIri(a.origin, kind, slug.replace("/", ".")),
      now: new Date("2026-03-01T09:00:00Z"),
    });
    const [first, second] = demo.models as [SharedModel, SharedModel];
    models = [first, second, { ...first, id: `${first.id}-3`, version: "3.0.0" }, { ...second, id: `${second.id}-4`, version: "4.0.0" }];
  });
  afterAll(async () => {
    await Promise.all([a, b, c, d].map((node) => node?.stop()));
  });

  it("the follower's actor URL is down when its Follow is handled: the Follow is retried and accepted", async () => {
    // B followed A once, so A holds B's key for signatures; B leaves and follows again.
    expect(await b.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    await eventually(async () => (await b.following.listFollowing({ state: "accepted" })).length === 1);
    expect(await b.following.unfollowCity(a.actorUrl)).toEqual({ ok: true });
    await eventually(async () => (await a.following.listFollowers()).length === 0);

    const outage = bFaults.down(path(b.actorUrl));
    expect(await b.following.followCity(a.actorUrl)).toMatchObject({ ok: true, following: { state: "pending" } });
    await eventually(async () => (await b.following.listFollowing({ state: "accepted" })).length === 1);
    expect(await a.following.listFollowers({ state: "accepted" })).toEqual([expect.objectContaining({ actorId: b.actorUrl })]);
    // A's handler did run into the outage (and was retried), not only the delivery of the Follow.
    expect(outage.hits).toBeGreaterThan(0);
    expect(failures(a, b.actorUrl).length).toBeGreaterThan(0);
    await logged(b, "backfill done");
  });

  it("the signer's key URL is down when a record is verified: the record is retried and its proof verifies", async () => {
    // B fetches A's actor (where its Ed25519 key is) again instead of from its cache.
    for await (const { key } of b.deps.kv.list(["_fedify", "remoteDocument"])) await b.deps.kv.delete(key);
    const outage = aFaults.down(path(a.actorUrl), 503);
    await publish(models[0]!);
    await expectCopy(b, models[0]!);
    expect(outage.hits).toBeGreaterThan(0);
    expect(failures(b, a.actorUrl).some((entry) => JSON.stringify(entry.fields).includes("503"))).toBe(true);
    expect(refusals(b)).toEqual([]);
  });

  it("one record's URL is down when its Create is handled: the Create is retried and the record arrives", async () => {
    const outage = aFaults.down(path(models[1]!.id));
    await publish(models[1]!);
    await expectCopy(b, models[1]!);
    expect(outage.hits).toBeGreaterThan(0);
    expect(failures(b, models[1]!.id).length).toBeGreaterThan(0);
    expect(refusals(b)).toEqual([]);
  });

  it("the outbox is down during a backfill: the backfill is retried and every earlier record arrives", async () => {
    await publish(models[2]!);
    await expectCopy(b, models[2]!);
    c = await startNode({ handle: "celle" });
    const outage = aFaults.down((candidate) => candidate.startsWith(`${path(a.actorUrl)}/outbox`));
    expect(await c.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    for (const model of models.slice(0, 3)) await expectCopy(c, model);
    expect(outage.hits).toBeGreaterThan(0);
    expect(c.logs.some((entry) => entry.message === "catch-up failed; it will be retried")).toBe(true);
    expect(refusals(c)).toEqual([]);
  });

  it("one record's URL is down during a backfill: the backfill is retried and every earlier record arrives", async () => {
    await publish(models[3]!);
    await expectCopy(b, models[3]!);
    d = await startNode({ handle: "dorsten" });
    const outage = aFaults.down(path(models[1]!.id), 503);
    expect(await d.following.followCity(a.actorUrl)).toMatchObject({ ok: true });
    for (const model of models) await expectCopy(d, model);
    expect(outage.hits).toBeGreaterThan(0);
    expect(d.logs.find((entry) => entry.message === "catch-up failed; it will be retried")?.fields.error).toContain(models[1]!.id);
    expect(refusals(d)).toEqual([]);
  });
});
