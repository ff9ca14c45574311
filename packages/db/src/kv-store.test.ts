import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Temporal } from "@js-temporal/polyfill";
import { MemoryKvStore, type KvKey, type KvStore } from "@fedify/fedify";
import { CachedKvStore } from "./kv-cache.ts";
import { PostgresKvStore } from "./kv-store.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

async function listed(store: KvStore, prefix?: KvKey) {
  const entries = [];
  for await (const entry of store.list(prefix)) entries.push(entry);
  return entries;
}

/**
 * Fedify's KvStore contract: the assertions Fedify's own KvStore adapters are tested with
 * (fedify-dev/fedify at ac08358f: `packages/fedify/src/federation/kv.test.ts` for
 * MemoryKvStore, `packages/postgres/src/kv.test.ts`, `packages/sqlite/src/kv.test.ts`,
 * `packages/mysql/src/kv.test.ts`), minus what is about their table layout (initialize, drop,
 * table names). It runs against Fedify's MemoryKvStore too, so that the contract itself is
 * checked against Fedify's reference store. Each test uses its own key prefix.
 */
function kvStoreContract(name: string, open: () => Promise<{ store: KvStore; close(): Promise<void> }>) {
  describe(`Fedify's KvStore contract: ${name}`, () => {
    let store: KvStore;
    let close: () => Promise<void>;
    const cas = (...args: Parameters<NonNullable<KvStore["cas"]>>) => store.cas!(...args);

    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => {
      await close();
    });

    it("set() & get(), a ttl of zero expires at once (MemoryKvStore, PostgresKvStore.get)", async () => {
      await store.set(["get", "foo", "bar"], "foobar");
      expect(await store.get(["get", "foo", "bar"])).toBe("foobar");
      expect(await store.get(["get", "foo"])).toBeUndefined();
      await store.set(["get", "foo", "baz"], "baz", { ttl: Temporal.Duration.from({ seconds: 0 }) });
      await sleep(10);
      expect(await store.get(["get", "foo", "baz"])).toBeUndefined();
    });

    it("set() keeps strings, booleans, objects (PostgresKvStore.set)", async () => {
      await store.set(["set", "baz"], "baz");
      expect(await store.get(["set", "baz"])).toBe("baz");
      await store.set(["set", "qux"], "qux", { ttl: Temporal.Duration.from({ days: 1 }) });
      expect(await store.get(["set", "qux"])).toBe("qux");
      await store.set(["set", "quux"], true);
      expect(await store.get(["set", "quux"])).toBe(true);
      // Upsert (SqliteKvStore.set() - upsert functionality).
      await store.set(["set", "baz"], "baz2");
      expect(await store.get(["set", "baz"])).toBe("baz2");
    });

    it("delete() removes, and deleting what is absent is fine (PostgresKvStore.delete)", async () => {
      await store.set(["delete", "foo"], "bar");
      await store.delete(["delete", "foo"]);
      expect(await store.get(["delete", "foo"])).toBeUndefined();
      await expect(store.delete(["delete", "never"])).resolves.toBeUndefined();
    });

    it("cas() swaps only from the expected value; undefined means absent, both ways (SqliteKvStore.cas, MemoryKvStore)", async () => {
      const key = ["cas", "foo", "bar"] as const;
      await store.set(key, "foobar");
      expect(await cas(key, "bar", "baz")).toBe(false);
      expect(await store.get(key)).toBe("foobar");
      expect(await cas(key, "foobar", "baz")).toBe(true);
      expect(await store.get(key)).toBe("baz");
      await store.delete(key);
      expect(await cas(key, "foobar", "baz")).toBe(false);
      expect(await store.get(key)).toBeUndefined();
      expect(await cas(key, undefined, "baz")).toBe(true);
      expect(await store.get(key)).toBe("baz");
      expect(await cas(key, "baz", undefined)).toBe(true);
      expect(await store.get(key)).toBeUndefined();
    });

    it("cas() to undefined deletes only from the expected value (MysqlKvStore: undefined newValue deletes the key)", async () => {
      await store.set(["cas-delete", "foo"], "bar");
      expect(await cas(["cas-delete", "foo"], "bar", undefined)).toBe(true);
      expect(await store.get(["cas-delete", "foo"])).toBeUndefined();
      await store.set(["cas-delete", "baz"], "qux");
      expect(await cas(["cas-delete", "baz"], "wrong", undefined)).toBe(false);
      expect(await store.get(["cas-delete", "baz"])).toBe("qux");
    });

    it("cas() created → updated → cleared (PostgresKvStore.cas)", async () => {
      const key = ["cas", "missing"] as const;
      expect(await cas(key, "wrong", "value")).toBe(false);
      expect(await cas(key, undefined, "created")).toBe(true);
      expect(await store.get(key)).toBe("created");
      expect(await cas(key, "wrong", "updated")).toBe(false);
      expect(await cas(key, "created", "updated")).toBe(true);
      expect(await store.get(key)).toBe("updated");
      expect(await cas(key, "updated", undefined)).toBe(true);
      expect(await store.get(key)).toBeUndefined();
    });

    it("cas() honours a ttl and a token-safe release (PostgresKvStore.cas() honors TTL)", async () => {
      const key = ["cas", "ttl"] as const;
      expect(await cas(key, undefined, "old-token", { ttl: Temporal.Duration.from({ milliseconds: 10 }) })).toBe(true);
      await sleep(30);
      expect(await cas(key, undefined, "new-token", { ttl: Temporal.Duration.from({ minutes: 1 }) })).toBe(true);
      expect(await cas(key, "old-token", undefined)).toBe(false);
      expect(await store.get(key)).toBe("new-token");
    });

    it("cas() treats an expired entry as absent (MysqlKvStore: expired rows are undefined)", async () => {
      await store.set(["cas-expired", "key"], "old-value", { ttl: Temporal.Duration.from({ milliseconds: 10 }) });
      await sleep(30);
      expect(await cas(["cas-expired", "key"], "old-value", "new-value")).toBe(false);
      expect(await store.get(["cas-expired", "key"])).toBeUndefined();
      expect(await cas(["cas-expired", "key"], undefined, "new-value")).toBe(true);
      expect(await store.get(["cas-expired", "key"])).toBe("new-value");
    });

    it("cas() with a ttl, zero expires at once (MysqlKvStore.cas() with TTL)", async () => {
      expect(await cas(["cas-ttl", "key"], undefined, "value", { ttl: Temporal.Duration.from({ hours: 1 }) })).toBe(true);
      expect(await store.get(["cas-ttl", "key"])).toBe("value");
      expect(await cas(["cas-ttl", "key"], "value", "new-value", { ttl: Temporal.Duration.from({ seconds: 0 }) })).toBe(true);
      await sleep(50);
      expect(await store.get(["cas-ttl", "key"])).toBeUndefined();
    });

    it("cas() lets exactly one of concurrent creates win (PostgresKvStore.cas() allows only one concurrent create)", async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, index) => cas(["cas", "race"], undefined, index)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("complex values: undefined, null, empty string, arrays, objects, false, 0 (SqliteKvStore - complex values)", async () => {
      await store.set(["complex"], { nested: { value: "test" } });
      expect(await store.get(["complex"])).toEqual({ nested: { value: "test" } });
      await store.set(["undefined"], undefined);
      expect(await store.get(["undefined"])).toBeUndefined();
      expect(await cas(["undefined"], undefined, "baz")).toBe(true);
      expect(await store.get(["undefined"])).toBe("baz");
      await store.set(["null"], null);
      expect(await store.get(["null"])).toBeNull();
      expect(await cas(["null"], null, "baz")).toBe(true);
      expect(await store.get(["null"])).toBe("baz");
      await store.set(["empty string"], "");
      expect(await store.get(["empty string"])).toBe("");
      expect(await cas(["empty string"], "", "baz")).toBe(true);
      expect(await store.get(["empty string"])).toBe("baz");
      await store.set(["array"], [1, 2, 3]);
      expect(await cas(["array"], [1, 2, 3], [1, 2, 3, 4])).toBe(true);
      expect(await store.get(["array"])).toEqual([1, 2, 3, 4]);
      await store.set(["object"], { a: 1, b: 2 });
      expect(await store.get(["object"])).toEqual({ b: 2, a: 1 });
      expect(await cas(["object"], { b: 2, a: 1 }, { a: 1, b: 2, c: 3 })).toBe(true);
      expect(await store.get(["object"])).toEqual({ a: 1, b: 2, c: 3 });
      await store.set(["falsy", "false"], false);
      expect(await cas(["falsy", "false"], false, true)).toBe(true);
      expect(await store.get(["falsy", "false"])).toBe(true);
      await store.set(["falsy", "0"], 0);
      expect(await cas(["falsy", "0"], 0, 1)).toBe(true);
      expect(await store.get(["falsy", "0"])).toBe(1);
      for (const key of [["complex"], ["undefined"], ["null"], ["empty string"], ["array"], ["object"], ["falsy", "false"], ["falsy", "0"]] as KvKey[]) {
        await store.delete(key);
      }
    });

    it("list(prefix): the prefix itself and everything under it, expired entries left out (MemoryKvStore, PostgresKvStore.list)", async () => {
      await store.set(["prefix", "a"], "value-a");
      await store.set(["prefix", "b"], "value-b");
      await store.set(["prefix", "nested", "c"], "value-c");
      await store.set(["other", "x"], "value-x");
      await store.set(["prefix"], "exact-match");
      const entries = await listed(store, ["prefix"]);
      expect(entries).toHaveLength(4);
      expect(entries.find((entry) => entry.key.length === 2 && entry.key[1] === "a")?.value).toBe("value-a");
      expect(await listed(store, ["nonexistent"])).toEqual([]);

      await store.set(["expired", "old"], "old-value", { ttl: Temporal.Duration.from({ milliseconds: 1 }) });
      await store.set(["expired", "valid"], "valid-value");
      await sleep(10);
      expect(await listed(store, ["expired"])).toEqual([{ key: ["expired", "valid"], value: "valid-value" }]);

      await store.set(["single"], "value-a");
      await store.set(["singles"], "value-b");
      expect(await listed(store, ["single"])).toHaveLength(1);
    });

    it("list() without a prefix returns every entry", async () => {
      const all = await listed(store);
      expect(all.map((entry) => entry.key)).toEqual(expect.arrayContaining([["prefix"], ["prefix", "nested", "c"], ["other", "x"], ["single"]]));
    });
  });
}

kvStoreContract("Fedify's MemoryKvStore (the reference)", async () => ({ store: new MemoryKvStore(), close: async () => {} }));

for (const backend of storageBackends()) {
  kvStoreContract(`PostgresKvStore on ${backend}`, async () => {
    const db = await testDatabase({ backend });
    return { store: new PostgresKvStore(db), close: () => db.close() };
  });
  // The in-process layer for Fedify's hot keys (kv-cache.ts), with every key kept in memory.
  kvStoreContract(`CachedKvStore (every key hot) over PostgresKvStore on ${backend}`, async () => {
    const db = await testDatabase({ backend });
    return { store: new CachedKvStore(new PostgresKvStore(db), db, { prefixes: [[]] }), close: () => db.close() };
  });
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

  // Asserted by @fedify/postgres's and @fedify/mysql's tests, not by 2.3.6's MemoryKvStore (it
  // calls ttl.round() and lists cleared keys with an undefined value).
  it("takes a duration-like ttl, and a cleared key is gone from list() too", async () => {
    await store.set(["set", "duration-like"], "duration-like", { ttl: { hours: 1 } as Temporal.Duration });
    expect(await store.get(["set", "duration-like"])).toBe("duration-like");
    await store.set(["cas-delete", "foo"], "bar");
    expect(await store.cas(["cas-delete", "foo"], "bar", undefined)).toBe(true);
    expect(await listed(store, ["cas-delete"])).toEqual([]);
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

  it("setting again without a ttl makes a value permanent", async () => {
    await store.set(["ttl", "short"], 1, { ttl: Temporal.Duration.from({ milliseconds: 300 }) });
    await store.set(["ttl", "long"], 2, { ttl: Temporal.Duration.from({ hours: 1 }) });
    await sleep(400);
    expect(await store.get(["ttl", "short"])).toBeUndefined();
    expect(await store.get(["ttl", "long"])).toBe(2);
    await store.set(["ttl", "short"], 3);
    expect(await store.get(["ttl", "short"])).toBe(3);
  });

  it("lists whole key parts only", async () => {
    await store.set(["list", "a"], 1);
    await store.set(["list", "a", "deep"], 2);
    await store.set(["list", "ab"], 3);
    expect(await listed(store, ["list", "a"])).toEqual([
      { key: ["list", "a"], value: 1 },
      { key: ["list", "a", "deep"], value: 2 },
    ]);
  });

  it("refuses a value that JSON cannot hold, and stores nothing", async () => {
    await expect(store.set(["bad"], () => 1)).rejects.toThrow(TypeError);
    await expect(store.set(["bad"], 10n)).rejects.toThrow(TypeError);
    expect(await listed(store, ["bad"])).toEqual([]);
  });

  it("lets only one of many concurrent compare-and-swaps from the same value win, also when clearing", async () => {
    const key = ["cas", "race-clear"] as const;
    await store.set(key, 0);
    const results = await Promise.all([...Array.from({ length: 4 }, (_, i) => store.cas(key, 0, i + 1)), store.cas(key, 0, undefined)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
