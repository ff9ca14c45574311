import { type UseCase, type UseCaseRepository, useCaseSchema, type useCaseOrderFields } from "@leitplanken/core";
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

export const parseUseCaseRecord = parseRow("use case", useCaseSchema);
const parse = parseUseCaseRecord;

/** What `list` orders by (core's `useCaseOrderFields`). */
const orders: Record<(typeof useCaseOrderFields)[number], OrderKey> = {
  ...createdOrder,
  updated: updatedOrder,
  name: nameOrder("name"),
};

const columns = [
  "id",
  "workflow_state",
  "status",
  "risk_class",
  "automation_level",
  "directly_affects_citizens",
  "department",
  "model_ids",
  "adopted_from",
  ...provenanceColumns,
  "record",
] as const;

export function createUseCaseRepository(db: Queryable): UseCaseRepository {
  return {
    async save(useCase, options) {
      const values = [
        useCase.id,
        useCase.workflow.state,
        useCase.status,
        useCase.risk.aiActClass ?? null,
        useCase.decisionProcess.automationLevel,
        useCase.decisionProcess.directlyAffectsCitizens,
        useCase.department,
        useCase.models.map((reference) => reference.model),
        useCase.adoptedFrom ?? null,
        ...provenanceValues(useCase.provenance),
        JSON.stringify(useCase),
      ];
      const search = searchDocument([useCase.name, useCase.shortDescription, useCase.purpose, useCase.department]);
      return saveOutcome(db, "use_cases", useCase.id, await writeRecordRow(db, "use_cases", columns, values, search, options));
    },

    get: (id) => getById<UseCase>(db, "use_cases", id, parse),
    getVersioned: (id) => getVersionedById<UseCase>(db, "use_cases", id, parse),
    lockVersions: (ids) => lockVersionsByIds(db, "use_cases", ids),

    getManyByIds: (ids) => getManyByIds<UseCase>(db, "use_cases", ids, parse),
    getManyVersionedByIds: (ids) => getManyVersionedByIds<UseCase>(db, "use_cases", ids, parse),

    list(filter, page) {
      const conditions = recordFilterConditions(filter)
        .add("workflow_state = ?", filter.workflowState)
        .add("status = ?", filter.status)
        .add("risk_class = ?", filter.riskClass)
        .add("automation_level = ?", filter.automationLevel)
        .add("directly_affects_citizens = ?", filter.directlyAffectsCitizens)
        .add("department = ?", filter.department)
        .add("? = ANY(model_ids)", filter.model)
        .add("adopted_from = ?", filter.adoptedFrom);
      return listPage(db, "use_cases", conditions, page, parse, orders);
    },

    remove: (id) => removeById(db, "use_cases", id),
  };
}
