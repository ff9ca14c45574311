// Issue 15, acceptance: with two followers that accept the connection and never answer, a healthy
// follower still gets a publication within 30 s. A real `leitplanken serve` process with only two
// deliveries in flight at once (LEITPLANKEN_DELIVERY_CONCURRENCY=2), so the hung followers can
// take every slot: only the delivery timeout (the default 15 s) frees them.
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createFederationRepository, openDatabase } from "@leitplanken/db";
import { migratedDataFolder, runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { startFollowerSink, storeAcceptedFollowers, type FollowerSink } from "../../packages/activitypub/src/testing/follower-sink.ts";
import { eventually } from "./harness.ts";
import { modelInput } from "./model-input.ts";

/** A host that accepts TCP connections and never answers (nor closes them). */
async function startHungHost(): Promise<{ inbox: string; actor: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    actor: `${origin}/users/hung`,
    inbox: `${origin}/users/hung/inbox`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("a publication while two followers hang", () => {
  let dataDir: string;
  let sink: FollowerSink;
  let hung: Awaited<ReturnType<typeof startHungHost>>[];
  let node: ServeProcess | undefined;
  let env: Record<string, string>;
  let token: string;
  let adminToken: string;

  beforeAll(async () => {
    dataDir = await migratedDataFolder(await mkdtemp(join(tmpdir(), "leitplanken-hung-")));
    env = { LEITPLANKEN_DATA_DIR: dataDir, LEITPLANKEN_HANDLE: "soest", LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true", LEITPLANKEN_DELIVERY_CONCURRENCY: "2" };
    const admin = await runCli(["token", "create", "--role", "admin", "--name", "Hung followers admin"], env);
    expect(admin.code).toBe(0);
    adminToken = admin.stdout.trim();
    const [created, followerSink, ...hosts] = await Promise.all([
      runCli(["token", "create", "--role", "editor", "--name", "Hung followers test"], env),
      startFollowerSink({ followers: 1, keys: false }),
      startHungHost(),
      startHungHost(),
    ]);
    expect(created.code).toBe(0);
    token = created.stdout.trim();
    sink = followerSink;
    hung = hosts;
    // The hung followers first, so their deliveries are the first ones taken from the queue.
    const db = await openDatabase({ dataDir });
    await storeAcceptedFollowers(createFederationRepository(db), [...hung.map((host) => ({ actorId: host.actor, inboxUrl: host.inbox })), ...sink.followers]);
    await db.close();
    node = await startServeProcess(env);
  });
  afterAll(async () => {
    await node?.stop("SIGKILL");
    await sink?.close();
    await Promise.all((hung ?? []).map((host) => host.close()));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("reaches the healthy follower within 30 s", async () => {
    const published = await fetch(`${node!.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "mutation ($input: ModelInput!) { registerModel(input: $input) { __typename } }", variables: { input: modelInput } }),
    });
    expect(((await published.json()) as { data: unknown }).data).toEqual({ registerModel: { __typename: "ModelSuccess" } });
    const publishedAt = Date.now();

    // The first delivery to each hung follower holds both slots until it times out (15 s); then the
    // healthy follower's delivery of the record's Create is among the next two taken.
    const creates = () => sink.receipts.filter((receipt) => receipt.type === "Create");
    await eventually(async () => creates().length >= 1, 30_000);
    expect(Date.now() - publishedAt).toBeLessThan(30_000);
    // The Note's Create waits behind the hung followers' second deliveries: one more timeout.
    await eventually(async () => creates().length === 2, 30_000);
    expect(sink.refused).toBe(0);
    // The hung followers were tried: each holds at least one connection the node opened.
    for (const host of hung) expect(host.connections()).toBeGreaterThan(0);

    // Admins see the failed deliveries waiting for the hung followers, and none for the healthy one.
    const status = await fetch(`${node!.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: "{ followers { actor delivery { stalled waiting failedAttempts circuit } } }" }),
    });
    const { data } = (await status.json()) as {
      data: { followers: { actor: string; delivery: { stalled: boolean; waiting: number; failedAttempts: number } }[] };
    };
    const byActor = new Map(data.followers.map((follower) => [follower.actor, follower.delivery]));
    expect(byActor.get(sink.followers[0]!.actorId)).toEqual({ stalled: false, waiting: 0, failedAttempts: 0, circuit: "CLOSED" });
    for (const host of hung) {
      expect(byActor.get(host.actor)?.waiting).toBeGreaterThan(0);
      expect(byActor.get(host.actor)?.failedAttempts).toBeGreaterThan(0);
    }
    // And the node's log names each failed delivery: the inbox, and that no answer came in time.
    const failures = node!
      .output()
      .split("\n")
      .filter((line) => line.includes("delivery failed"));
    for (const host of hung) expect(failures.some((line) => line.includes(host.inbox) && line.includes('"timedOut":true'))).toBe(true);
  }, 90_000);
});
