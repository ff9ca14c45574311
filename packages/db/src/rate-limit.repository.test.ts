import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chargeRate } from "@leitplanken/core";
import { openDatabase, type Database, type Queryable } from "./database.ts";
import { createRateLimitStore } from "./rate-limit.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

/** A handle that counts the statements sent through it. */
function counting(db: Queryable): { db: Queryable; statements: () => number } {
  let count = 0;
  return {
    db: {
      query: (text, params) => {
        count++;
        return db.query(text, params);
      },
      exec: (sql) => db.exec(sql),
    },
    statements: () => count,
  };
}

describe.each(storageBackends())("rate-limit counters in the database on %s", (backend) => {
  let db: TestDatabase;
  /** Another process's connection: on PostgreSQL a pool of its own; on PGlite the same instance. */
  let elsewhere: Queryable;
  beforeAll(async () => {
    db = await testDatabase({ backend });
    elsewhere = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : db;
  });
  afterAll(async () => {
    if (db.schema) await (elsewhere as Database).close();
    await db.close();
  });

  // The current minute: the store sweeps windows older than it keeps, so a fixed date fails once it is old.
  const window = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const rule = { limit: 10, windowMs: 60_000 };

  it("charges a client with one statement in a window, then in memory, and flushes them in one statement", async () => {
    const here = counting(db);
    const store = createRateLimitStore(here.db, { flushMs: 60_000 });
    const counts: number[] = [];
    for (let index = 0; index < 5; index++) counts.push(await store.add("requests:a", window, 2));
    expect(counts).toEqual([2, 4, 6, 8, 10]);
    // The previous window was read with the first charge.
    expect(await store.add("requests:a", new Date(window.getTime() - 60_000), 0)).toBe(0);
    expect(here.statements()).toBe(1);
    await store.flush();
    expect(here.statements()).toBeLessThanOrEqual(3); // the flush, and the sweep of old windows once a minute
    const { rows } = await db.query<{ points: number }>("SELECT points FROM rate_limit_counters WHERE key = $1 AND window_start = $2", ["requests:a", window]);
    expect(rows.map((row) => Number(row.points))).toEqual([10]);
  });

  it("shares a client's budget between processes: each learns the other's points when it flushes", async () => {
    const one = createRateLimitStore(db, { flushMs: 60_000 });
    const two = createRateLimitStore(elsewhere, { flushMs: 60_000 });
    const at = new Date(window.getTime() + 30_000);
    for (let index = 0; index < 6; index++) expect((await chargeRate(one, rule, "requests:b", 1, at)).allowed).toBe(true);
    await one.flush();
    // The second process's first charge reads the six.
    expect(await two.add("requests:b", window, 1)).toBe(7);
    expect(await two.add("requests:b", window, 1)).toBe(8);
    await two.flush();
    expect(await one.add("requests:b", window, 1)).toBe(7);
    await one.flush();
    // The first process's flush answered with the second's points.
    const decision = await chargeRate(one, rule, "requests:b", 1, at);
    expect(decision).toMatchObject({ allowed: true, used: 10, remaining: 0 });
    expect((await chargeRate(one, rule, "requests:b", 1, at)).allowed).toBe(false);
  });

  it("slides over the previous window's points read with the first charge of the next", async () => {
    const one = createRateLimitStore(db, { flushMs: 60_000 });
    const before = new Date(window.getTime() - 60_000);
    for (let index = 0; index < 10; index++) await one.add("requests:c", before, 1);
    await one.flush();
    const two = createRateLimitStore(elsewhere, { flushMs: 60_000 });
    // A quarter into the next window, three quarters of the previous ten still count.
    const refused = await chargeRate(two, rule, "requests:c", 4, new Date(window.getTime() + 15_000));
    expect(refused.allowed).toBe(false);
    const allowed = await chargeRate(two, rule, "requests:c", 1, new Date(window.getTime() + 45_000));
    expect(allowed.allowed).toBe(true);
  });
});
