#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { Command, CommanderError, Option } from "commander";
import { parseImportYaml, roles, type Role } from "@leitplanken/core";
import {
  AccessTokenNameTakenError,
  InvalidAccessTokenError,
  createAccessToken,
  DatabaseTooNewError,
  DatabaseUnavailableError,
  listAccessTokens,
  migrate,
  revokeAccessToken,
  type Database,
} from "@leitplanken/db";
import { ConfigError, configurationVariables, loadConfig, type Config } from "./config.ts";
import { createLogger } from "./logger.ts";
import { openNodeDatabase } from "./node-database.ts";
import { draftsFromImport, nodeIdentity, saveRecords } from "./records.ts";
import { softwareVersion } from "./version.ts";

/** Exit codes: 0 done, 1 the command failed at run time, 2 bad configuration or usage. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

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
    .option(
      "--admin-token-file <path>",
      "on first start (when PATH does not exist yet), create an admin token and write it to PATH, readable only by its owner",
    )
    .addHelpText("after", environmentHelp)
    .action(async (options: { seedDemo?: boolean; adminTokenFile?: string }) => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      // Loaded here so that the other commands start without the HTTP and federation stack.
      const { SHUTDOWN_GRACE_MS, startNode } = await import("./node.ts");
      const node = await startNode(config, { logger, seedDemo: options.seedDemo ?? false, adminTokenFile: options.adminTokenFile });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
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
      });
    });

  program
    .command("migrate")
    .description("Apply pending database migrations and exit.")
    .addHelpText("after", environmentHelp)
    .action(async () => {
      const db = await openNodeDatabase(loadConfig());
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
      const config = loadConfig();
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const parsed = parseImportYaml(text);
      if (!parsed.ok) {
        const lines = parsed.errors.map((e) => `${file}:${e.line}:${e.column} ${e.path || "(file)"}: ${e.message.en} / ${e.message.de}`);
        throw new ImportRejected(`${parsed.errors.length} problem(s); nothing was imported:\n${lines.join("\n")}`);
      }
      await withMigratedDatabase(async (db) => {
        const drafts = draftsFromImport(parsed.value, nodeIdentity(config));
        await saveRecords(db, drafts);
        console.log(`Imported ${drafts.guidelines.length} guideline(s), ${drafts.useCases.length} use case(s), ${drafts.models.length} model(s) as drafts.`);
      }, config);
    });

  const token = program.command("token").description("Manage API tokens for writes (admin, editor, vetter, moderator).");
  token
    .command("create")
    .description("Create a token and print it once; only its hash is stored.")
    .addOption(new Option("--role <role>", "what the token may do").choices(roles).makeOptionMandatory())
    .requiredOption("--name <name>", "who or what uses the token (shown in logs and vetting records)")
    .action(async (options: { role: Role; name: string }) => {
      const name = options.name.trim();
      if (!name || name.length > 200) throw new UsageError("--name must be 1 to 200 characters.");
      await withMigratedDatabase(async (db) => {
        const { info, token } = await createAccessToken(db, { name, role: options.role });
        console.error(`Created token ${info.id} for "${info.name}" with role ${info.role}. It is shown only now; store it safely:`);
        console.log(token);
      });
    });
  token
    .command("list")
    .description("List tokens (id, name, role, created, last used, revoked); never the secrets.")
    .action(async () => {
      await withMigratedDatabase(async (db) => {
        const tokens = await listAccessTokens(db);
        if (tokens.length === 0) console.log("No tokens.");
        for (const t of tokens) {
          const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active";
          const used = t.lastUsedAt ? t.lastUsedAt.toISOString() : "never";
          console.log(`${t.id}\t${t.role}\t${t.name}\tcreated ${t.createdAt.toISOString()}\tlast used ${used}\t${state}`);
        }
      });
    });
  token
    .command("revoke")
    .description("Revoke a token by its id (see token list).")
    .argument("<id>", "the token's id")
    .action(async (id: string) => {
      await withMigratedDatabase(async (db) => {
        if (!(await revokeAccessToken(db, id))) throw new UsageError(`No active token with id "${id}" (see: leitplanken token list).`);
        console.log(`Revoked token ${id}.`);
      });
    });

  return program;
}

/** A mistake in how a command was called: exit code 2. */
class UsageError extends Error {}

/** An input file with problems: every problem is in the message; exit code 1. */
class ImportRejected extends Error {}

async function withMigratedDatabase(work: (db: Database) => Promise<void>, config: Config = loadConfig()): Promise<void> {
  const db = await openNodeDatabase(config);
  try {
    await migrate(db, { softwareVersion });
    await work(db);
  } finally {
    await db.close();
  }
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
    if (error instanceof ImportRejected || error instanceof DatabaseTooNewError) {
      console.error(error.message);
      return EXIT_FAILURE;
    }
    console.error(`Error: ${(error as Error).message}`);
    return EXIT_FAILURE;
  }
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
