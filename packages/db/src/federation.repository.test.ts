import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FederatedRecord, FederationStore } from "@leitplanken/core";
import { createFederationRepository } from "./federation.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

describe.each(storageBackends())("federation repository on %s", (backend) => {
  let db: TestDatabase;
  let store: FederationStore;

  beforeAll(async () => {
    db = await testDatabase({ backend });
    store = createFederationRepository(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it("keeps the first key pair of an algorithm when two starts race", async () => {
    const first = { algorithm: "Ed25519" as const, publicKeyJwk: { kty: "OKP", x: "one" }, privateKeyJwk: { kty: "OKP", d: "secret-one" } };
    const second = { ...first, publicKeyJwk: { kty: "OKP", x: "two" }, privateKeyJwk: { kty: "OKP", d: "secret-two" } };
    const [a, b] = await Promise.all([store.saveKeyPairIfAbsent(first), store.saveKeyPairIfAbsent(second)]);
    expect(a.publicKeyJwk).toEqual(b.publicKeyJwk);
    const listed = await store.listKeyPairs();
    expect(listed).toHaveLength(1);
    expect(listed[0]?.privateKeyJwk).toEqual(a.privateKeyJwk);
  });

  it("replaces a follower on a repeated Follow and removes it only for the stored Follow id", async () => {
    const follower = {
      actorId: "https://b.example/actors/b",
      inboxUrl: "https://b.example/actors/b/inbox",
      sharedInboxUrl: null,
      followActivityId: "https://b.example/follows/1",
      state: "pending" as const,
    };
    await store.saveFollower(follower);
    const replaced = await store.saveFollower({ ...follower, followActivityId: "https://b.example/follows/2", state: "accepted" });
    expect(replaced.state).toBe("accepted");
    expect(await store.listFollowers({ state: "pending" })).toEqual([]);
    expect((await store.listFollowers({ state: "accepted" })).map((f) => f.actorId)).toEqual([follower.actorId]);
    expect(await store.removeFollower(follower.actorId, "https://b.example/follows/1")).toBe(false);
    expect(await store.removeFollower(follower.actorId, "https://b.example/follows/2")).toBe(true);
    expect(await store.findFollower(follower.actorId)).toBeNull();
  });

  it("changes a following's state only for the Follow it answers", async () => {
    const following = {
      actorId: "https://a.example/actors/a",
      inboxUrl: "https://a.example/actors/a/inbox",
      sharedInboxUrl: "https://a.example/inbox",
      followActivityId: "https://me.example/follows/9",
      state: "pending" as const,
    };
    await store.saveFollowing(following);
    expect(await store.setFollowingState(following.actorId, "https://me.example/follows/other", "accepted")).toBe(false);
    expect(await store.setFollowingState(following.actorId, following.followActivityId, "accepted")).toBe(true);
    expect((await store.findFollowing(following.actorId))?.state).toBe("accepted");
    expect(await store.listFollowing()).toHaveLength(1);
    expect(await store.removeFollowing(following.actorId)).toBe(true);
    expect(await store.listFollowing()).toEqual([]);
  });

  it("reports a replayed inbound activity id", async () => {
    expect(await store.hasInboundActivity("https://b.example/activities/1")).toBe(false);
    expect(await store.recordInboundActivity("https://b.example/activities/1", "https://b.example/actors/b")).toBe(true);
    expect(await store.recordInboundActivity("https://b.example/activities/1", "https://b.example/actors/b")).toBe(false);
    expect(await store.hasInboundActivity("https://b.example/activities/1")).toBe(true);
  });

  it("records an inbound activity id only when the transaction with the handler's writes commits", async () => {
    const activityId = "https://b.example/activities/rolled-back";
    await expect(
      db.transaction(async (tx) => {
        const scoped = createFederationRepository(tx);
        expect(await scoped.recordInboundActivity(activityId, "https://b.example/actors/b")).toBe(true);
        await scoped.lockReceivedRecord("https://b.example/models/m");
        throw new Error("the record could not be stored");
      }),
    ).rejects.toThrow("could not be stored");
    expect(await store.hasInboundActivity(activityId)).toBe(false);
  });

  it("plans syncs of accepted followed cities, leases them to one worker, and moves the cursor on", async () => {
    const city = (name: string, state: "pending" | "accepted") => ({
      actorId: `https://${name}.example/actors/${name}`,
      inboxUrl: `https://${name}.example/inbox`,
      sharedInboxUrl: null,
      followActivityId: `https://me.example/follows/${name}`,
      state,
    });
    await store.saveFollowing(city("sync-a", "accepted"));
    await store.saveFollowing(city("sync-p", "pending"));
    const a = city("sync-a", "accepted").actorId;
    expect(await store.claimDueSync(60_000)).toBeNull();
    await store.requestSync(city("sync-p", "pending").actorId);
    expect(await store.claimDueSync(60_000)).toBeNull();

    await store.requestSync(a, { fromStart: true });
    const claimed = await store.claimDueSync(60_000);
    expect(claimed).toMatchObject({ actorId: a, cursor: null, attempts: 0 });
    // Leased: another worker gets nothing meanwhile.
    expect(await store.claimDueSync(60_000)).toBeNull();
    await store.failSync(a, { error: "HTTP 503", nextDueAt: new Date(Date.now() - 1) });
    expect(await store.claimDueSync(60_000)).toMatchObject({ actorId: a, attempts: 1, lastError: "HTTP 503" });
    await store.completeSync(a, { cursor: "https://sync-a.example/activities/9", nextDueAt: new Date(Date.now() + 60_000) });
    expect(await store.findSync(a)).toMatchObject({ cursor: "https://sync-a.example/activities/9", attempts: 0, lastError: null });
    expect(await store.claimDueSync(60_000)).toBeNull();
    // The node starts again: every accepted city is due, the cursor kept.
    await store.requestSyncOfAll();
    expect(await store.claimDueSync(60_000)).toMatchObject({ actorId: a, cursor: "https://sync-a.example/activities/9" });
    expect((await store.listSyncs()).map((sync) => sync.actorId)).toContain(a);
    await store.removeFollowing(a);
    await store.removeFollowing(city("sync-p", "pending").actorId);
  });

  it("records delivery failures per follower", async () => {
    await store.recordDeliveryFailure({
      followerActorId: "https://gone.example/a",
      activityId: "https://me.example/c/1",
      inboxUrl: "https://gone.example/inbox",
      statusCode: 410,
      error: "Gone",
    });
    await store.recordDeliveryFailure({
      followerActorId: "https://gone.example/a",
      activityId: "https://me.example/c/1",
      inboxUrl: "https://gone.example/inbox",
      statusCode: 404,
      error: "Not Found",
    });
    const failures = await store.listDeliveryFailures("https://gone.example/a");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ statusCode: 404, error: "Not Found" });
    expect(await store.listDeliveryFailures("https://other.example/a")).toEqual([]);
  });

  it("stores blocked domains in lower case and unblocks them", async () => {
    await store.blockDomain("Spam.Example", "spam");
    expect((await store.listBlockedDomains()).map((b) => [b.domain, b.reason])).toEqual([["spam.example", "spam"]]);
    expect(await store.unblockDomain("spam.example")).toBe(true);
    expect(await store.unblockDomain("spam.example")).toBe(false);
    await expect(store.blockDomain("")).rejects.toThrow();
  });

  it("lists outbox activities newest first, page by page, and finds the latest one per record", async () => {
    const record = "https://a.example/models/m1";
    await store.appendOutboxActivity({ activityId: "https://a.example/actors/a#create/1", type: "Create", objectId: record });
    await store.appendOutboxActivity({ activityId: "https://a.example/actors/a#create/2", type: "Create", objectId: "https://a.example/models/m2" });
    await store.appendOutboxActivity({ activityId: "https://a.example/actors/a#delete/3", type: "Delete", objectId: record });
    expect(await store.countOutboxActivities()).toBe(3);
    const first = await store.listOutboxActivities({ limit: 2 });
    expect(first.map((entry) => entry.activityId)).toEqual(["https://a.example/actors/a#delete/3", "https://a.example/actors/a#create/2"]);
    const second = await store.listOutboxActivities({ before: first.at(-1)!.position, limit: 2 });
    expect(second.map((entry) => entry.activityId)).toEqual(["https://a.example/actors/a#create/1"]);
    expect((await store.findLatestOutboxActivity(record))?.type).toBe("Delete");
    expect(await store.findLatestOutboxActivity("https://a.example/models/none")).toBeNull();
  });

  it("keeps earlier versions of a received record in order and one tombstone per record", async () => {
    const recordId = "https://a.example/models/m1";
    const version = (n: number) => ({ id: recordId, version: String(n) }) as unknown as FederatedRecord;
    await store.archiveRecordVersion({ recordId, kind: "model", record: version(1), activityId: "https://a.example/actors/a#update/1" });
    await store.archiveRecordVersion({ recordId, kind: "model", record: version(2), activityId: "https://a.example/actors/a#update/2" });
    expect((await store.listRecordVersions(recordId)).map((entry) => entry.record)).toEqual([version(1), version(2)]);
    expect(await store.findTombstone(recordId)).toBeNull();
    await store.saveTombstone({ recordId, kind: "model", originActor: "https://a.example/actors/a", activityId: "https://a.example/actors/a#delete/1" });
    await store.saveTombstone({ recordId, kind: "model", originActor: "https://a.example/actors/a", activityId: "https://a.example/actors/a#delete/2" });
    expect(await store.findTombstone(recordId)).toMatchObject({ kind: "model", activityId: "https://a.example/actors/a#delete/1" });
  });

  it("keeps the newest signed document of a received record and removes it on request", async () => {
    const recordId = "https://a.example/use-cases/u1";
    const document = (version: number) => ({
      "@context": ["https://www.w3.org/ns/activitystreams"],
      id: recordId,
      version,
      proof: { type: "DataIntegrityProof", proofValue: `z${version}` },
    });
    const received = { recordId, kind: "use-case" as const, originActor: "https://a.example/actors/a" };
    expect(await store.findReceivedDocument(recordId)).toBeNull();
    await store.saveReceivedDocument({ ...received, document: document(1), activityId: "https://a.example/actors/a#create/1" });
    await store.saveReceivedDocument({ ...received, document: document(2), activityId: "https://a.example/actors/a#update/2" });
    expect(await store.findReceivedDocument(recordId)).toMatchObject({ ...received, document: document(2), activityId: "https://a.example/actors/a#update/2" });
    expect(await store.removeReceivedDocument(recordId)).toBe(true);
    expect(await store.removeReceivedDocument(recordId)).toBe(false);
    expect(await store.findReceivedDocument(recordId)).toBeNull();
  });
});
