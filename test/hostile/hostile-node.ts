// A real node as `leitplanken serve` composes it (packages/server's assembleNode), on PGlite in a
// temporary folder or in a fresh schema of the DATABASE_URL server, seeded with the demo city.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccessToken } from "@leitplanken/db";
import { type StorageBackend, testDatabase } from "@leitplanken/db/testing";
import { assembleNode, loadConfig, type NodeOverrides, type RunningNode } from "@leitplanken/server";
import { freePort, migratedDataFolder } from "@leitplanken/testkit";

export { leaksInternals } from "./leaks.ts";

export interface HostileNode {
  url: string;
  node: RunningNode;
  tokens: { admin: string; editor: string; moderator: string };
  close(): Promise<void>;
}

export async function startHostileNode(
  backend: StorageBackend,
  environment: Record<string, string> = {},
  options: Pick<NodeOverrides, "rateLimit"> = {},
): Promise<HostileNode> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "leitplanken-hostile-"));
  if (backend === "pglite") await migratedDataFolder(dataDir);
  // PostgreSQL: a fresh schema (dropped on close) that the node reaches through its search_path.
  const schemaHolder = backend === "postgres" ? await testDatabase({ backend: "postgres", migrate: false }) : undefined;
  const databaseUrl = schemaHolder ? `${process.env.DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schemaHolder.schema}`)}` : undefined;
  const config = loadConfig({
    PORT: String(port),
    LEITPLANKEN_ORIGIN: `http://127.0.0.1:${port}`,
    LEITPLANKEN_DATA_DIR: dataDir,
    LEITPLANKEN_HANDLE: "dortmund",
    LEITPLANKEN_NAME: "Stadt Dortmund",
    LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
    LOG_LEVEL: "silent",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...environment,
  });
  const node = await assembleNode(config, { host: "127.0.0.1", seedDemo: true, ...options });
  const token = async (role: "admin" | "editor" | "moderator") => (await createAccessToken(node.db, { name: `Hostile ${role}`, role })).token;
  const tokens = { admin: await token("admin"), editor: await token("editor"), moderator: await token("moderator") };
  return {
    url: node.url,
    node,
    tokens,
    async close() {
      await node.close();
      await schemaHolder?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
  json<T = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }>(): T;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text, headers: response.headers, json: () => JSON.parse(text) };
}

export function graphqlBody(query: string, variables?: Record<string, unknown>): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, ...(variables ? { variables } : {}) }) };
}
