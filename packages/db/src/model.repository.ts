import { type SharedModel, type SharedModelRepository, validateSharedModel } from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import {
  getManyByIds,
  listPage,
  parseRow,
  provenanceColumns,
  provenanceValues,
  recordFilterConditions,
  removeById,
  searchDocument,
  searchVectorSql,
} from "./record-query.ts";

const parse = parseRow("shared model", validateSharedModel);

const columns = ["id", "version", "licence", "hosting", "open_weights", ...provenanceColumns, "record"] as const;

export function createSharedModelRepository(db: Queryable): SharedModelRepository {
  return {
    async save(model) {
      const values = [
        model.id,
        model.version,
        model.licence,
        model.sovereignty.hosting,
        model.sovereignty.openWeights,
        ...provenanceValues(model.provenance),
        JSON.stringify(model),
      ];
      const search = searchDocument([model.name, model.intendedUse, model.architecture, model.baseModel?.name]);
      await db.query(
        `INSERT INTO shared_models (${columns.join(", ")}, search)
         VALUES (${values.map((_, index) => `$${index + 1}`).join(", ")}, ${searchVectorSql(values.length + 1)})
         ON CONFLICT (id) DO UPDATE SET ${columns.slice(1).map((column) => `${column} = EXCLUDED.${column}`).join(", ")},
           search = EXCLUDED.search, updated_at = now()`,
        [...values, search.de, search.en, search.other],
      );
    },

    async get(id) {
      const rows = await db.query<{ record: unknown }>("SELECT record FROM shared_models WHERE id = $1", [id]);
      const row = rows.rows[0];
      return row ? parse(row.record) : null;
    },

    getManyByIds: (ids) => getManyByIds<SharedModel>(db, "shared_models", ids, parse),

    list(filter, page) {
      const conditions = recordFilterConditions(filter)
        .add("hosting = ?", filter.hosting)
        .add("licence = ?", filter.licence)
        .add("open_weights = ?", filter.openWeights);
      return listPage(db, "shared_models", conditions, page, parse);
    },

    remove: (id) => removeById(db, "shared_models", id),
  };
}
