import { nodeFlags } from "../../server/src/node-flags.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

/** The repository root, for tests that run the CLI as a user would. */
export const repositoryRoot = resolve(import.meta.dirname, "../../..");
const cliPath = resolve(repositoryRoot, "packages/server/src/cli.ts");

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child node: ours, minus anything that would point it at the wrong database. */
function childEnvironment(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", NODE_OPTIONS: "" };
  delete base.DATABASE_URL;
  return { ...base, ...env };
}

/**
 * Bounds for a CLI command and a node's start: generous, because a first start on a new folder
 * runs initdb in WebAssembly, which takes about 30 s on a machine shared by many test runs.
 */
const processTimeoutMs = 120_000;

/** Runs `leitplanken ARGS` to completion (bounded by timeoutMs). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = processTimeoutMs): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...nodeFlags, cliPath, ...args], { cwd: repositoryRoot, env: childEnvironment(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`leitplanken ${args.join(" ")} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** A `leitplanken serve` process; `stop()` sends SIGTERM and resolves with its exit code and the time it took. */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; milliseconds: number }>;
}

/** Starts `leitplanken serve` on a free port (or env.PORT) and waits until /readyz answers 200. */
export async function startServeProcess(env: Record<string, string | undefined>, args: string[] = [], timeoutMs = processTimeoutMs): Promise<ServeProcess> {
  // A given PORT is kept (a restored node must answer at its old origin); else a free one.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeFlags, cliPath, "serve", ...args], {
    cwd: repositoryRoot,
    env: childEnvironment({ PORT: String(port), LEITPLANKEN_ORIGIN: url, ...env }),
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once("exit", (code, signal) => done({ code, signal })));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`leitplanken serve exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`leitplanken serve was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const result = await exited;
      clearTimeout(killer);
      return { ...result, milliseconds: Date.now() - started };
    },
  };
}
