import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { eventually, startNode, type TestNode } from "./harness.ts";

// All nodes run on 127.0.0.1, so blocking that domain blocks every peer: enough to show both directions.
describe("domain blocks", () => {
  let open: TestNode;
  let configured: TestNode;
  let stored: TestNode;
  beforeAll(async () => {
    [open, configured, stored] = await Promise.all([
      startNode({ handle: "open" }),
      startNode({ handle: "configured", blockedDomains: ["127.0.0.1"] }),
      startNode({ handle: "stored" }),
    ]);
    await stored.deps.store.blockDomain("127.0.0.1", "test");
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), configured?.stop(), stored?.stop()]);
  });

  it("refuses to follow a blocked domain (configured or stored) and sends nothing", async () => {
    for (const node of [configured, stored]) {
      expect(await node.following.followCity(open.actorUrl)).toEqual({ ok: false, error: { type: "domain-blocked", domain: new URL(open.origin).host } });
      expect(await node.following.listFollowing()).toEqual([]);
    }
  });

  it("refuses a Follow from a blocked domain: the follower stays pending and is never listed", async () => {
    for (const node of [configured, stored]) {
      expect(await open.following.followCity(node.actorUrl)).toMatchObject({ ok: true });
    }
    // The blocked node cannot even fetch the sender's key, so the delivery is refused.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await configured.following.listFollowers()).toEqual([]);
    expect(await stored.following.listFollowers()).toEqual([]);
    expect(await open.following.listFollowing({ state: "accepted" })).toEqual([]);
  });

  it("accepts again once the stored block is lifted", async () => {
    await stored.deps.store.unblockDomain("127.0.0.1");
    // A fresh peer: `open` has backed off from the refusing node for a while (retries, circuit breaker).
    const fresh = await startNode({ handle: "fresh" });
    try {
      expect(await fresh.following.followCity(stored.actorUrl)).toMatchObject({ ok: true });
      await eventually(async () => (await fresh.following.listFollowing({ state: "accepted" })).length === 1);
      expect((await stored.following.listFollowers({ state: "accepted" })).map((f) => f.actorId)).toEqual([fresh.actorUrl]);
    } finally {
      await fresh.stop();
    }
  });
});
