// pnpm bench:ops — what an operator waits for and what a node holds, measured on this machine:
// a first start on an empty PGlite folder until /readyz answers, a restart of the same folder,
// the resident memory of the idle node, a backup through the running node and its restore into
// a new folder (the demo city's records), and `pnpm demo` until it prints its URLs. Each figure
// comes from real processes started as the README says; the machine's load shows in them, so
// run it on a quiet machine (it takes about a minute).
import { nodeFlags } from "../node-flags.ts";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../../..");
const cli = join(root, "packages/server/src/cli.ts");
const scratch = await mkdtemp(join(tmpdir(), "lp-bench-ops-"));
const rows: [string, string][] = [];

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function until(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

const stop = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });

/** Starts `leitplanken serve` on `folder`; resolves with the process once /readyz answers, and the time it took. */
const benchEnvironment = (folder: string) => ({
  ...process.env,
  LEITPLANKEN_DATA_DIR: folder,
  LEITPLANKEN_ORIGIN: "http://localhost:9999",
  LEITPLANKEN_BACKUP_PASSPHRASE: "a passphrase for the bench",
  LOG_LEVEL: "warn",
  DATABASE_URL: "",
});

/** Runs `leitplanken ARGS` and resolves with the time it took. */
async function timedCli(args: string[], folder: string): Promise<number> {
  const started = performance.now();
  await promisify(execFile)(process.execPath, [...nodeFlags, cli, ...args], { cwd: root, env: benchEnvironment(folder) });
  return performance.now() - started;
}

async function serve(folder: string, args: string[] = []): Promise<{ child: ChildProcess; milliseconds: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, cli, "serve", ...args], {
    cwd: root,
    env: { ...benchEnvironment(folder), PORT: String(port) },
    stdio: "ignore",
  });
  await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 120_000, "the node's /readyz");
  return { child, milliseconds: performance.now() - started };
}

const residentMiB = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
};

try {
  const folder = join(scratch, "node");
  const first = await serve(folder, ["--seed-demo"]);
  rows.push(["first start, empty folder (demo records), until /readyz", `${(first.milliseconds / 1000).toFixed(2)} s`]);
  await new Promise((wait) => setTimeout(wait, 5_000));
  rows.push(["resident memory, 5 s after the first start (PGlite)", `${(await residentMiB(first.child.pid!)).toFixed(0)} MiB`]);
  await stop(first.child);
  const again = await serve(folder);
  rows.push(["restart of the same folder, until /readyz", `${(again.milliseconds / 1000).toFixed(2)} s`]);
  // The first figure still holds what loading the demo records left behind; a restarted node that
  // has been idle for a while is what a municipality's server holds most of the day.
  await new Promise((wait) => setTimeout(wait, 30_000));
  rows.push(["resident memory, restarted node idle for 30 s (PGlite)", `${(await residentMiB(again.child.pid!)).toFixed(0)} MiB`]);
  const backupFile = join(scratch, "node.backup");
  const backupMs = await timedCli(["backup", backupFile], folder);
  rows.push(["backup through the running node (encrypted)", `${(backupMs / 1000).toFixed(2)} s`]);
  await stop(again.child);
  const restoreMs = await timedCli(["restore", backupFile], join(scratch, "restored"));
  rows.push(["restore into a new folder", `${(restoreMs / 1000).toFixed(2)} s`]);
  rows.push(["backup + restore round trip", `${((backupMs + restoreMs) / 1000).toFixed(2)} s`]);

  const demoStarted = performance.now();
  const demo = spawn(process.execPath, [...nodeFlags, join(root, "packages/server/src/demo.ts")], {
    cwd: root,
    env: { ...process.env, DEMO_BASE_PORT: String(await freePort()), DEMO_DATA_DIR: join(scratch, "demo"), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let output = "";
  demo.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  await until(async () => output.includes("Stop with Ctrl-C"), 180_000, "the demo's URLs");
  rows.push(["pnpm demo (4 nodes, fresh folders) until it prints the URLs", `${((performance.now() - demoStarted) / 1000).toFixed(2)} s`]);
  await stop(demo);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const width = Math.max(...rows.map(([label]) => label.length));
console.log("\npnpm bench:ops");
for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
