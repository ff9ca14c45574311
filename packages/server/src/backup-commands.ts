import { readFile, rm, stat } from "node:fs/promises";
import type { Command } from "commander";
import { dumpDatabase, openDatabase, readBackup, redactUrl, restoreDatabase, RestoreTargetNotEmptyError, type RestoreSummary } from "@leitplanken/db";
import { requestAdminSocket } from "./admin-socket.ts";
import { minimumPassphraseLength, openBackup, readPassphrase, sealBackup, writeBackupFile } from "./backup-file.ts";
import { NodeRunning, onNodeOrDatabase, UsageError } from "./cli-support.ts";
import { loadConfig, type Config } from "./config.ts";
import { openNodeDatabase } from "./node-database.ts";
import { softwareVersion } from "./version.ts";

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;

/** `backup`, `restore` and `migrate-to-postgres`: a node's data out of and into a database, on either backend. */
export function addBackupCommands(program: Command): void {
  program
    .command("backup")
    .description(
      "Write a consistent copy of the node's database to FILE while the node goes on (through the running node, or from the database). " +
        "It holds the node's private keys: it is encrypted with a passphrase (LEITPLANKEN_BACKUP_PASSPHRASE or --passphrase-file) unless --unencrypted.",
    )
    .argument("<file>", "where to write the backup (replaced whole once complete; readable only by you)")
    .option("--passphrase-file <path>", "read the passphrase from the first line of this file")
    .option("--unencrypted", "write the backup without encryption (it holds the private keys: keep it as safe as the keys)")
    .action(async (file: string, options: { passphraseFile?: string; unencrypted?: boolean }) => {
      const passphrase = await backupPassphrase(options);
      const config = loadConfig();
      const started = performance.now();
      let dump: Buffer | undefined;
      await onNodeOrDatabase(
        config,
        {
          node: async (socket) => {
            const answer = await requestAdminSocket(socket, "POST", "/v1/backup");
            if (answer.status !== 200)
              throw new Error(`The running node refused the backup: HTTP ${answer.status} ${answer.bytes.toString("utf8").slice(0, 300)}`);
            dump = answer.bytes;
          },
          database: async (db) => {
            dump = await dumpDatabase(db, { softwareVersion, origin: config.origin });
          },
        },
        { migrate: false },
      );
      const { header } = readBackup(dump!);
      await writeBackupFile(file, await sealBackup(dump!, passphrase));
      const rows = header.tables.reduce((sum, table) => sum + table.rows, 0);
      const size = (await stat(file)).size;
      console.log(`Backup written to ${file}: ${rows} rows in ${header.tables.length} tables, ${mib(size)}, ${seconds(performance.now() - started)}.`);
      if (passphrase === null) console.error("The backup is NOT encrypted and holds the node's private keys: keep it as safe as the keys themselves.");
    });

  program
    .command("restore")
    .description(
      "Restore a backup into a new data folder (LEITPLANKEN_DATA_DIR) or an empty PostgreSQL database (DATABASE_URL); never over an existing one. " +
        "The node keeps its keys, so its followers keep trusting it. A backup of an older version is upgraded on the way.",
    )
    .argument("<file>", "the backup file")
    .option("--passphrase-file <path>", "read the passphrase from the first line of this file (else LEITPLANKEN_BACKUP_PASSPHRASE)")
    .action(async (file: string, options: { passphraseFile?: string }) => {
      const config = loadConfig();
      const dump = await openBackup(await readBackupFile(file), await readPassphrase(options.passphraseFile));
      const { header } = readBackup(dump);
      if (header.origin && header.origin !== config.origin) {
        throw new UsageError(
          `The backup is of the node at ${header.origin}, but LEITPLANKEN_ORIGIN is ${config.origin}: a node is known to its followers by its origin, so set LEITPLANKEN_ORIGIN=${header.origin} and run restore again.`,
        );
      }
      const started = performance.now();
      const summary = await restoreInto(config, dump);
      console.log(restored(summary, config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir, performance.now() - started));
    });

  program
    .command("migrate-to-postgres")
    .description(
      "Copy a stopped node's embedded database (LEITPLANKEN_DATA_DIR) into an empty PostgreSQL database, keys and all; then start the node with DATABASE_URL set to it. The folder is left as it is.",
    )
    .argument("<url>", "the PostgreSQL database to move to, e.g. postgres://leitplanken:secret@db.example:5432/leitplanken")
    .action(async (url: string) => {
      const config = loadConfig();
      if (config.databaseUrl)
        throw new UsageError("This node already uses PostgreSQL (DATABASE_URL is set): migrate-to-postgres moves a node that runs on its data folder.");
      if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError("The target must be a postgres:// connection string.");
      // Copied from the folder itself: a node that goes on writing would lose what it writes after the copy.
      const started = performance.now();
      let dump: Buffer | undefined;
      await onNodeOrDatabase(
        config,
        {
          node: async () => {
            throw new NodeRunning(
              `A node is running on ${config.dataDir}: stop it first (what it writes after the copy would be lost), run migrate-to-postgres again, then start it with DATABASE_URL set.`,
            );
          },
          database: async (db) => {
            dump = await dumpDatabase(db, { softwareVersion, origin: config.origin });
          },
        },
        { migrate: false },
      );
      const target = await openDatabase({ url });
      let summary: RestoreSummary;
      try {
        summary = await restoreDatabase(target, dump!, { softwareVersion });
      } catch (error) {
        if (error instanceof RestoreTargetNotEmptyError)
          throw new UsageError(`${redactUrl(url)} is not empty: migrate-to-postgres only fills an empty database (or schema).`);
        throw error;
      } finally {
        await target.close();
      }
      console.log(restored(summary, redactUrl(url), performance.now() - started));
      console.log(
        `Now start the node with DATABASE_URL set to that database. ${config.dataDir} is left as it was: keep it until the node runs well on PostgreSQL.`,
      );
    });
}

async function backupPassphrase(options: { passphraseFile?: string; unencrypted?: boolean }): Promise<string | null> {
  const passphrase = await readPassphrase(options.passphraseFile);
  if (options.unencrypted) {
    if (passphrase !== null && options.passphraseFile !== undefined) throw new UsageError("Either --unencrypted or --passphrase-file, not both.");
    return null;
  }
  if (passphrase === null) {
    throw new UsageError(
      "A backup holds the node's private keys: give a passphrase in LEITPLANKEN_BACKUP_PASSPHRASE or with --passphrase-file, or write it in plain form with --unencrypted.",
    );
  }
  if (passphrase.length < minimumPassphraseLength) throw new UsageError(`The passphrase must be at least ${minimumPassphraseLength} characters long.`);
  return passphrase;
}

async function readBackupFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Restores into the configured database; a data folder this restore created is removed again when it fails. */
async function restoreInto(config: Config, dump: Buffer): Promise<RestoreSummary> {
  const newFolder = !config.databaseUrl && !(await stat(config.dataDir).catch(() => undefined));
  const db = await openNodeDatabase(config);
  try {
    const summary = await restoreDatabase(db, dump, { softwareVersion });
    await db.close();
    return summary;
  } catch (error) {
    await db.close().catch(() => {});
    if (newFolder) await rm(config.dataDir, { recursive: true, force: true });
    if (error instanceof RestoreTargetNotEmptyError) {
      throw new UsageError(
        config.databaseUrl
          ? `${redactUrl(config.databaseUrl)} already holds a node's database: restore into an empty database (or schema).`
          : `${config.dataDir} already holds a node's database: set LEITPLANKEN_DATA_DIR to a new folder (or move this one away) and run restore again.`,
      );
    }
    throw error;
  }
}

function restored(summary: RestoreSummary, where: string, milliseconds: number): string {
  const upgraded = summary.upgradedWith.length > 0 ? `; upgraded from ${summary.header.softwareVersion} with ${summary.upgradedWith.length} migration(s)` : "";
  return `Restored the backup of ${summary.header.createdAt} (version ${summary.header.softwareVersion}) into ${where}: ${summary.rows} rows in ${summary.header.tables.length} tables, ${seconds(milliseconds)}${upgraded}.`;
}
