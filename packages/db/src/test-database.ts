import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "./database.ts";
import { migrate, migrationsDirectory } from "./migrate.ts";

// Test support lives here rather than in testkit because this package's own tests need it
// and may not import testkit (dependency direction); testkit re-exports it.

export type StorageBackend = "pglite" | "postgres";

export interface TestDatabaseOptions {
  /** Defaults to "postgres" when DATABASE_URL is set, else "pglite". */
  backend?: StorageBackend;
  /** Apply this package's migrations (default true); false gives an empty database. */
  migrate?: boolean;
  /** PGlite only: keep the database in this (new or empty) folder instead of memory, so a child process can open it after this one closes it. */
  dataDir?: string;
}

export type TestDatabase = Database & {
  /** PostgreSQL only: the schema this database lives in, for child processes that must share it. */
  readonly schema: string | undefined;
  [Symbol.asyncDispose](): Promise<void>;
};

/** The backends storage tests run on: always PGlite, and PostgreSQL when DATABASE_URL is set. */
export function storageBackends(): StorageBackend[] {
  return process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * An isolated database for one test file: PGlite in memory, or a fresh, uniquely named
 * schema on the PostgreSQL server of DATABASE_URL that is dropped on close.
 */
export async function testDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  const backend = options.backend ?? (url ? "postgres" : "pglite");
  const migrated = options.migrate ?? true;
  if (backend === "pglite") {
    const db = await openDatabase({ dataDir: options.dataDir, loadDataDir: await pgliteTemplate(migrated) });
    return { ...db, schema: undefined, [Symbol.asyncDispose]: db.close };
  }
  if (!url) throw new Error('testDatabase({ backend: "postgres" }) needs DATABASE_URL');
  const schema = `test_${process.pid}_${randomBytes(6).toString("hex")}`;
  const db = await openDatabase({ url, schema, maxConnections: 4 });
  const close = async () => {
    try {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await db.close();
    }
  };
  try {
    if (migrated) await migrate(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { ...db, schema, close, [Symbol.asyncDispose]: close };
}

// A fresh PGlite spends ~3 s in initdb; loading a dump of an initialised (and migrated)
// database takes under 1 s. The dump is cached on disk, keyed by the PGlite build and the
// migration files, so every test file and every jest worker shares it.
const templates = new Map<boolean, Promise<Blob>>();
const templatePrefix = "leitplanken-pglite-template-";

function pgliteTemplate(migrated: boolean): Promise<Blob> {
  let template = templates.get(migrated);
  if (!template) {
    template = loadOrBuildTemplate(migrated);
    templates.set(migrated, template);
  }
  return template;
}

async function loadOrBuildTemplate(migrated: boolean): Promise<Blob> {
  const file = path.join(os.tmpdir(), `${templatePrefix}${await templateKey(migrated)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const dump = await buildTemplate(migrated);
    // Written under a private name and renamed, so a parallel worker never reads half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file);
    await removeStaleTemplates(file);
    return dump;
  }
}

async function buildTemplate(migrated: boolean): Promise<Blob> {
  const dataDir = path.join(os.tmpdir(), `${templatePrefix}build-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const db = await openDatabase({ dataDir });
    try {
      if (migrated) await migrate(db);
    } finally {
      await db.close();
    }
    const client = await PGlite.create(dataDir);
    try {
      return await client.dumpDataDir("none");
    } finally {
      await client.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function templateKey(migrated: boolean): Promise<string> {
  const hash = createHash("sha256").update(import.meta.resolve("@electric-sql/pglite"));
  if (migrated) {
    for (const name of (await readdir(migrationsDirectory)).filter((n) => n.endsWith(".sql")).sort()) {
      hash.update(name).update(await readFile(path.join(migrationsDirectory, name)));
    }
  }
  return `${migrated ? "migrated" : "empty"}-${hash.digest("hex").slice(0, 16)}`;
}

/** Templates of edited migrations are dead weight (40 MB each); keep the recent ones for parallel runs. */
async function removeStaleTemplates(current: string): Promise<void> {
  const directory = path.dirname(current);
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(directory)) {
    const file = path.join(directory, name);
    if (!name.startsWith(templatePrefix) || file === current) continue;
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() && info.mtimeMs < hourAgo) await rm(file, { force: true });
  }
}
