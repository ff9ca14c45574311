import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Temporal } from "@js-temporal/polyfill";
import type { KvKey } from "@fedify/fedify";
import { PostgresKvStore } from "./kv-store.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

async function listed(store: PostgresKvStore, prefix?: KvKey) {
  const entries = [];
  for await (const entry of store.list(prefix)) entries.push(entry);
  return entries;
}

describe.each(storageBackends())("PostgresKvStore on %s", (backend) => {
  let db: TestDatabase;
  let store: PostgresKvStore;

  beforeAll(async () => {
    db = await testDatabase({ backend });
    store = new PostgresKvStore(db);
  });

  afterAll(async () => {
    await db.close();
  });

  it("gets what was set, overwrites it, and deletes it", async () => {
    const key = ["get-set", "https://example.org/actor"] as const;
    expect(await store.get(key)).toBeUndefined();

    await store.set(key, { name: "Dortmund", keys: [1, 2] });
    expect(await store.get(key)).toEqual({ name: "Dortmund", keys: [1, 2] });
    await store.set(key, "plain string");
    expect(await store.get(key)).toBe("plain string");
    expect(await store.get(["get-set"])).toBeUndefined();

    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it("keeps keys whose parts contain commas, quotes and braces apart", async () => {
    const keys: KvKey[] = [
      ["odd", 'a,b"c'],
      ["odd", "{x}"],
      ["odd", "a", "b,c"],
      ["odd", "NULL"],
    ];
    for (const [i, key] of keys.entries()) await store.set(key, i);
    for (const [i, key] of keys.entries()) expect(await store.get(key)).toBe(i);
    expect(await store.get(["odd", "a"])).toBeUndefined();
  });

  it("forgets a value after its ttl", async () => {
    await store.set(["ttl", "short"], 1, { ttl: Temporal.Duration.from({ milliseconds: 300 }) });
    await store.set(["ttl", "long"], 2, { ttl: Temporal.Duration.from({ hours: 1 }) });
    expect(await store.get(["ttl", "short"])).toBe(1);

    await sleep(400);
    expect(await store.get(["ttl", "short"])).toBeUndefined();
    expect(await store.get(["ttl", "long"])).toBe(2);
    expect((await listed(store, ["ttl"])).map((entry) => entry.key)).toEqual([["ttl", "long"]]);

    // Setting again without ttl makes the value permanent.
    await store.set(["ttl", "short"], 3);
    expect(await store.get(["ttl", "short"])).toBe(3);
  });

  it("swaps a value only when the current one is the expected one (compare-and-swap)", async () => {
    const key = ["cas", "counter"] as const;
    expect(await store.cas(key, 1, 2)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.cas(key, undefined, { n: 1 })).toBe(true);
    expect(await store.cas(key, undefined, { n: 9 })).toBe(false);
    expect(await store.cas(key, { n: 2 }, { n: 3 })).toBe(false);
    expect(await store.get(key)).toEqual({ n: 1 });
    expect(await store.cas(key, { n: 1 }, { n: 2 })).toBe(true);
    expect(await store.get(key)).toEqual({ n: 2 });

    await store.set(["cas", "expiring"], "old", { ttl: Temporal.Duration.from({ milliseconds: 100 }) });
    await sleep(200);
    expect(await store.cas(["cas", "expiring"], "old", "new")).toBe(false);
    expect(await store.cas(["cas", "expiring"], undefined, "new")).toBe(true);
    expect(await store.get(["cas", "expiring"])).toBe("new");
  });

  it("lets only one of many concurrent compare-and-swaps from the same value win", async () => {
    const key = ["cas", "race"] as const;
    await store.set(key, 0);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.cas(key, 0, i + 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("lists the entries under a prefix, whole key parts only", async () => {
    await store.set(["list", "a"], 1);
    await store.set(["list", "a", "deep"], 2);
    await store.set(["list", "ab"], 3);
    await store.set(["listing"], 4);

    expect(await listed(store, ["list", "a"])).toEqual([
      { key: ["list", "a"], value: 1 },
      { key: ["list", "a", "deep"], value: 2 },
    ]);
    expect((await listed(store, ["list"])).map((entry) => entry.value)).toEqual([1, 2, 3]);
    expect((await listed(store)).map((entry) => entry.key)).toContainEqual(["listing"]);
  });

  it("refuses a value that JSON cannot hold, and stores nothing", async () => {
    await expect(store.set(["bad"], undefined)).rejects.toThrow(TypeError);
    expect(await listed(store, ["bad"])).toEqual([]);
  });
});
