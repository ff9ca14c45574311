import { mkdtemp, readdir, rm, cp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createAccessToken } from "./access-token.repository.ts";
import { BackupError, dumpDatabase, readBackup, restoreDatabase, RestoreTargetNotEmptyError } from "./backup.ts";
import type { Database } from "./database.ts";
import { createFederationRepository } from "./federation.repository.ts";
import { cityRecords } from "./fixtures/network-records.ts";
import { createGuidelineRepository } from "./guideline.repository.ts";
import { PostgresKvStore } from "./kv-store.ts";
import { PostgresMessageQueue } from "./message-queue.ts";
import { migrationsDirectory } from "./migrate.ts";
import { createSharedModelRepository } from "./model.repository.ts";
import { storageBackends, testDatabase, type StorageBackend, type TestDatabase } from "./test-database.ts";
import { createUseCaseRepository } from "./use-case.repository.ts";

/** Every table's rows as sorted jsonb texts (generated columns included: they are computed again). */
async function contents(db: Database): Promise<Record<string, string[]>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname NOT IN ('schema_migrations', 'node_health') ORDER BY 1`,
  );
  const result: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM "${name}" t`);
    result[name] = rows.map((row) => row.row).sort();
  }
  return result;
}

async function fill(db: Database): Promise<void> {
  const city = cityRecords(0, { local: true });
  for (const model of city.models) await createSharedModelRepository(db).save(model);
  await createGuidelineRepository(db).save(city.guideline);
  for (const useCase of city.useCases) await createUseCaseRepository(db).save(useCase);
  const federation = createFederationRepository(db);
  await federation.saveKeyPairIfAbsent({
    algorithm: "Ed25519",
    publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: "public-part" },
    privateKeyJwk: { kty: "OKP", crv: "Ed25519", x: "public-part", d: "the-private-part" },
  });
  await createAccessToken(db, { name: "Erika Beispiel", role: "editor" });
  await new PostgresKvStore(db).set(["leitplanken", "secret", "report-address"], "a-node-secret");
  await new PostgresMessageQueue(db, { lane: "outbox" }).enqueueMany([{ n: 1 }, { n: "zwei", nested: { at: "2026-01-01" } }]);
}

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe.each(storageBackends())("a backup of a database on %s", (source) => {
  let db: TestDatabase;
  let dump: Buffer;

  beforeAll(async () => {
    db = await testDatabase({ backend: source });
    await fill(db);
    dump = await dumpDatabase(db, { softwareVersion: "0.1.0", origin: "https://ki.hamm.example" });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("says what it holds: version, origin, migrations, tables with their row counts", () => {
    const { header } = readBackup(dump);
    expect(header).toMatchObject({
      format: "leitplanken-backup",
      formatVersion: 1,
      softwareVersion: "0.1.0",
      database: source,
      origin: "https://ki.hamm.example",
    });
    expect(header.migrations).toContain("0001_queue_kv.sql");
    const byName = Object.fromEntries(header.tables.map((table) => [table.name, table]));
    expect(byName["federation_key_pairs"]!.rows).toBe(1);
    expect(byName["fedify_queue"]!.rows).toBe(2);
    // Parents before the tables that reference them.
    const order = header.tables.map((table) => table.name);
    expect(order.indexOf("guideline_documents")).toBeLessThan(order.indexOf("guideline_versions"));
    expect(order.indexOf("catalogs")).toBeLessThan(order.indexOf("catalog_entries"));
    // Derived tables (counters kept by triggers) are not written; the restore's inserts count them again.
    expect(order).not.toContain("network_city_figures");
    // Generated columns are not written; the restore computes them.
    expect(byName["use_cases"]!.columns).not.toContain("energy_stated");
  });

  it.each(storageBackends())("restores on %s with every row, the keys, and identity counters that go on", async (target: StorageBackend) => {
    const restored = await testDatabase({ backend: target, migrate: false });
    try {
      const summary = await restoreDatabase(restored, dump, { softwareVersion: "0.1.0" });
      expect(summary.upgradedWith).toEqual([]);
      expect(await contents(restored)).toEqual(await contents(db));
      const { rows: keys } = await restored.query<{ private_key_jwk: { d: string } }>("SELECT private_key_jwk FROM federation_key_pairs");
      expect(keys.map((key) => key.private_key_jwk.d)).toEqual(["the-private-part"]);
      // A message queued after the restore gets a new id, after the restored ones.
      const before = await restored.query<{ id: number }>("SELECT max(id) AS id FROM fedify_queue");
      await new PostgresMessageQueue(restored, { lane: "outbox" }).enqueue({ n: 3 });
      const after = await restored.query<{ id: number }>("SELECT max(id) AS id FROM fedify_queue");
      expect(after.rows[0]!.id).toBeGreaterThan(before.rows[0]!.id);
    } finally {
      await restored.close();
    }
  });

  it("never restores into a database that holds one, and names what is wrong with a damaged or foreign file", async () => {
    await expect(restoreDatabase(db, dump, { softwareVersion: "0.1.0" })).rejects.toThrow(RestoreTargetNotEmptyError);
    const empty = await testDatabase({ backend: source, migrate: false });
    try {
      await expect(restoreDatabase(empty, Buffer.from("not a backup"), { softwareVersion: "0.1.0" })).rejects.toThrow(
        "This is not a Leitplanken backup (or it is damaged): it does not unpack.",
      );
      await expect(restoreDatabase(empty, gzipSync('{"format":"something-else"}\n'), { softwareVersion: "0.1.0" })).rejects.toThrow(BackupError);
      const truncated = gzipSync(gunzipSync(dump).toString().split("\n").slice(0, 3).join("\n"));
      await expect(restoreDatabase(empty, truncated, { softwareVersion: "0.1.0" })).rejects.toThrow("The backup is incomplete");
      // Nothing was written by the refusals: the database is still empty.
      const { rows } = await empty.query<{ table: string | null }>("SELECT to_regclass('schema_migrations')::text AS table");
      expect(rows[0]!.table).toBeNull();
    } finally {
      await empty.close();
    }
  });

  it("refuses a backup of a newer version, and upgrades one of an older version on restore", async () => {
    const newer = await mkdtemp(path.join(os.tmpdir(), "lp-backup-migrations-"));
    scratch.push(newer);
    await cp(migrationsDirectory, newer, { recursive: true });
    const names = (await readdir(migrationsDirectory)).filter((name) => name.endsWith(".sql")).sort();
    await writeFile(path.join(newer, "9999_later.sql"), "CREATE TABLE later_version (id int);");

    const fromNewer = await testDatabase({ backend: source, migrate: false });
    const target = await testDatabase({ backend: source, migrate: false });
    try {
      await restoreDatabase(fromNewer, dump, { softwareVersion: "0.1.0", directory: newer });
      const newerDump = await dumpDatabase(fromNewer, { softwareVersion: "0.2.0" });
      await expect(restoreDatabase(target, newerDump, { softwareVersion: "0.1.0" })).rejects.toThrow(
        "The backup was made by a newer version of Leitplanken (0.2.0; this is 0.1.0); it holds migrations this version does not know: 9999_later.sql. Restore it with that version or a newer one.",
      );
    } finally {
      await fromNewer.close();
      await target.close();
    }

    // A backup of the version before: the same rows, its header without the newest migration.
    // It restores into this version, which then applies that migration (a restore is also an upgrade).
    const [headerLine, ...rest] = gunzipSync(dump).toString().split("\n");
    const header = JSON.parse(headerLine!) as { migrations: string[]; softwareVersion: string };
    header.migrations = header.migrations.filter((name) => name !== names.at(-1));
    header.softwareVersion = "0.0.9";
    const upgraded = await testDatabase({ backend: source, migrate: false });
    try {
      const summary = await restoreDatabase(upgraded, gzipSync([JSON.stringify(header), ...rest].join("\n")), { softwareVersion: "0.1.0" });
      expect(summary.upgradedWith).toEqual([names.at(-1)]);
      expect(summary.rows).toBe(readBackup(dump).header.tables.reduce((sum, table) => sum + table.rows, 0));
      const { rows } = await upgraded.query<{ n: number }>("SELECT count(*) AS n FROM use_cases");
      expect(rows[0]!.n).toBe(cityRecords(0, { local: true }).useCases.length);
    } finally {
      await upgraded.close();
    }
  }, 180_000);
});
