import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { describeFollowError, type FederationStore, type FollowError, type FollowingPort } from "@leitplanken/core";
import { createDeliveryStatusReader, createFederationRepository } from "@leitplanken/db";
import { startTestApi, testActor, type TestApi } from "./testing/test-api.ts";

// The real follow flow (Fedify, two nodes) is tested in test/federation; here a scripted
// port stands in for the network so that every refusal can be produced on demand.
const refusals: Record<string, FollowError> = {
  "not a handle": { type: "invalid-target", target: "not a handle" },
  "@spam@spam.example": { type: "domain-blocked", domain: "spam.example" },
  "@ghost@nowhere.example": { type: "actor-not-found", target: "@ghost@nowhere.example" },
  [testActor]: { type: "cannot-follow-self" },
};

function scriptedFollowing(store: FederationStore, calls: string[]): FollowingPort {
  return {
    async followCity(target) {
      calls.push(target);
      const error = refusals[target];
      if (error) return { ok: false, error };
      const following = await store.saveFollowing({
        actorId: target,
        inboxUrl: `${target}/inbox`,
        sharedInboxUrl: null,
        followActivityId: `${testActor}#follows/${calls.length}`,
        state: "pending",
      });
      return { ok: true, following };
    },
    async unfollowCity(target) {
      calls.push(target);
      // As the real service: a target it cannot resolve is one it does not follow.
      return (await store.removeFollowing(target)) ? { ok: true } : { ok: false, error: { type: "not-following", target } };
    },
    listFollowers: (filter) => store.listFollowers(filter),
    listFollowing: (filter) => store.listFollowing(filter),
  };
}

const follow = `mutation ($target: String!) { followCity(target: $target) { __typename
  ... on FollowCitySuccess { following { actor state inbox since } }
  ... on PayloadError { message { de en } }
  ... on InvalidFollowTargetError { target } ... on DomainBlockedError { domain } ... on ActorNotFoundError { target } } }`;
const unfollow = `mutation ($target: String!) { unfollowCity(target: $target) { __typename
  ... on UnfollowCitySuccess { target } ... on NotFollowingError { target message { de en } } } }`;
const block = `mutation ($domain: String!, $reason: String) { blockDomain(domain: $domain, reason: $reason) { __typename
  ... on BlockDomainSuccess { domainBlock { domain reason fromConfiguration createdAt } }
  ... on ValidationError { fieldErrors { path code message { de en } } } } }`;
const unblock = `mutation ($domain: String!) { unblockDomain(domain: $domain) { __typename
  ... on UnblockDomainSuccess { domain } ... on PayloadError { message { de en } } } }`;
const blockList = `{ blockedDomains { domain reason fromConfiguration } }`;

type Payload = Record<string, unknown> & { __typename: string };

describe("following other cities and the domain block list", () => {
  let api: TestApi;
  let store: FederationStore;
  const followCalls: string[] = [];
  const failureReads: (string | undefined)[] = [];

  beforeAll(async () => {
    api = await startTestApi({
      federation: (db) => {
        store = createFederationRepository(db);
        return {
          following: scriptedFollowing(store, followCalls),
          store: {
            ...store,
            listDeliveryFailures: (actorId) => {
              failureReads.push(actorId);
              return store.listDeliveryFailures(actorId);
            },
          },
          configuredBlockedDomains: ["Configured.Example"],
          deliveryStatus: createDeliveryStatusReader(db),
        };
      },
    });
  });
  afterAll(() => api.close());

  it("refuses following without a token or with the wrong role, before anything is sent", async () => {
    expect((await api.graphql(follow, { target: "https://ki.muenster.example/actor" })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    for (const token of ["token-vetter", "token-moderator"]) {
      expect((await api.graphql(follow, { target: "https://ki.muenster.example/actor" }, token)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await api.graphql(unfollow, { target: "https://ki.muenster.example/actor" }, token)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    expect(followCalls).toEqual([]);
  });

  it("returns each refusal as its typed payload error, in German and English, and follows nobody", async () => {
    const expected: Record<string, Record<string, unknown>> = {
      "not a handle": { __typename: "InvalidFollowTargetError", target: "not a handle" },
      "@spam@spam.example": { __typename: "DomainBlockedError", domain: "spam.example" },
      "@ghost@nowhere.example": { __typename: "ActorNotFoundError", target: "@ghost@nowhere.example" },
      [testActor]: { __typename: "CannotFollowSelfError" },
    };
    for (const [target, error] of Object.entries(refusals)) {
      const result = (await api.graphql(follow, { target }, "token-editor")).data?.["followCity"] as Payload;
      expect(result).toEqual({ ...expected[target], message: describeFollowError(error) });
      expect(result["message"]).toEqual({ de: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) });
    }
    expect((await api.graphql(`{ following { actor } }`)).data).toEqual({ following: [] });
  });

  it("follows and unfollows a city, and lists following and followers by state", async () => {
    const muenster = "https://ki.muenster.example/actors/muenster";
    const followed = (await api.graphql(follow, { target: muenster }, "token-admin")).data?.["followCity"] as Payload;
    expect(followed).toMatchObject({ __typename: "FollowCitySuccess", following: { actor: muenster, state: "PENDING", inbox: `${muenster}/inbox` } });
    expect(Date.parse((followed["following"] as { since: string }).since)).not.toBeNaN();

    await store.saveFollower({
      actorId: "https://ki.bonn.example/actor",
      inboxUrl: "https://ki.bonn.example/inbox",
      sharedInboxUrl: null,
      followActivityId: "https://ki.bonn.example/f/1",
      state: "accepted",
    });
    await store.saveFollower({
      actorId: "https://social.example/users/anna",
      inboxUrl: "https://social.example/users/anna/inbox",
      sharedInboxUrl: "https://social.example/inbox",
      followActivityId: "https://social.example/f/2",
      state: "pending",
    });
    const lists = await api.graphql(`{ following(state: PENDING) { actor state } accepted: following(state: ACCEPTED) { actor }
      followers { actor sharedInbox } acceptedFollowers: followers(state: ACCEPTED) { actor state } }`);
    expect(lists.errors).toBeUndefined();
    expect(lists.data).toEqual({
      following: [{ actor: muenster, state: "PENDING" }],
      accepted: [],
      followers: expect.arrayContaining([
        { actor: "https://ki.bonn.example/actor", sharedInbox: null },
        { actor: "https://social.example/users/anna", sharedInbox: "https://social.example/inbox" },
      ]),
      acceptedFollowers: [{ actor: "https://ki.bonn.example/actor", state: "ACCEPTED" }],
    });
    // The same lists as connections: one page at a time, the pages together are the list.
    const paged = await api.graphql<{
      followedCities: { totalCount: number; nodes: { actor: string }[] };
      first: { totalCount: number; nodes: { actor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(
      `{ followedCities(state: PENDING) { totalCount nodes { actor } } first: cityFollowers(first: 1) { totalCount nodes { actor } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(paged.data?.followedCities).toEqual({ totalCount: 1, nodes: [{ actor: muenster }] });
    expect(paged.data?.first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = await api.graphql<{ cityFollowers: { nodes: { actor: string }[]; pageInfo: { hasNextPage: boolean } } }>(
      `query ($after: String) { cityFollowers(after: $after) { nodes { actor } pageInfo { hasNextPage } } }`,
      { after: paged.data!.first.pageInfo.endCursor },
    );
    expect([...paged.data!.first.nodes, ...second.data!.cityFollowers.nodes].map((follower) => follower.actor).sort()).toEqual([
      "https://ki.bonn.example/actor",
      "https://social.example/users/anna",
    ]);
    expect(second.data?.cityFollowers.pageInfo.hasNextPage).toBe(false);

    expect((await api.graphql(unfollow, { target: muenster }, "token-editor")).data?.["unfollowCity"]).toEqual({
      __typename: "UnfollowCitySuccess",
      target: muenster,
    });
    expect(await store.listFollowing()).toEqual([]);
    expect((await api.graphql(unfollow, { target: muenster }, "token-editor")).data?.["unfollowCity"]).toEqual({
      __typename: "NotFollowingError",
      target: muenster,
      message: describeFollowError({ type: "not-following", target: muenster }),
    });
  });

  it("shows admins the delivery state of every follower, read once per request, and nobody else", async () => {
    const anna = "https://social.example/users/anna";
    await store.recordDeliveryFailure({
      followerActorId: anna,
      activityId: "https://ki.dortmund.example/a/1",
      inboxUrl: "https://social.example/inbox",
      statusCode: 410,
      error: "Gone",
    });
    await store.recordDeliveryFailure({
      followerActorId: anna,
      activityId: "https://ki.dortmund.example/a/2",
      inboxUrl: "https://social.example/inbox",
      statusCode: null,
      error: "connect ECONNREFUSED",
    });
    const query = `{ followers { actor delivery { healthy permanentFailureCount permanentFailures(first: 5) { activityId inbox statusCode error failedAt } } } }`;

    failureReads.length = 0;
    const asAdmin = await api.graphql<{
      followers: {
        actor: string;
        delivery: { healthy: boolean; permanentFailureCount: number; permanentFailures: { activityId: string; statusCode: number | null }[] };
      }[];
    }>(query, {}, "token-admin");
    expect(asAdmin.errors).toBeUndefined();
    const byActor = new Map(asAdmin.data!.followers.map((follower) => [follower.actor, follower.delivery]));
    expect(byActor.get("https://ki.bonn.example/actor")).toEqual({ healthy: true, permanentFailureCount: 0, permanentFailures: [] });
    expect(byActor.get(anna)).toMatchObject({ healthy: false, permanentFailureCount: 2 });
    expect(
      byActor
        .get(anna)
        ?.permanentFailures.map((failure) => failure.statusCode)
        .sort(),
    ).toEqual([410, null].sort());
    // Two followers, one read of the failures.
    expect(failureReads).toEqual([undefined]);

    const asEditor = await api.graphql<{ followers: { delivery: unknown }[] }>(query, {}, "token-editor");
    expect(asEditor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(asEditor.data?.followers.map((follower) => follower.delivery)).toEqual([null, null]);
  });

  it("shows admins which followers are stalled: deliveries that failed and wait long, or a server whose circuit is open", async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    const queued = (inbox: string, attempt: number, started: string) =>
      api.db.query("INSERT INTO fedify_queue (lane, payload) VALUES ('outbox', $1)", [
        JSON.stringify({ type: "outbox", inbox, activityId: `https://ki.dortmund.example/a/${attempt}`, attempt, started, keys: [] }),
      ]);
    // Bonn: one delivery failed three times since ten minutes ago, one new one behind it.
    await queued("https://ki.bonn.example/inbox", 3, tenMinutesAgo);
    await queued("https://ki.bonn.example/inbox", 0, new Date().toISOString());
    // Anna's server (her shared inbox gets the fan-outs) failed repeatedly: Fedify holds its deliveries.
    await api.db.query("INSERT INTO fedify_kv (key, value) VALUES (ARRAY['_fedify', 'circuit', 'social.example'], $1)", [
      JSON.stringify({ state: "open", failures: [tenMinutesAgo], opened: tenMinutesAgo, __fedifyCircuitBreakerStateVersion: 1 }),
    ]);
    const query = `{ followers { actor delivery { stalled waiting waitingSince failedAttempts circuit } } }`;
    const asAdmin = await api.graphql<{ followers: { actor: string; delivery: Record<string, unknown> }[] }>(query, {}, "token-admin");
    expect(asAdmin.errors).toBeUndefined();
    const byActor = new Map(asAdmin.data!.followers.map((follower) => [follower.actor, follower.delivery]));
    expect(byActor.get("https://ki.bonn.example/actor")).toEqual({
      stalled: true,
      waiting: 2,
      waitingSince: tenMinutesAgo,
      failedAttempts: 3,
      circuit: "CLOSED",
    });
    expect(byActor.get("https://social.example/users/anna")).toEqual({ stalled: true, waiting: 0, waitingSince: null, failedAttempts: 0, circuit: "OPEN" });

    // A long queue alone is no stall: nothing has failed.
    await api.db.query("DELETE FROM fedify_queue");
    await api.db.query("DELETE FROM fedify_kv WHERE key[2] = 'circuit'");
    await queued("https://ki.bonn.example/inbox", 0, tenMinutesAgo);
    const again = await api.graphql<{ followers: { actor: string; delivery: Record<string, unknown> }[] }>(query, {}, "token-admin");
    expect(again.data!.followers.map((follower) => follower.delivery)).toEqual([
      { stalled: false, waiting: 1, waitingSince: tenMinutesAgo, failedAttempts: 0, circuit: "CLOSED" },
      { stalled: false, waiting: 0, waitingSince: null, failedAttempts: 0, circuit: "CLOSED" },
    ]);
    await api.db.query("DELETE FROM fedify_queue");

    const asEditor = await api.graphql<{ followers: { delivery: unknown }[] }>(query, {}, "token-editor");
    expect(asEditor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("shows admins how far this node is behind each followed city (its catch-up), and nobody else", async () => {
    const city = (name: string) => `https://ki.${name}.example/actors/${name}`;
    for (const name of ["hagen", "hamm", "herne"]) {
      await store.saveFollowing({
        actorId: city(name),
        inboxUrl: `${city(name)}/inbox`,
        sharedInboxUrl: null,
        followActivityId: `${testActor}#f-${name}`,
        state: "accepted",
      });
    }
    // Hagen's last read worked; Hamm's failed; Herne was never read yet.
    await store.completeSync(city("hagen"), { cursor: "https://ki.hagen.example/activities/1", nextDueAt: new Date(Date.now() + 300_000) });
    await store.failSync(city("hamm"), {
      error: "could not fetch https://ki.hamm.example/actors/hamm/outbox for now (HTTP 503)",
      nextDueAt: new Date(Date.now() + 30_000),
    });
    await store.requestSync(city("herne"), { fromStart: true });
    const query = "{ following(state: ACCEPTED) { actor catchUp { syncedAt nextAt failedAttempts lastError behind } } }";
    const asAdmin = await api.graphql<{ following: { actor: string; catchUp: Record<string, unknown> }[] }>(query, {}, "token-admin");
    expect(asAdmin.errors).toBeUndefined();
    const byActor = new Map(asAdmin.data!.following.map((followed) => [followed.actor, followed.catchUp]));
    expect(byActor.get(city("hagen"))).toMatchObject({ syncedAt: expect.any(String), failedAttempts: 0, lastError: null, behind: false });
    expect(byActor.get(city("hamm"))).toMatchObject({ syncedAt: null, failedAttempts: 1, lastError: expect.stringContaining("HTTP 503"), behind: true });
    expect(byActor.get(city("herne"))).toMatchObject({ syncedAt: null, nextAt: expect.any(String), failedAttempts: 0, behind: true });
    const asEditor = await api.graphql(query, {}, "token-editor");
    expect(asEditor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    for (const name of ["hagen", "hamm", "herne"]) await store.removeFollowing(city(name));
  });

  it("lets admins keep the domain block list, and refuses bad domains without storing them", async () => {
    expect((await api.graphql(blockList)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await api.graphql(blockList, {}, "token-editor")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.graphql(block, { domain: "spam.example" }, "token-editor")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    for (const [domain, code] of [
      ["https://spam.example/", "invalid-domain"],
      ["spam.example:8443", "invalid-domain"],
      ["a..example", "invalid-domain"],
      ["", "invalid-domain"],
      ["ki.dortmund.example", "own-domain"],
      ["dortmund.example", "own-domain"],
    ] as const) {
      const refused = (await api.graphql(block, { domain }, "token-admin")).data?.["blockDomain"];
      expect(refused).toEqual({
        __typename: "ValidationError",
        fieldErrors: [{ path: "domain", code, message: { de: expect.any(String), en: expect.any(String) } }],
      });
    }
    const tooLong = (await api.graphql(block, { domain: "spam.example", reason: "x".repeat(501) }, "token-admin")).data?.["blockDomain"];
    expect(tooLong).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: "reason", code: "too-long" }] });
    expect(await store.listBlockedDomains()).toEqual([]);

    const blocked = (await api.graphql(block, { domain: " Spam.Example ", reason: "Werbung" }, "token-admin")).data?.["blockDomain"];
    expect(blocked).toMatchObject({ __typename: "BlockDomainSuccess", domainBlock: { domain: "spam.example", reason: "Werbung", fromConfiguration: false } });
    expect((await api.graphql(blockList, {}, "token-admin")).data).toEqual({
      blockedDomains: [
        { domain: "configured.example", reason: null, fromConfiguration: true },
        { domain: "spam.example", reason: "Werbung", fromConfiguration: false },
      ],
    });
    // The same list as a connection: the last page of one is the second domain; its cursor leads back to the first.
    const last = await api.graphql<{
      domainBlocks: { totalCount: number; nodes: { domain: string }[]; pageInfo: { hasPreviousPage: boolean; startCursor: string } };
    }>(`{ domainBlocks(last: 1) { totalCount nodes { domain } pageInfo { hasPreviousPage startCursor } } }`, {}, "token-admin");
    expect(last.data?.domainBlocks).toMatchObject({ totalCount: 2, nodes: [{ domain: "spam.example" }], pageInfo: { hasPreviousPage: true } });
    const before = await api.graphql<{ domainBlocks: { nodes: { domain: string }[] } }>(
      `query ($before: String) { domainBlocks(before: $before) { nodes { domain } } }`,
      { before: last.data!.domainBlocks.pageInfo.startCursor },
      "token-admin",
    );
    expect(before.data?.domainBlocks.nodes).toEqual([{ domain: "configured.example" }]);
    expect((await api.graphql(`{ domainBlocks { totalCount } }`, {}, "token-editor")).errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");

    expect((await api.graphql(unblock, { domain: "configured.example" }, "token-admin")).data?.["unblockDomain"]).toMatchObject({
      __typename: "DomainBlockConfiguredError",
    });
    expect((await api.graphql(unblock, { domain: "other.example" }, "token-admin")).data?.["unblockDomain"]).toMatchObject({
      __typename: "DomainNotBlockedError",
    });
    expect(await store.listBlockedDomains()).toHaveLength(1);
    expect((await api.graphql(unblock, { domain: "SPAM.example" }, "token-admin")).data?.["unblockDomain"]).toEqual({
      __typename: "UnblockDomainSuccess",
      domain: "spam.example",
    });
    expect(await store.listBlockedDomains()).toEqual([]);
  });
});

it("answers FEDERATION_UNAVAILABLE on a node that does not federate", async () => {
  const api = await startTestApi();
  try {
    const response = await api.graphql(`{ following { actor } }`);
    expect(response.errors?.[0]).toMatchObject({ message: expect.stringContaining("does not federate"), extensions: { code: "FEDERATION_UNAVAILABLE" } });
  } finally {
    await api.close();
  }
});
