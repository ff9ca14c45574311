import { describe, expect, it } from "@jest/globals";
import { openDatabase, redactUrl } from "./database.ts";

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
