// Staff sessions in the database, as the node keeps them for several web processes: what one
// process's store writes, another's reads; a sign-out holds everywhere; and the stored rows
// neither sign anyone in nor show an API token.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createSessionPersistence } from "@leitplanken/db";
import { storageBackends, testDatabase, type TestDatabase } from "@leitplanken/db/testing";
import { SessionStore } from "@leitplanken/web";

describe.each(storageBackends())("sessions in the database (%s)", (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase({ backend });
  });
  afterAll(async () => {
    await db?.close();
  });

  const storedRows = async () =>
    (await db.query<{ key: string[]; value: string }>("SELECT key, value FROM fedify_kv WHERE key[2] = 'session'")).rows.map((row) => ({
      key: row.key.join("/"),
      value: JSON.stringify(row.value),
    }));

  it("a session made by one process is known to another, and a sign-out ends it on both", async () => {
    const one = new SessionStore({ persistence: createSessionPersistence(db) });
    const other = new SessionStore({ persistence: createSessionPersistence(db) });
    const anonymous = await one.create();
    await other.load([anonymous.id]);
    expect(other.get(anonymous.id)?.csrfToken).toBe(anonymous.csrfToken);

    const signedIn = await other.signIn(other.get(anonymous.id), {
      apiToken: "lp_secret-token-of-erika",
      principal: { name: "Erika Beispiel", role: "editor" },
    });
    await one.load([anonymous.id, signedIn.id]);
    // The anonymous session is gone on both; the signed-in one is there with its token and principal.
    expect(one.get(anonymous.id)).toBeUndefined();
    expect(one.get(signedIn.id)).toEqual(signedIn);

    const rows = await storedRows();
    expect(rows).toHaveLength(1);
    for (const secret of [signedIn.id, signedIn.csrfToken, "lp_secret-token-of-erika", "Erika"]) {
      expect(rows[0]!.key).not.toContain(secret);
      expect(rows[0]!.value).not.toContain(secret);
    }

    await other.destroy(signedIn.id);
    await one.load([signedIn.id]);
    expect(one.get(signedIn.id)).toBeUndefined();
    expect(await storedRows()).toEqual([]);
  });

  it("ignores ids it never issued, changed rows and expired sessions", async () => {
    let now = Date.now();
    const store = new SessionStore({ persistence: createSessionPersistence(db), ttlMs: 60_000, now: () => now });
    const reader = new SessionStore({ persistence: createSessionPersistence(db), now: () => now });
    // Garbage, a huge value and a well-formed id nobody issued: nothing loaded, nothing thrown.
    await reader.load(["' OR 1=1 --", "A".repeat(100_000), "A".repeat(43), undefined, ""]);
    expect(reader.get("A".repeat(43))).toBeUndefined();

    const session = await store.create();
    await db.query("UPDATE fedify_kv SET value = to_jsonb('AAAA' || (value #>> '{}')) WHERE key[2] = 'session'");
    await reader.load([session.id]);
    expect(reader.get(session.id)).toBeUndefined();

    const later = await store.create();
    now += 60_001;
    await reader.load([later.id]);
    expect(reader.get(later.id)).toBeUndefined();
  });
});
