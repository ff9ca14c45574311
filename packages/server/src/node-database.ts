import { openDatabase, type Database } from "@leitplanken/db";
import type { Config } from "./config.ts";

/** The node's database as configured: PostgreSQL when DATABASE_URL is set, else PGlite in the data folder. */
export function openNodeDatabase(config: Config): Promise<Database> {
  return openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, statementTimeoutMs: config.requestTimeoutMs });
}
