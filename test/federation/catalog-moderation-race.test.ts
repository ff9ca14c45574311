// Two moderators decide on one catalog entry at the same moment (#13: "two moderators on one entry:
// exactly one wins, the other gets the conflict error"). The hub's decision reads the entry with the
// count of its saves and stores it only if nobody saved it in between; the other moderator is told,
// nothing of theirs is stored, logged or sent.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { catalogFederationStateOnKv, createCatalogMembershipService, createCatalogService, type CatalogMembershipService } from "@leitplanken/activitypub";
import { recordIri, type Catalog, type CatalogHubPort, type CatalogModerationStore, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createCatalogRepository } from "@leitplanken/db";
import { eventually, startNode, type TestNode } from "./harness.ts";

interface CatalogNode extends TestNode {
  catalogStore: CatalogModerationStore;
  membership: CatalogMembershipService;
}

async function startCatalogNode(handle: string): Promise<CatalogNode> {
  const node = await startNode({ handle });
  const catalogStore = createCatalogRepository(node.db);
  node.deps.catalogs = { store: catalogStore, state: catalogFederationStateOnKv(node.deps.kv) };
  return Object.assign(node, { catalogStore, membership: createCatalogMembershipService(node.federation, node.deps) });
}

const mona = { name: "mona", role: "moderator" as const };
const otto = { name: "otto", role: "moderator" as const };

describe("two moderators on one catalog entry at once", () => {
  let hub: CatalogNode;
  let city: CatalogNode;
  let service: CatalogHubPort;
  let catalog: Catalog;
  let useCases: UseCase[];

  const submitted = async (useCase: UseCase) => {
    expect(await city.membership.submit(catalog.id, useCase.id)).toMatchObject({ ok: true });
    return eventually(async () =>
      (await hub.catalogStore.listEntries(catalog.id, { state: "submitted" }, { first: 50 })).items.find((entry) => entry.record.id === useCase.id),
    );
  };
  const decisionsOn = async (entryId: string) =>
    (await hub.catalogStore.listModerationLog({ includeConfidential: true }, { limit: 100 })).filter((log) => log.target === entryId);

  beforeAll(async () => {
    [hub, city] = await Promise.all([startCatalogNode("hub"), startCatalogNode("arnsberg")]);
    service = createCatalogService(hub.federation, hub.deps, { addressSecret: "a-node-secret-of-some-length" });
    const created = await service.createCatalog(
      {
        handle: "ki-katalog-nrw",
        name: { de: "KI-Katalog NRW", en: "AI catalog NRW" },
        description: { de: "Geprüfte Anwendungsfälle" },
        moderators: [
          { type: "local", name: "mona" },
          { type: "local", name: "otto" },
        ],
        policy: { acceptedKinds: ["use-case"], openTo: "members", memberApprovalRequired: false },
      },
      { name: "ada", role: "admin" },
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    catalog = created.catalog;
    expect(await city.membership.join(catalog.id)).toMatchObject({ ok: true });
    await eventually(async () => (await city.following.listFollowing({ state: "accepted" })).length === 1);
    const demo = demoRecords({
      actor: city.actorUrl,
      iri: (kind, slug) => recordIri(city.origin, kind, slug.replace("/", ".")),
      now: new Date("2026-03-01T09:00:00Z"),
    });
    useCases = demo.useCases.filter((useCase) => useCase.workflow.state === "published");
    await city.app.records.seedRecords({ guidelines: demo.guidelines, useCases, models: [] });
  });
  afterAll(async () => {
    await Promise.all([hub, city].map((node) => node?.stop()));
  });

  it("an approval and a rejection at once: exactly one is stored, logged and heard by the city; the other moderator gets the conflict", async () => {
    const entry = await submitted(useCases[0]!);
    const [approval, rejection] = await Promise.all([
      service.approve({ catalogId: catalog.id, entryId: entry.id, by: mona }),
      service.reject({ catalogId: catalog.id, entryId: entry.id, by: otto, reason: "Doppelt eingereicht." }),
    ]);
    const answers = [approval, rejection];
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    const lost = answers.find((answer) => !answer.ok)!;
    expect(lost).toMatchObject({
      ok: false,
      error: { type: "entry-changed", entryId: entry.id, currentLockVersion: expect.any(Number) },
      message: { de: expect.stringContaining("inzwischen"), en: expect.stringContaining("meanwhile") },
    });
    const winner = approval.ok ? "approved" : "rejected";
    expect((await hub.catalogStore.getEntry(entry.id))?.status.state).toBe(winner);
    // Only the winner's decision is in the log (no refused or phantom entry for the other).
    expect((await decisionsOn(entry.id)).map((log) => ({ kind: log.kind, refused: log.refused ?? false }))).toEqual([
      { kind: approval.ok ? "approve" : "reject", refused: false },
    ]);
    // The city hears the winner's decision.
    await eventually(async () => (await city.membership.view(catalog.id, { state: winner })).find((seen) => seen.recordId === useCases[0]!.id));
  });

  it("two approvals at once: one approves, the other is told someone decided meanwhile; the entry was saved once", async () => {
    const entry = await submitted(useCases[1]!);
    const answers = await Promise.all([mona, otto].map((by) => service.approve({ catalogId: catalog.id, entryId: entry.id, by })));
    expect(answers.map((answer) => (answer.ok ? "ok" : answer.error.type)).sort()).toEqual(["entry-changed", "ok"]);
    expect((await decisionsOn(entry.id)).filter((log) => log.kind === "approve")).toHaveLength(1);
  });

  it("a moderator who decides after the other (a stale page) is refused by the entry's state, as before", async () => {
    const entry = await submitted(useCases[2]!);
    expect(await service.approve({ catalogId: catalog.id, entryId: entry.id, by: mona })).toMatchObject({ ok: true });
    const late = await service.reject({ catalogId: catalog.id, entryId: entry.id, by: otto, reason: "Zu spät." });
    expect(late).toMatchObject({ ok: false, error: { type: "invalid-entry-transition" } });
    expect((await hub.catalogStore.getEntry(entry.id))?.status.state).toBe("approved");
  });
});
