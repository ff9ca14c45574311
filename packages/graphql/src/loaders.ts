import DataLoader from "dataloader";
import type { Guideline, SharedModel, UseCase } from "@leitplanken/core";
import type { RecordRepositories } from "./context.ts";

/** Per-request loaders: one query per kind for all ids a response needs (no N+1), cached for the request only. */
export interface Loaders {
  guideline: DataLoader<string, Guideline | null>;
  /** All versions of a guideline document, oldest first. */
  guidelineVersions: DataLoader<string, Guideline[]>;
  useCase: DataLoader<string, UseCase | null>;
  sharedModel: DataLoader<string, SharedModel | null>;
}

export function createLoaders(records: RecordRepositories): Loaders {
  return {
    guideline: new DataLoader((ids) => records.guidelines.getManyByIds(ids)),
    // The port has no batch read of versions; a response rarely shows more than a few documents.
    guidelineVersions: new DataLoader((documentIds) => Promise.all(documentIds.map((id) => records.guidelines.listVersions(id)))),
    useCase: new DataLoader((ids) => records.useCases.getManyByIds(ids)),
    sharedModel: new DataLoader((ids) => records.sharedModels.getManyByIds(ids)),
  };
}
