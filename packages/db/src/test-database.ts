import { randomBytes } from "node:crypto";
import { openDatabase, type Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { pgliteTemplate } from "./pglite-template.ts";

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
