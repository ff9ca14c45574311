#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { Command, CommanderError, Option } from "commander";
import { createApplication } from "@leitplanken/app";
import { parseImportYaml, roles, type Role } from "@leitplanken/core";
import {
  AccessTokenNameTakenError,
  BackupError,
  InvalidAccessTokenError,
  createAccessToken,
  createUnitOfWork,
  DatabaseTooNewError,
  DatabaseUnavailableError,
  DataFolderInUseError,
  folderSocketAnswers,
  folderSocketPath,
  listAccessTokens,
  migrate,
  revokeAccessToken,
  type AccessTokenInfo,
} from "@leitplanken/db";
import { callAdminSocket } from "./admin-socket.ts";
import { addBackupCommands } from "./backup-commands.ts";
import { BackupFileError } from "./backup-file.ts";
import { expectOk, folderInUseMessage, ImportRejected, NodeRunning, onNodeOrDatabase, UsageError } from "./cli-support.ts";
import { ConfigError, configurationVariables, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { openNodeDatabase } from "./node-database.ts";
import { importFile, nodeIdentity, type ImportProblem } from "./records.ts";
import { softwareVersion } from "./version.ts";

/** Exit codes: 0 done, 1 the command failed at run time, 2 bad configuration or usage. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** How often a serving node checks that its data folder's lock file still names it. */
const LOCK_CHECK_INTERVAL_MS = 10_000;

const environmentHelp = [
  "",
  "Configuration (environment variables):",
  ...configurationVariables.map(([name, fallback, text]) => `  ${name.padEnd(34)} ${text} Default: ${fallback}`),
].join("\n");

export function buildCli(): Command {
  const program = new Command("leitplanken")
    .description("Leitplanken: a node of the municipal AI network (guidelines, vetted use cases, shared models).")
    .version(softwareVersion, "-V, --version", "print the version of Leitplanken and exit")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("serve")
    .description("Apply pending migrations and serve the node (HTTP, GraphQL, ActivityPub) until SIGTERM/SIGINT.")
    .option("--seed-demo", "load the demo city's records when the node has none of its own yet")
    .addOption(
      new Option("--role <role>", "all: everything; web: pages, API and federation endpoints; worker: the queue (web and worker need DATABASE_URL)")
        .choices(["all", "web", "worker"])
        .env("LEITPLANKEN_ROLE"),
    )
    .option(
      "--admin-token-file <path>",
      "on first start (when PATH does not exist yet), create an admin token and write it to PATH, readable only by its owner",
    )
    .addHelpText("after", environmentHelp)
    .action(async (options: { seedDemo?: boolean; adminTokenFile?: string; role?: string }) => {
      const config = loadConfig(options.role ? { ...process.env, LEITPLANKEN_ROLE: options.role } : process.env);
      const logger = createLogger(config.logLevel);
      // Loaded here so that the other commands start without the HTTP and federation stack.
      const { SHUTDOWN_GRACE_MS, assembleNode } = await import("./node.ts");
      const node = await assembleNode(config, { logger, seedDemo: options.seedDemo ?? false, adminTokenFile: options.adminTokenFile });
      let lockLost = false;
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ signal }, "signal received");
          // A second signal, or a shutdown that hangs, must not keep the process alive.
          setTimeout(() => process.exit(EXIT_FAILURE), SHUTDOWN_GRACE_MS + 1_500).unref();
          node
            .close()
            .catch((error: unknown) => logger.error({ err: error }, "shutdown failed"))
            .finally(resolve);
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
        // As PostgreSQL does with postmaster.pid: a lock file that was removed or replaced means
        // another process may be writing to the folder, so this one stops rather than race it.
        const lock = node.db.dataFolder;
        if (lock) {
          const watch = setInterval(() => {
            void lock.stillHeld().then((held) => {
              if (held) return;
              clearInterval(watch);
              logger.fatal({ folder: lock.folder }, "the data folder's lock file was removed or replaced; stopping");
              lockLost = true;
              stop("lock lost");
            });
          }, LOCK_CHECK_INTERVAL_MS);
          watch.unref();
        }
      });
      if (lockLost) throw new NodeRunning(`Stopped: the lock file in ${config.dataDir} was removed or replaced, so another process may be using the folder.`);
    });

  program
    .command("migrate")
    .description("Apply pending database migrations and exit.")
    .addHelpText("after", environmentHelp)
    .action(async () => {
      const config = loadConfig();
      const socket = config.databaseUrl ? undefined : folderSocketPath(config.dataDir);
      if (socket && (await folderSocketAnswers(config.dataDir))) {
        const status = expectOk(await callAdminSocket<{ version: string; pid: number; pendingMigrations: string[] }>(socket, "GET", "/v1/status"));
        if (status.version !== softwareVersion || status.pendingMigrations.length > 0) {
          throw new NodeRunning(
            `A node of version ${status.version} (process ${status.pid}) is running on ${config.dataDir}: stop it before migrating to ${softwareVersion}; the new version also migrates when it starts.`,
          );
        }
        console.log(`The database is up to date: the running node (process ${status.pid}) applied the migrations when it started.`);
        return;
      }
      const db = await openNodeDatabase(config);
      try {
        const { applied } = await migrate(db, { softwareVersion });
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "The database is up to date.");
      } finally {
        await db.close();
      }
    });

  program
    .command("import")
    .description("Import guidelines, use cases and models from a YAML or JSON file (format: schema/import.schema.json) as drafts.")
    .argument("<file>", "the file to import")
    .action(async (file: string) => {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const rejected = (problems: ImportProblem[]) =>
        new ImportRejected(
          `${problems.length} problem(s); nothing was imported:\n${problems.map((e) => `${file}:${e.line}:${e.column} ${e.path || "(file)"}: ${e.message.en} / ${e.message.de}`).join("\n")}`,
        );
      // Checked here first, so a file with problems never needs the node or the database.
      const parsed = parseImportYaml(text);
      if (!parsed.ok) throw rejected(parsed.errors);
      const imported = (counts: { guidelines: number; useCases: number; models: number }) =>
        console.log(`Imported ${counts.guidelines} guideline(s), ${counts.useCases} use case(s), ${counts.models} model(s) as drafts.`);
      await onNodeOrDatabase(loadConfig(), {
        node: async (socket) => {
          const answer = await callAdminSocket<{ guidelines: number; useCases: number; models: number }>(socket, "POST", "/v1/import", { text });
          if (answer.status === 422) throw rejected(answer.body.problems ?? []);
          imported(expectOk(answer));
        },
        database: async (db, config) => {
          // Through the application layer, as every write: all records in one transaction or none.
          const outcome = await importFile(createApplication({ unitOfWork: createUnitOfWork(db), identity: nodeIdentity(config) }), text);
          if (!outcome.ok) throw rejected(outcome.problems);
          imported(outcome.counts);
        },
      });
    });

  const token = program.command("token").description("Manage API tokens for writes (admin, editor, vetter, moderator).");
  token
    .command("create")
    .description("Create a token and print it once; only its hash is stored. Goes through the running node when one holds the data folder.")
    .addOption(new Option("--role <role>", "what the token may do").choices(roles).makeOptionMandatory())
    .requiredOption("--name <name>", "who or what uses the token (shown in logs and vetting records)")
    .action(async (options: { role: Role; name: string }) => {
      const name = options.name.trim();
      if (!name || name.length > 200) throw new UsageError("--name must be 1 to 200 characters.");
      const created = ({ info, token }: { info: { id: string; name: string; role: string }; token: string }) => {
        console.error(`Created token ${info.id} for "${info.name}" with role ${info.role}. It is shown only now; store it safely:`);
        console.log(token);
      };
      await onNodeOrDatabase(loadConfig(), {
        node: async (socket) => {
          const answer = await callAdminSocket<{ info: AccessTokenInfo; token: string }>(socket, "POST", "/v1/tokens", { name, role: options.role });
          if (answer.status === 409 || answer.status === 400) throw new UsageError(answer.body.error!);
          created(expectOk(answer));
        },
        database: async (db) => created(await createAccessToken(db, { name, role: options.role })),
      });
    });
  token
    .command("list")
    .description("List tokens (id, name, role, created, last used, revoked); never the secrets.")
    .action(async () => {
      const print = (tokens: AccessTokenInfo[]) => {
        if (tokens.length === 0) console.log("No tokens.");
        for (const t of tokens) {
          const state = t.revokedAt ? `revoked ${new Date(t.revokedAt).toISOString()}` : "active";
          const used = t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : "never";
          console.log(`${t.id}\t${t.role}\t${t.name}\tcreated ${new Date(t.createdAt).toISOString()}\tlast used ${used}\t${state}`);
        }
      };
      await onNodeOrDatabase(loadConfig(), {
        node: async (socket) => print(expectOk(await callAdminSocket<{ tokens: AccessTokenInfo[] }>(socket, "GET", "/v1/tokens")).tokens),
        database: async (db) => print(await listAccessTokens(db)),
      });
    });
  token
    .command("revoke")
    .description("Revoke a token by its id (see token list).")
    .argument("<id>", "the token's id")
    .action(async (id: string) => {
      const notFound = () => new UsageError(`No active token with id "${id}" (see: leitplanken token list).`);
      await onNodeOrDatabase(loadConfig(), {
        node: async (socket) => {
          const answer = await callAdminSocket(socket, "POST", `/v1/tokens/${encodeURIComponent(id)}/revoke`);
          if (answer.status === 404) throw notFound();
          if (answer.status === 409) throw new UsageError(answer.body.error!);
          expectOk(answer);
        },
        database: async (db) => {
          if (!(await revokeAccessToken(db, id))) throw notFound();
        },
      });
      console.log(`Revoked token ${id}.`);
    });

  addBackupCommands(program);

  return program;
}

/** Runs the CLI; every expected failure ends as one line on stderr and a non-zero exit code. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed help or the usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof AccessTokenNameTakenError || error instanceof InvalidAccessTokenError) {
      console.error(error.message);
      return EXIT_USAGE;
    }
    if (error instanceof DatabaseUnavailableError) {
      console.error(`Database error: ${error.message}`);
      return EXIT_FAILURE;
    }
    if (error instanceof DataFolderInUseError) {
      console.error(folderInUseMessage(error));
      return EXIT_FAILURE;
    }
    if (
      error instanceof ImportRejected ||
      error instanceof DatabaseTooNewError ||
      error instanceof NodeRunning ||
      error instanceof BackupError ||
      error instanceof BackupFileError
    ) {
      console.error(error.message);
      return EXIT_FAILURE;
    }
    console.error(`Error: ${(error as Error).message}`);
    return EXIT_FAILURE;
  }
}

if (import.meta.main) {
  // Everything the node writes (the PGlite folder, backups, token files) is for its user alone.
  process.umask(0o077);
  process.exitCode = await runCli(process.argv.slice(2));
}
