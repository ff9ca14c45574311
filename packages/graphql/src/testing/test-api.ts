import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Principal } from "@leitplanken/core";
// Tests and the benchmark compose the API with the real repositories, as the server package does.
import { createGuidelineRepository, createSharedModelRepository, createUseCaseRepository, type Database, openDatabase } from "@leitplanken/db";
import type { NodeIdentity, RecordRepositories } from "../context.ts";
import { createGraphQLRouter, type GraphQLRouterDeps } from "../router.ts";

export const testActor = "https://ki.dortmund.example/actor";
export const testIdentity: NodeIdentity = { actor: testActor, origin: "https://ki.dortmund.example" };

/** Staff accounts of the test node: bearer token → principal (test input for `authenticate`). */
export const testTokens: Record<string, Principal> = {
  "token-admin": { name: "Ada Admin", role: "admin" },
  "token-editor": { name: "Erika Beispiel", role: "editor" },
  "token-vetter": { name: "Max Mustermann", role: "vetter" },
  "token-moderator": { name: "Mia Moderatorin", role: "moderator" },
};

// Until the db package's migration runner lands, apply 0002 by hand (its statements contain no inner semicolons).
async function applyRecordsMigration(db: Database) {
  const sql = await readFile(new URL("../../../db/migrations/0002_records.sql", import.meta.url), "utf8");
  for (const statement of sql.split(/;\s*$/m).map((part) => part.replace(/^--.*$/gm, "").trim()).filter(Boolean)) {
    await db.query(statement);
  }
}

export interface TestApi {
  url: string;
  db: Database;
  records: RecordRepositories;
  /** POSTs a GraphQL operation, with `token` as bearer token when given. */
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A fresh database (PGlite, or PostgreSQL in its own schema when `url` is given) and the API on 127.0.0.1. */
export async function startTestApi(
  options: {
    url?: string | undefined;
    deps?: Partial<GraphQLRouterDeps>;
    /** Lets a test observe the real repositories (e.g. count batch reads). */
    observeRecords?: (records: RecordRepositories) => RecordRepositories;
  } = {},
): Promise<TestApi> {
  const schema = options.url ? `graphql_test_${process.pid}_${Math.floor(Math.random() * 1e9)}` : undefined;
  const db = await openDatabase({ url: options.url, schema });
  await applyRecordsMigration(db);
  const records: RecordRepositories = {
    guidelines: createGuidelineRepository(db),
    useCases: createUseCaseRepository(db),
    sharedModels: createSharedModelRepository(db),
  };
  const app = express();
  app.use(
    await createGraphQLRouter({
      records: options.observeRecords ? options.observeRecords(records) : records,
      identity: testIdentity,
      authenticate: async (token) => testTokens[token] ?? null,
      rateLimit: false,
      ...options.deps,
    }),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    db,
    records,
    async graphql(query, variables, token) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      if (schema) await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    },
  };
}
