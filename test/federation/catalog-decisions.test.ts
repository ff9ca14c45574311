// A catalog's decisions go through the hub's outbox (#13): a moderator's decision on an entry or a
// member is stored with its log line and the outbox event that tells the members, the submitter or
// the city, in one transaction. A hub that stops right after the commit (here: shut down, its
// dispatcher never ran) sends the decision when it is up again. Two moderators deciding on one
// member at once: exactly one wins, the other gets the conflict, and the city hears one answer.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { catalogFederationStateOnKv, createCatalogMembershipService, createCatalogService, type CatalogMembershipService } from "@leitplanken/activitypub";
import { recordIri, type Catalog, type CatalogHubPort, type CatalogModerationStore, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createCatalogRepository } from "@leitplanken/db";
import { eventually, startNode, type NodeOptions, type TestNode } from "./harness.ts";

interface CatalogNode extends TestNode {
  catalogStore: CatalogModerationStore;
  membership: CatalogMembershipService;
}

async function startCatalogNode(options: NodeOptions): Promise<CatalogNode> {
  // The outbox dispatcher never polls here: every decision must wake it when it commits.
  const node = await startNode({ ...options, overrides: { dispatcher: { pollIntervalMs: 3_600_000 } } });
  const catalogStore = createCatalogRepository(node.db);
  node.deps.catalogs = { store: catalogStore, state: catalogFederationStateOnKv(node.deps.kv) };
  return Object.assign(node, { catalogStore, membership: createCatalogMembershipService(node.federation, node.deps) });
}

const mona = { name: "mona", role: "moderator" as const };
const otto = { name: "otto", role: "moderator" as const };
const admin = { name: "ada", role: "admin" as const };
const moderators = [
  { type: "local" as const, name: "mona" },
  { type: "local" as const, name: "otto" },
];

describe("a catalog's decisions through the outbox", () => {
  let hub: CatalogNode;
  let city: CatalogNode;
  let other: CatalogNode;
  let service: CatalogHubPort;
  let open: Catalog;
  let vetted: Catalog;
  let useCase: UseCase;

  const undispatched = async (node: TestNode) =>
    (await node.db.query<{ event: { type: string; id: string } }>("SELECT event FROM outbox_events WHERE dispatched_at IS NULL ORDER BY seq")).rows.map(
      (row) => row.event,
    );

  beforeAll(async () => {
    [hub, city, other] = await Promise.all([
      startCatalogNode({ handle: "hub" }),
      startCatalogNode({ handle: "arnsberg" }),
      startCatalogNode({ handle: "bochum" }),
    ]);
    service = createCatalogService(hub.federation, hub.deps, { addressSecret: "a-node-secret-of-some-length" });
    const create = async (handle: string, memberApprovalRequired: boolean) => {
      const created = await service.createCatalog(
        {
          handle,
          name: { de: handle },
          description: { de: "Geprüfte Anwendungsfälle" },
          moderators,
          policy: { acceptedKinds: ["use-case"], openTo: "members", memberApprovalRequired },
        },
        admin,
      );
      if (!created.ok) throw new Error(JSON.stringify(created));
      return created.catalog;
    };
    [open, vetted] = [await create("ki-katalog-offen", false), await create("ki-katalog-geprueft", true)];
    expect(await city.membership.join(open.id)).toMatchObject({ ok: true });
    await eventually(async () => (await city.following.listFollowing({ state: "accepted" })).some((follow) => follow.actorId === open.id));
    const demo = demoRecords({
      actor: city.actorUrl,
      iri: (kind, slug) => recordIri(city.origin, kind, slug.replace("/", ".")),
      now: new Date("2026-03-01T09:00:00Z"),
    });
    useCase = demo.useCases.find((candidate) => candidate.workflow.state === "published")!;
    await city.app.records.seedRecords({ guidelines: demo.guidelines, useCases: [useCase], models: [] });
  });
  afterAll(async () => {
    await Promise.all([hub, city, other].map((node) => node?.stop()));
  });

  it("an approval committed right before the hub stopped reaches the member when the hub is up again", async () => {
    expect(await city.membership.submit(open.id, useCase.id)).toMatchObject({ ok: true });
    const entry = await eventually(async () =>
      (await hub.catalogStore.listEntries(open.id, { state: "submitted" }, { first: 10 })).items.find((e) => e.record.id === useCase.id),
    );

    // Stopped as a crash right after the commit would leave it: nothing of the decision was sent.
    const down = await hub.shutDown();
    expect(await service.approve({ catalogId: open.id, entryId: entry.id, by: mona })).toMatchObject({ ok: true });
    expect(await undispatched(hub)).toEqual([expect.objectContaining({ type: "catalog-entry-decided", id: entry.id, decision: "approved" })]);
    expect(await city.membership.view(open.id, { state: "approved" })).toEqual([]);

    hub = await startCatalogNode({ handle: "hub", restart: down });
    await eventually(async () => (await city.membership.view(open.id, { state: "approved" })).find((seen) => seen.recordId === useCase.id));
    await eventually(async () => (await undispatched(hub)).length === 0);
    // Logged once, with the decision.
    const log = await hub.catalogStore.listModerationLog({ includeConfidential: true }, { limit: 100 });
    expect(log.filter((line) => line.target === entry.id && line.kind === "approve")).toHaveLength(1);
  });

  it("two moderators on one member at once: exactly one wins, the other gets the conflict; the city hears the winner", async () => {
    service = createCatalogService(hub.federation, hub.deps, { addressSecret: "a-node-secret-of-some-length" });
    expect(await other.membership.join(vetted.id)).toMatchObject({ ok: true });
    await eventually(async () => (await hub.catalogStore.findMember(vetted.id, other.actorUrl))?.state === "pending");

    const [approval, rejection] = await Promise.all([
      service.moderateMember({ catalogId: vetted.id, actor: other.actorUrl, action: "approve", by: mona }),
      service.moderateMember({ catalogId: vetted.id, actor: other.actorUrl, action: "reject", by: otto, reason: "Keine Kommune." }),
    ]);
    const answers = [approval, rejection];
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.find((answer) => !answer.ok)).toMatchObject({
      ok: false,
      error: { type: "member-changed", actor: other.actorUrl },
      message: { de: expect.stringContaining("inzwischen"), en: expect.stringContaining("meanwhile") },
    });
    const winner = approval.ok ? "accepted" : "rejected";
    expect((await hub.catalogStore.findMember(vetted.id, other.actorUrl))?.state).toBe(winner);
    const decisions = (await hub.catalogStore.listModerationLog({ includeConfidential: true }, { limit: 100 })).filter(
      (line) => line.target === other.actorUrl,
    );
    expect(decisions.map((line) => ({ kind: line.kind, refused: line.refused ?? false }))).toEqual([
      { kind: approval.ok ? "member-approve" : "member-reject", refused: false },
    ]);
    // The city hears one answer: the winner's.
    await eventually(async () => (await other.following.listFollowing()).find((follow) => follow.actorId === vetted.id && follow.state === winner));
    await eventually(async () => (await undispatched(hub)).length === 0);
    expect((await other.following.listFollowing()).filter((follow) => follow.actorId === vetted.id)).toEqual([expect.objectContaining({ state: winner })]);
  });
});
