import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Database, Queryable } from "./database.ts";

/** The forward-only SQL migrations of this package, applied in file-name order. */
export const migrationsDirectory = path.join(import.meta.dirname, "..", "migrations");

export interface MigrateOptions {
  /** A folder of `.sql` files; defaults to `packages/db/migrations`. */
  directory?: string;
}

/** A migration failed, was edited after it was applied, or is not allowed; `file` names it. */
export class MigrationError extends Error {
  override name = "MigrationError";
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.file = file;
  }
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

// One lock per schema, so test schemas on one server do not wait for each other.
const lockMigrations = "SELECT pg_advisory_xact_lock(hashtext('leitplanken.migrate:' || current_schema()))";

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

// The runner owns the transaction; a file that commits on its own would no longer be atomic.
const transactionControl = /^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)\s*;/im;

/**
 * Applies the migrations that have not been applied yet, each in one transaction together
 * with its row in `schema_migrations`. Safe to call from several processes at once: an
 * advisory lock serialises them and each re-checks inside its transaction.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(options.directory ?? migrationsDirectory);
  const known = await db.transaction(async (tx) => {
    await tx.query(lockMigrations);
    await tx.query(createMigrationsTable);
    return appliedChecksums(tx);
  });
  for (const migration of migrations) verifyUnchanged(migration, known.get(migration.name));

  const applied: string[] = [];
  for (const migration of migrations.filter((m) => !known.has(m.name))) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query(lockMigrations);
      // Another process may have applied it while we waited for the lock.
      const { rows } = await tx.query<{ checksum: string }>("SELECT checksum FROM schema_migrations WHERE name = $1", [migration.name]);
      if (rows[0]) {
        verifyUnchanged(migration, rows[0].checksum);
        return false;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(migration.name, `migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [migration.name, migration.checksum]);
      return true;
    });
    if (didApply) applied.push(migration.name);
  }
  return { applied };
}

/** The names of the migration files not applied yet (for readiness checks). */
export async function pendingMigrations(db: Queryable, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = await readMigrations(options.directory ?? migrationsDirectory);
  const { rows } = await db.query<{ table: string | null }>("SELECT to_regclass('schema_migrations')::text AS table");
  if (!rows[0]?.table) return migrations.map((m) => m.name);
  const known = await appliedChecksums(db);
  return migrations.filter((m) => !known.has(m.name)).map((m) => m.name);
}

async function appliedChecksums(db: Queryable): Promise<Map<string, string>> {
  const { rows } = await db.query<{ name: string; checksum: string }>("SELECT name, checksum FROM schema_migrations");
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

function verifyUnchanged(migration: Migration, appliedChecksum: string | undefined): void {
  if (appliedChecksum !== undefined && appliedChecksum !== migration.checksum) {
    throw new MigrationError(
      migration.name,
      `migration ${migration.name} was changed after it was applied; migrations are forward-only: restore the file and add a new migration instead`,
    );
  }
}

async function readMigrations(directory: string): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith(".sql")).sort();
  return Promise.all(
    names.map(async (name) => {
      // Line endings normalised, so a checkout with CRLF does not look like an edit.
      const sql = (await readFile(path.join(directory, name), "utf8")).replace(/\r\n/g, "\n");
      if (transactionControl.test(sql)) {
        throw new MigrationError(name, `migration ${name} must not contain BEGIN/COMMIT/ROLLBACK: each file already runs in one transaction`);
      }
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}
