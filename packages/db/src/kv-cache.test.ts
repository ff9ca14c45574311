import { setTimeout as sleep } from "node:timers/promises";
import { deepEqual } from "node:assert";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Temporal } from "@js-temporal/polyfill";
import { openDatabase, type Database } from "./database.ts";
import { CachedKvStore } from "./kv-cache.ts";
import { PostgresKvStore } from "./kv-store.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

/** A store on `db` whose statements are counted (the same handle, so the same notifications). */
function countedStore(db: Database) {
  let statements = 0;
  const counted: Database = {
    ...db,
    query: (text, params) => {
      statements++;
      return db.query(text, params);
    },
  };
  const store = new CachedKvStore(new PostgresKvStore(counted), counted);
  return { store, statements: () => statements };
}

/** Equal as JSON values (jest's realm and Node's structuredClone give objects different prototypes). */
function same(actual: unknown, expected: unknown): boolean {
  try {
    deepEqual(actual, expected);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe.each(storageBackends())("CachedKvStore on %s", (backend) => {
  let db: TestDatabase;
  let other: Database;
  beforeAll(async () => {
    db = await testDatabase({ backend });
    // Another process on the same database: on PostgreSQL a pool of its own.
    other = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : db;
  });
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
  });

  it("answers a delivery's reads of the circuit breaker and the signature spec from memory, and skips rewriting the same spec", async () => {
    const { store, statements } = countedStore(db);
    const circuit = ["_fedify", "circuit", "ki.muenster.example"] as const;
    const spec = ["_fedify", "httpMessageSignaturesSpec", "https://ki.muenster.example"] as const;
    // First delivery: both read once, the spec written once.
    expect(await store.get(circuit)).toBeUndefined();
    expect(await store.get(spec)).toBeUndefined();
    await store.set(spec, "rfc9421");
    const first = statements();
    // The next 100 deliveries to the host: nothing reaches the database.
    for (let delivery = 0; delivery < 100; delivery++) {
      expect(await store.get(circuit)).toBeUndefined();
      expect(await store.get(circuit)).toBeUndefined();
      expect(await store.get(spec)).toBe("rfc9421");
      await store.set(spec, "rfc9421");
    }
    expect(statements()).toBe(first);
    // Other keys (idempotence records) always ask the database.
    await store.get(["_fedify", "activityIdempotence", "https://x.example/a"]);
    expect(statements()).toBe(first + 1);
  });

  it("follows its own writes, and another process's writes by NOTIFY", async () => {
    const here = new CachedKvStore(new PostgresKvStore(db), db);
    const there = new CachedKvStore(new PostgresKvStore(other), other);
    const key = ["_fedify", "circuit", "ki.bochum.example"] as const;
    expect(await here.get(key)).toBeUndefined();
    expect(await there.get(key)).toBeUndefined();

    const open = { state: "open", failures: ["2026-12-06T10:00:00Z"], opened: "2026-12-06T10:00:00Z" };
    expect(await there.cas(key, undefined, open)).toBe(true);
    expect(await there.get(key)).toEqual(open);
    await eventually(async () => same(await here.get(key), open));

    // A cas on a stale copy fails in the database, and the copy is dropped.
    const halfOpen = { ...open, state: "half-open", halfOpened: "2026-12-06T10:30:00Z" };
    expect(await here.cas(key, open, halfOpen)).toBe(true);
    expect(await there.cas(key, open, undefined)).toBe(false);
    expect(await there.get(key)).toEqual(halfOpen);
    expect(await there.cas(key, halfOpen, undefined)).toBe(true);
    await eventually(async () => (await here.get(key)) === undefined);

    await here.set(["_fedify", "publicKey", "https://ki.bochum.example/actor#main-key"], { id: "k" });
    await eventually(async () => same(await there.get(["_fedify", "publicKey", "https://ki.bochum.example/actor#main-key"]), { id: "k" }));
    await here.delete(["_fedify", "publicKey", "https://ki.bochum.example/actor#main-key"]);
    await eventually(async () => (await there.get(["_fedify", "publicKey", "https://ki.bochum.example/actor#main-key"])) === undefined);
  });

  it("lets a kept value expire with its ttl, also one read from the database", async () => {
    const store = new CachedKvStore(new PostgresKvStore(db), db);
    const written = ["_fedify", "publicKey", "https://gone.example/actor#key"] as const;
    await store.set(written, null, { ttl: Temporal.Duration.from({ milliseconds: 300 }) });
    expect(await store.get(written)).toBeNull();
    const read = ["_fedify", "remoteDocument", "https://gone.example/actor"] as const;
    await new PostgresKvStore(db).set(read, { document: 1 }, { ttl: Temporal.Duration.from({ milliseconds: 300 }) });
    expect(await store.get(read)).toEqual({ document: 1 });
    await sleep(400);
    expect(await store.get(written)).toBeUndefined();
    expect(await store.get(read)).toBeUndefined();
  });

  it("hands out copies: a caller changing a value changes nothing kept", async () => {
    const store = new CachedKvStore(new PostgresKvStore(db), db);
    const key = ["_fedify", "circuit", "copies.example"] as const;
    await store.set(key, { state: "closed", failures: [] });
    const value = (await store.get<{ state: string; failures: string[] }>(key))!;
    value.failures.push("tampered");
    expect(await store.get(key)).toEqual({ state: "closed", failures: [] });
  });
});
