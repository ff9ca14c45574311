import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  approveEntry,
  type Catalog,
  type CatalogEntry,
  type CatalogModerationStore,
  checkReportRate,
  createCatalog,
  fileReport,
  hashClientAddress,
  performedAction,
  rateWindowStart,
  refusedAction,
  type Report,
  reportRateLimit,
  requestMembership,
  submitToCatalog,
  totalOf,
  trustDecision,
} from "@leitplanken/core";
import { createCatalogRepository } from "./catalog.repository.ts";
import { openDatabase, type Database } from "./database.ts";
import { createFederationRepository } from "./federation.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const now = new Date("2026-03-01T10:00:00Z");
const admin = { name: "Ada Admin", role: "admin" as const };
const moderator = { type: "local" as const, name: "Mona Moderatorin" };
const hub = "https://hub.nrw.example";
const dortmund = "https://ki.dortmund.example/actors/dortmund";
const muenster = "https://ki.muenster.example/actors/muenster";

function catalog(handle: string): Catalog {
  const result = createCatalog(
    {
      handle,
      name: { de: `Katalog ${handle}` },
      description: { de: "Geprüfte Anwendungsfälle", en: "Vetted use cases" },
      moderators: [moderator],
      policy: { acceptedKinds: ["use-case"], openTo: "anyone", memberApprovalRequired: false },
    },
    { id: `${hub}/catalogs/${handle}` },
    admin,
    now,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.catalog;
}

function submitted(target: Catalog, slug: string, origin = dortmund, at = now): CatalogEntry {
  const recordId = `${new URL(origin).origin}/use-cases/${slug}`;
  const result = submitToCatalog(
    target,
    {
      id: `${target.id}/entries/${slug}-${at.getTime()}`,
      record: { id: recordId, kind: "use-case", originActor: origin },
      submitter: origin,
      submissionActivityId: `${new URL(origin).origin}/activities/${slug}`,
      document: {
        id: recordId,
        type: "UseCase",
        name: { de: slug },
        proof: { type: "DataIntegrityProof", cryptosuite: "eddsa-jcs-2022", proofValue: "z58DAdFfa9" },
      },
      now: at,
    },
    { member: null, existing: null },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.entry;
}

describe.each(storageBackends())("catalog repository on %s", (backend) => {
  let db: TestDatabase;
  let store: CatalogModerationStore;
  const nrw = catalog("ki-katalog-nrw");
  const ruhr = catalog("ruhr");

  beforeAll(async () => {
    db = await testDatabase({ backend });
    store = createCatalogRepository(db);
    await store.saveCatalog(nrw);
    await store.saveCatalog(ruhr);
  });
  afterAll(async () => {
    await db.close();
  });

  it("stores catalogs and finds them by id and handle", async () => {
    expect(await store.getCatalog(nrw.id)).toEqual(nrw);
    expect(await store.findCatalogByHandle("ruhr")).toEqual(ruhr);
    expect((await store.listCatalogs()).map((c) => c.handle)).toEqual(["ki-katalog-nrw", "ruhr"]);
    const renamed = { ...nrw, name: { de: "KI-Katalog Nordrhein-Westfalen" } };
    await store.saveCatalog(renamed);
    expect((await store.getCatalog(nrw.id))?.name).toEqual(renamed.name);
    await store.saveCatalog(nrw);
    expect(await store.getCatalog(`${hub}/catalogs/none`)).toBeNull();
  });

  it("stores members per catalog and state", async () => {
    const joined = requestMembership(nrw, null, { actor: dortmund, followActivityId: `${dortmund}/follows/1`, now });
    if (!joined.ok) throw new Error("expected ok");
    await store.saveMember(joined.member);
    await store.saveMember({ ...joined.member, actor: muenster, state: "pending", joinedAt: null, followActivityId: null });
    expect(await store.findMember(nrw.id, dortmund)).toEqual(joined.member);
    expect((await store.listMembers(nrw.id, { state: "accepted" })).map((m) => m.actor)).toEqual([dortmund]);
    expect(await store.listMembers(ruhr.id)).toEqual([]);
    await store.saveMember({ ...joined.member, actor: muenster, state: "rejected", joinedAt: null, followActivityId: null, reason: "Keine Kommune" });
    expect((await store.findMember(nrw.id, muenster))?.reason).toBe("Keine Kommune");
    expect(await store.forgetMember(nrw.id, muenster)).toBe(true);
    expect(await store.forgetMember(nrw.id, muenster)).toBe(false);
  });

  it("keeps an entry's record IRI, origin and proof-carrying document through moderation", async () => {
    const entry = submitted(nrw, "chatbot");
    await store.saveEntry(entry);
    expect(await store.getEntry(entry.id)).toEqual(entry);
    const approved = approveEntry(nrw, entry, moderator, now);
    if (!approved.ok) throw new Error("expected ok");
    await store.saveEntry(approved.entry);
    const stored = await store.getEntry(entry.id);
    expect(stored?.status.state).toBe("approved");
    expect(stored?.document).toEqual(entry.document);
    expect(stored?.record).toEqual(entry.record);
    expect(await store.findEntryByRecord(nrw.id, entry.record.id)).toEqual(approved.entry);
  });

  it("holds a record at most once open per catalog", async () => {
    const first = submitted(nrw, "duplicate");
    await store.saveEntry(first);
    const second = { ...submitted(nrw, "duplicate", dortmund, new Date(now.getTime() + 1000)) };
    await expect(store.saveEntry(second)).rejects.toThrow();
    // Rejected entries are history: a resubmission may stand beside them.
    await store.saveEntry({ ...first, status: { state: "rejected", by: moderator, at: now.toISOString(), reason: "Unvollständig" } });
    await store.saveEntry(second);
    expect((await store.findEntryByRecord(nrw.id, first.record.id))?.id).toBe(second.id);
  });

  it("lists the moderation queue and the approved entries page by page, and a record's entries across catalogs", async () => {
    for (const slug of ["a", "b", "c"]) await store.saveEntry(submitted(ruhr, `queue-${slug}`));
    const firstPage = await store.listEntries(ruhr.id, { state: "submitted" }, { first: 2 });
    expect(await totalOf(firstPage)).toBe(3);
    expect(firstPage.hasNextPage).toBe(true);
    expect(firstPage.items.map((e) => e.record.id.split("/").at(-1))).toEqual(["queue-c", "queue-b"]);
    const secondPage = await store.listEntries(ruhr.id, { state: "submitted" }, { first: 2, after: firstPage.endCursor });
    expect(secondPage.items.map((e) => e.record.id.split("/").at(-1))).toEqual(["queue-a"]);
    expect(secondPage.hasNextPage).toBe(false);
    expect((await store.listEntries(nrw.id, { state: "approved" }, { first: 10 })).items.map((e) => e.record.id.split("/").at(-1))).toEqual(["chatbot"]);

    await store.saveEntry(submitted(ruhr, "chatbot"));
    const ofRecord = await store.listEntriesOfRecord("https://ki.dortmund.example/use-cases/chatbot");
    expect(ofRecord.map((e) => [e.catalogId, e.status.state]).sort()).toEqual([
      [nrw.id, "approved"],
      [ruhr.id, "submitted"],
    ]);
  });

  describe("reports", () => {
    const secret = "a-node-secret-of-32-characters!!";
    const address = "198.51.100.23";
    const addressHash = hashClientAddress(address, secret);
    let sequence = 0;

    function citizenReport(at: Date, catalogId: string | null = nrw.id, recent: Date[] = []): ReturnType<typeof fileReport> {
      sequence += 1;
      return fileReport(
        { target: "https://ki.dortmund.example/use-cases/chatbot", category: "factual-error", text: "Telefonnummer veraltet" },
        { id: `${hub}/reports/${sequence}`, catalogId, reporter: { type: "anonymous", addressHash }, now: at, recentFromAddress: recent },
      );
    }

    it("refuse the 21st report from one address within a minute, across repository instances and connections", async () => {
      const start = new Date("2026-03-01T11:00:00Z");
      for (let index = 0; index < 20; index += 1) {
        const at = new Date(start.getTime() + index * 1000);
        // Each report is checked against what the database holds, as a fresh process would.
        const fresh = createCatalogRepository(db);
        const result = citizenReport(at, nrw.id, await fresh.reportTimesFromAddress(addressHash, rateWindowStart(at)));
        if (!result.ok) throw new Error(`report ${index + 1}: ${JSON.stringify(result.error)}`);
        await fresh.saveReport(result.report);
      }
      const at = new Date(start.getTime() + 30_000);
      const other: { db: Database; store: CatalogModerationStore } | null =
        backend === "postgres"
          ? await (async () => {
              const second = await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema });
              return { db: second, store: createCatalogRepository(second) };
            })()
          : null;
      try {
        const reader = other?.store ?? createCatalogRepository(db);
        expect(await reader.reportTimesFromAddress(addressHash, rateWindowStart(at))).toHaveLength(20);
        const refused = citizenReport(at, nrw.id, await reader.reportTimesFromAddress(addressHash, rateWindowStart(at)));
        expect(!refused.ok && refused.error).toEqual({ type: "rate-limited", retryAfterSeconds: 30 });
      } finally {
        await other?.db.close();
      }
      // A minute after the first report, one slot is free again.
      const later = new Date(start.getTime() + 60_500);
      expect(checkReportRate(await store.reportTimesFromAddress(addressHash, rateWindowStart(later)), later)).toEqual({ ok: true });
    });

    it("hold the limit when 30 reports from one address arrive at once", async () => {
      const burstHash = hashClientAddress("192.0.2.99", secret);
      const at = new Date("2026-03-01T12:00:00Z");
      const reports = Array.from({ length: 30 }, (_, index) => {
        const result = fileReport(
          { target: "https://ki.dortmund.example/use-cases/chatbot", category: "spam" },
          {
            id: `${hub}/reports/burst-${index}`,
            catalogId: nrw.id,
            reporter: { type: "anonymous", addressHash: burstHash },
            now: new Date(at.getTime() + index),
          },
        );
        if (!result.ok) throw new Error("expected ok");
        return result.report;
      });
      const saved = await Promise.all(reports.map((report) => store.saveReportWithinLimit(report, reportRateLimit)));
      expect(saved.filter(Boolean)).toHaveLength(20);
      expect(await store.reportTimesFromAddress(burstHash, rateWindowStart(at))).toHaveLength(20);
      // A member city's Flag is not counted per address.
      const flag = fileReport(
        { target: "https://ki.dortmund.example/use-cases/chatbot", category: "outdated" },
        { id: `${hub}/reports/flag-1`, catalogId: nrw.id, reporter: { type: "actor", id: muenster }, now: at },
      );
      if (!flag.ok) throw new Error("expected ok");
      expect(await store.saveReportWithinLimit(flag.report, reportRateLimit)).toBe(true);
      await db.query("DELETE FROM moderation_reports WHERE id LIKE $1 OR id = $2", [`${hub}/reports/burst-%`, flag.report.id]);
    });

    it("never store the client address, only its hash", async () => {
      const { rows } = await db.query<{ dump: string }>("SELECT row_to_json(r)::text AS dump FROM moderation_reports r");
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.dump).not.toContain(address);
        expect(row.dump).toContain(addressHash);
      }
    });

    it("are listed per catalog, node and state, and closed in place", async () => {
      const nodeReport = citizenReport(new Date("2026-03-02T00:00:00Z"), null);
      if (!nodeReport.ok) throw new Error("expected ok");
      await store.saveReport(nodeReport.report);
      const nodeReports = await store.listReports({ catalogId: null }, { first: 50 });
      expect(nodeReports.items.map((r) => r.id)).toEqual([nodeReport.report.id]);
      expect(await totalOf(await store.listReports({ catalogId: nrw.id, state: "open" }, { first: 5 }))).toBe(20);
      expect(await totalOf(await store.listReports({}, { first: 1 }))).toBe(21);

      const closed: Report = { ...nodeReport.report, status: { state: "dismissed", by: moderator, at: now.toISOString(), reason: "stimmt so" } };
      await store.saveReport(closed);
      expect(await store.getReport(closed.id)).toEqual(closed);
      expect(await totalOf(await store.listReports({ catalogId: null, state: "open" }, { first: 5 }))).toBe(0);
    });

    it("forget the address hash of reports older than the retention and keep the reports themselves", async () => {
      const recent = citizenReport(new Date("2026-03-03T12:00:00Z"), null);
      if (!recent.ok) throw new Error("expected ok");
      await store.saveReport(recent.report);
      const before = new Date("2026-03-03T00:00:00Z");
      expect(await store.forgetReporterAddresses(before)).toBe(21);
      expect(await store.forgetReporterAddresses(before)).toBe(0);
      const { rows } = await db.query<{ dump: string; id: string }>("SELECT id, row_to_json(r)::text AS dump FROM moderation_reports r");
      for (const row of rows) expect(row.dump.includes(addressHash)).toBe(row.id === recent.report.id);
      const forgotten = (await store.listReports({ catalogId: nrw.id }, { first: 1 })).items[0];
      expect(forgotten?.reporter).toEqual({ type: "anonymous" });
      expect(forgotten?.text).toBe("Telefonnummer veraltet");
      expect(await store.reportTimesFromAddress(addressHash, before)).toEqual([new Date("2026-03-03T12:00:00Z")]);
    });
  });

  describe("moderation log", () => {
    it("holds performed and refused actions; the public listing leaves confidential ones out", async () => {
      const at = now.toISOString();
      const approved = await store.appendModerationLog(
        performedAction({ catalogId: nrw.id, kind: "approve", actor: moderator, targetType: "entry", target: `${nrw.id}/entries/1`, at }),
      );
      const refused = await store.appendModerationLog(
        refusedAction(
          {
            catalogId: nrw.id,
            kind: "approve",
            actor: { type: "actor", id: "https://evil.example/actors/mallory" },
            targetType: "entry",
            target: `${nrw.id}/entries/1`,
            at,
          },
          "not-moderator",
        ),
      );
      const confidential = await store.appendModerationLog(
        performedAction({
          catalogId: nrw.id,
          kind: "report-resolved",
          actor: moderator,
          targetType: "report",
          target: `${hub}/reports/1`,
          at,
          reason: "personenbezogen",
          confidential: true,
        }),
      );
      const nodeBlock = await store.appendModerationLog(
        performedAction({ catalogId: null, kind: "unblock", actor: { type: "local", name: "Ada" }, targetType: "domain", target: "spam.example", at }),
      );

      expect(refused).toMatchObject({
        refused: true,
        refusal: "not-moderator",
        confidential: true,
        actor: { type: "actor", id: "https://evil.example/actors/mallory" },
      });
      expect(approved.position).toBeLessThan(refused.position);
      expect(nodeBlock.isRevert).toBe(true);

      const publicLog = await store.listModerationLog({ catalogId: nrw.id, includeConfidential: false }, { limit: 50 });
      expect(publicLog).toEqual([approved]);
      const fullLog = await store.listModerationLog({ catalogId: nrw.id, includeConfidential: true }, { limit: 50 });
      expect(fullLog.map((e) => e.position)).toEqual([confidential.position, refused.position, approved.position]);
      expect(await store.listModerationLog({ catalogId: nrw.id, includeConfidential: true }, { before: refused.position, limit: 50 })).toEqual([approved]);
      expect(await store.listModerationLog({ catalogId: null, includeConfidential: false }, { limit: 50 })).toEqual([nodeBlock]);
      expect((await store.listModerationLog({ includeConfidential: true, target: "spam.example" }, { limit: 50 })).map((e) => e.kind)).toEqual(["unblock"]);
    });
  });

  describe("network trust", () => {
    it("is open until set, per node and per catalog", async () => {
      expect(await store.getTrustMode({ type: "node" })).toBe("open");
      await store.setTrustMode({ type: "node" }, "allowlist");
      await store.setTrustMode({ type: "node" }, "allowlist");
      expect(await store.getTrustMode({ type: "node" })).toBe("allowlist");
      expect(await store.getTrustMode({ type: "catalog", catalogId: nrw.id })).toBe("open");
      await store.setTrustMode({ type: "catalog", catalogId: nrw.id }, "allowlist");
      await store.setTrustMode({ type: "node" }, "open");
      expect(await store.getTrustMode({ type: "catalog", catalogId: nrw.id })).toBe("allowlist");
      expect(await store.getTrustMode({ type: "node" })).toBe("open");
    });

    it("keeps the node's domain blocks in the federation's one block list", async () => {
      const federation = createFederationRepository(db);
      await store.addTrustListEntry({ type: "node" }, "blocked-domain", "spam.example", "Spam");
      expect((await federation.listBlockedDomains()).map((b) => [b.domain, b.reason])).toEqual([["spam.example", "Spam"]]);
      await federation.blockDomain("troll.example", "Belästigung");
      await store.addTrustListEntry({ type: "node" }, "blocked-actor", "https://ki.muenster.example/actors/troll", null);
      await store.addTrustListEntry({ type: "node" }, "allowed-domain", "nrw.example", "Kommunen NRW");
      await store.addTrustListEntry({ type: "node" }, "allowed-domain", "nrw.example", "Kommunen in NRW");
      const node = await store.trustSettings({ type: "node" });
      expect(node.lists).toEqual({
        blockedDomains: ["spam.example", "troll.example"],
        blockedActors: ["https://ki.muenster.example/actors/troll"],
        allowedDomains: ["nrw.example"],
        allowedActors: [],
      });
      expect((await store.listTrustListEntries({ type: "node" })).find((e) => e.list === "allowed-domain")?.reason).toBe("Kommunen in NRW");
      expect(trustDecision("allowlist", node.lists, "https://node.troll.example/actors/x")).toMatchObject({ refuse: { type: "domain-blocked" } });
      expect(trustDecision("allowlist", node.lists, "https://ki.dortmund.nrw.example/actors/d")).toBe("allow");

      expect(await store.removeTrustListEntry({ type: "node" }, "blocked-domain", "spam.example")).toBe(true);
      expect((await federation.listBlockedDomains()).map((b) => b.domain)).toEqual(["troll.example"]);
      expect(await store.removeTrustListEntry({ type: "node" }, "blocked-actor", "https://ki.muenster.example/actors/troll")).toBe(true);
      expect(await store.removeTrustListEntry({ type: "node" }, "blocked-actor", "https://ki.muenster.example/actors/troll")).toBe(false);
    });

    it("keeps each catalog's lists apart from the node's and drops them with the catalog", async () => {
      const scope = { type: "catalog" as const, catalogId: ruhr.id };
      await store.addTrustListEntry(scope, "blocked-domain", "ruhr-spam.example", null);
      await store.addTrustListEntry(scope, "allowed-actor", dortmund, null);
      expect((await store.trustSettings(scope)).lists).toEqual({
        blockedDomains: ["ruhr-spam.example"],
        blockedActors: [],
        allowedDomains: [],
        allowedActors: [dortmund],
      });
      expect((await store.trustSettings({ type: "node" })).lists.blockedDomains).not.toContain("ruhr-spam.example");
      await expect(db.query("INSERT INTO network_trust_lists (catalog_id, list, value) VALUES (NULL, 'blocked-domain', 'x.example')")).rejects.toThrow();

      await store.setTrustMode(scope, "allowlist");
      expect(await store.removeCatalog(ruhr.id)).toBe(true);
      expect(await store.getTrustMode(scope)).toBe("open");
      expect(await store.listTrustListEntries(scope)).toEqual([]);
      expect(await totalOf(await store.listEntries(ruhr.id, {}, { first: 10 }))).toBe(0);
    });
  });
});
