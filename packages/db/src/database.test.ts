import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { openDatabase, redactUrl } from "./database.ts";
import { storageBackends, testDatabase } from "./test-database.ts";

describe("openDatabase (PGlite in memory)", () => {
  it("returns counts as numbers and rolls back a failed transaction", async () => {
    const db = await openDatabase();
    try {
      await db.query("CREATE TABLE item (id int)");
      await expect(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO item VALUES (1)");
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      const { rows, rowCount } = await db.query<{ n: number }>("SELECT count(*) AS n FROM item");
      expect(rows[0]?.n).toBe(0);
      expect(rowCount).toBe(1);
      await db.query("INSERT INTO item VALUES (1), (2)");
      expect((await db.query("UPDATE item SET id = id + 1")).rowCount).toBe(2);
    } finally {
      await db.close();
    }
  });
});

describe("redactUrl", () => {
  it("hides a password in the user part and in query parameters", () => {
    expect(redactUrl("postgres://u:s3cret@db.example/x")).toBe("postgres://u:***@db.example/x");
    expect(redactUrl("postgres://u@db.example/x?password=s3cret&sslmode=require")).toBe("postgres://u@db.example/x?password=***&sslmode=require");
    expect(redactUrl("not a url")).toBe("(unparseable DATABASE_URL)");
  });
});

describe.each(storageBackends())("Database.listen on %s", (backend) => {
  it("hears NOTIFYs on its channel (from another connection pool too), none of a rolled-back transaction, nothing after unlisten", async () => {
    await using db = await testDatabase({ backend });
    const other = db.schema ? await openDatabase({ url: process.env.DATABASE_URL, schema: db.schema }) : db;
    try {
      const channel = `test_${randomBytes(6).toString("hex")}`;
      const heard: string[] = [];
      const unlisten = await db.listen(channel, { onNotify: (payload) => heard.push(payload) });
      await other.query("SELECT pg_notify($1, 'one')", [channel]);
      await other.query("SELECT pg_notify($1, 'elsewhere')", [`${channel}_x`]);
      await other
        .transaction(async (tx) => {
          await tx.query("SELECT pg_notify($1, 'rolled back')", [channel]);
          throw new Error("roll back");
        })
        .catch(() => {});
      await other.query("SELECT pg_notify($1, 'two')", [channel]);
      await eventually(() => heard.length === 2);
      expect(heard).toEqual(["one", "two"]);

      await unlisten();
      await other.query("SELECT pg_notify($1, 'three')", [channel]);
      await db.query("SELECT 1");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toEqual(["one", "two"]);
      await expect(db.listen("Bad Name; DROP TABLE x", { onNotify() {} })).rejects.toThrow("invalid notification channel name");
    } finally {
      if (other !== db) await other.close();
    }
  });

  if (backend === "postgres") {
    it("listens again after its connection was lost, and says so with onGap", async () => {
      await using db = await testDatabase({ backend });
      const channel = `test_${randomBytes(6).toString("hex")}`;
      const heard: string[] = [];
      let gaps = 0;
      await db.listen(channel, { onNotify: (payload) => heard.push(payload), onGap: () => gaps++ });
      // The listening connection's last statement names our channel, which no other session uses.
      const { rows } = await db.query<{ terminated: boolean }>("SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE query = $1", [
        `LISTEN ${channel}`,
      ]);
      expect(rows).toEqual([{ terminated: true }]);
      await eventually(() => gaps === 1, 10_000);
      await db.query("SELECT pg_notify($1, 'after')", [channel]);
      await eventually(() => heard.includes("after"));
    });
  }
});

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
