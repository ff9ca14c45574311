// The benchmarks' node: the real server composition (`assembleNode`, as `leitplanken serve` starts it:
// HTTP, logs, metrics, rate limits, the GraphQL API, Fedify on the database-backed queue) on
// 127.0.0.1, with an admin token. PGlite in a temporary folder, or PostgreSQL in a schema of its
// own when the benchmark runs on DATABASE_URL (dropped afterwards). Plus the figures' helpers.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database } from "@leitplanken/db";
import { loadConfig } from "../config.ts";
import { assembleNode, type RunningNode } from "../node.ts";

export type Backend = "pglite" | "postgres";

/** PGlite always; PostgreSQL too when DATABASE_URL names a server. */
export const benchBackends = (): Backend[] => (process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]);

export interface BenchNode {
  node: RunningNode;
  /**
   * The node's database for loading data and for the bounds, without the benchmark's statement
   * counter: on PGlite the node's own handle; on PostgreSQL a pool of its own on the same schema,
   * without the node's statement timeout (loading 10,000 cities takes longer).
   */
  db: Database;
  /** Statements the node sent outside transactions since the last `resetStatements()`. */
  statements(): number;
  resetStatements(): void;
  backend: Backend;
  url: string;
  adminToken: string;
  /** A GraphQL request with the admin token; throws on errors. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export interface BenchNodeOptions {
  environment?: Record<string, string>;
  /** Client budgets per window; the defaults stop a benchmark's thousands of requests from one address within a minute. */
  rateLimit?: { windowMs?: number; limit?: number; costLimit?: number };
}

export async function startBenchNode(handle: string, backend: Backend, options: BenchNodeOptions = {}): Promise<BenchNode> {
  const environment = options.environment ?? {};
  const scratch = await mkdtemp(join(tmpdir(), `lp-bench-${handle}-`));
  let schema: string | undefined;
  let databaseUrl: string | undefined;
  let direct: Database | undefined;
  if (backend === "postgres") {
    schema = `bench_${handle}_${process.pid}`;
    const base = process.env.DATABASE_URL!;
    databaseUrl = `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    direct = await openDatabase({ url: base, schema });
  }
  const config = loadConfig({
    LEITPLANKEN_HANDLE: handle,
    LEITPLANKEN_DATA_DIR: join(scratch, "data"),
    LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
    LOG_LEVEL: "silent",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...environment,
  });
  const tokenFile = join(scratch, "admin-token.txt");
  let statements = 0;
  let opened: Database | undefined;
  // On a port the OS picks; the origin names it.
  const node = await assembleNode(
    { ...config, port: 0 },
    {
      host: "127.0.0.1",
      originFromPort: true,
      adminTokenFile: tokenFile,
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      observeDatabase: (db) => {
        opened = db;
        return {
          ...db,
          query: ((text: string, params?: readonly unknown[]) => {
            statements += 1;
            // BENCH_SQL_LOG=1 prints each statement the node sends (to see what a request costs).
            if (process.env.BENCH_SQL_LOG) console.log(`  sql: ${text.replace(/\s+/g, " ").slice(0, 160)}`);
            return db.query(text, params);
          }) as Database["query"],
          exec: (sql) => {
            statements += 1;
            return db.exec(sql);
          },
        };
      },
    },
  );
  const adminToken = (await readFile(tokenFile, "utf8")).trim();
  const { url } = node;
  return {
    node,
    db: direct ?? opened!,
    statements: () => statements,
    resetStatements: () => void (statements = 0),
    backend,
    url,
    adminToken,
    async graphql<T>(query: string, variables: Record<string, unknown> = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const result = (await response.json()) as { data?: T; errors?: unknown };
      if (!response.ok || result.errors || !result.data) throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(result.errors)}`);
      return result.data;
    },
    async close() {
      await node.close();
      if (direct && schema) {
        await direct.query(`DROP SCHEMA ${schema} CASCADE`);
        await direct.close();
      }
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The p-th percentile (nearest rank) of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Waits until `done()` holds, checking after each turn of the event loop's timers; throws after `timeoutMs`. */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`benchmark: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at a time. */
export async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Prints a table whose first row is the header; columns padded to their widest cell. */
export function printTable(title: string, rows: (string | number)[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => String(row[column] ?? "").length)));
  console.log(`\n${title}`);
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => (column === 0 ? String(cell).padEnd(widths[column]!) : String(cell).padStart(widths[column]!)))
        .join("  ")
        .trimEnd(),
    );
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
