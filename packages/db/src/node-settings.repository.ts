import { validateNodeSettingsOverrides, type NodeSettingsStore, type StoredNodeSettings } from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import { cachedRead, tablesChanged } from "./table-cache.ts";

interface NodeSettingsRow {
  overrides: unknown;
  updated_at: Date;
  updated_by: string;
}

/**
 * Core's `NodeSettingsStore` on the one-row table `node_settings` (migration 0060). The stored
 * settings are kept in the process until they change (`cachedRead`; migration 0081 announces a
 * change to every process, a save through this process drops the copy at once).
 */
export function createNodeSettingsRepository(db: Queryable): NodeSettingsStore {
  return {
    load: () =>
      cachedRead(db, ["node_settings"], "node_settings", async () => {
        const { rows } = await db.query<NodeSettingsRow>("SELECT overrides, updated_at, updated_by FROM node_settings WHERE id");
        const row = rows[0];
        if (!row) return null;
        const overrides = validateNodeSettingsOverrides(row.overrides);
        // A stored row that no longer validates is a bug (a migration forgot it), not bad input.
        if (!overrides.ok)
          throw new Error(`stored node settings do not validate: ${overrides.errors.map((error) => `${error.path}: ${error.message.en}`).join("; ")}`);
        return { overrides: overrides.value, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by };
      }),
    async save(settings: StoredNodeSettings) {
      await db.query(
        `INSERT INTO node_settings (id, overrides, updated_at, updated_by) VALUES (true, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET overrides = EXCLUDED.overrides, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [JSON.stringify(settings.overrides), settings.updatedAt, settings.updatedBy],
      );
      tablesChanged(db, ["node_settings"]);
    },
  };
}
