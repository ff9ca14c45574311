import { request } from "node:http";
import express from "express";
import type { Role } from "@leitplanken/core";
import {
  AccessTokenNameTakenError,
  createAccessToken,
  dumpDatabase,
  InvalidAccessTokenError,
  listAccessTokens,
  pendingMigrations,
  revokeAccessToken,
  type Database,
} from "@leitplanken/db";
import type { Application } from "@leitplanken/app";
import type { Logger } from "./logger.ts";
import { importFile, type ImportProblem } from "./records.ts";

/**
 * The node's local admin door: HTTP on the Unix socket in its data folder (0600 in a 0700
 * folder, so only the operating-system user who runs the node, and root, can connect). The
 * `leitplanken` commands that write (`token`, `import`) go through it while a node holds the
 * folder, instead of opening a database that is in use. Whoever can connect is an admin; each
 * write is logged with what it did, never with a secret.
 */
export function adminSocketHandler(deps: {
  db: Database;
  app: Application;
  logger: Logger;
  version: string;
  handle: string;
  /** The node's public origin, written into backups (a restore insists on it). */
  origin: string;
}): express.Express {
  const { db, logger } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "20mb" }));

  app.get("/v1/status", async (_req, res) => {
    res.json({ version: deps.version, handle: deps.handle, pid: process.pid, database: db.kind, pendingMigrations: await pendingMigrations(db) });
  });

  app.get("/v1/tokens", async (_req, res) => {
    res.json({ tokens: await listAccessTokens(db) });
  });

  app.post("/v1/tokens", async (req, res) => {
    const { name, role } = (req.body ?? {}) as { name?: unknown; role?: unknown };
    try {
      // Validated where the API's tokens are (core), so both doors accept the same names.
      const created = await createAccessToken(db, { name: typeof name === "string" ? name.trim() : (name as string), role: role as Role });
      logger.info({ apiToken: { id: created.info.id, name: created.info.name, role: created.info.role }, via: "admin socket" }, "API token created");
      res.status(201).json(created);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) res.status(400).json({ error: error.message });
      else if (error instanceof AccessTokenNameTakenError) res.status(409).json({ error: error.message });
      else throw error;
    }
  });

  app.post("/v1/tokens/:id/revoke", async (req, res) => {
    let revoked: boolean;
    try {
      revoked = await revokeAccessToken(db, req.params.id);
    } catch (error) {
      // The last active admin token: the node would have no admin left.
      if (!(error instanceof InvalidAccessTokenError)) throw error;
      res.status(409).json({ error: error.message });
      return;
    }
    if (!revoked) {
      res.status(404).json({ error: `No active token with id "${req.params.id}" (see: leitplanken token list).` });
      return;
    }
    logger.info({ apiToken: { id: req.params.id }, via: "admin socket" }, "API token revoked");
    res.json({ revoked: req.params.id });
  });

  app.post("/v1/import", async (req, res) => {
    const { text } = (req.body ?? {}) as { text?: unknown };
    if (typeof text !== "string") {
      res.status(400).json({ error: "The import needs the file's text." });
      return;
    }
    const outcome = await importFile(deps.app, text);
    if (!outcome.ok) {
      res.status(422).json({ problems: outcome.problems });
      return;
    }
    logger.info({ imported: outcome.counts, via: "admin socket" }, "records imported as drafts");
    res.json(outcome.counts);
  });

  // A consistent copy of the database while the node goes on (the CLI seals and writes it).
  app.post("/v1/backup", async (_req, res) => {
    const started = performance.now();
    const dump = await dumpDatabase(db, { softwareVersion: deps.version, origin: deps.origin });
    logger.info({ bytes: dump.length, durationMs: Math.round(performance.now() - started), via: "admin socket" }, "backup taken");
    res.type("application/gzip").send(dump);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: "No such admin command." });
  });
  app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // Body parser errors (malformed JSON, too large) carry their 4xx status.
    const status = error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, "admin socket request failed");
    res.status(status).json({ error: error.message });
  });
  return app;
}

/** An answer of the running node through its admin socket. */
export interface AdminAnswer<T> {
  status: number;
  body: T & { error?: string; problems?: ImportProblem[] };
}

/** Sends one request to the node that holds the data folder, through its admin socket; the answer's bytes. */
export function requestAdminSocket(
  socketPath: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<{ status: number; type: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        timeout: 600_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), bytes: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("The running node did not answer within 10 minutes.")));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Sends one request to the node that holds the data folder, through its admin socket; the answer as JSON. */
export async function callAdminSocket<T>(socketPath: string, method: "GET" | "POST", path: string, body?: unknown): Promise<AdminAnswer<T>> {
  const answer = await requestAdminSocket(socketPath, method, path, body);
  try {
    return { status: answer.status, body: JSON.parse(answer.bytes.toString("utf8")) as AdminAnswer<T>["body"] };
  } catch {
    throw new Error(`The running node answered something unexpected (HTTP ${answer.status}).`);
  }
}
