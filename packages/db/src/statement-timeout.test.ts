import { describe, expect, it } from "@jest/globals";
import { openDatabase } from "./database.ts";
import { boundedSearch } from "./record-query.ts";
import { storageBackends, testDatabase } from "./test-database.ts";

describe.each(storageBackends())("bounded statements on %s", (backend) => {
  it(
    backend === "postgres"
      ? "cancels a statement that outlives statementTimeoutMs"
      : "cannot interrupt a statement (PGlite runs on the event loop): query shapes are bounded instead",
    async () => {
      // PGlite from the test template (a fresh one spends seconds in initdb); the option has no effect there.
      const db = backend === "postgres" ? await openDatabase({ url: process.env.DATABASE_URL, statementTimeoutMs: 200 }) : await testDatabase({ backend });
      try {
        const started = performance.now();
        const sleep = db.query("SELECT pg_sleep(1.5)");
        if (backend === "postgres") {
          await expect(sleep).rejects.toMatchObject({ code: "57014" });
          expect(performance.now() - started).toBeLessThan(1_400);
        } else {
          await sleep;
          expect(performance.now() - started).toBeGreaterThanOrEqual(1_400);
        }
        // The connection is usable afterwards.
        expect((await db.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
    },
  );
});

describe("boundedSearch", () => {
  it("keeps a search within core's limits whatever the caller passed", () => {
    expect(boundedSearch(undefined)).toBeUndefined();
    expect(boundedSearch("  Straße  ")).toBe("Straße");
    const long = Array.from({ length: 8_000 }, (_, i) => `wort${i}`).join(" ");
    const bounded = boundedSearch(long)!;
    expect(bounded.split(" ")).toHaveLength(12);
    expect(bounded.length).toBeLessThanOrEqual(200);
    expect(boundedSearch("Stra\u0000ße \ud800x")).toBe("Stra ße x");
  });
});
