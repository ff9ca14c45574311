import { open, statfs, unlink } from "node:fs/promises";
import path from "node:path";
import type { Database } from "./database.ts";

/** Below this much free space the folder counts as full: PostgreSQL needs room for a WAL segment and a checkpoint. */
const minimumFreeBytes = 32 * 1024 * 1024;

/** What a readiness probe found: the database takes writes, refuses them, or does not answer in time. */
export type DatabaseHealth = { state: "writable" } | { state: "not-writable"; error: unknown } | { state: "not-answering"; timeoutMs: number };

/**
 * Probes whether the database takes a write (one row of `node_health`), within `timeoutMs`:
 * a full disk or a read-only database fails every write while reads still work, and a frozen
 * database must not hold the caller. On PostgreSQL the server also stops the statement at the
 * timeout; PGlite cannot be interrupted, so only the wait is bounded there.
 *
 * A one-row update fits into a page and a WAL segment that already exist, so it still succeeds
 * on a full disk while every write that needs new space fails. For PGlite the folder itself is
 * therefore checked as well: enough free space, and a new file can be written and synced.
 */
export async function probeDatabaseWrite(db: Database, timeoutMs: number): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseHealth>((resolve) => {
    timer = setTimeout(() => resolve({ state: "not-answering", timeoutMs }), timeoutMs);
  });
  const write = (db.dataFolder ? probeFolder(db.dataFolder.folder) : Promise.resolve())
    .then(() =>
      db.transaction(async (tx) => {
        if (db.kind === "postgres") {
          await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
          await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
        }
        const { rowCount } = await tx.query("UPDATE node_health SET checked_at = now() WHERE id = 1");
        if (rowCount !== 1) throw new Error("node_health has no row: the migrations are incomplete");
      }),
    )
    .then((): DatabaseHealth => ({ state: "writable" }))
    // PostgreSQL's own timeouts (statement, lock) mean the same as ours: no answer in time.
    .catch((error: unknown): DatabaseHealth =>
      ["57014", "55P03"].includes((error as { code?: string }).code ?? "") ? { state: "not-answering", timeoutMs } : { state: "not-writable", error },
    );
  try {
    return await Promise.race([write, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probeFolder(folder: string): Promise<void> {
  const { bavail, bsize } = await statfs(folder);
  if (bavail * bsize < minimumFreeBytes) {
    throw Object.assign(new Error(`only ${Math.floor((bavail * bsize) / 1024)} KiB free in ${folder}`), { code: "ENOSPC" });
  }
  // A new file needs a new block: it fails on a full disk where rewriting an existing one may not.
  const probe = path.join(folder, `leitplanken.probe-${process.pid}`);
  const handle = await open(probe, "w", 0o600);
  try {
    await handle.writeFile(new Date().toISOString());
    await handle.sync();
  } finally {
    await handle.close();
    await unlink(probe).catch(() => {});
  }
}
