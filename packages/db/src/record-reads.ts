import { LRUCache } from "lru-cache";
import type { Adoption, Guideline, SharedModel, UseCase, Versioned } from "@leitplanken/core";
import { parseAdoptionRecord, verifiedAdoptionSql } from "./adoption.repository.ts";
import type { Queryable } from "./database.ts";
import { parseGuidelineRecord } from "./guideline.repository.ts";
import { parseSharedModelRecord } from "./model.repository.ts";
import { parseUseCaseRecord } from "./use-case.repository.ts";

/**
 * Reads that a page of the API answers with one statement instead of one per kind of record
 * (issue #16: the bound is one statement). Records are validated as the repositories validate them.
 */

/**
 * Validated records by their stored JSON text: a record read again unchanged (the same text, however
 * it was written) is neither parsed nor validated again; a changed record is another text. Frozen,
 * because every request that reads it shares it. The least recently read go first, beyond
 * `maxTextBytes` of text (the objects take about as much again).
 */
class ValidatedRecords<T extends object> {
  readonly #entries: LRUCache<string, T>;
  readonly #parse: (record: unknown) => T;

  constructor(parse: (record: unknown) => T, maxTextBytes = 4 * 1024 * 1024) {
    this.#parse = parse;
    this.#entries = new LRUCache({ maxSize: maxTextBytes, sizeCalculation: (_record, text) => text.length });
  }

  get(text: string): T {
    let record = this.#entries.get(text);
    if (record === undefined) {
      record = deepFreeze(this.#parse(JSON.parse(text)));
      this.#entries.set(text, record);
    }
    return record;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

const useCases = new ValidatedRecords(parseUseCaseRecord);
const guidelines = new ValidatedRecords(parseGuidelineRecord);
const sharedModels = new ValidatedRecords(parseSharedModelRecord);
const adoptions = new ValidatedRecords(parseAdoptionRecord);

/** A use case as its page shows it: with the models it names (those this node holds) and its verified adoptions, oldest first. */
export interface UseCaseDetail {
  useCase: Versioned<UseCase>;
  models: Versioned<SharedModel>[];
  verifiedAdoptions: Adoption[];
}

/** A record as its stored text (`record::text`), with its lock version. */
interface VersionedRow {
  record: string;
  lock_version: number;
}

export async function readUseCaseDetail(db: Queryable, id: string): Promise<UseCaseDetail | null> {
  const { rows } = await db.query<VersionedRow & { models: VersionedRow[]; adoptions: string[] }>(
    `SELECT u.record::text AS record, u.lock_version,
       coalesce((SELECT json_agg(json_build_object('record', m.record::text, 'lock_version', m.lock_version)) FROM shared_models m WHERE m.id = ANY(u.model_ids)), '[]') AS models,
       coalesce((SELECT json_agg(a.record::text ORDER BY a.published_at, a.seq) FROM adoptions a WHERE a.origin_use_case = u.id AND ${verifiedAdoptionSql}), '[]') AS adoptions
     FROM use_cases u WHERE u.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    useCase: { record: useCases.get(row.record), lockVersion: row.lock_version },
    models: row.models.map((model) => ({ record: sharedModels.get(model.record), lockVersion: model.lock_version })),
    verifiedAdoptions: row.adoptions.map((adoption) => adoptions.get(adoption)),
  };
}

/** A guideline version and a use case (each null when there is none), as `checkUseCase` needs them. */
export async function readGuidelineAndUseCase(
  db: Queryable,
  guidelineId: string,
  useCaseId: string,
): Promise<{ guideline: Versioned<Guideline> | null; useCase: Versioned<UseCase> | null }> {
  const { rows } = await db.query<{ guideline: VersionedRow | null; use_case: VersionedRow | null }>(
    `SELECT (SELECT json_build_object('record', record::text, 'lock_version', lock_version) FROM guideline_versions WHERE id = $1) AS guideline,
       (SELECT json_build_object('record', record::text, 'lock_version', lock_version) FROM use_cases WHERE id = $2) AS use_case`,
    [guidelineId, useCaseId],
  );
  const { guideline, use_case: useCase } = rows[0]!;
  return {
    guideline: guideline && { record: guidelines.get(guideline.record), lockVersion: guideline.lock_version },
    useCase: useCase && { record: useCases.get(useCase.record), lockVersion: useCase.lock_version },
  };
}
