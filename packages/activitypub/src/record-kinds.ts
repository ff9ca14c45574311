import type {
  FederatedRecord,
  FederatedRecordKind,
  Guideline,
  GuidelineRepository,
  Provenance,
  SharedModel,
  SharedModelRepository,
  UseCase,
  UseCaseRepository,
  Tolerated,
} from "@leitplanken/core";
import { guidelineMapper } from "./guideline.mapper.ts";
import { modelMapper } from "./model.mapper.ts";
import type { JsonDocument } from "./record-proof.ts";
import type { RecordWireType } from "./record-document.ts";
import { useCaseMapper } from "./use-case.mapper.ts";

/** The record repositories of the node; received copies live in them beside our own records. */
export interface RecordRepositories {
  guidelines: GuidelineRepository;
  useCases: UseCaseRepository;
  sharedModels: SharedModelRepository;
}

export const federatedRecordKinds: readonly FederatedRecordKind[] = ["guideline", "use-case", "model"];

/** One kind of record, as federation needs it: its mapper, its repository and what of it is public. */
export interface RecordKindAccess {
  kind: FederatedRecordKind;
  type: RecordWireType;
  get(id: string): Promise<FederatedRecord | null>;
  save(record: FederatedRecord): Promise<{ ok: true } | { ok: false; reason: string }>;
  remove(id: string): Promise<boolean>;
  /** Whether the record may leave the node: published guideline versions and use cases, every model. */
  isPublic(record: FederatedRecord): boolean;
  toDocument(record: FederatedRecord): JsonDocument;
  fromDocument(document: JsonDocument, provenance: Provenance): Tolerated<FederatedRecord>;
}

// Each access is chosen by kind, so the record handed to it is of that kind.
export function recordKindAccess(records: RecordRepositories, kind: FederatedRecordKind): RecordKindAccess {
  switch (kind) {
    case "guideline":
      return {
        kind,
        type: guidelineMapper.type,
        get: (id) => records.guidelines.get(id),
        async save(record) {
          const saved = await records.guidelines.save(record as Guideline);
          return saved.ok ? saved : { ok: false, reason: saved.error.type };
        },
        remove: (id) => records.guidelines.remove(id),
        isPublic: (record) => (record as Guideline).state === "published",
        toDocument: (record) => guidelineMapper.toDocument(record as Guideline),
        fromDocument: (document, provenance) => guidelineMapper.fromDocument(document, provenance),
      };
    case "use-case":
      return {
        kind,
        type: useCaseMapper.type,
        get: (id) => records.useCases.get(id),
        save: async (record) => (await records.useCases.save(record as UseCase), { ok: true }),
        remove: (id) => records.useCases.remove(id),
        isPublic: (record) => (record as UseCase).workflow.state === "published",
        toDocument: (record) => useCaseMapper.toDocument(record as UseCase),
        fromDocument: (document, provenance) => useCaseMapper.fromDocument(document, provenance),
      };
    case "model":
      return {
        kind,
        type: modelMapper.type,
        get: (id) => records.sharedModels.get(id),
        save: async (record) => (await records.sharedModels.save(record as SharedModel), { ok: true }),
        remove: (id) => records.sharedModels.remove(id),
        isPublic: () => true,
        toDocument: (record) => modelMapper.toDocument(record as SharedModel),
        fromDocument: (document, provenance) => modelMapper.fromDocument(document, provenance),
      };
  }
}
