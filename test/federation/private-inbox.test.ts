import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { logged, startNode, type TestNode } from "./harness.ts";

// All test nodes live on 127.0.0.1: `guard` checks inbox addresses as a production node does,
// so every other node's inbox counts as private to it.
describe("inboxes on private addresses", () => {
  let open: TestNode;
  let guard: TestNode;
  beforeAll(async () => {
    [open, guard] = await Promise.all([startNode({ handle: "open" }), startNode({ handle: "guard", checkInboxAddresses: true })]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), guard?.stop()]);
  });

  it("a Follow from an actor whose inbox is on loopback is refused: logged, nothing stored, no Accept", async () => {
    expect(await open.following.followCity(guard.actorUrl)).toMatchObject({ ok: true, following: { state: "pending" } });
    await logged(guard, "Follow from an actor whose inbox is not a public address ignored", (fields) => fields.actorId === open.actorUrl);
    expect(await guard.following.listFollowers()).toEqual([]);
    expect(await open.following.listFollowing()).toMatchObject([{ actorId: guard.actorUrl, state: "pending" }]);
  });

  it("following an actor whose inbox is on loopback is refused as actor-not-found", async () => {
    expect(await guard.following.followCity(open.actorUrl)).toEqual({ ok: false, error: { type: "actor-not-found", target: open.actorUrl } });
    await logged(guard, "actor whose inbox is not a public address not followed", (fields) => fields.actorId === open.actorUrl);
    expect(await guard.following.listFollowing()).toEqual([]);
  });
});
