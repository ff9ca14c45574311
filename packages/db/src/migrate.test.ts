import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openDatabase, type Database } from "./database.ts";
import { DatabaseTooNewError, migrate, MigrationError, migrationsDirectory, pendingMigrations } from "./migrate.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const tempDirectories: string[] = [];

/** A folder of migration files for one test. */
async function migrationFolder(files: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "leitplanken-migrations-"));
  tempDirectories.push(directory);
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(directory, name), sql);
  return directory;
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  const { rows } = await db.query<{ table: string | null }>("SELECT to_regclass($1)::text AS table", [name]);
  return rows[0]?.table != null;
}

async function appliedNames(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
  return rows.map((row) => row.name);
}

afterAll(async () => {
  await Promise.all(tempDirectories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe.each(storageBackends())("migrations on %s", (backend) => {
  let db: TestDatabase;
  const opened: TestDatabase[] = [];
  /** A database of its own: a database that has seen another folder's migrations would be refused as newer. */
  const freshDatabase = async () => {
    const fresh = await testDatabase({ backend, migrate: false });
    opened.push(fresh);
    return fresh;
  };

  beforeAll(async () => {
    db = await testDatabase({ backend, migrate: false });
  });

  afterAll(async () => {
    await db.close();
    await Promise.all(opened.map((fresh) => fresh.close()));
  });

  it("applies the package's migrations once, in file-name order, and then has nothing pending", async () => {
    const files = (await readdir(migrationsDirectory)).filter((name) => name.endsWith(".sql")).sort();
    expect(files).toContain("0001_queue_kv.sql");
    expect(await pendingMigrations(db)).toEqual(files);

    expect(await migrate(db)).toEqual({ applied: files });
    expect(await migrate(db)).toEqual({ applied: [] });
    expect(await pendingMigrations(db)).toEqual([]);
    expect(await tableExists(db, "fedify_queue")).toBe(true);
    expect(await tableExists(db, "fedify_kv")).toBe(true);
  });

  it("rolls a failing migration back completely, names its file, and applies it once fixed", async () => {
    const db = await freshDatabase();
    const directory = await migrationFolder({
      "1001_good.sql": "CREATE TABLE fixture_good (id int);",
      "1002_broken.sql": "CREATE TABLE fixture_half (id int);\nINSERT INTO fixture_half VALUES (1);\nSELECT * FROM no_such_table;",
    });
    const failure = migrate(db, { directory });
    await expect(failure).rejects.toThrow(MigrationError);
    await expect(failure).rejects.toMatchObject({ file: "1002_broken.sql", message: expect.stringContaining("1002_broken.sql") });

    expect(await tableExists(db, "fixture_good")).toBe(true);
    expect(await tableExists(db, "fixture_half")).toBe(false);
    expect(await appliedNames(db)).toContain("1001_good.sql");
    expect(await appliedNames(db)).not.toContain("1002_broken.sql");
    expect(await pendingMigrations(db, { directory })).toEqual(["1002_broken.sql"]);

    await writeFile(path.join(directory, "1002_broken.sql"), "CREATE TABLE fixture_half (id int);");
    expect(await migrate(db, { directory })).toEqual({ applied: ["1002_broken.sql"] });
    expect(await tableExists(db, "fixture_half")).toBe(true);
  });

  it("refuses to run when an applied migration was edited, naming the file", async () => {
    const db = await freshDatabase();
    const directory = await migrationFolder({ "2001_original.sql": "CREATE TABLE fixture_original (id int);" });
    await migrate(db, { directory });
    await writeFile(path.join(directory, "2001_original.sql"), "CREATE TABLE fixture_original (id bigint);");
    await writeFile(path.join(directory, "2002_next.sql"), "CREATE TABLE fixture_next (id int);");

    await expect(migrate(db, { directory })).rejects.toMatchObject({
      file: "2001_original.sql",
      message: expect.stringContaining("2001_original.sql was changed"),
    });
    expect(await tableExists(db, "fixture_next")).toBe(false);
  });

  it("rejects a migration that controls its own transaction", async () => {
    const db = await freshDatabase();
    const directory = await migrationFolder({ "3001_commits.sql": "CREATE TABLE fixture_commits (id int);\nCOMMIT;\n" });
    await expect(migrate(db, { directory })).rejects.toMatchObject({ file: "3001_commits.sql" });
    expect(await tableExists(db, "fixture_commits")).toBe(false);
  });

  it("applies each migration exactly once when two connections migrate at the same time", async () => {
    const db = await freshDatabase();
    const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`400${i}_concurrent.sql`, `CREATE TABLE fixture_concurrent_${i} (id int);`]));
    const directory = await migrationFolder(files);
    // On PostgreSQL a second pool on the same schema stands in for a second process.
    const other = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : db;
    try {
      const results = await Promise.all([migrate(db, { directory }), migrate(other, { directory })]);
      const applied = results.flatMap((result) => result.applied).sort();
      expect(applied).toEqual(Object.keys(files).sort());
    } finally {
      if (other !== db) await other.close();
    }
  });

  it("refuses a database migrated by a newer version, naming it, and changes nothing", async () => {
    const db = await freshDatabase();
    const older = await migrationFolder({ "5001_first.sql": "CREATE TABLE fixture_first (id int);" });
    const newer = await migrationFolder({
      "5001_first.sql": "CREATE TABLE fixture_first (id int);",
      "5002_from_newer_version.sql": "CREATE TABLE fixture_newer (id int);",
    });
    expect(await migrate(db, { directory: newer, softwareVersion: "0.2.0" })).toEqual({ applied: ["5001_first.sql", "5002_from_newer_version.sql"] });
    await writeFile(path.join(older, "5003_only_in_older.sql"), "CREATE TABLE fixture_only_older (id int);");

    const refusal = migrate(db, { directory: older, softwareVersion: "0.1.0" });
    await expect(refusal).rejects.toThrow(DatabaseTooNewError);
    await expect(refusal).rejects.toMatchObject({
      unknownMigrations: ["5002_from_newer_version.sql"],
      newerVersion: "0.2.0",
      message: expect.stringMatching(/^The database was migrated by a newer version of Leitplanken 0\.2\.0 \(this is 0\.1\.0\).*5002_from_newer_version\.sql/),
    });
    expect(await tableExists(db, "fixture_only_older")).toBe(false);
    // The newer version itself goes on working.
    expect(await migrate(db, { directory: newer, softwareVersion: "0.2.0" })).toEqual({ applied: [] });
  });

  it("names no version for a database migrated before versions were recorded", async () => {
    const db = await freshDatabase();
    const newer = await migrationFolder({ "6001_a.sql": "SELECT 1;", "6002_b.sql": "SELECT 1;" });
    await migrate(db, { directory: newer });
    const older = await migrationFolder({ "6001_a.sql": "SELECT 1;" });
    await expect(migrate(db, { directory: older, softwareVersion: "0.1.0" })).rejects.toMatchObject({
      newerVersion: undefined,
      message: expect.stringMatching(/^The database was migrated by a newer version of Leitplanken \(this is 0\.1\.0\); .*6002_b\.sql/),
    });
  });
});
