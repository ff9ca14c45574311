import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { changeNodeSettings, defaultNodeSettings, effectiveNodeSettings, type NodeSettingsStore } from "@leitplanken/core";
import { createNodeSettingsRepository } from "./node-settings.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const defaults = defaultNodeSettings({ cityName: "Stadt Dortmund", municipalityId: "05913000", website: "https://www.dortmund.de/" });

describe.each(storageBackends())("node settings repository on %s", (backend) => {
  let db: TestDatabase;
  let store: NodeSettingsStore;
  beforeAll(async () => {
    db = await testDatabase({ backend });
    store = createNodeSettingsRepository(db);
  });
  afterAll(() => db.close());

  it("holds nothing until an admin saves, then exactly what was saved, and one row only", async () => {
    expect(await store.load()).toBeNull();
    expect(effectiveNodeSettings(defaults, null).settings.cityName).toBe("Stadt Dortmund");

    const first = changeNodeSettings(
      defaults,
      null,
      { imprint: { de: "# Impressum\n\nStadt Dortmund", en: "# Legal notice" }, contact: { email: "ki@dortmund.de" } },
      "Ada Admin",
      new Date("2026-12-01T10:00:00Z"),
    );
    if (!first.ok) throw new Error("valid change refused");
    await store.save(first.value);
    const second = changeNodeSettings(defaults, await store.load(), { cityName: "Dortmund", imprint: null }, "Bert Admin", new Date("2026-12-02T10:00:00Z"));
    if (!second.ok) throw new Error("valid change refused");
    await store.save(second.value);

    const loaded = await store.load();
    expect(loaded).toEqual({
      overrides: { cityName: "Dortmund", contact: { email: "ki@dortmund.de" } },
      updatedAt: "2026-12-02T10:00:00.000Z",
      updatedBy: "Bert Admin",
    });
    const effective = effectiveNodeSettings(defaults, loaded);
    expect(effective.settings).toEqual({ ...defaults, cityName: "Dortmund", contact: { email: "ki@dortmund.de" } });
    expect(effective.overridden).toEqual(["cityName", "contact"]);
    expect((await db.query<{ n: number }>("SELECT count(*) AS n FROM node_settings")).rows[0]?.n).toBe(1);
  });

  it("keeps the settings in the process: a second read costs no statement, a save is read at once, a change elsewhere once announced", async () => {
    let statements = 0;
    const counted = {
      ...db,
      query: ((text: string, params?: unknown[]) => {
        statements += 1;
        return db.query(text, params);
      }) as typeof db.query,
    };
    const kept = createNodeSettingsRepository(counted);
    const first = await kept.load();
    statements = 0;
    expect(await kept.load()).toEqual(first);
    expect(statements).toBe(0);
    const changed = changeNodeSettings(defaults, first, { cityName: "Dortmund (kept)" }, "Ada Admin", new Date("2026-12-03T10:00:00Z"));
    if (!changed.ok) throw new Error("valid change refused");
    await kept.save(changed.value);
    expect((await kept.load())?.overrides.cityName).toBe("Dortmund (kept)");
    // Changed past this process's copy (as another process would): read again once the change is announced.
    await db.query("UPDATE node_settings SET updated_by = 'Bert Admin elsewhere'");
    const deadline = Date.now() + 10_000;
    while ((await kept.load())?.updatedBy !== "Bert Admin elsewhere") {
      if (Date.now() > deadline) throw new Error("the change was not announced within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it("refuses a second row and a non-object in the database itself", async () => {
    await expect(db.query("INSERT INTO node_settings (id, overrides, updated_at, updated_by) VALUES (false, '{}', now(), 'x')")).rejects.toThrow();
    await expect(db.query("UPDATE node_settings SET overrides = '[]'")).rejects.toThrow();
  });
});
