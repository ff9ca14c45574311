// A receiving `leitplanken serve` process is killed with SIGKILL while its inbox handler waits for
// the record it was told about, and restarted on the same data directory (behind the same origin).
// The inbound activity is handled in its request (ADR 0190), so the receiver dies before it
// answers 202; the activity is recorded as seen only together with the stored record, so the origin
// delivers it again and the restarted node handles it (or catches up from the origin's outbox at
// start) and holds the record: nothing lost, nothing twice.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recordIri, type SharedModel } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { migratedDataFolder, runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { eventually, startNode, type TestNode } from "./harness.ts";
import { startOriginProxy } from "./origin-proxy.ts";

describe("SIGKILL of a receiver in the middle of an inbox handler", () => {
  let dataDir: string;
  let proxy: Awaited<ReturnType<typeof startOriginProxy>>;
  let origin: TestNode;
  let receiver: ServeProcess | undefined;
  let token: string;
  let env: Record<string, string>;
  let model: SharedModel;
  /** Set while the origin holds back its answer to the receiver's fetch of the record. */
  let onRecordFetch: (() => Promise<void>) | undefined;
  let recordFetches = 0;

  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${proxy.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  };

  beforeAll(async () => {
    dataDir = await migratedDataFolder(await mkdtemp(join(tmpdir(), "leitplanken-sigkill-receiver-")));
    proxy = await startOriginProxy();
    env = {
      LEITPLANKEN_DATA_DIR: dataDir,
      LEITPLANKEN_HANDLE: "bochum",
      LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
      LEITPLANKEN_ORIGIN: proxy.url,
      LOG_LEVEL: "info",
    };
    origin = await startNode({
      handle: "arnsberg",
      intercept: async (req) => {
        if (req.method === "GET" && model && req.path === new URL(model.id).pathname) {
          recordFetches++;
          await onRecordFetch?.();
        }
        return false;
      },
    });
    [model] = demoRecords({
      actor: origin.actorUrl,
      iri: (kind, slug) => recordIri(origin.origin, kind, slug.replace("/", ".")),
      now: new Date("2026-03-01T09:00:00Z"),
    }).models as [SharedModel];
    // A CLI process of its own opens the folder: up to a minute on a busy test machine.
    const created = await runCli(["token", "create", "--role", "editor", "--name", "SIGKILL receiver test"], env, 90_000);
    expect(created.code).toBe(0);
    token = created.stdout.trim();
  }, 120_000);
  afterAll(async () => {
    await receiver?.stop("SIGKILL");
    await origin?.stop();
    await proxy?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("the restarted receiver holds the record", async () => {
    receiver = await startServeProcess(env);
    proxy.forwardTo(receiver.url);
    expect(await graphql("mutation ($t: String!) { followCity(target: $t) { __typename } }", { t: origin.actorUrl })).toMatchObject({
      data: { followCity: { __typename: "FollowCitySuccess" } },
    });
    await eventually(async () => (await origin.following.listFollowers({ state: "accepted" })).length === 1);
    await eventually(async () => receiver!.output().includes("backfill done"));

    // The receiver's handler fetches the record; the origin answers only after the receiver is dead.
    let killed!: () => void;
    const dead = new Promise<void>((resolve) => (killed = resolve));
    onRecordFetch = async () => {
      onRecordFetch = undefined;
      await receiver!.stop("SIGKILL");
      killed();
    };
    await origin.app.records.seedRecords({ guidelines: [], useCases: [], models: [model] });
    await dead;
    expect(recordFetches).toBe(1);

    receiver = await startServeProcess(env);
    proxy.forwardTo(receiver.url);
    const held = await eventually(async () => {
      const answer = await graphql("query ($id: ID!) { model(id: $id) { id version } }", { id: model.id });
      return (answer.data?.model as { version: string } | null) ?? null;
    }, 60_000);
    expect(held).toEqual({ id: model.id, version: model.version });
    expect(recordFetches).toBeGreaterThan(1);
    // The Create whose request died with the receiver is delivered again by the origin: applied
    // then, or found already applied by the catch-up that runs at start; either way exactly once.
    const [create] = await origin.deps.store.listOutboxActivities({ limit: 1 });
    const linesAbout = (activityId: string) =>
      receiver!
        .output()
        .split("\n")
        .filter((line) => line.includes(activityId));
    const handled = await eventually(async () => linesAbout(create!.activityId).find((line) => /received record stored|seen before/.test(line)), 60_000);
    expect(handled).toBeDefined();
    expect(linesAbout(create!.activityId).filter((line) => line.includes("received record stored")).length).toBeLessThanOrEqual(1);
  }, 240_000);
});
