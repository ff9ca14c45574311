import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type CatalogMembershipPort, type CatalogModerationStore, type CatalogViewEntry, submitToCatalog } from "@leitplanken/core";
import { createCatalogRepository, createFederationRepository } from "@leitplanken/db";
import { localCatalogHub } from "./testing/catalog-hub.fixture.ts";
import { startTestApi, testActor, type TestApi } from "./testing/test-api.ts";

// The hub runs on the core's workflows and the real repository (localCatalogHub); federation of
// catalogs across nodes is tested in test/federation/catalog*.test.ts. The member side is a
// scripted port, so that each of its answers can be produced on demand.
const remoteCatalog = "https://hub.example/actors/ki-katalog-nrw";
const ownRecord = "https://ki.dortmund.example/use-cases/0b8f3c1e-2d4a-4c6b-9e1f-5a7d8c9b0a1e";
const viewEntries: CatalogViewEntry[] = [
  {
    catalogId: remoteCatalog,
    recordId: "https://ki.muenster.example/use-cases/1",
    state: "approved",
    reason: null,
    submissionActivityId: null,
    updatedAt: "2026-11-25T10:00:00.000Z",
  },
  {
    catalogId: remoteCatalog,
    recordId: ownRecord,
    state: "rejected",
    reason: "Bitte Energieangaben ergänzen",
    submissionActivityId: `${testActor}#s/1`,
    updatedAt: "2026-11-25T11:00:00.000Z",
  },
];
const remoteProfile = { id: remoteCatalog, handle: "ki-katalog-nrw", name: "KI-Katalog NRW", summary: "Geprüfte KI-Einsatzfälle", membersNeedApproval: true };
const scriptedMembership: CatalogMembershipPort = {
  lookup: async (address) =>
    address === remoteCatalog
      ? { ok: true, catalog: remoteProfile }
      : address === testActor
        ? { ok: false, error: { type: "cannot-follow-self" } }
        : address === "https://ki.muenster.example/actors/muenster"
          ? { ok: false, error: { type: "not-a-catalog", target: address } }
          : { ok: false, error: { type: "actor-not-found", target: address } },
  joined: async () => [{ catalog: remoteProfile, state: "pending", since: new Date("2026-11-25T09:00:00Z") }],
  join: async (catalogIri) =>
    catalogIri === remoteCatalog
      ? {
          ok: true,
          following: {
            actorId: remoteCatalog,
            inboxUrl: `${remoteCatalog}/inbox`,
            sharedInboxUrl: null,
            followActivityId: `${testActor}#f/1`,
            state: "pending",
            createdAt: new Date(),
            updatedAt: new Date(),
          },
        }
      : { ok: false, error: { type: "actor-not-found", target: catalogIri } },
  leave: async (catalogIri) => ({ ok: false, error: { type: "not-following", target: catalogIri } }),
  submit: async (catalogIri, recordId) =>
    catalogIri !== remoteCatalog
      ? { ok: false, error: { type: "catalog-not-found", catalog: catalogIri } }
      : recordId === ownRecord
        ? { ok: true, submissionActivityId: `${testActor}#s/2` }
        : { ok: false, error: { type: "not-own-public-record", recordId } },
  view: async (catalogIri, filter) => viewEntries.filter((entry) => entry.catalogId === catalogIri && (!filter?.state || entry.state === filter.state)),
  moderate: async ({ catalogIri }) =>
    catalogIri === remoteCatalog ? { ok: true, activityId: `${testActor}#m/1` } : { ok: false, error: { type: "catalog-not-found", catalog: catalogIri } },
  report: async ({ to }) =>
    to === remoteCatalog ? { ok: true, activityId: `${testActor}#flag/1` } : { ok: false, error: { type: "catalog-not-found", catalog: to } },
};

const settings = (handle: string, moderators: Record<string, string>[] = [{ name: "Mia Moderatorin" }]) => ({
  handle,
  name: { de: "KI-Katalog NRW", en: "AI catalog NRW" },
  description: { de: "Geprüfte KI-Anwendungsfälle", en: "Vetted AI use cases" },
  moderators,
  policy: { acceptedKinds: ["USE_CASE"], openTo: "ANYONE", memberApprovalRequired: false },
});

const createCatalog = `mutation ($input: CatalogSettingsInput!) { createCatalog(input: $input) { __typename
  ... on CatalogSuccess { catalog { id handle moderators { type name iri } policy { acceptedKinds openTo } } }
  ... on PayloadError { message { de en } } ... on ValidationError { fieldErrors { path code } } ... on HandleTakenError { handle } } }`;
const entryFields = `id state recordId recordKind originCity decidedBy { type name } decidedAt reason approvedAt`;
const catalogEntries = `query ($id: ID!, $state: CatalogEntryState!) { catalog(id: $id) { viewerIsModerator entries(state: $state) { totalCount nodes { ${entryFields} } } } }`;
const approve = `mutation ($catalogId: ID!, $entryId: ID!) { approveCatalogEntry(catalogId: $catalogId, entryId: $entryId) { __typename
  ... on CatalogEntrySuccess { entry { ${entryFields} } } ... on PayloadError { message { de en } } } }`;
const reject = `mutation ($catalogId: ID!, $entryId: ID!, $reason: String!) { rejectCatalogEntry(catalogId: $catalogId, entryId: $entryId, reason: $reason) { __typename
  ... on CatalogEntrySuccess { entry { state reason } } ... on ValidationError { fieldErrors { path code } } ... on WrongCatalogError { catalogId actualCatalogId } } }`;
const log = `query ($id: ID!) { catalog(id: $id) { moderationLog { kind actor { type name } target refused refusal confidential } } }`;
const report = `mutation ($target: String!, $category: ReportCategory!, $text: String) { reportRecord(target: $target, category: $category, text: $text) { __typename
  ... on ReportRecordSuccess { reportId } ... on RateLimitedError { retryAfterSeconds message { de en } } ... on ValidationError { fieldErrors { path code } } } }`;
const reports = `query ($id: ID!) { catalog(id: $id) { reports { totalCount nodes { id target category text reporter state } } } }`;

type Payload = Record<string, unknown> & { __typename: string };

describe("catalogs, moderation, reports and network trust in the API", () => {
  let api: TestApi;
  let store: CatalogModerationStore;
  let catalogId: string;
  let entryCount = 0;

  /** A city's submission waiting in the queue, as the catalog's inbox stores it. */
  async function submitted(): Promise<string> {
    entryCount += 1;
    const catalog = (await store.getCatalog(catalogId))!;
    const result = submitToCatalog(
      catalog,
      {
        id: `${catalogId}/entries/${entryCount}`,
        record: { id: `https://ki.muenster.example/use-cases/${entryCount}`, kind: "use-case", originActor: "https://ki.muenster.example/actor" },
        submitter: "https://ki.muenster.example/actor",
        submissionActivityId: `https://ki.muenster.example/actor#create/${entryCount}`,
        document: null,
        now: new Date(),
      },
      { member: null, existing: null },
    );
    if (!result.ok) throw new Error(result.error.type);
    await store.saveEntry(result.entry);
    return result.entry.id;
  }

  beforeAll(async () => {
    api = await startTestApi({
      // Federation on the same database: the node's domain blocks are one list with its trust list.
      federation: (db) => {
        const federationStore = createFederationRepository(db);
        return {
          store: federationStore,
          following: {
            followCity: async (target) => ({ ok: false, error: { type: "actor-not-found", target } }),
            unfollowCity: async (target) => ({ ok: false, error: { type: "not-following", target } }),
            listFollowers: () => federationStore.listFollowers(),
            listFollowing: () => federationStore.listFollowing(),
          },
        };
      },
      catalogs: (db) => {
        store = createCatalogRepository(db);
        return {
          store,
          hub: localCatalogHub(store, { origin: "https://ki.dortmund.example", addressSecret: "a test secret of 32 characters.." }),
          membership: scriptedMembership,
        };
      },
    });
    const created = await api.graphql<{ createCatalog: Payload & { catalog: { id: string } } }>(
      createCatalog,
      { input: settings("ki-katalog-nrw") },
      "token-admin",
    );
    catalogId = created.data!.createCatalog.catalog.id;
  });
  afterAll(() => api.close());

  it("lets the admin set up a catalog, with typed refusals for a taken handle and an unclear moderator; others are FORBIDDEN", async () => {
    const listed = await api.graphql<{ catalogs: { id: string; handle: string; moderators: unknown[] }[] }>(
      `{ catalogs { id handle moderators { type name } } }`,
    );
    expect(listed.data?.catalogs).toEqual([
      { id: "https://ki.dortmund.example/actors/ki-katalog-nrw", handle: "ki-katalog-nrw", moderators: [{ type: "LOCAL", name: "Mia Moderatorin" }] },
    ]);

    const taken = await api.graphql<{ createCatalog: Payload }>(createCatalog, { input: settings("ki-katalog-nrw") }, "token-admin");
    expect(taken.data?.createCatalog).toMatchObject({
      __typename: "HandleTakenError",
      handle: "ki-katalog-nrw",
      message: { de: expect.stringContaining("vergeben") },
    });
    const unclear = await api.graphql<{ createCatalog: Payload }>(
      createCatalog,
      { input: settings("zweiter", [{ name: "Mia", iri: "https://x.example/actor" }]) },
      "token-admin",
    );
    expect(unclear.data?.createCatalog).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: "moderators[0]", code: "one-of-required" }] });
    const badHandle = await api.graphql<{ createCatalog: Payload }>(createCatalog, { input: settings("Kein Handle!") }, "token-admin");
    expect(badHandle.data?.createCatalog).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: "handle" }] });
    const byEditor = await api.graphql(createCatalog, { input: settings("zweiter") }, "token-editor");
    expect(byEditor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.graphql<{ catalogs: unknown[] }>(`{ catalogs { id } }`)).data?.catalogs).toHaveLength(1);
  });

  it("refuses a non-moderator's approve (also the admin's) as FORBIDDEN, changes nothing and logs the attempt confidentially", async () => {
    const entryId = await submitted();
    for (const token of ["token-admin", "token-editor"]) {
      const refused = await api.graphql(approve, { catalogId, entryId }, token);
      expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("not a moderator") });
    }
    const anonymous = await api.graphql(approve, { catalogId, entryId });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await store.getEntry(entryId))?.status.state).toBe("submitted");

    const moderatorsLog = await api.graphql<{ catalog: { moderationLog: Payload[] } }>(log, { id: catalogId }, "token-moderator");
    expect(moderatorsLog.data?.catalog.moderationLog.slice(0, 2)).toEqual([
      { kind: "APPROVE", actor: { type: "LOCAL", name: "Erika Beispiel" }, target: entryId, refused: true, refusal: "not-moderator", confidential: true },
      { kind: "APPROVE", actor: { type: "LOCAL", name: "Ada Admin" }, target: entryId, refused: true, refusal: "not-moderator", confidential: true },
    ]);
    const publicLog = await api.graphql<{ catalog: { moderationLog: Payload[] } }>(log, { id: catalogId });
    expect(publicLog.data?.catalog.moderationLog.filter((entry) => entry.refused)).toEqual([]);
    // The moderator check comes before the lookup: a non-moderator cannot probe which entries exist.
    const probe = await api.graphql(approve, { catalogId, entryId: `${catalogId}/entries/does-not-exist` }, "token-editor");
    expect(probe.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const member = `mutation ($catalogId: ID!) { moderateCatalogMember(catalogId: $catalogId, actor: "https://nobody.example/actor", action: APPROVE) { __typename } }`;
    expect((await api.graphql(member, { catalogId }, "token-editor")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("shows accepted members to everyone and waiting ones to the catalog's moderators, who accept them", async () => {
    const requestedAt = new Date().toISOString();
    await store.saveMember({
      catalogId,
      actor: "https://ki.bochum.example/actor",
      state: "accepted",
      followActivityId: null,
      requestedAt,
      joinedAt: requestedAt,
      reason: null,
    });
    await store.saveMember({
      catalogId,
      actor: "https://ki.essen.example/actor",
      state: "pending",
      followActivityId: null,
      requestedAt,
      joinedAt: null,
      reason: null,
    });
    const members = `query ($id: ID!, $state: CatalogMemberState!) { catalog(id: $id) { members(state: $state) { actor state } } }`;
    expect((await api.graphql<{ catalog: { members: unknown } }>(members, { id: catalogId, state: "ACCEPTED" })).data?.catalog.members).toEqual([
      { actor: "https://ki.bochum.example/actor", state: "ACCEPTED" },
    ]);
    expect((await api.graphql(members, { id: catalogId, state: "PENDING" }, "token-admin")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(
      (await api.graphql<{ catalog: { members: unknown } }>(members, { id: catalogId, state: "PENDING" }, "token-moderator")).data?.catalog.members,
    ).toEqual([{ actor: "https://ki.essen.example/actor", state: "PENDING" }]);
    const accept = `mutation ($id: ID!) { moderateCatalogMember(catalogId: $id, actor: "https://ki.essen.example/actor", action: APPROVE) { __typename ... on CatalogMemberSuccess { member { state joinedAt } } } }`;
    const accepted = await api.graphql<{ moderateCatalogMember: Payload & { member: { state: string; joinedAt: string | null } } }>(
      accept,
      { id: catalogId },
      "token-moderator",
    );
    expect(accepted.data?.moderateCatalogMember).toMatchObject({
      __typename: "CatalogMemberSuccess",
      member: { state: "ACCEPTED", joinedAt: expect.any(String) },
    });
  });

  it("lets a moderator see the queue and approve; the approved entry and the log entry are public", async () => {
    const entryId = await submitted();
    const queueForPublic = await api.graphql(catalogEntries, { id: catalogId, state: "SUBMITTED" });
    expect(queueForPublic.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const queueForEditor = await api.graphql(catalogEntries, { id: catalogId, state: "SUBMITTED" }, "token-editor");
    expect(queueForEditor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const queue = await api.graphql<{ catalog: { viewerIsModerator: boolean; entries: { nodes: { id: string }[] } } }>(
      catalogEntries,
      { id: catalogId, state: "SUBMITTED" },
      "token-moderator",
    );
    expect(queue.data?.catalog.viewerIsModerator).toBe(true);
    expect(queue.data?.catalog.entries.nodes.map((entry) => entry.id)).toContain(entryId);

    const approved = await api.graphql<{ approveCatalogEntry: Payload & { entry: Payload } }>(approve, { catalogId, entryId }, "token-moderator");
    expect(approved.data?.approveCatalogEntry).toMatchObject({
      __typename: "CatalogEntrySuccess",
      entry: {
        id: entryId,
        state: "APPROVED",
        recordKind: "USE_CASE",
        originCity: "https://ki.muenster.example/actor",
        decidedBy: { type: "LOCAL", name: "Mia Moderatorin" },
        reason: null,
      },
    });
    const again = await api.graphql<{ approveCatalogEntry: Payload }>(approve, { catalogId, entryId }, "token-moderator");
    expect(again.data?.approveCatalogEntry).toMatchObject({
      __typename: "InvalidTransitionError",
      message: { de: expect.any(String), en: expect.any(String) },
    });

    const publicEntries = await api.graphql<{ catalog: { viewerIsModerator: boolean; entries: { nodes: { id: string; approvedAt: string }[] } } }>(
      catalogEntries,
      { id: catalogId, state: "APPROVED" },
    );
    expect(publicEntries.data?.catalog.viewerIsModerator).toBe(false);
    expect(publicEntries.data?.catalog.entries.nodes).toEqual([expect.objectContaining({ id: entryId, approvedAt: expect.any(String) })]);
    const publicLog = await api.graphql<{ catalog: { moderationLog: Payload[] } }>(log, { id: catalogId });
    expect(publicLog.data?.catalog.moderationLog[0]).toEqual({
      kind: "APPROVE",
      actor: { type: "LOCAL", name: "Mia Moderatorin" },
      target: entryId,
      refused: false,
      refusal: null,
      confidential: false,
    });
  });

  it("pages the catalogs, the members and the moderation log as connections, the same items as the deprecated lists", async () => {
    const query = `query ($id: ID!, $last: Int, $before: String) {
      catalogs { id }
      hostedCatalogs { totalCount nodes { id } }
      catalog(id: $id) {
        members { actor }
        memberships(first: 1) { totalCount nodes { actor city { id counts { useCases } } } pageInfo { hasNextPage } }
        moderationLog(first: 100) { position }
        moderationHistory(last: $last, before: $before) { totalCount nodes { position } pageInfo { hasNextPage hasPreviousPage startCursor } }
      }
      nodeModerationLog(first: 100) { position }
      nodeModerationHistory(first: 100) { nodes { position } }
    }`;
    type Answer = {
      catalogs: { id: string }[];
      hostedCatalogs: { totalCount: number; nodes: { id: string }[] };
      catalog: {
        members: { actor: string }[];
        memberships: { totalCount: number; nodes: { actor: string; city: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
        moderationLog: { position: number }[];
        moderationHistory: {
          totalCount: number;
          nodes: { position: number }[];
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string };
        };
      };
      nodeModerationLog: { position: number }[];
      nodeModerationHistory: { nodes: { position: number }[] };
    };
    const answer = (await api.graphql<Answer>(query, { id: catalogId, last: 1 }, "token-moderator")).data!;
    expect(answer.hostedCatalogs).toEqual({ totalCount: answer.catalogs.length, nodes: answer.catalogs });
    expect(answer.catalog.memberships.totalCount).toBe(answer.catalog.members.length);
    expect(answer.catalog.memberships.nodes.map(({ actor }) => ({ actor }))).toEqual(answer.catalog.members.slice(0, 1));
    // The member as a city: one that sent no records here is still a City, with nothing held.
    expect(answer.catalog.memberships.nodes[0]?.city).toEqual({ id: answer.catalog.members[0]!.actor, counts: { useCases: 0 } });
    expect(answer.nodeModerationHistory.nodes).toEqual(answer.nodeModerationLog);
    const log = answer.catalog.moderationLog;
    expect(log.length).toBeGreaterThanOrEqual(2);
    // Newest first: `last: 1` is the oldest entry, and the page before it the one after that.
    expect(answer.catalog.moderationHistory).toMatchObject({
      totalCount: log.length,
      nodes: [log.at(-1)],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    const before = (
      await api.graphql<Answer>(query, { id: catalogId, last: 1, before: answer.catalog.moderationHistory.pageInfo.startCursor }, "token-moderator")
    ).data!;
    expect(before.catalog.moderationHistory.nodes).toEqual([log.at(-2)]);
  });

  it("asks for a reason to reject and refuses an entry of another catalog as WrongCatalogError", async () => {
    const entryId = await submitted();
    const noReason = await api.graphql<{ rejectCatalogEntry: Payload }>(reject, { catalogId, entryId, reason: "  " }, "token-moderator");
    expect(noReason.data?.rejectCatalogEntry).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "reason", code: "invalid-reason" }] });
    await api.graphql(createCatalog, { input: settings("zweiter-katalog") }, "token-admin");
    const other = "https://ki.dortmund.example/actors/zweiter-katalog";
    const misdirected = await api.graphql<{ rejectCatalogEntry: Payload }>(
      reject,
      { catalogId: other, entryId, reason: "falscher Katalog" },
      "token-moderator",
    );
    expect(misdirected.data?.rejectCatalogEntry).toEqual({ __typename: "WrongCatalogError", catalogId: other, actualCatalogId: catalogId });
    const rejected = await api.graphql<{ rejectCatalogEntry: Payload }>(reject, { catalogId, entryId, reason: "Energieangaben fehlen" }, "token-moderator");
    expect(rejected.data?.rejectCatalogEntry).toEqual({ __typename: "CatalogEntrySuccess", entry: { state: "REJECTED", reason: "Energieangaben fehlen" } });
  });

  it("takes a citizen's report without an account into the catalog's queue and refuses the 21st from one address within a minute", async () => {
    const entryId = await submitted();
    const first = await api.graphql<{ reportRecord: Payload & { reportId: string } }>(report, {
      target: entryId,
      category: "FACTUAL_ERROR",
      text: "Die Abteilung stimmt nicht.",
    });
    expect(first.data?.reportRecord.__typename).toBe("ReportRecordSuccess");
    const queue = await api.graphql<{ catalog: { reports: { totalCount: number; nodes: Payload[] } } }>(reports, { id: catalogId }, "token-moderator");
    expect(queue.data?.catalog.reports.nodes).toEqual([
      { id: first.data?.reportRecord.reportId, target: entryId, category: "FACTUAL_ERROR", text: "Die Abteilung stimmt nicht.", reporter: null, state: "OPEN" },
    ]);
    expect((await api.graphql(reports, { id: catalogId }, "token-editor")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    for (let count = 2; count <= 20; count += 1) {
      const accepted = await api.graphql<{ reportRecord: Payload }>(report, { target: entryId, category: "SPAM" });
      expect(accepted.data?.reportRecord.__typename).toBe("ReportRecordSuccess");
    }
    const limited = await api.graphql<{ reportRecord: Payload & { retryAfterSeconds: number } }>(report, { target: entryId, category: "SPAM" });
    expect(limited.data?.reportRecord).toMatchObject({
      __typename: "RateLimitedError",
      message: { de: expect.stringContaining("Zu viele Meldungen"), en: expect.stringContaining("Too many reports") },
    });
    expect(limited.data?.reportRecord.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.data?.reportRecord.retryAfterSeconds).toBeLessThanOrEqual(60);
    const counted = await api.graphql<{ catalog: { reports: { totalCount: number } } }>(reports, { id: catalogId }, "token-moderator");
    expect(counted.data?.catalog.reports.totalCount).toBe(20);

    // The web pages pass the visitor's address to the in-process executor: another address is not limited.
    const otherVisitor = await api.execute(report, { target: entryId, category: "OUTDATED" }, undefined, { clientAddress: "203.0.113.9" });
    expect((otherVisitor.data?.["reportRecord"] as Payload).__typename).toBe("ReportRecordSuccess");
    const invalid = await api.execute(report, { target: "kein Link", category: "OTHER" }, undefined, { clientAddress: "203.0.113.10" });
    expect(invalid.data?.["reportRecord"]).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "target", code: expect.any(String) }] });
  });

  it("lets the catalog's moderator close a report once; a second close is an InvalidTransitionError", async () => {
    const entryId = await submitted();
    const filed = await api.execute(report, { target: entryId, category: "LEGAL" }, undefined, { clientAddress: "198.51.100.7" });
    const reportId = (filed.data?.["reportRecord"] as { reportId: string }).reportId;
    const close = `mutation ($id: ID!) { closeReport(reportId: $id, outcome: DISMISSED, reason: "Kein Fehler gefunden") { __typename
      ... on CloseReportSuccess { report { state closedBy { name } reason } } ... on InvalidTransitionError { from fromState action } } }`;
    expect((await api.graphql(close, { id: reportId }, "token-admin")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const closed = await api.graphql<{ closeReport: Payload }>(close, { id: reportId }, "token-moderator");
    expect(closed.data?.closeReport).toEqual({
      __typename: "CloseReportSuccess",
      report: { state: "DISMISSED", closedBy: { name: "Mia Moderatorin" }, reason: "Kein Fehler gefunden" },
    });
    const again = await api.graphql<{ closeReport: Payload }>(close, { id: reportId }, "token-moderator");
    expect(again.data?.closeReport).toEqual({ __typename: "InvalidTransitionError", from: "dismissed", fromState: "DISMISSED", action: "close" });
  });

  it("lets node admins change the node's trust and moderators block actors, logged publicly; others are FORBIDDEN and logged", async () => {
    const setMode = `mutation { setTrustMode(mode: ALLOWLIST, reason: "Nur geprüfte Kommunen") { __typename ... on TrustChangeSuccess { trust { mode } } } }`;
    expect((await api.graphql(setMode, {}, "token-editor")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.graphql<{ setTrustMode: Payload }>(setMode, {}, "token-admin")).data?.setTrustMode).toEqual({
      __typename: "TrustChangeSuccess",
      trust: { mode: "ALLOWLIST" },
    });
    const change = `mutation ($value: String!) { changeTrustList(action: BLOCK, subject: DOMAIN, value: $value, reason: "Spam") { __typename
      ... on TrustChangeSuccess { trust { entries { list value reason } } } ... on ValidationError { fieldErrors { path code } } } }`;
    // A domain block is the operator's policy: a moderator cannot set or lift one.
    expect((await api.graphql(change, { value: "Spam.Example" }, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const blocked = await api.graphql<{ changeTrustList: Payload }>(change, { value: "Spam.Example" }, "token-admin");
    expect(blocked.data?.changeTrustList).toEqual({
      __typename: "TrustChangeSuccess",
      trust: { entries: [{ list: "BLOCKED_DOMAIN", value: "spam.example", reason: "Spam" }] },
    });
    const lift = `mutation { changeTrustList(action: UNBLOCK, subject: DOMAIN, value: "spam.example") { __typename } }`;
    expect((await api.graphql(lift, {}, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const actorBlock = `mutation { changeTrustList(action: BLOCK, subject: ACTOR, value: "https://troll.example/users/x") { __typename } }`;
    expect((await api.graphql<{ changeTrustList: Payload }>(actorBlock, {}, "token-moderator")).data?.changeTrustList.__typename).toBe("TrustChangeSuccess");
    const unblockActor = `mutation { changeTrustList(action: UNBLOCK, subject: ACTOR, value: "https://troll.example/users/x") { __typename } }`;
    expect((await api.graphql<{ changeTrustList: Payload }>(unblockActor, {}, "token-moderator")).data?.changeTrustList.__typename).toBe("TrustChangeSuccess");
    const invalid = await api.graphql<{ changeTrustList: Payload }>(change, { value: "https://x/y" }, "token-admin");
    expect(invalid.data?.changeTrustList).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "value", code: "invalid-domain" }] });

    expect((await api.graphql(`{ nodeTrust { mode } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await api.graphql<{ nodeTrust: unknown }>(`{ nodeTrust { mode entries { value } } }`, {}, "token-admin")).data?.nodeTrust).toEqual({
      mode: "ALLOWLIST",
      entries: [{ value: "spam.example" }],
    });
    const trustPage = `{ nodeTrust { listEntries(first: 1) { totalCount nodes { value } edges { cursor } pageInfo { hasNextPage } } } }`;
    expect((await api.graphql<{ nodeTrust: unknown }>(trustPage, {}, "token-admin")).data?.nodeTrust).toEqual({
      listEntries: { totalCount: 1, nodes: [{ value: "spam.example" }], edges: [{ cursor: expect.any(String) }], pageInfo: { hasNextPage: false } },
    });
    const publicLog = await api.graphql<{ nodeModerationLog: Payload[] }>(`{ nodeModerationLog { kind target refused } }`);
    expect(publicLog.data?.nodeModerationLog).toEqual([
      { kind: "UNBLOCK", target: "https://troll.example/users/x", refused: false },
      { kind: "BLOCK", target: "https://troll.example/users/x", refused: false },
      { kind: "BLOCK", target: "spam.example", refused: false },
      { kind: "MODE_CHANGE", target: "allowlist", refused: false },
    ]);
    const staffLog = await api.graphql<{ nodeModerationLog: Payload[] }>(`{ nodeModerationLog { kind actor { name } refused } }`, {}, "token-admin");
    expect(staffLog.data?.nodeModerationLog).toContainEqual({ kind: "MODE_CHANGE", actor: { name: "Erika Beispiel" }, refused: true });
    expect(staffLog.data?.nodeModerationLog).toContainEqual({ kind: "UNBLOCK", actor: { name: "Mia Moderatorin" }, refused: true });
  });

  it("writes blockDomain and unblockDomain to the moderation log; a moderator cannot lift an admin's block", async () => {
    const block = `mutation { blockDomain(domain: "Abuse.Example", reason: "Spam-Welle") { __typename ... on BlockDomainSuccess { domainBlock { domain reason } } } }`;
    expect((await api.graphql(block, {}, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.graphql<{ blockDomain: Payload }>(block, {}, "token-admin")).data?.blockDomain).toEqual({
      __typename: "BlockDomainSuccess",
      domainBlock: { domain: "abuse.example", reason: "Spam-Welle" },
    });
    const lift = `mutation { changeTrustList(action: UNBLOCK, subject: DOMAIN, value: "abuse.example") { __typename } }`;
    expect((await api.graphql(lift, {}, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const unblock = `mutation { unblockDomain(domain: "abuse.example") { __typename } }`;
    expect((await api.graphql(unblock, {}, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.graphql<{ unblockDomain: Payload }>(unblock, {}, "token-admin")).data?.unblockDomain.__typename).toBe("UnblockDomainSuccess");
    const publicLog = await api.graphql<{ nodeModerationLog: Payload[] }>(`{ nodeModerationLog(first: 2) { kind targetType target reason refused } }`);
    expect(publicLog.data?.nodeModerationLog).toEqual([
      { kind: "UNBLOCK", targetType: "DOMAIN", target: "abuse.example", reason: null, refused: false },
      { kind: "BLOCK", targetType: "DOMAIN", target: "abuse.example", reason: "Spam-Welle", refused: false },
    ]);
  });

  it("joins, submits to and reads catalogs on other nodes through the membership port (editor, admin)", async () => {
    const join = `mutation ($catalog: String!) { joinCatalog(catalog: $catalog) { __typename ... on FollowCitySuccess { following { actor state } } ... on ActorNotFoundError { target } } }`;
    expect((await api.graphql<{ joinCatalog: Payload }>(join, { catalog: remoteCatalog }, "token-editor")).data?.joinCatalog).toEqual({
      __typename: "FollowCitySuccess",
      following: { actor: remoteCatalog, state: "PENDING" },
    });
    expect((await api.graphql<{ joinCatalog: Payload }>(join, { catalog: "https://nobody.example/x" }, "token-editor")).data?.joinCatalog).toEqual({
      __typename: "ActorNotFoundError",
      target: "https://nobody.example/x",
    });
    expect((await api.graphql(join, { catalog: remoteCatalog }, "token-vetter")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const submit = `mutation ($catalog: String!, $recordId: ID!) { submitToCatalog(catalog: $catalog, recordId: $recordId) { __typename
      ... on SubmitToCatalogSuccess { submissionActivityId } ... on NotOwnPublicRecordError { recordId message { de } } ... on NotFoundError { id } ... on ValidationError { fieldErrors { path code } } } }`;
    expect(
      (await api.graphql<{ submitToCatalog: Payload }>(submit, { catalog: remoteCatalog, recordId: ownRecord }, "token-editor")).data?.submitToCatalog,
    ).toEqual({ __typename: "SubmitToCatalogSuccess", submissionActivityId: `${testActor}#s/2` });
    expect(
      (await api.graphql<{ submitToCatalog: Payload }>(submit, { catalog: remoteCatalog, recordId: "https://ki.muenster.example/use-cases/1" }, "token-editor"))
        .data?.submitToCatalog,
    ).toMatchObject({ __typename: "NotOwnPublicRecordError", message: { de: expect.stringContaining("eigene") } });
    expect(
      (await api.graphql<{ submitToCatalog: Payload }>(submit, { catalog: "https://nobody.example/x", recordId: ownRecord }, "token-editor")).data
        ?.submitToCatalog,
    ).toEqual({ __typename: "NotFoundError", id: "https://nobody.example/x" });
    expect(
      (await api.graphql<{ submitToCatalog: Payload }>(submit, { catalog: "kein Katalog", recordId: ownRecord }, "token-editor")).data?.submitToCatalog,
    ).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "catalog", code: "invalid-iri" }] });

    const view = `query ($catalog: String!) { catalogView(catalog: $catalog, state: REJECTED) { recordId state reason } }`;
    expect((await api.graphql<{ catalogView: unknown }>(view, { catalog: remoteCatalog }, "token-admin")).data?.catalogView).toEqual([
      { recordId: ownRecord, state: "REJECTED", reason: "Bitte Energieangaben ergänzen" },
    ]);
    expect((await api.graphql(view, { catalog: remoteCatalog })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const viewPage = `query ($catalog: String!) { catalogViewEntries(catalog: $catalog, state: REJECTED, last: 5) { totalCount nodes { recordId state } pageInfo { hasPreviousPage hasNextPage } } }`;
    expect((await api.graphql<{ catalogViewEntries: unknown }>(viewPage, { catalog: remoteCatalog }, "token-admin")).data?.catalogViewEntries).toEqual({
      totalCount: 1,
      nodes: [{ recordId: ownRecord, state: "REJECTED" }],
      pageInfo: { hasPreviousPage: false, hasNextPage: false },
    });
    const junk = await api.graphql(
      `query ($catalog: String!) { catalogViewEntries(catalog: $catalog, after: "x") { totalCount } }`,
      { catalog: remoteCatalog },
      "token-admin",
    );
    expect(junk.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("looks a catalog up by its address before joining, and lists the joined ones with their state (editor, admin)", async () => {
    const lookUp = `query ($address: String!) { lookUpCatalog(address: $address) { __typename
      ... on CatalogProfile { id handle name summary membersNeedApproval } ... on PayloadError { message { de en } } } }`;
    expect((await api.graphql<{ lookUpCatalog: Payload }>(lookUp, { address: remoteCatalog }, "token-editor")).data?.lookUpCatalog).toEqual({
      __typename: "CatalogProfile",
      ...remoteProfile,
    });
    const city = await api.graphql<{ lookUpCatalog: Payload }>(lookUp, { address: "https://ki.muenster.example/actors/muenster" }, "token-editor");
    expect(city.data?.lookUpCatalog).toMatchObject({ __typename: "NotACatalogError", message: { de: expect.stringContaining("Stadt, kein Katalog") } });
    expect((await api.graphql<{ lookUpCatalog: Payload }>(lookUp, { address: testActor }, "token-editor")).data?.lookUpCatalog.__typename).toBe(
      "CannotFollowSelfError",
    );
    expect((await api.graphql(lookUp, { address: remoteCatalog }, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const joined = `{ joinedCatalogs { catalog { id name } state since } }`;
    expect((await api.graphql<{ joinedCatalogs: unknown }>(joined, {}, "token-admin")).data?.joinedCatalogs).toEqual([
      { catalog: { id: remoteCatalog, name: "KI-Katalog NRW" }, state: "PENDING", since: "2026-11-25T09:00:00.000Z" },
    ]);
    expect((await api.graphql(joined)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const joinedPage = `{ catalogMemberships(first: 1) { totalCount nodes { catalog { id } state } pageInfo { hasNextPage } } }`;
    expect((await api.graphql<{ catalogMemberships: unknown }>(joinedPage, {}, "token-admin")).data?.catalogMemberships).toEqual({
      totalCount: 1,
      nodes: [{ catalog: { id: remoteCatalog }, state: "PENDING" }],
      pageInfo: { hasNextPage: false },
    });
    expect((await api.graphql(joinedPage, {}, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("answers an entry's record, city name and rule check as null on a node without an entry reader", async () => {
    const entries = `query ($id: ID!) { catalog(id: $id) { entries(state: SUBMITTED) { nodes { record { id } originCityName ruleCheck { passed } } } } }`;
    const result = await api.graphql<{ catalog: { entries: { nodes: Payload[] } } }>(entries, { id: catalogId }, "token-moderator");
    expect(result.errors).toBeUndefined();
    for (const node of result.data!.catalog.entries.nodes) expect(node).toEqual({ record: null, originCityName: null, ruleCheck: null });
  });
});

describe("a node composed without catalogs", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("answers CATALOGS_UNAVAILABLE, also for a citizen's report", async () => {
    expect((await api.graphql(`{ catalogs { id } }`)).errors?.[0]?.extensions?.code).toBe("CATALOGS_UNAVAILABLE");
    const reported = await api.graphql(report, { target: "https://ki.dortmund.example/use-cases/1", category: "OTHER" });
    expect(reported.errors?.[0]).toMatchObject({ extensions: { code: "CATALOGS_UNAVAILABLE" }, message: expect.stringContaining("catalogs") });
  });
});
