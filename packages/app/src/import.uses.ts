import { randomUUID } from "node:crypto";
import {
  createGuidelineDraft,
  createUseCaseDraft,
  localProvenance,
  recordIri,
  registerSharedModel,
  type Guideline,
  type ImportFile,
  type RecordKind,
  type SharedModel,
  type UseCase,
} from "@leitplanken/core";
import type { UseContext } from "./application.ts";
import { publishRecord } from "./publication.ts";

export interface ImportedRecords {
  guidelines: Guideline[];
  useCases: UseCase[];
  models: SharedModel[];
}

export interface ImportUses {
  /**
   * An import file's records as new local drafts of this node (guidelines, use cases and models),
   * all in one transaction: every record or, when one fails, none. Drafts do not federate: they
   * are published through the usual uses.
   */
  importDrafts(file: ImportFile): Promise<ImportedRecords>;
  /**
   * Stores complete records of this node as they are, e.g. the demo city's (built by core's
   * workflows), and publishes those in a published state, in one transaction.
   */
  seedRecords(records: ImportedRecords): Promise<void>;
}

export function importUses({ transact, identity, now }: UseContext): ImportUses {
  const newIri = (kind: RecordKind) => recordIri(identity.origin, kind, randomUUID());

  async function saveAll(records: ImportedRecords, publish: boolean): Promise<void> {
    await transact(async (stores) => {
      const at = now();
      for (const model of records.models) {
        const saved = await stores.sharedModels.save(model);
        if (!saved.ok) throw new Error(`model ${model.id} was not saved: ${saved.error.type}`);
        if (publish && model.state === "published") await publishRecord(stores, "model", model, at);
      }
      for (const guideline of records.guidelines) {
        const saved = await stores.guidelines.save(guideline);
        if (!saved.ok) throw new Error(`guideline ${guideline.id} was not saved: ${saved.error.type}`);
        if (publish && guideline.state === "published") await publishRecord(stores, "guideline", guideline, at);
      }
      for (const useCase of records.useCases) {
        const saved = await stores.useCases.save(useCase);
        if (!saved.ok) throw new Error(`use case ${useCase.id} was not saved: ${saved.error.type}`);
        if (publish && useCase.workflow.state === "published") await publishRecord(stores, "use-case", useCase, at);
      }
    });
  }

  return {
    async importDrafts(file) {
      const provenance = localProvenance(identity.actor);
      const drafts: ImportedRecords = {
        guidelines: file.guidelines.map((content) =>
          createGuidelineDraft(content, { id: newIri("guideline"), documentId: newIri("guideline-document"), provenance }),
        ),
        useCases: file.useCases.map((content) => createUseCaseDraft(content, { id: newIri("use-case"), provenance })),
        models: file.models.map((content) => registerSharedModel(content, { id: newIri("model"), provenance })),
      };
      await saveAll(drafts, false);
      return drafts;
    },
    seedRecords: (records) => saveAll(records, true),
  };
}
