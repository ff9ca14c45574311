import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  catalogFederationStateOnKv,
  createCatalogMembershipService,
  createCatalogService,
  verifyRecordProof,
  type CatalogMembershipService,
} from "@leitplanken/activitypub";
import {
  recordIri,
  withdrawnByOriginReason,
  type Catalog,
  type CatalogEntry,
  type CatalogHubPort,
  type CatalogModerationStore,
  type UseCase,
} from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createCatalogRepository } from "@leitplanken/db";
import { editor, eventually, logged, republishUseCase, signedPost, startNode, type TestNode } from "./harness.ts";

interface CatalogNode extends TestNode {
  catalogStore: CatalogModerationStore;
  membership: CatalogMembershipService;
}

async function startCatalogNode(handle: string): Promise<CatalogNode> {
  const node = await startNode({ handle });
  // The handlers read the deps object the node was started with, so catalogs can be switched on here.
  const catalogStore = createCatalogRepository(node.db);
  node.deps.catalogs = { store: catalogStore, state: catalogFederationStateOnKv(node.deps.kv) };
  return Object.assign(node, { catalogStore, membership: createCatalogMembershipService(node.federation, node.deps) });
}

const demoOf = (node: TestNode) =>
  demoRecords({ actor: node.actorUrl, iri: (kind, slug) => recordIri(node.origin, kind, slug.replace("/", ".")), now: new Date("2026-03-01T09:00:00Z") });
const publishedUseCases = (node: TestNode): UseCase[] => demoOf(node).useCases.filter((useCase) => useCase.workflow.state === "published");

const admin = { name: "ada", role: "admin" as const };
const mona = { name: "mona", role: "moderator" as const };
const otto = { name: "otto", role: "moderator" as const };
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe("catalogs across a hub and three cities (FEP-1b12)", () => {
  let hub: CatalogNode;
  let a: CatalogNode;
  let b: CatalogNode;
  let c: CatalogNode;
  let d: CatalogNode | undefined;
  let service: CatalogHubPort;
  let nrw: Catalog;
  let other: Catalog;
  let useCases: UseCase[];
  let approved: CatalogEntry;

  const queued = async (recordId: string) =>
    eventually(async () =>
      (await hub.catalogStore.listEntries(nrw.id, { state: "submitted" }, { first: 50 })).items.find((entry) => entry.record.id === recordId),
    );
  const refusedLog = async () => hub.catalogStore.listModerationLog({ includeConfidential: true }, { limit: 100 });

  beforeAll(async () => {
    [hub, a, b, c] = await Promise.all([startCatalogNode("hub"), startCatalogNode("arnsberg"), startCatalogNode("bochum"), startCatalogNode("celle")]);
    service = createCatalogService(hub.federation, hub.deps, { addressSecret: "a-node-secret-of-some-length" });
    const created = await service.createCatalog(
      {
        handle: "ki-katalog-nrw",
        name: { de: "KI-Katalog NRW", en: "AI catalog NRW" },
        description: { de: "Geprüfte Anwendungsfälle", en: "Vetted use cases" },
        moderators: [
          { type: "local", name: "mona" },
          { type: "actor", id: c.actorUrl },
        ],
        policy: { acceptedKinds: ["use-case", "model"], openTo: "members", memberApprovalRequired: false },
      },
      admin,
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    nrw = created.catalog;
    const second = await service.createCatalog(
      {
        handle: "anderer-katalog",
        name: { de: "Anderer Katalog" },
        description: { de: "Ein zweiter Katalog" },
        moderators: [{ type: "local", name: "otto" }],
        policy: { acceptedKinds: ["use-case"], openTo: "anyone", memberApprovalRequired: false },
      },
      admin,
    );
    if (!second.ok) throw new Error(JSON.stringify(second));
    other = second.catalog;
    for (const city of [a, b, c]) expect(await city.membership.join(nrw.id)).toMatchObject({ ok: true });
    await eventually(async () => (await hub.catalogStore.listMembers(nrw.id, { state: "accepted" })).length === 3);
    for (const city of [a, b, c]) await eventually(async () => (await city.following.listFollowing({ state: "accepted" })).length === 1);
    useCases = publishedUseCases(a);
    await a.app.records.seedRecords({ guidelines: demoOf(a).guidelines, useCases, models: [] });
  });
  afterAll(async () => {
    await Promise.all([hub, a, b, c, d].map((node) => node?.stop()));
  });

  it("serves the catalog as a Group actor whose followers are its members", async () => {
    const group = (await (await fetch(nrw.id, { headers: { accept: "application/activity+json" } })).json()) as Record<string, unknown>;
    expect(group).toMatchObject({ id: nrw.id, type: "Group", preferredUsername: "ki-katalog-nrw", name: "KI-Katalog NRW" });
    const followers = (await (await fetch(group.followers as string, { headers: { accept: "application/activity+json" } })).json()) as { totalItems: number };
    expect(followers.totalItems).toBe(3);
  });

  it("(1) a submitted use case, once approved, reaches the other members as a copy whose proof verifies against the origin's key", async () => {
    const useCase = useCases[0]!;
    expect(await a.membership.submit(nrw.id, useCase.id)).toMatchObject({ ok: true });
    const entry = await queued(useCase.id);
    expect(entry.record).toEqual({ id: useCase.id, kind: "use-case", originActor: a.actorUrl });
    expect(entry.document).toMatchObject({ id: useCase.id, attributedTo: a.actorUrl, proof: { cryptosuite: "eddsa-jcs-2022" } });
    // Nothing goes out before a moderator decides.
    await settle();
    expect(await b.records.useCases.get(useCase.id)).toBeNull();

    const result = await service.approve({ catalogId: nrw.id, entryId: entry.id, by: mona });
    expect(result).toMatchObject({ ok: true, entry: { status: { state: "approved" } } });
    approved = (result as { entry: CatalogEntry }).entry;
    for (const member of [b, c]) {
      const copy = await eventually(() => member.records.useCases.get(useCase.id));
      expect(copy.provenance).toMatchObject({ source: "received", originActor: a.actorUrl, proofVerified: true });
      expect((await verifyRecordProof(member.federation, member.deps, approved.document!))?.controllerId?.href).toBe(a.actorUrl);
      expect(await eventually(async () => (await member.membership.view(nrw.id, { state: "approved" })).find((e) => e.recordId === useCase.id))).toBeTruthy();
    }
    expect((await refusedLog()).find((log) => log.kind === "approve" && log.target === entry.id && !log.refused)).toMatchObject({
      actor: { type: "local", name: "mona" },
    });
  });

  it("(2) a rejection reaches only the submitter, with the reason; a removal reaches the members with the reason", async () => {
    const useCase = useCases[1]!;
    expect(await a.membership.submit(nrw.id, useCase.id)).toMatchObject({ ok: true });
    const entry = await queued(useCase.id);
    expect(await service.reject({ catalogId: nrw.id, entryId: entry.id, by: mona, reason: "Schon im Katalog / already listed" })).toMatchObject({ ok: true });
    const rejected = await eventually(async () => (await a.membership.view(nrw.id, { state: "rejected" })).find((e) => e.recordId === useCase.id));
    expect(rejected.reason).toBe("Schon im Katalog / already listed");
    await settle();
    for (const member of [b, c]) {
      expect(await member.records.useCases.get(useCase.id)).toBeNull();
      expect(await member.membership.view(nrw.id)).not.toContainEqual(expect.objectContaining({ recordId: useCase.id }));
    }

    expect(await service.remove({ catalogId: nrw.id, entryId: approved.id, by: mona, reason: "Veraltet / outdated" })).toMatchObject({ ok: true });
    for (const member of [b, c]) {
      const removed = await eventually(async () => (await member.membership.view(nrw.id, { state: "removed" })).find((e) => e.recordId === approved.record.id));
      expect(removed.reason).toBe("Veraltet / outdated");
      expect(await member.membership.view(nrw.id, { state: "approved" })).toEqual([]);
    }
  });

  it("(3) a non-moderator's approve, a forged remote moderation and an action on another catalog are refused and logged as refused", async () => {
    const useCase = useCases[2]!;
    await a.membership.submit(nrw.id, useCase.id);
    const entry = await queued(useCase.id);

    // A local person who does not moderate the catalog (even the admin).
    expect(await service.approve({ catalogId: nrw.id, entryId: entry.id, by: admin })).toMatchObject({ ok: false, error: { type: "not-moderator" } });
    // A moderator of another catalog, naming that catalog.
    expect(await service.approve({ catalogId: other.id, entryId: entry.id, by: otto })).toMatchObject({ ok: false, error: { type: "wrong-catalog" } });
    // A member city that is not a moderator, correctly signed.
    await b.membership.moderate({ catalogIri: nrw.id, entryId: entry.id, action: "approve" });
    // Bochum's key under Celle's (a moderator's) key id: the signature does not verify.
    const bochumKey = (await b.deps.store.listKeyPairs()).find((pair) => pair.algorithm === "RSASSA-PKCS1-v1_5")!;
    const { importJwk } = await import("@leitplanken/activitypub");
    const forged = await signedPost(
      c,
      `${nrw.id}/inbox`,
      { id: `${c.actorUrl}#forged`, type: "Accept", actor: c.actorUrl, object: entry.id, target: nrw.id },
      await importJwk(bochumKey.privateKeyJwk, "private"),
    );
    expect((await forged.send()).status).toBe(401);

    const refusals = await eventually(async () => {
      const log = (await refusedLog()).filter((item) => item.refused && item.target === entry.id);
      return log.length === 4 ? log : null;
    });
    const byText = (x: unknown, y: unknown) => JSON.stringify(x).localeCompare(JSON.stringify(y));
    expect(refusals.map((item) => [item.actor, item.refusal]).sort(byText)).toEqual(
      [
        [{ type: "local", name: "ada" }, "not-moderator"],
        [{ type: "local", name: "otto" }, "wrong-catalog"],
        [{ type: "actor", id: b.actorUrl }, "not-moderator"],
        [{ type: "actor", id: c.actorUrl }, "unverified-signature:invalidSignature"],
      ].sort(byText),
    );
    expect(refusals.every((item) => item.confidential)).toBe(true);
    expect((await hub.catalogStore.getEntry(entry.id))?.status.state).toBe("submitted");

    // Celle does moderate: its signed Accept approves the entry.
    await c.membership.moderate({ catalogIri: nrw.id, entryId: entry.id, action: "approve" });
    await eventually(async () => (await hub.catalogStore.getEntry(entry.id))?.status.state === "approved");
    await eventually(() => b.records.useCases.get(useCase.id));
  });

  it("follows the origin: an Update of an approved record reaches the members, a Delete removes the entry", async () => {
    const useCase = useCases[2]!;
    await republishUseCase(a, useCase.id, (content) => ({ ...content, shortDescription: { ...content.shortDescription, de: "Neu beschrieben." } }));
    const entry = await eventually(async () => {
      const current = await hub.catalogStore.findEntryByRecord(nrw.id, useCase.id);
      return current?.recordUpdatedAt ? current : null;
    });
    expect(entry.document).toMatchObject({ summaryMap: { de: "Neu beschrieben." } });
    await eventually(async () => (await b.records.useCases.get(useCase.id))?.shortDescription.de === "Neu beschrieben.");

    expect(await a.app.useCases.retire({ id: useCase.id }, editor)).toMatchObject({ ok: true });
    await eventually(async () => (await hub.catalogStore.getEntry(entry.id))?.status.state === "removed");
    const removed = await eventually(async () => (await c.membership.view(nrw.id, { state: "removed" })).find((e) => e.recordId === useCase.id));
    expect(removed.reason).toBe(withdrawnByOriginReason);
  });

  it("(5) a citizen's report waits in the queue; the 21st report from one address within a minute is refused", async () => {
    const report = { target: useCases[2]!.id, category: "factual-error", text: "Die Kontaktadresse stimmt nicht." };
    const results = [];
    for (let i = 0; i < 21; i++) results.push(await service.fileReport({ catalogId: nrw.id, report, clientAddress: "203.0.113.7" }));
    expect(results.slice(0, 20).every((result) => result.ok)).toBe(true);
    expect(results[20]).toMatchObject({ ok: false, error: { type: "rate-limited" }, message: { de: expect.stringContaining("Zu viele") } });
    expect(await service.fileReport({ catalogId: nrw.id, report, clientAddress: "203.0.113.8" })).toMatchObject({ ok: true });
    const queue = await hub.catalogStore.listReports({ catalogId: nrw.id, state: "open" }, { first: 100 });
    expect(queue.items).toHaveLength(21);
    // A member city's Flag lands in the same queue.
    await b.membership.report({ to: nrw.id, target: useCases[2]!.id, text: "Veraltet" });
    await eventually(async () =>
      (await hub.catalogStore.listReports({ catalogId: nrw.id, state: "open" }, { first: 100 })).items.find((r) => r.reporter.type === "actor"),
    );
  });

  it("(4) in allowlist mode an unlisted node can neither join nor deliver; a blocked domain's Create is refused; nothing of them is stored", async () => {
    d = await startCatalogNode("dorsten");
    for (const city of [a, b, c]) {
      expect(await service.allow({ scope: { type: "node" }, kind: "domain", value: new URL(city.origin).host, by: admin })).toEqual({ ok: true });
    }
    expect(await service.setTrustMode({ scope: { type: "node" }, mode: "allowlist", by: admin, reason: "nur geprüfte Kommunen" })).toEqual({ ok: true });

    expect(await d.membership.join(nrw.id)).toMatchObject({ ok: true });
    const dUseCase = publishedUseCases(d)[0]!;
    await d.app.records.seedRecords({ guidelines: [], useCases: [dUseCase], models: [] });
    const create = await signedPost(d, `${hub.origin}/inbox`, { id: `${d.actorUrl}#create/1`, type: "Create", actor: d.actorUrl, object: dUseCase.id });
    expect((await create.send()).status).toBe(401);
    await settle();
    expect(await hub.catalogStore.findMember(nrw.id, d.actorUrl)).toBeNull();
    expect(await hub.records.useCases.get(dUseCase.id)).toBeNull();
    expect(await hub.deps.store.listFollowers()).toEqual([]);

    // Arnsberg is listed, but once its domain is blocked its Create is refused too.
    expect(await service.block({ scope: { type: "node" }, kind: "domain", value: new URL(a.origin).host, by: admin, reason: "Spam" })).toEqual({ ok: true });
    const blockedId = `${a.actorUrl}#create/blocked`;
    const blocked = await signedPost(a, `${hub.origin}/inbox`, { id: blockedId, type: "Create", actor: a.actorUrl, object: useCases[3]!.id });
    // Arnsberg's key is still in the hub's key cache, so the signature verifies; the trust check refuses it.
    await blocked.send();
    expect((await logged(hub, "inbound activity from a blocked domain ignored", (fields) => fields.activityId === blockedId)).fields).toMatchObject({
      refusal: { type: "domain-blocked" },
    });
    expect(await hub.records.useCases.get(useCases[3]!.id)).toBeNull();
    // Members the node no longer trusts are left out of the catalog's deliveries.
    const group = (await (await fetch(nrw.id, { headers: { accept: "application/activity+json" } })).json()) as { followers: string };
    expect(((await (await fetch(group.followers, { headers: { accept: "application/activity+json" } })).json()) as { totalItems: number }).totalItems).toBe(2);

    const log = await hub.catalogStore.listModerationLog({ catalogId: null, includeConfidential: false }, { limit: 20 });
    expect(log.map((item) => [item.kind, item.target])).toEqual(
      expect.arrayContaining([
        ["mode-change", "allowlist"],
        ["block", new URL(a.origin).host],
      ]),
    );
  });
});
