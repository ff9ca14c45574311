import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { lockFileName } from "@leitplanken/db";
import { freePort, repositoryRoot, runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "lp-folder-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const registerModel = async (url: string, token: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "mutation { registerModel(input: {}) { __typename } }" }),
  });
  return ((await response.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
};

const useCaseCount = async (url: string, token: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ useCases(first: 1, filter: { workflowState: DRAFT }) { totalCount } }" }),
  });
  return ((await response.json()) as { data: { useCases: { totalCount: number } } }).data.useCases.totalCount;
};

describe("a node's data folder", () => {
  const env = () => ({ LEITPLANKEN_DATA_DIR: join(scratch, "node") });
  let node: ServeProcess;

  afterAll(async () => {
    await node?.stop();
  });

  it("belongs to one node: a second serve on it exits non-zero with one line, and the first goes on", async () => {
    node = await startServeProcess(env());
    const before = await runCli(["token", "create", "--role", "admin", "--name", "Erste Administratorin"], env());
    expect(before.code).toBe(0);

    const second = await runCli(["serve"], { ...env(), PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    const lines = second.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^The data folder ${join(scratch, "node")} is in use by another Leitplanken process \\(process ${node.child.pid} on host .+\\): stop it first`,
      ),
    );
    expect(second.stdout).toBe("");

    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    expect(await registerModel(node.url, before.stdout.trim())).not.toBe("UNAUTHENTICATED");
  }, 400_000);

  it("takes token and import commands through the running node: a new token works at once and after a restart", async () => {
    const created = await runCli(["token", "create", "--role", "editor", "--name", "Erika Beispiel"], env());
    expect(created.stderr).toMatch(/^Created token [0-9a-f]{12} for "Erika Beispiel" with role editor\. It is shown only now; store it safely:\n$/);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(await registerModel(node.url, token)).not.toBe("UNAUTHENTICATED");

    const duplicate = await runCli(["token", "create", "--role", "vetter", "--name", "Erika Beispiel"], env());
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr.trim()).toBe('An active token named "Erika Beispiel" exists already: revoke it first or choose another name.');

    const imported = await runCli(["import", join(repositoryRoot, "schema/examples/import.example.yaml")], env());
    expect(imported.stdout.trim()).toBe("Imported 0 guideline(s), 1 use case(s), 0 model(s) as drafts.");
    expect(await useCaseCount(node.url, token)).toBe(1);
    const broken = join(scratch, "broken.yaml");
    await writeFile(broken, "useCases:\n  - name: 42\n");
    const refused = await runCli(["import", broken], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/problem\(s\); nothing was imported:\n/);

    const migrated = await runCli(["migrate"], env());
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/^The database is up to date: the running node \(process \d+\) applied the migrations when it started\./);

    const stopped = await node.stop();
    expect(stopped.code).toBe(0);
    node = await startServeProcess(env());
    expect(await registerModel(node.url, token)).not.toBe("UNAUTHENTICATED");
    expect(await useCaseCount(node.url, token)).toBe(1);

    const listed = await runCli(["token", "list"], env());
    expect(listed.stdout).toMatch(/\teditor\tErika Beispiel\tcreated .*\tlast used 20.*\tactive\n/);
    expect(listed.stdout).not.toContain(token);
    const id = /^([0-9a-f]{12})\teditor\tErika Beispiel/m.exec(listed.stdout)![1]!;
    expect((await runCli(["token", "revoke", id], env())).stdout.trim()).toBe(`Revoked token ${id}.`);
    expect(await registerModel(node.url, token)).toBe("UNAUTHENTICATED");
    const again = await runCli(["token", "revoke", id], env());
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`No active token with id "${id}" (see: leitplanken token list).`);

    // The node's log names the tokens' holders and what was done, never a secret.
    expect(node.output()).not.toContain(token);
  }, 400_000);

  it("is 0700 with every file in it 0600 (the private keys are in there)", async () => {
    const folder = join(scratch, "node");
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    const open = [];
    for (const entry of entries) {
      const mode = (await stat(join(entry.parentPath, entry.name))).mode & 0o777;
      if (entry.isDirectory() ? mode !== 0o700 : mode !== 0o600) open.push(`${entry.name} ${mode.toString(8)}`);
    }
    expect(entries.length).toBeGreaterThan(500);
    expect(open).toEqual([]);
  });
});

describe("a node whose lock file is replaced", () => {
  it("stops with one line rather than share the folder with whoever replaced it", async () => {
    const folder = join(scratch, "replaced");
    const node = await startServeProcess({ LEITPLANKEN_DATA_DIR: folder });
    try {
      const lock = JSON.parse(await readFile(join(folder, lockFileName), "utf8")) as Record<string, unknown>;
      await writeFile(join(folder, lockFileName), JSON.stringify({ ...lock, instance: "someone-else" }));
      // The node checks its lock every 10 s.
      const exited = await new Promise<number | null>((resolve) => node.child.once("exit", (code) => resolve(code)));
      expect(exited).toBe(1);
      expect(node.output().trim().split("\n").at(-1)).toBe(
        `Stopped: the lock file in ${folder} was removed or replaced, so another process may be using the folder.`,
      );
      expect(node.output()).toContain("the data folder's lock file was removed or replaced; stopping");
    } finally {
      await node.stop("SIGKILL");
    }
  }, 300_000);
});

describe("pnpm start", () => {
  it("stops within 10 s of SIGTERM and leaves no process behind", async () => {
    const port = await freePort();
    const folder = join(scratch, "pnpm-start");
    const pnpm = spawn("pnpm", ["start"], {
      cwd: repositoryRoot,
      env: { ...process.env, NODE_OPTIONS: "", PORT: String(port), LEITPLANKEN_DATA_DIR: folder, LOG_LEVEL: "warn", DATABASE_URL: "" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((done) => pnpm.once("exit", (code) => done(code)));
    let nodePid: number | undefined;
    try {
      for (const until = Date.now() + 180_000; Date.now() < until; await new Promise((wait) => setTimeout(wait, 200))) {
        if (
          await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
      }
      nodePid = (JSON.parse(await readFile(join(folder, lockFileName), "utf8")) as { pid: number }).pid;
      expect(nodePid).not.toBe(pnpm.pid);
    } finally {
      const started = Date.now();
      pnpm.kill("SIGTERM");
      const code = await exited;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(code).toBe(0);
    }
    expect(() => process.kill(nodePid!, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }) as unknown as Error);
    await expect(stat(join(folder, lockFileName))).rejects.toMatchObject({ code: "ENOENT" });
  }, 300_000);
});
