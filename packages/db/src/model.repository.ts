import { type SharedModel, type SharedModelRepository, sharedModelSchema } from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import {
  getById,
  getManyByIds,
  listPage,
  parseRow,
  provenanceColumns,
  provenanceValues,
  recordFilterConditions,
  removeById,
  searchDocument,
  upsertRecordSql,
} from "./record-query.ts";

const parse = parseRow("shared model", sharedModelSchema);

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
      await db.query(upsertRecordSql("shared_models", columns), [...values, search.de, search.en, search.other]);
    },

    get: (id) => getById<SharedModel>(db, "shared_models", id, parse),

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
