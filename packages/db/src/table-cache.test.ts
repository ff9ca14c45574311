import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openDatabase, type Database, type Queryable } from "./database.ts";
import { createCatalogRepository } from "./catalog.repository.ts";
import { createFederationRepository } from "./federation.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

/** The same database handle (so the same cache), counting the statements sent through it. */
function counting(db: Database): { db: Database; statements: () => number } {
  let count = 0;
  return {
    db: {
      ...db,
      query: (text, params) => {
        count++;
        return db.query(text, params);
      },
    },
    statements: () => count,
  };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(storageBackends())("block and trust lists kept in memory on %s", (backend) => {
  let db: TestDatabase;
  /** Another process's view: on PostgreSQL a pool of its own; on PGlite the same instance, writing past the repositories. */
  let elsewhere: Queryable;
  beforeAll(async () => {
    db = await testDatabase({ backend });
    elsewhere = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : { query: db.query, exec: db.exec };
  });
  afterAll(async () => {
    if (db.schema) await (elsewhere as Database).close();
    await db.close();
  });

  it("reads the node's block list and trust settings from the database once, until they change", async () => {
    const { db: counted, statements } = counting(db);
    const federation = createFederationRepository(counted);
    const catalogs = createCatalogRepository(counted);
    await federation.listBlockedDomains();
    await catalogs.trustSettings({ type: "node" });
    const warm = statements();
    for (let i = 0; i < 10; i++) {
      expect(await federation.listBlockedDomains()).toEqual([]);
      expect(await catalogs.trustSettings({ type: "node" })).toEqual({
        mode: "open",
        lists: { blockedDomains: [], blockedActors: [], allowedDomains: [], allowedActors: [] },
      });
    }
    expect(statements()).toBe(warm);

    // A write through this process is seen at once.
    await federation.blockDomain("spam.example", "Spam");
    expect((await federation.listBlockedDomains()).map((block) => block.domain)).toEqual(["spam.example"]);
    await catalogs.setTrustMode({ type: "node" }, "allowlist");
    await catalogs.addTrustListEntry({ type: "node" }, "allowed-domain", "ki.muenster.example", null);
    expect(await catalogs.trustSettings({ type: "node" })).toEqual({
      mode: "allowlist",
      lists: { blockedDomains: ["spam.example"], blockedActors: [], allowedDomains: ["ki.muenster.example"], allowedActors: [] },
    });

    // A write by another process (or past the repositories) arrives by NOTIFY.
    await elsewhere.query("INSERT INTO federation_domain_blocks (domain) VALUES ('other.example')");
    await elsewhere.query("UPDATE network_trust_modes SET mode = 'open'");
    await elsewhere.query("DELETE FROM network_trust_lists");
    await eventually(async () => (await federation.listBlockedDomains()).length === 2);
    await eventually(async () => (await catalogs.trustSettings({ type: "node" })).mode === "open");
    expect(await catalogs.trustSettings({ type: "node" })).toEqual({
      mode: "open",
      lists: { blockedDomains: ["other.example", "spam.example"], blockedActors: [], allowedDomains: [], allowedActors: [] },
    });
    expect(await federation.unblockDomain("other.example")).toBe(true);
    expect((await federation.listBlockedDomains()).map((block) => block.domain)).toEqual(["spam.example"]);
  });

  it("reads inside a transaction from the database, never from the copy", async () => {
    const federation = createFederationRepository(db);
    await federation.listBlockedDomains();
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO federation_domain_blocks (domain) VALUES ('in-transaction.example')");
      expect((await createFederationRepository(tx).listBlockedDomains()).map((block) => block.domain)).toContain("in-transaction.example");
      await tx.query("DELETE FROM federation_domain_blocks WHERE domain = 'in-transaction.example'");
    });
    expect((await federation.listBlockedDomains()).map((block) => block.domain)).not.toContain("in-transaction.example");
  });
});
