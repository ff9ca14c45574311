import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/**
 * `pnpm demo`: starts the local demo network of federation/demo-network.json, each
 * node its own process with its own PGlite folder (under DEMO_DATA_DIR, default
 * ./data/demo), prints the URLs, stops on Ctrl-C.
 */
const networkSchema = z.object({
  nodes: z
    .array(z.object({ handle: z.string().regex(/^[a-z0-9_-]+$/), name: z.string().min(1), seed: z.boolean() }))
    .min(1),
});

const root = resolve(import.meta.dirname, "../../..");
const network = networkSchema.parse(JSON.parse(readFileSync(resolve(root, "federation/demo-network.json"), "utf8")));
const basePort = Number(process.env.DEMO_BASE_PORT ?? 8081);
if (!Number.isInteger(basePort) || basePort < 1 || basePort + network.nodes.length > 65535) {
  console.error(`DEMO_BASE_PORT must be a port number (got "${process.env.DEMO_BASE_PORT}").`);
  process.exit(2);
}
const cli = resolve(import.meta.dirname, "cli.ts");
const dataRoot = resolve(process.env.DEMO_DATA_DIR || resolve(root, "data/demo"));

const nodes = network.nodes.map((node, index) => {
  const port = basePort + index;
  const origin = `http://localhost:${port}`;
  const child = spawn(process.execPath, [cli, "serve", ...(node.seed ? ["--seed-demo"] : [])], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LEITPLANKEN_ORIGIN: origin,
      LEITPLANKEN_HANDLE: node.handle,
      LEITPLANKEN_NAME: node.name,
      LEITPLANKEN_DATA_DIR: resolve(dataRoot, node.handle),
      LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      DATABASE_URL: "",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return { ...node, origin, child };
});

let stopping = false;
function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const { child } of nodes) if (child.exitCode === null) child.kill("SIGTERM");
  void Promise.all(nodes.map(({ child }) => exited(child))).then(() => process.exit(code));
}
const exited = (child: ChildProcess) =>
  new Promise<void>((done) => (child.exitCode !== null ? done() : child.once("exit", () => done())));

for (const { handle, child } of nodes) {
  child.once("exit", (code) => {
    if (!stopping) {
      console.error(`Demo node "${handle}" stopped unexpectedly (exit code ${code}); stopping the demo.`);
      stopAll(1);
    }
  });
}
process.once("SIGINT", () => stopAll(0));
process.once("SIGTERM", () => stopAll(0));

async function waitUntilHealthy(origin: string, deadline: number): Promise<void> {
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error(`${origin} did not answer within 60 s`);
}

try {
  const deadline = Date.now() + 60_000;
  await Promise.all(nodes.map(({ origin }) => waitUntilHealthy(origin, deadline)));
  console.log("\nLeitplanken demo network is running:");
  for (const node of nodes) console.log(`  ${node.name.padEnd(28)} ${node.origin}/`);
  console.log(`\nGraphQL: ${nodes[0]!.origin}/graphql    Stop with Ctrl-C.\n`);
} catch (error) {
  console.error((error as Error).message);
  stopAll(1);
}
