import { DataFolderInUseError, folderSocketAnswers, folderSocketPath, migrate, type Database } from "@leitplanken/db";
import type { AdminAnswer } from "./admin-socket.ts";
import type { Config } from "./config.ts";
import { openNodeDatabase } from "./node-database.ts";
import { softwareVersion } from "./version.ts";

// What the `leitplanken` commands share: their kinds of failure (cli.ts turns each into one
// line and an exit code) and the way a command reaches the node's data.

/** A mistake in how a command was called: exit code 2. */
export class UsageError extends Error {}

/** An input file with problems: every problem is in the message; exit code 1. */
export class ImportRejected extends Error {}

/** A running node is in the way of the command; the message says what to do; exit code 1. */
export class NodeRunning extends Error {}

/**
 * Runs a command on the node's data. A PGlite folder that a running node holds is never opened:
 * the command goes to that node through the admin socket in the folder. Otherwise (no node, or
 * PostgreSQL, where any number of processes may work at once) on the migrated database itself.
 */
export async function onNodeOrDatabase(
  config: Config,
  work: { node: (socketPath: string) => Promise<void>; database: (db: Database, config: Config) => Promise<void> },
  options: { migrate?: boolean } = {},
): Promise<void> {
  if (!config.databaseUrl) {
    const socketPath = folderSocketPath(config.dataDir);
    if (socketPath && (await folderSocketAnswers(config.dataDir))) return work.node(socketPath);
  }
  const db = await openNodeDatabase(config);
  try {
    // A command that only reads (a backup) leaves the database as it found it.
    if (options.migrate ?? true) await migrate(db, { softwareVersion });
    await work.database(db, config);
  } finally {
    await db.close();
  }
}

/** The body of a successful answer of the node; its error message otherwise. */
export function expectOk<T>(answer: AdminAnswer<T>): T {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  throw new Error(`The running node refused: ${answer.body.error ?? `HTTP ${answer.status}`}`);
}

/** The one line for a data folder held by another process, with what to do. */
export function folderInUseMessage(error: DataFolderInUseError): string {
  if (folderSocketPath(error.folder) === undefined) {
    return `${error.message} (Commands cannot reach that node: the path of its admin socket in the folder would be longer than 107 bytes; use a shorter LEITPLANKEN_DATA_DIR.)`;
  }
  return error.message;
}
