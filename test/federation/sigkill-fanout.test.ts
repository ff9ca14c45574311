// A real `leitplanken serve` process is killed with SIGKILL while it delivers a publication to
// 200 followers, and restarted on the same data directory. The followers live on a loopback
// sink that verifies every delivery's signature and records every receipt, duplicates included.
// They are written into the node's database before it starts: answering 200 Follows would take
// this machine about 30 s, and following is tested with real Follows elsewhere
// (follow.test.ts, delivery-state.test.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createFederationRepository, defaultQueueConcurrency, openDatabase } from "@leitplanken/db";
import { migratedDataFolder, runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { startFollowerSink, storeAcceptedFollowers, type FollowerSink } from "../../packages/activitypub/src/testing/follower-sink.ts";
import { eventually } from "./harness.ts";
import { modelInput } from "./model-input.ts";
import { startOriginProxy } from "./origin-proxy.ts";

const FOLLOWERS = 200;

describe("SIGKILL in the middle of a fan-out to 200 followers", () => {
  let dataDir: string;
  let proxy: Awaited<ReturnType<typeof startOriginProxy>>;
  let sink: FollowerSink;
  let node: ServeProcess | undefined;
  let token: string;
  let env: Record<string, string>;
  /** Set while the test waits for the moment to kill: called with the Create receipts so far. */
  let killWhen: ((creates: number) => Promise<void> | void) | undefined;

  beforeAll(async () => {
    dataDir = await migratedDataFolder(await mkdtemp(join(tmpdir(), "leitplanken-sigkill-")));
    proxy = await startOriginProxy();
    env = { LEITPLANKEN_DATA_DIR: dataDir, LEITPLANKEN_HANDLE: "attendorn", LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true", LEITPLANKEN_ORIGIN: proxy.url };
    const [created, followerSink] = await Promise.all([
      runCli(["token", "create", "--role", "editor", "--name", "SIGKILL test"], env),
      startFollowerSink({
        followers: FOLLOWERS,
        servers: 4,
        beforeAnswer: (receipt) => (receipt.type === "Create" ? killWhen?.(sink.receipts.filter((r) => r.type === "Create").length) : undefined),
      }),
    ]);
    expect(created.code).toBe(0);
    token = created.stdout.trim();
    sink = followerSink;
    // The folder came migrated; the followers are accepted ones, as after a Follow.
    const db = await openDatabase({ dataDir });
    const store = createFederationRepository(db);
    await storeAcceptedFollowers(store, sink.followers);
    await db.close();
  });
  afterAll(async () => {
    await node?.stop("SIGKILL");
    await sink?.close();
    await proxy?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("every follower ends up with each activity; the only repeats are deliveries in hand at the kill", async () => {
    node = await startServeProcess(env);
    proxy.forwardTo(node.url);
    const followers = (await (await fetch(`${proxy.url}/actors/attendorn/followers`, { headers: { accept: "application/activity+json" } })).json()) as {
      totalItems: number;
    };
    expect(followers.totalItems).toBe(FOLLOWERS);

    const published = await fetch(`${proxy.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "mutation ($input: ModelInput!) { registerModel(input: $input) { __typename } }", variables: { input: modelInput } }),
    });
    expect(((await published.json()) as { data: unknown }).data).toEqual({ registerModel: { __typename: "ModelSuccess" } });

    // The record's Create and the Note's Create go to every follower: 400 deliveries. The 40th
    // has reached its follower and waits for its answer when the node dies, so the node never
    // learns that it was delivered.
    const creates = () => sink.receipts.filter((receipt) => receipt.type === "Create");
    let killedAt = 0;
    const killed = new Promise<void>((resolve) => {
      killWhen = async (count) => {
        if (count !== 40) return;
        await node!.stop("SIGKILL");
        killedAt = Date.now();
        resolve();
      };
    });

    await killed;
    killWhen = undefined;
    expect(creates().length).toBeLessThan(2 * FOLLOWERS);

    node = await startServeProcess(env);
    proxy.forwardTo(node.url);
    // The rest is delivered after the restart; the delivery in hand at the kill stays leased to
    // the dead worker until its lease runs out (10 s on a node), then it is delivered again.
    const held = creates()[39]!;
    const receiptsByPair = () => {
      const byPair = new Map<string, number[]>();
      for (const receipt of creates())
        byPair.set(`${receipt.follower} ${receipt.activityId}`, [...(byPair.get(`${receipt.follower} ${receipt.activityId}`) ?? []), receipt.at]);
      return byPair;
    };
    // The node's queue is empty once every delivery, repeats included, has been made.
    const queueDepth = async () => {
      const text = await (await fetch(`${node!.url}/metrics`)).text();
      const depths = [...text.matchAll(/^leitplanken_queue_depth\{[^}]*\} (\S+)$/gm)].map((match) => Number(match[1]));
      return depths.length > 0 ? depths.reduce((sum, depth) => sum + depth, 0) : Number.NaN;
    };
    await eventually(
      async () =>
        receiptsByPair().size === 2 * FOLLOWERS &&
        creates().filter((receipt) => receipt.follower === held.follower && receipt.activityId === held.activityId).length === 2 &&
        (await queueDepth()) === 0,
      80_000,
    );
    const byPair = receiptsByPair();
    expect(byPair.size).toBe(2 * FOLLOWERS);

    const activityIds = new Set(creates().map((receipt) => receipt.activityId));
    expect(activityIds.size).toBe(2);
    for (const follower of sink.followers) {
      expect(
        new Set(
          creates()
            .filter((receipt) => receipt.follower === follower.index)
            .map((receipt) => receipt.activityId),
        ),
      ).toEqual(activityIds);
    }
    // Raw repeats: only deliveries in hand at the kill that had reached their followers, each
    // repeated once after the restart (at-least-once; receivers drop them by activity id). The
    // node delivers up to its delivery concurrency at once, so that many at most.
    const repeated = [...byPair.values()].filter((times) => times.length > 1);
    expect(repeated).toContainEqual([held.at, expect.any(Number)]);
    expect(repeated.length).toBeLessThanOrEqual(defaultQueueConcurrency().outbox);
    for (const times of repeated) {
      expect(times).toHaveLength(2);
      expect(times[0]).toBeLessThan(killedAt);
      expect(times[1]).toBeGreaterThan(killedAt);
    }
    expect(creates()).toHaveLength(2 * FOLLOWERS + repeated.length);
    expect(sink.refused).toBe(0);
  }, 85_000);
});
