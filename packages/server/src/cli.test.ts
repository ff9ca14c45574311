import { existsSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openDatabase } from "@leitplanken/db";
import { storageBackends } from "@leitplanken/db/testing";
import { runCli, startServeProcess } from "@leitplanken/testkit";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "leitplanken-cli-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("invalid configuration", () => {
  it("PORT=abc exits non-zero with one line naming PORT, and writes nothing", async () => {
    const dataDir = join(scratch, "never-created");
    const result = await runCli(["serve"], { PORT: "abc", LEITPLANKEN_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual(['Invalid configuration: PORT must be a whole number from 1 to 65535 (got "abc").']);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("a DATABASE_URL that points nowhere exits non-zero with one line, and writes nothing", async () => {
    const dataDir = join(scratch, "also-never-created");
    const result = await runCli(["serve"], {
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere",
      LEITPLANKEN_DATA_DIR: dataDir,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Database error: cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("a DATABASE_URL password never appears in the error", async () => {
    const result = await runCli(["migrate"], { DATABASE_URL: "postgres://postgres:hunter2@127.0.0.1:1/nowhere" });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain("hunter2");
  });

  it("an unknown command and a bad option value are usage errors", async () => {
    expect((await runCli(["frobnicate"])).code).toBe(2);
    const badRole = await runCli(["token", "create", "--role", "king", "--name", "x"], { LEITPLANKEN_DATA_DIR: join(scratch, "x") });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/Allowed choices are admin, editor, vetter, moderator/);
    expect(existsSync(join(scratch, "x"))).toBe(false);
  });
});

describe("start-up failures", () => {
  it("a port in use ends the process with one line instead of leaving it hanging", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "0.0.0.0", resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      // Bounded by runCli (a first start runs initdb, which takes long on a busy machine): a hanging process fails the test.
      const result = await runCli(["serve"], { PORT: String(port), LEITPLANKEN_DATA_DIR: join(scratch, "busy-port") });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`Error: Port ${port} is already in use: set PORT to a free port.`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, 150_000);
});

describe("--help", () => {
  it.each([[[]], [["serve"]], [["migrate"]], [["token"]], [["token", "create"]]])("leitplanken %p --help", async (args) => {
    const result = await runCli([...args, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: leitplanken/);
  });
});

/** Start, write through the CLI, stop with SIGTERM, start again: the data is still there. */
async function restartKeepsData(env: Record<string, string>) {
  const created = await runCli(["token", "create", "--role", "editor", "--name", "Persistence check"], env);
  expect(created.code).toBe(0);
  const secret = created.stdout.trim();
  expect(secret).toMatch(/^lp_/);

  for (let round = 0; round < 2; round++) {
    const node = await startServeProcess(env);
    const ready = await fetch(`${node.url}/readyz`);
    expect(ready.status).toBe(200);
    const stopped = await node.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.milliseconds).toBeLessThan(10_000);
    expect(node.output()).not.toContain(secret);
  }

  const duplicate = await runCli(["token", "create", "--role", "vetter", "--name", "Persistence check"], env);
  expect(duplicate.code).toBe(2);
  expect(duplicate.stderr.trim()).toBe('An active token named "Persistence check" exists already: revoke it first or choose another name.');

  const listed = await runCli(["token", "list"], env);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain("Persistence check");
  expect(listed.stdout).not.toContain(secret);
}

describe.each(storageBackends())("serve on %s", (backend) => {
  it("keeps its data across restarts and stops within 10 s of SIGTERM", async () => {
    if (backend === "pglite") {
      await restartKeepsData({ LEITPLANKEN_DATA_DIR: join(scratch, "pglite-node") });
      return;
    }
    const databaseUrl = process.env.DATABASE_URL!;
    const schema = `cli_test_${process.pid}`;
    const admin = await openDatabase({ url: databaseUrl, schema });
    try {
      // The node works in its own schema, chosen the way an operator would: in the URL.
      const url = `${databaseUrl}${databaseUrl.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      await restartKeepsData({ DATABASE_URL: url });
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
    // A first start runs initdb; on a busy shared machine a few starts take minutes.
  }, 400_000);
});
