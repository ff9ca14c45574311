import { type SharedModel, type SharedModelRepository, sharedModelSchema, type sharedModelOrderFields } from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import {
  createdOrder,
  getById,
  getManyByIds,
  getManyVersionedByIds,
  getVersionedById,
  listPage,
  lockVersionsByIds,
  nameOrder,
  type OrderKey,
  parseRow,
  provenanceColumns,
  provenanceValues,
  recordFilterConditions,
  removeById,
  saveOutcome,
  searchDocument,
  updatedOrder,
  writeRecordRow,
} from "./record-query.ts";

export const parseSharedModelRecord = parseRow("shared model", sharedModelSchema);
const parse = parseSharedModelRecord;

/** What `list` orders by (core's `sharedModelOrderFields`). */
const orders: Record<(typeof sharedModelOrderFields)[number], OrderKey> = {
  ...createdOrder,
  updated: updatedOrder,
  name: nameOrder("name"),
};

const columns = ["id", "version", "licence", "hosting", "open_weights", "state", ...provenanceColumns, "record"] as const;

export function createSharedModelRepository(db: Queryable): SharedModelRepository {
  return {
    async save(model, options) {
      const values = [
        model.id,
        model.version,
        model.licence,
        model.sovereignty.hosting,
        model.sovereignty.openWeights,
        model.state,
        ...provenanceValues(model.provenance),
        JSON.stringify(model),
      ];
      const search = searchDocument([model.name, model.intendedUse, model.architecture, model.baseModel?.name]);
      return saveOutcome(db, "shared_models", model.id, await writeRecordRow(db, "shared_models", columns, values, search, options));
    },

    get: (id) => getById<SharedModel>(db, "shared_models", id, parse),
    getVersioned: (id) => getVersionedById<SharedModel>(db, "shared_models", id, parse),
    lockVersions: (ids) => lockVersionsByIds(db, "shared_models", ids),

    getManyByIds: (ids) => getManyByIds<SharedModel>(db, "shared_models", ids, parse),
    getManyVersionedByIds: (ids) => getManyVersionedByIds<SharedModel>(db, "shared_models", ids, parse),

    list(filter, page) {
      const conditions = recordFilterConditions(filter)
        .add("hosting = ?", filter.hosting)
        .add("licence = ?", filter.licence)
        .add("open_weights = ?", filter.openWeights)
        .add("state = ANY(?)", filter.states);
      return listPage(db, "shared_models", conditions, page, parse, orders);
    },

    remove: (id) => removeById(db, "shared_models", id),
  };
}
