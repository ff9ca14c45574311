import { describe, expect, it } from "@jest/globals";
import { openDatabase } from "./database.ts";
import { pendingMigrations } from "./migrate.ts";
import { storageBackends, testDatabase } from "./test-database.ts";

describe("storageBackends", () => {
  it("always offers PGlite and adds PostgreSQL exactly when DATABASE_URL is set", () => {
    expect(storageBackends()).toEqual(process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]);
  });
});

describe.each(storageBackends())("testDatabase on %s", (backend) => {
  it("gives each caller its own migrated database", async () => {
    await using first = await testDatabase({ backend });
    await using second = await testDatabase({ backend });
    expect(first.kind).toBe(backend);
    expect(await pendingMigrations(first)).toEqual([]);

    await first.query("CREATE TABLE only_in_first (id int)");
    const { rows } = await second.query<{ table: string | null }>("SELECT to_regclass('only_in_first')::text AS table");
    expect(rows[0]?.table).toBeNull();
  });

  it("gives an empty database when asked not to migrate", async () => {
    await using db = await testDatabase({ backend, migrate: false });
    expect(await pendingMigrations(db)).toContain("0001_queue_kv.sql");
  });

  if (backend === "postgres") {
    it("drops its schema on close", async () => {
      const db = await testDatabase({ backend });
      const schema = db.schema;
      expect(schema).toMatch(/^test_/);
      await db.close();

      const server = await openDatabase({ url: process.env.DATABASE_URL });
      try {
        const { rows } = await server.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema]);
        expect(rows).toEqual([]);
      } finally {
        await server.close();
      }
    });
  }
});
