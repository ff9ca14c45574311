import express from "express";
import type { Principal } from "@leitplanken/core";
import { pendingMigrations, probeDatabaseWrite, type Database, type DatabaseHealth } from "@leitplanken/db";
import type { Logger } from "./logger.ts";
import { isOperator } from "./operator-access.ts";
import type { NodeMetrics } from "./metrics.ts";

/** How long /readyz waits for the database before it answers 503 (a frozen database must not hold the probe). */
export const READINESS_TIMEOUT_MS = 2_000;

export interface OperationsDeps {
  db: Database;
  logger: Logger;
  metrics: NodeMetrics;
  metricsToken: string | undefined;
  authenticate: (token: string) => Promise<Principal | null>;
}

/** Times every request for the metrics (mount it first, so it sees every answer). */
export function requestMetrics(metrics: NodeMetrics): express.RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    // Taken now: routers mounted on a prefix rewrite req.path while they handle the request.
    const path = req.path;
    res.once("finish", () => metrics.httpRequest(req.method, path, res.statusCode, (performance.now() - started) / 1000));
    next();
  };
}

/**
 * The routes for whoever runs the node: `/healthz` (the process lives), `/readyz` (the
 * database takes a write within READINESS_TIMEOUT_MS and every migration is applied) and
 * `/metrics` (Prometheus). Who may read the metrics and the details: operator-access.ts.
 */
export function operationsRoutes(deps: OperationsDeps): express.Router {
  const { db, logger } = deps;
  const router = express.Router();
  // One probe at a time: against a frozen database, probes must not pile up behind each other.
  let probing: Promise<DatabaseHealth> | undefined;
  const probe = () => {
    probing ??= probeDatabaseWrite(db, READINESS_TIMEOUT_MS).finally(() => (probing = undefined));
    return probing;
  };

  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (req, res) => {
    const health = await probe();
    if (health.state !== "writable") {
      // The details (user names, host names, paths) go to the log, not to whoever asks.
      if (health.state === "not-writable") logger.warn({ err: health.error }, "readiness check failed: the database refuses writes");
      else logger.warn({ timeoutMs: health.timeoutMs }, "readiness check failed: the database did not answer in time");
      res.status(503).json({ status: health.state === "not-writable" ? "database not writable" : "database not answering" });
      return;
    }
    try {
      const pending = await pendingMigrations(db);
      if (pending.length > 0) {
        // Which files wait is the operator's business: named on the machine itself or to an admin.
        const details = await isOperator(req, { authenticate: deps.authenticate });
        res.status(503).json({ status: "migrations pending", ...(details ? { pending } : { pendingCount: pending.length }) });
        return;
      }
    } catch (error) {
      logger.warn({ err: error }, "readiness check failed");
      res.status(503).json({ status: "database unreachable" });
      return;
    }
    res.json({ status: "ready", database: db.kind });
  });
  router.get("/metrics", async (req, res) => {
    if (!(await isOperator(req, { metricsToken: deps.metricsToken, authenticate: deps.authenticate }))) {
      res
        .status(403)
        .type("text/plain")
        .send("Metrics are for whoever runs this node: ask from the server itself, or send Authorization: Bearer with the metrics token or an admin token.\n");
      return;
    }
    deps.metrics.scrape(req, res);
  });
  return router;
}
