import { gunzipSync, gzipSync } from "node:zlib";
import type { Database, Queryable } from "./database.ts";
import { migrate, migrationsDirectory, readMigrationNames } from "./migrate.ts";

/**
 * A logical, consistent copy of a node's database that restores on either backend: PGlite to
 * PGlite, PGlite to PostgreSQL (`migrate-to-postgres`), PostgreSQL to either. It holds every
 * row of every table of the node's schema (the private keys too) as jsonb text, read in one
 * snapshot transaction, and the names of the migrations that made the schema; a restore applies
 * those migrations to an empty database, loads the rows, and then applies whatever newer
 * migrations this software has (restoring an older backup is an upgrade).
 *
 * Layout (gzip): one JSON header line, then each table's rows, one jsonb text per line, in the
 * header's table order (parents before the tables that reference them).
 */
export interface BackupHeader {
  format: "leitplanken-backup";
  formatVersion: 1;
  /** The software version that wrote it. */
  softwareVersion: string;
  createdAt: string;
  /** The backend it was taken from. */
  database: "pglite" | "postgres";
  /** The node's public origin: a restore elsewhere would change every IRI and break followers' trust. */
  origin: string | undefined;
  /** The applied migrations, in order. */
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
}

/** A backup a restore cannot use (not a backup, damaged, or written by a newer version). */
export class BackupError extends Error {
  override name = "BackupError";
}

/** The restore target already holds a database: a restore never overwrites one. */
export class RestoreTargetNotEmptyError extends Error {
  override name = "RestoreTargetNotEmptyError";
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

interface TableShape {
  name: string;
  /** Columns a restore writes (generated ones are computed again). */
  columns: string[];
  generated: string[];
  identity: string[];
}

/** The node's tables in an order in which every table comes after the tables it references. */
async function tableShapes(db: Queryable): Promise<TableShape[]> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations'
       AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'derived:%' ORDER BY c.relname`,
  );
  const { rows: columns } = await db.query<{ table: string; column: string; generated: boolean; identity: boolean }>(
    `SELECT c.relname AS table, a.attname AS column, a.attgenerated <> '' AS generated, a.attidentity <> '' AS identity
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`,
  );
  const { rows: references } = await db.query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k
     JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = child.relnamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema() AND child.oid <> parent.oid`,
  );
  const shapes = new Map<string, TableShape>(tables.map(({ name }) => [name, { name, columns: [], generated: [], identity: [] }]));
  for (const column of columns) {
    const shape = shapes.get(column.table);
    if (!shape) continue;
    (column.generated ? shape.generated : shape.columns).push(column.column);
    if (column.identity) shape.identity.push(column.column);
  }
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    for (const { parent } of references.filter((reference) => reference.child === name)) place(parent, path);
    placed.add(name);
    ordered.push(shapes.get(name)!);
  };
  for (const name of shapes.keys()) place(name, new Set());
  return ordered;
}

/**
 * Reads the whole database in one snapshot (other writers go on; the copy is as of one moment)
 * and returns it gzip-compressed. On PGlite the node's one connection is busy meanwhile.
 */
export async function dumpDatabase(db: Database, meta: { softwareVersion: string; origin?: string | undefined }): Promise<Buffer> {
  return db.transaction(async (tx) => {
    if (db.kind === "postgres") await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const migrations = (await tx.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name")).rows.map((row) => row.name);
    const lines: string[] = [];
    const tables: BackupHeader["tables"] = [];
    for (const shape of await tableShapes(tx)) {
      const { rows } = await tx.query<{ row: string }>(`SELECT (to_jsonb(t) - $1::text[])::text AS row FROM ${quote(shape.name)} t`, [shape.generated]);
      for (const { row } of rows) lines.push(row);
      tables.push({ name: shape.name, columns: shape.columns, rows: rows.length });
    }
    const header: BackupHeader = {
      format: "leitplanken-backup",
      formatVersion: 1,
      softwareVersion: meta.softwareVersion,
      createdAt: new Date().toISOString(),
      database: db.kind,
      origin: meta.origin,
      migrations,
      tables,
    };
    return gzipSync(`${[JSON.stringify(header), ...lines].join("\n")}\n`);
  });
}

/** Reads a backup's header and rows; throws BackupError when it is none or is damaged. */
export function readBackup(dump: Buffer): { header: BackupHeader; rowsOf(table: string): string[] } {
  let text: string;
  try {
    text = gunzipSync(dump).toString("utf8");
  } catch {
    throw new BackupError("This is not a Leitplanken backup (or it is damaged): it does not unpack.");
  }
  const lines = text.split("\n");
  let header: BackupHeader;
  try {
    header = JSON.parse(lines[0]!) as BackupHeader;
  } catch {
    throw new BackupError("This is not a Leitplanken backup: its first line is no header.");
  }
  if (header.format !== "leitplanken-backup") throw new BackupError("This is not a Leitplanken backup.");
  if (header.formatVersion !== 1) {
    throw new BackupError(
      `The backup has format ${header.formatVersion}, which this version cannot read: restore it with version ${header.softwareVersion} or newer.`,
    );
  }
  const total = header.tables.reduce((sum, table) => sum + table.rows, 0);
  if (lines.length < total + 1) throw new BackupError("The backup is incomplete: it holds fewer rows than its header says.");
  const offsets = new Map<string, [number, number]>();
  let next = 1;
  for (const table of header.tables) {
    offsets.set(table.name, [next, next + table.rows]);
    next += table.rows;
  }
  return {
    header,
    rowsOf: (table) => {
      const [from, to] = offsets.get(table) ?? [0, 0];
      return lines.slice(from, to);
    },
  };
}

/** What a restore loaded. */
export interface RestoreSummary {
  header: BackupHeader;
  rows: number;
  /** Migrations newer than the backup, applied after loading it. */
  upgradedWith: string[];
}

/**
 * Restores a backup into an empty database (refused otherwise): applies the backup's
 * migrations, loads every row in one transaction, sets the identity counters, then applies the
 * migrations this software has beyond the backup's. A backup of a newer version is refused.
 */
export async function restoreDatabase(db: Database, dump: Buffer, options: { softwareVersion: string; directory?: string }): Promise<RestoreSummary> {
  const backup = readBackup(dump);
  const { header } = backup;
  const { rows: existing } = await db.query<{ table: string | null }>("SELECT to_regclass('schema_migrations')::text AS table");
  if (existing[0]?.table) {
    throw new RestoreTargetNotEmptyError("The target database is not empty: a restore only goes into a new folder or an empty database (schema).");
  }
  const directory = options.directory ?? migrationsDirectory;
  const known = new Set(await readMigrationNames(directory));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BackupError(
      `The backup was made by a newer version of Leitplanken (${header.softwareVersion}; this is ${options.softwareVersion}); it holds migrations this version does not know: ${unknown.join(", ")}. Restore it with that version or a newer one.`,
    );
  }
  await migrate(db, { directory, softwareVersion: options.softwareVersion, only: header.migrations });
  let rows = 0;
  await db.transaction(async (tx) => {
    const shapes = new Map((await tableShapes(tx)).map((shape) => [shape.name, shape]));
    // Rows the migrations seeded (e.g. node_health's one row) give way to the backup's.
    if (shapes.size > 0) await tx.query(`TRUNCATE ${[...shapes.keys()].map(quote).join(", ")}`);
    for (const table of header.tables) {
      const shape = shapes.get(table.name);
      if (!shape) throw new BackupError(`The backup holds a table ${table.name} that its own migrations do not create: it is damaged.`);
      const columns = table.columns.filter((column) => shape.columns.includes(column));
      const list = columns.map(quote).join(", ");
      const lines = backup.rowsOf(table.name);
      for (let start = 0; start < lines.length; start += 500) {
        const batch = `[${lines.slice(start, start + 500).join(",")}]`;
        await tx.query(
          `INSERT INTO ${quote(table.name)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM jsonb_populate_recordset(NULL::${quote(table.name)}, $1::jsonb)`,
          [batch],
        );
      }
      rows += lines.length;
      for (const column of shape.identity) {
        await tx.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(max(${quote(column)}), 1), max(${quote(column)}) IS NOT NULL) FROM ${quote(table.name)}`,
          [quote(table.name), column],
        );
      }
    }
  });
  const { applied } = await migrate(db, { directory, softwareVersion: options.softwareVersion });
  return { header, rows, upgradedWith: applied };
}
