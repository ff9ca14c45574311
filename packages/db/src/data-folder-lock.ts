import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, link, lstat, mkdir, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * One process per PGlite folder. PGlite takes no lock of its own: two processes on one folder
 * both write, and acknowledged writes vanish after a restart (electric-sql/pglite#1106). So the
 * folder carries a lock file, checked the way PostgreSQL checks `postmaster.pid`: it names the
 * holder (process id, its start time, host, boot), and a lock whose holder is gone (dead process,
 * reused process id, rebooted machine, a recreated container) is taken over.
 *
 * The holder also listens on a socket in the folder (`leitplanken.sock`, 0600). It proves that
 * the holder lives where a process id cannot (another PID namespace), and it is the node's local
 * admin door: the CLI sends writes through it instead of opening the folder (see `serve`).
 */
export const lockFileName = "leitplanken.pid";
export const socketFileName = "leitplanken.sock";

/** Linux's limit for a socket path (sun_path), terminating NUL included. */
const maxSocketPathBytes = 107;

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Linux's boot id, or `boot-time:SECONDS` elsewhere. */
  boot: string;
  /** The holder's start time in clock ticks after boot (Linux), to tell a reused process id. */
  processStart: string | undefined;
  startedAt: string;
  /** Random, to tell this lock from a later one of the same process. */
  instance: string;
}

/** Another live process holds the folder. */
export class DataFolderInUseError extends Error {
  override name = "DataFolderInUseError";
  readonly folder: string;
  readonly holder: LockHolder;

  constructor(folder: string, holder: LockHolder, reason: "running" | "elsewhere") {
    const who = `process ${holder.pid} on host ${holder.host}, since ${holder.startedAt}`;
    super(
      reason === "running"
        ? `The data folder ${folder} is in use by another Leitplanken process (${who}): stop it first, or set LEITPLANKEN_DATA_DIR to another folder.`
        : `The data folder ${folder} is locked by ${who}, which cannot be checked from here: if no Leitplanken process runs there any more, delete ${path.join(folder, lockFileName)} and start again.`,
    );
    this.folder = folder;
    this.holder = holder;
  }
}

export interface DataFolderLock {
  readonly folder: string;
  readonly holder: LockHolder;
  /** The folder's admin socket, or undefined when its path is too long for a socket. */
  readonly socketPath: string | undefined;
  /** Answers requests on the admin socket (until then it answers 503 "starting"). */
  serve(listener: RequestListener): void;
  /** Whether the lock file still names this lock (an operator or another host may have removed it). */
  stillHeld(): Promise<boolean>;
  /** Stops the socket and removes the lock file. */
  release(): Promise<void>;
}

/** Locks this process holds, so that the same process never counts as its own stale holder. */
const heldHere = new Set<string>();

/**
 * Takes the folder (created 0700 if missing; looser modes of existing files are tightened to
 * 0600/0700, since the folder holds the node's private keys), or throws DataFolderInUseError.
 */
export async function lockDataFolder(folder: string): Promise<DataFolderLock> {
  folder = path.resolve(folder);
  await secureDataFolder(folder);
  const lockFile = path.join(folder, lockFileName);
  const me = await describeThisProcess();
  for (let attempt = 0; ; attempt++) {
    if (await createExclusively(lockFile, `${JSON.stringify(me)}\n`)) break;
    const holder = await readHolder(lockFile);
    if (holder === "missing") continue;
    const verdict = await judge(folder, holder);
    if (verdict !== "stale") throw new DataFolderInUseError(folder, holder as LockHolder, verdict);
    if (attempt >= 20) throw new Error(`Could not take the lock ${lockFile}: it keeps changing.`);
    await removeStaleLock(lockFile, holder);
  }
  heldHere.add(folder);
  try {
    const socket = await listenOnFolderSocket(folder);
    return {
      folder,
      holder: me,
      socketPath: socket?.path,
      serve: (listener) => socket?.serve(listener),
      stillHeld: async () => {
        const current = await readHolder(lockFile);
        return current !== "missing" && current !== "unreadable" && current.instance === me.instance;
      },
      release: async () => {
        await socket?.close();
        const current = await readHolder(lockFile);
        if (current !== "missing" && current !== "unreadable" && current.instance === me.instance) await unlink(lockFile).catch(() => {});
        heldHere.delete(folder);
      },
    };
  } catch (error) {
    await unlink(lockFile).catch(() => {});
    heldHere.delete(folder);
    throw error;
  }
}

/** The folder 0700 and everything in it 0600 (files) or 0700 (folders); nothing is loosened. */
export async function secureDataFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const tighten = async (entry: string, isDirectory: boolean) => {
    const { mode } = await lstat(entry);
    if ((mode & 0o077) === 0) return;
    await chmod(entry, isDirectory ? mode & 0o700 : mode & 0o600);
  };
  await tighten(folder, true);
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isSymbolicLink() || entry.isSocket()) continue;
    await tighten(path.join(entry.parentPath, entry.name), entry.isDirectory()).catch((error: NodeJS.ErrnoException) => {
      // A file PGlite removed meanwhile is no concern.
      if (error.code !== "ENOENT") throw error;
    });
  }
}

/** Whether something answers on the folder's socket (a node holds the folder and is alive). */
export async function folderSocketAnswers(folder: string): Promise<boolean> {
  const socketPath = folderSocketPath(path.resolve(folder));
  if (!socketPath) return false;
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** The folder's socket path, or undefined when it would be too long for a Unix socket. */
export function folderSocketPath(folder: string): string | undefined {
  const socketPath = path.join(folder, socketFileName);
  return Buffer.byteLength(socketPath) <= maxSocketPathBytes ? socketPath : undefined;
}

// Written to a private file and linked into place: link() fails if the lock exists, and a
// reader never sees a half-written lock.
async function createExclusively(file: string, content: string): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(temporary, content, { mode: 0o600, flush: true });
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

async function readHolder(file: string): Promise<LockHolder | "missing" | "unreadable"> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.boot === "string" && typeof parsed.instance === "string") {
      return parsed as LockHolder;
    }
  } catch {
    // fall through
  }
  return "unreadable";
}

/**
 * "stale" when the holder is certainly gone; "running" when it lives; "elsewhere" when it is
 * on another machine that we cannot ask (a folder shared over the network).
 */
async function judge(folder: string, holder: LockHolder | "unreadable"): Promise<"stale" | "running" | "elsewhere"> {
  // Our own lock files are never unreadable (written whole, then linked): someone else's junk.
  if (holder === "unreadable") return "stale";
  const here = await describeThisProcess();
  if (!sameBoot(holder.boot, here.boot)) {
    // Same machine, rebooted: nothing survives a reboot. Another machine: ask its socket.
    if (holder.host === here.host) return "stale";
    return (await folderSocketAnswers(folder)) ? "running" : "elsewhere";
  }
  if (holder.host !== here.host) {
    // Same kernel, other host name: a container. Its process ids are not ours; its socket is.
    return (await folderSocketAnswers(folder)) ? "running" : "stale";
  }
  if (holder.pid === process.pid) return heldHere.has(folder) ? "running" : "stale";
  if (!processAlive(holder.pid)) return "stale";
  // A reused process id: the process living under it started at another time.
  const start = processStartTime(holder.pid);
  if (start !== undefined && holder.processStart !== undefined && start !== holder.processStart) return "stale";
  return "running";
}

/** Removes a stale lock unless it changed meanwhile; one process at a time (a small lock of its own). */
async function removeStaleLock(lockFile: string, stale: LockHolder | "unreadable"): Promise<void> {
  const takeover = `${lockFile}.takeover`;
  if (!(await createExclusively(takeover, String(process.pid)))) {
    // Another process is taking over; a takeover left behind by a crash is old after seconds.
    const age = Date.now() - (await stat(takeover).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > 10_000) await unlink(takeover).catch(() => {});
    else await new Promise((wait) => setTimeout(wait, 100));
    return;
  }
  try {
    const current = await readHolder(lockFile);
    const unchanged = current === "unreadable" || stale === "unreadable" ? current === stale : current !== "missing" && current.instance === stale.instance;
    if (unchanged) await unlink(lockFile).catch(() => {});
  } finally {
    await unlink(takeover).catch(() => {});
  }
}

async function listenOnFolderSocket(folder: string): Promise<{ path: string; serve(listener: RequestListener): void; close(): Promise<void> } | undefined> {
  const socketPath = folderSocketPath(folder);
  if (!socketPath) return undefined;
  // A socket file left by a holder that died: we hold the lock now, so it is no one's.
  await unlink(socketPath).catch(() => {});
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: "The node is starting; try again in a moment." }));
  };
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o600);
  // The socket alone must not keep a process alive (a CLI command that opened the folder).
  server.unref();
  return {
    path: socketPath,
    serve: (listener) => (handler = listener),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let thisProcess: Promise<Omit<LockHolder, "instance" | "startedAt">> | undefined;

async function describeThisProcess(): Promise<LockHolder> {
  thisProcess ??= (async () => ({
    pid: process.pid,
    host: os.hostname(),
    boot: await bootId(),
    processStart: processStartTime(process.pid),
  }))();
  return { ...(await thisProcess), startedAt: new Date().toISOString(), instance: randomBytes(8).toString("hex") };
}

async function bootId(): Promise<string> {
  try {
    return (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim();
  } catch {
    // Not Linux: the boot time (compared with a tolerance, see sameBoot).
    return `boot-time:${Math.round(Date.now() / 1000 - os.uptime())}`;
  }
}

function sameBoot(a: string, b: string): boolean {
  const time = /^boot-time:(\d+)$/;
  const [ta, tb] = [time.exec(a), time.exec(b)];
  // Uptime and clock are read at slightly different moments, and clocks get adjusted.
  if (ta && tb) return Math.abs(Number(ta[1]) - Number(tb[1])) < 120;
  return a === b;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot (Linux only). */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: count from the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
