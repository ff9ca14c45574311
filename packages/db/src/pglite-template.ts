import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { openDatabase } from "./database.ts";
import { migrate, migrationsDirectory } from "./migrate.ts";

// A fresh PGlite spends ~3 s in initdb; loading a dump of an initialised (and migrated)
// database takes under 1 s. The dump is cached on disk, keyed by the PGlite build and the
// migration files, so every test file and every jest worker shares it.
const templates = new Map<boolean, Promise<Blob>>();

/**
 * The dump (~42 MB) held once per process. PGlite reads `loadDataDir` only through `arrayBuffer()`
 * and never writes to it (it untars copies of each file into its in-memory file system), so every
 * database gets the same buffer. A plain Blob streams and concatenates a new 42 MB copy per database:
 * with the garbage collections those copies cause, that was a fifth of a storage test file's CPU.
 */
class SharedDump extends Blob {
  readonly #bytes: ArrayBuffer;
  constructor(bytes: ArrayBuffer) {
    super([], { type: "application/x-tar" });
    this.#bytes = bytes;
  }
  override get size(): number {
    return this.#bytes.byteLength;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes);
  }
}
const templatePrefix = "leitplanken-pglite-template-";

/**
 * A dump of a fresh (and, with `migrated`, fully migrated) PGlite database, to pass as
 * `loadDataDir` when many databases are created at once (tests, the demo network).
 */
export function pgliteTemplate(migrated: boolean): Promise<Blob> {
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
    const bytes = await readFile(file);
    return new SharedDump(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch {
    const dump = await (await buildTemplate(migrated)).arrayBuffer();
    // Written under a private name and renamed, so a parallel worker never reads half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await writeFile(partial, new Uint8Array(dump));
    await rename(partial, file);
    await removeStaleTemplates(file);
    return new SharedDump(dump);
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
    const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
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
