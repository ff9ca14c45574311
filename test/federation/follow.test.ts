import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { eventually, startNodes, type TestNode } from "./harness.ts";

describe("following across nodes", () => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    [a, b] = (await startNodes("alpha", "beta")) as [TestNode, TestNode];
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("B follows A by actor URL; A lists B as follower and B sees the Follow accepted", async () => {
    const result = await b.following.followCity(a.actorUrl);
    expect(result).toMatchObject({ ok: true, following: { actorId: a.actorUrl, state: "pending" } });

    const follower = await eventually(async () => (await a.following.listFollowers({ state: "accepted" }))[0]);
    expect(follower.actorId).toBe(b.actorUrl);
    expect(follower.inboxUrl).toBe(`${b.actorUrl}/inbox`);
    const following = await eventually(async () => (await b.following.listFollowing({ state: "accepted" }))[0]);
    expect(following.actorId).toBe(a.actorUrl);

    const collection = await fetch(`${a.actorUrl}/followers`, { headers: { accept: "application/activity+json" } });
    expect(await collection.json()).toMatchObject({ type: "OrderedCollection", totalItems: 1, orderedItems: [b.actorUrl] });
  });

  it("B unfollows A; A drops B from its followers", async () => {
    expect(await b.following.unfollowCity(a.actorUrl)).toEqual({ ok: true });
    expect(await b.following.listFollowing()).toEqual([]);
    await eventually(async () => (await a.following.listFollowers()).length === 0);
  });

  it("refuses targets that are not actors, and itself", async () => {
    expect(await b.following.followCity("not a handle")).toMatchObject({ ok: false, error: { type: "invalid-target" } });
    expect(await b.following.followCity(`${a.origin}/nowhere`)).toMatchObject({ ok: false, error: { type: "actor-not-found" } });
    expect(await b.following.followCity(b.actorUrl)).toMatchObject({ ok: false, error: { type: "cannot-follow-self" } });
    expect(await b.following.listFollowing()).toEqual([]);
  });
});
