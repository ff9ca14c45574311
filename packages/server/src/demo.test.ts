import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "@jest/globals";
import { freePort, repositoryRoot } from "@leitplanken/testkit";

let dataDir: string;
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it("pnpm demo prints URLs that answer /healthz within 30 s and stops cleanly on Ctrl-C", async () => {
  dataDir = await mkdtemp(join(tmpdir(), "leitplanken-demo-"));
  const basePort = await freePort();
  const started = Date.now();
  const demo = spawn(process.execPath, [resolve(repositoryRoot, "packages/server/src/demo.ts")], {
    cwd: repositoryRoot,
    env: { ...process.env, NODE_OPTIONS: "", DEMO_BASE_PORT: String(basePort), DEMO_DATA_DIR: dataDir },
  });
  let output = "";
  demo.stdout.on("data", (chunk: Buffer) => (output += chunk));
  demo.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((done) => demo.once("exit", (code) => done(code)));
  try {
    const urls = await new Promise<string[]>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URLs within 30 s:\n${output}`)), 30_000);
      demo.stdout.on("data", () => {
        const found = output.match(/http:\/\/localhost:\d+\//g);
        if (found && output.includes("Stop with Ctrl-C")) {
          clearTimeout(timer);
          done(found);
        }
      });
    });
    expect(urls[0]).toBe(`http://localhost:${basePort}/`);
    for (const url of new Set(urls)) {
      const health = await fetch(`${url}healthz`);
      expect(health.status).toBe(200);
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  } finally {
    demo.kill("SIGINT");
  }
  expect(await exited).toBe(0);
});
