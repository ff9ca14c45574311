import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DataFolderInUseError, folderSocketAnswers, lockDataFolder, lockFileName, socketFileName, type LockHolder } from "./data-folder-lock.ts";
import { openDatabase } from "./database.ts";

const holderScript = path.join(import.meta.dirname, "fixtures", "hold-folder.ts");
let scratch: string;
let count = 0;
const newFolder = () => path.join(scratch, `folder-${++count}`);

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "lp-lock-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A child process holding `folder` (fixtures/hold-folder.ts). */
function holdInChild(folder: string) {
  const child = spawn(process.execPath, [holderScript, folder], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    stderr: () => stderr,
    /** Resolves "open" once it holds the folder, or "refused" when it exited. */
    outcome: (timeoutMs = 30_000) =>
      new Promise<"open" | "refused">((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no outcome within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
        const check = () => {
          if (stdout.includes("open")) return finish("open");
          if (child.exitCode !== null) return finish("refused");
        };
        const finish = (outcome: "open" | "refused") => {
          clearTimeout(timer);
          resolve(outcome);
        };
        child.stdout.on("data", check);
        void exited.then(check);
        check();
      }),
  };
}

async function writeLock(folder: string, holder: Partial<LockHolder>): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const base: LockHolder = {
    pid: process.pid,
    host: hostname(),
    boot: (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim(),
    processStart: undefined,
    startedAt: "2026-01-01T00:00:00.000Z",
    instance: "left-behind",
  };
  await writeFile(path.join(folder, lockFileName), JSON.stringify({ ...base, ...holder }), { mode: 0o600 });
}

describe("the data folder lock", () => {
  it("refuses a second process while the first holds the folder, and lets it in once the first was killed", async () => {
    const folder = newFolder();
    const first = holdInChild(folder);
    expect(await first.outcome()).toBe("open");
    expect(await folderSocketAnswers(folder)).toBe(true);

    const second = holdInChild(folder);
    expect(await second.outcome()).toBe("refused");
    expect((await second.exited).code).toBe(3);
    expect(second.stderr().trim().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The data folder ${folder} is in use by another Leitplanken process \\(process ${first.child.pid} on host ${hostname()}, since .*\\): stop it first`,
        ),
      ),
    ]);
    // Also in this process: openDatabase refuses before PGlite touches a file.
    await expect(openDatabase({ dataDir: folder })).rejects.toThrow(DataFolderInUseError);

    // SIGKILL leaves the lock file behind; its process is gone, so the lock is stale.
    first.child.kill("SIGKILL");
    await first.exited;
    expect(await folderSocketAnswers(folder)).toBe(false);
    const third = holdInChild(folder);
    expect(await third.outcome()).toBe("open");
    third.child.kill("SIGTERM");
    const thirdExit = await third.exited;
    expect(thirdExit).toEqual({ code: 0, signal: null });
    // A clean stop removes the lock and the socket; the first holder's row is still there.
    await expect(stat(path.join(folder, lockFileName))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(stat(path.join(folder, socketFileName))).rejects.toMatchObject({ code: "ENOENT" });
    const db = await openDatabase({ dataDir: folder });
    try {
      const { rows } = await db.query<{ pid: number }>("SELECT pid FROM holders ORDER BY at");
      expect(rows.map((row) => row.pid)).toEqual([first.child.pid, third.child.pid]);
    } finally {
      await db.close();
    }
  });

  it("lets exactly one of several processes that start at once take the folder", async () => {
    const folder = newFolder();
    const racers = Array.from({ length: 3 }, () => holdInChild(folder));
    const outcomes = await Promise.all(racers.map((racer) => racer.outcome()));
    expect(outcomes.filter((outcome) => outcome === "open")).toHaveLength(1);
    for (const racer of racers) racer.child.kill("SIGTERM");
    await Promise.all(racers.map((racer) => racer.exited));
  });

  it.each([
    ["a machine that rebooted since", { boot: "00000000-0000-0000-0000-000000000000" }],
    ["a process that is gone", { pid: 2 ** 22 + 1 }],
    ["a process id reused by another process", { pid: 1, processStart: "999999999999" }],
    ["this process id in an earlier life (a restarted container)", {}],
    ["a recreated container (other host name, same kernel, no socket)", { host: "old-container-4f2a" }],
    ["a file that is not a lock", "garbage"],
  ] as const)("takes over a lock left by %s", async (_, holder) => {
    const folder = newFolder();
    if (holder === "garbage") {
      await mkdir(folder, { mode: 0o700 });
      await writeFile(path.join(folder, lockFileName), "12345\n");
    } else {
      await writeLock(folder, holder);
    }
    const lock = await lockDataFolder(folder);
    try {
      expect(JSON.parse(await readFile(path.join(folder, lockFileName), "utf8"))).toMatchObject({ pid: process.pid, instance: lock.holder.instance });
      expect(await lock.stillHeld()).toBe(true);
    } finally {
      await lock.release();
    }
  });

  it("refuses a lock held by a live process it can check, and one on another machine it cannot check", async () => {
    const live = newFolder();
    // The parent process (jest) lives; its start time matches what /proc says.
    const start = (await readFile(`/proc/${process.ppid}/stat`, "utf8")).split(") ")[1]!.split(" ")[19];
    await writeLock(live, { pid: process.ppid, processStart: start });
    await expect(lockDataFolder(live)).rejects.toThrow(/is in use by another Leitplanken process/);

    const elsewhere = newFolder();
    await writeLock(elsewhere, { host: "other-server", boot: "11111111-1111-1111-1111-111111111111", pid: 4242 });
    await expect(lockDataFolder(elsewhere)).rejects.toThrow(
      `The data folder ${elsewhere} is locked by process 4242 on host other-server, since 2026-01-01T00:00:00.000Z, which cannot be checked from here: if no Leitplanken process runs there any more, delete ${path.join(elsewhere, lockFileName)} and start again.`,
    );
    // Left as it was for the operator to decide.
    expect(JSON.parse(await readFile(path.join(elsewhere, lockFileName), "utf8"))).toMatchObject({ host: "other-server" });
  });

  it("refuses a lock of a container that still answers on the folder's socket", async () => {
    const folder = newFolder();
    const lock = await lockDataFolder(folder);
    try {
      // As seen from a recreated container: another host name, and our socket answering.
      await writeFile(path.join(folder, lockFileName), JSON.stringify({ ...lock.holder, host: "new-container", pid: 1 }));
      await expect(lockDataFolder(folder)).rejects.toThrow(/is in use by another Leitplanken process \(process 1 on host new-container/);
    } finally {
      await lock.release();
    }
  });

  it("creates the folder 0700 and tightens files others could read to 0600", async () => {
    const folder = newFolder();
    await mkdir(path.join(folder, "base"), { recursive: true, mode: 0o755 });
    await chmod(folder, 0o777);
    await writeFile(path.join(folder, "base", "key"), "secret", { mode: 0o666 });
    await chmod(path.join(folder, "base", "key"), 0o666);
    const lock = await lockDataFolder(folder);
    try {
      const mode = async (file: string) => (await stat(file)).mode & 0o777;
      expect(await mode(folder)).toBe(0o700);
      expect(await mode(path.join(folder, "base"))).toBe(0o700);
      expect(await mode(path.join(folder, "base", "key"))).toBe(0o600);
      expect(await mode(path.join(folder, lockFileName))).toBe(0o600);
      expect(await mode(path.join(folder, socketFileName))).toBe(0o600);
      const fresh = newFolder();
      const other = await lockDataFolder(fresh);
      expect(await mode(fresh)).toBe(0o700);
      await other.release();
    } finally {
      await lock.release();
    }
  });
});
