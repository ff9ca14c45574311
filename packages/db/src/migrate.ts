import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Database, Queryable } from "./database.ts";

/** The forward-only SQL migrations of this package, applied in file-name order. */
export const migrationsDirectory = path.join(import.meta.dirname, "..", "migrations");

export interface MigrateOptions {
  /** A folder of `.sql` files; defaults to `packages/db/migrations`. */
  directory?: string;
  /** The software applying the migrations (kept beside each, so a refusal can name the newer version). */
  softwareVersion?: string;
  /** Apply only these of the folder's migrations (a restore rebuilds the schema its backup was made on). */
  only?: readonly string[];
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

/**
 * The database holds migrations this software does not know: a newer version of Leitplanken
 * migrated it. Running older code on it could misread or damage what the newer one wrote.
 */
export class DatabaseTooNewError extends Error {
  override name = "DatabaseTooNewError";
  /** The applied migrations unknown to this software, in file-name order. */
  readonly unknownMigrations: string[];
  /** The newest software version recorded as having migrated the database, if any. */
  readonly newerVersion: string | undefined;

  constructor(unknownMigrations: string[], newerVersion: string | undefined, ownVersion: string | undefined) {
    const newer = newerVersion ? ` ${newerVersion}` : "";
    const own = ownVersion ? ` (this is ${ownVersion})` : "";
    super(
      `The database was migrated by a newer version of Leitplanken${newer}${own}; it holds migrations this version does not know: ${unknownMigrations.join(", ")}. ` +
        "Start that version or a newer one, or restore the backup taken before the upgrade.",
    );
    this.unknownMigrations = unknownMigrations;
    this.newerVersion = newerVersion;
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
// Which version of Leitplanken applied each migration (added in 0.1.0; older rows have none).
const addSoftwareVersion = "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS software_version text";

// The runner owns the transaction; a file that commits on its own would no longer be atomic.
const transactionControl = /^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)\s*;/im;

/**
 * Applies the migrations that have not been applied yet, each in one transaction together
 * with its row in `schema_migrations`. Safe to call from several processes at once: an
 * advisory lock serialises them and each re-checks inside its transaction.
 *
 * Refuses (DatabaseTooNewError, before changing anything) a database that holds applied
 * migrations which are not among the files: a newer version migrated it.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const all = await readMigrations(options.directory ?? migrationsDirectory);
  const migrations = options.only ? all.filter((migration) => options.only!.includes(migration.name)) : all;
  const known = await db.transaction(async (tx) => {
    await tx.query(lockMigrations);
    const { rows } = await tx.query<{ table: string | null }>("SELECT to_regclass('schema_migrations')::text AS table");
    // Checked before anything is written: an older version must not even add its column.
    if (rows[0]?.table) await refuseNewerDatabase(tx, all, options.softwareVersion);
    await tx.query(createMigrationsTable);
    await tx.query(addSoftwareVersion);
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
        // A migration may rewrite a large table: the node's statement timeout is for requests, not for this.
        if (db.kind === "postgres") await tx.query("SET LOCAL statement_timeout = 0");
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(migration.name, `migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query("INSERT INTO schema_migrations (name, checksum, software_version) VALUES ($1, $2, $3)", [
        migration.name,
        migration.checksum,
        options.softwareVersion ?? null,
      ]);
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

async function refuseNewerDatabase(db: Queryable, migrations: Migration[], ownVersion: string | undefined): Promise<void> {
  const files = new Set(migrations.map((m) => m.name));
  const unknown = [...(await appliedChecksums(db)).keys()].filter((name) => !files.has(name)).sort();
  if (unknown.length === 0) return;
  const { rows } = await db.query<{ column: string | null }>(
    "SELECT column_name AS column FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'software_version' AND table_schema = current_schema()",
  );
  let newerVersion: string | undefined;
  if (rows.length > 0) {
    const placeholders = unknown.map((_, i) => `$${i + 1}`).join(", ");
    const versions = await db.query<{ software_version: string | null }>(
      `SELECT software_version FROM schema_migrations WHERE name IN (${placeholders}) AND software_version IS NOT NULL ORDER BY applied_at DESC, name DESC LIMIT 1`,
      unknown,
    );
    newerVersion = versions.rows[0]?.software_version ?? undefined;
  }
  throw new DatabaseTooNewError(unknown, newerVersion, ownVersion);
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

/** The names of a folder's migration files, in the order they apply. */
export async function readMigrationNames(directory: string = migrationsDirectory): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.endsWith(".sql")).sort();
}

async function readMigrations(directory: string): Promise<Migration[]> {
  const names = await readMigrationNames(directory);
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
