import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openDatabase, type Database } from "@leitplanken/db";
import { storageBackends } from "@leitplanken/db/testing";
import { freePort } from "@leitplanken/testkit";
import { loadConfig } from "./config.ts";
import { assembleNode, type RunningNode } from "./node.ts";

// Stands in for a full disk: PostgreSQL answers a write with SQLSTATE 53100 while reads still work.
const failWrites = `
  CREATE OR REPLACE FUNCTION readiness_test_disk_full() RETURNS trigger AS $$
  BEGIN RAISE EXCEPTION 'could not extend file "base/5/16384": No space left on device' USING ERRCODE = '53100'; END $$ LANGUAGE plpgsql;
  CREATE TRIGGER readiness_test_disk_full BEFORE UPDATE ON node_health FOR EACH ROW EXECUTE FUNCTION readiness_test_disk_full()`;

describe.each(storageBackends())("/readyz on %s", (backend) => {
  let node: RunningNode;
  let scratch: string;
  let schema: string | undefined;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "lp-ready-"));
    const port = await freePort();
    let databaseUrl: string | undefined;
    if (backend === "postgres") {
      schema = `readiness_test_${process.pid}`;
      const base = process.env.DATABASE_URL!;
      databaseUrl = `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const admin = await openDatabase({ url: base, schema });
      await admin.close();
    }
    node = await assembleNode(loadConfig({ PORT: String(port), LEITPLANKEN_DATA_DIR: join(scratch, "node"), DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" }), {
      host: "127.0.0.1",
    });
  }, 180_000);
  afterAll(async () => {
    await node?.close();
    if (schema) {
      const admin = await openDatabase({ url: process.env.DATABASE_URL, schema });
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
    await rm(scratch, { recursive: true, force: true });
  });

  const ready = async () => {
    const started = Date.now();
    const response = await fetch(`${node.url}/readyz`);
    return { status: response.status, body: (await response.json()) as { status: string }, milliseconds: Date.now() - started };
  };

  it("is ready while the database takes writes, and not while every write fails (a full disk)", async () => {
    expect(await ready()).toMatchObject({ status: 200, body: { status: "ready", database: backend === "postgres" ? "postgres" : "pglite" } });
    await node.db.exec(failWrites);
    try {
      const refused = await ready();
      expect(refused).toMatchObject({ status: 503, body: { status: "database not writable" } });
      // The cause is for the log, not for whoever asks.
      expect(JSON.stringify(refused.body)).not.toContain("No space left");
      // Reads still work: the public pages would answer, yet the node must not count as ready.
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    } finally {
      await node.db.exec("DROP TRIGGER readiness_test_disk_full ON node_health");
    }
    expect((await ready()).status).toBe(200);
  });

  it("answers 503 within seconds when the database does not answer, instead of hanging", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    // Another connection (PostgreSQL) or the one PGlite connection holds the table until released.
    const holder: Database = backend === "postgres" ? await openDatabase({ url: process.env.DATABASE_URL, schema }) : node.db;
    const transaction = holder.transaction(async (tx) => {
      await tx.query("LOCK TABLE node_health IN ACCESS EXCLUSIVE MODE");
      held();
      await released;
    });
    try {
      await holding;
      const frozen = await ready();
      expect(frozen).toMatchObject({ status: 503, body: { status: "database not answering" } });
      // Bounded by the probe's 2 s timeout; generous here for a busy machine, far below a hang.
      expect(frozen.milliseconds).toBeLessThan(15_000);
    } finally {
      release();
      await transaction;
      if (holder !== node.db) await holder.close();
    }
    expect((await ready()).status).toBe(200);
  });
});
