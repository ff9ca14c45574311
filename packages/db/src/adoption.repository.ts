import { type Adoption, type AdoptionListOptions, type AdoptionRepository, adoptionSchema, validateAdoption } from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import { parseRow, provenanceColumns, provenanceValues, removeById } from "./record-query.ts";

export const parseAdoptionRecord = parseRow("adoption", adoptionSchema);
const parse = parseAdoptionRecord;

const columns = ["id", "adopter", "adopting_use_case", "origin_use_case", "origin_use_case_actor", "published_at", ...provenanceColumns, "record"] as const;

/** SQL of core's `adoptionProofVerified`. */
export const verifiedAdoptionSql = "(source = 'local' OR proof_verified)";
const verifiedClause = (options: AdoptionListOptions | undefined) => (options?.verifiedOnly ? ` AND ${verifiedAdoptionSql}` : "");

export function createAdoptionRepository(db: Queryable): AdoptionRepository {
  async function listByOriginUseCases(useCaseIds: readonly string[], options?: AdoptionListOptions): Promise<Adoption[][]> {
    if (useCaseIds.length === 0) return [];
    const rows = await db.query<{ origin_use_case: string; record: unknown }>(
      `SELECT origin_use_case, record FROM adoptions WHERE origin_use_case = ANY($1)${verifiedClause(options)} ORDER BY published_at, seq`,
      [useCaseIds],
    );
    const byUseCase = new Map(useCaseIds.map((id) => [id, [] as Adoption[]]));
    for (const row of rows.rows) byUseCase.get(row.origin_use_case)?.push(parse(row.record));
    return useCaseIds.map((id) => byUseCase.get(id) ?? []);
  }

  return {
    async save(adoption) {
      // A forged claim must never reach the table: every later read of the use case would fail on it.
      const checked = validateAdoption(adoption);
      if (!checked.ok) throw new Error(`not a valid adoption: ${checked.errors.map((error) => `${error.path}: ${error.message.en}`).join("; ")}`);
      const values = [
        adoption.id,
        adoption.adopter,
        adoption.adoptingUseCase,
        adoption.origin.useCase,
        adoption.origin.actor,
        adoption.publishedAt,
        ...provenanceValues(adoption.provenance),
        JSON.stringify(adoption),
      ];
      await db.query(
        `INSERT INTO adoptions (${columns.join(", ")}) VALUES (${values.map((_, index) => `$${index + 1}`).join(", ")})
         ON CONFLICT (id) DO UPDATE SET ${columns
           .slice(1)
           .map((column) => `${column} = EXCLUDED.${column}`)
           .join(", ")}, updated_at = now()`,
        values,
      );
    },

    async get(id) {
      const rows = await db.query<{ record: unknown }>("SELECT record FROM adoptions WHERE id = $1", [id]);
      const row = rows.rows[0];
      return row ? parse(row.record) : null;
    },

    async listByOriginUseCase(useCaseId, options) {
      const [adoptions] = await listByOriginUseCases([useCaseId], options);
      return adoptions ?? [];
    },

    listByOriginUseCases,

    async listByAdopter(adopter, options) {
      const rows = await db.query<{ record: unknown }>(`SELECT record FROM adoptions WHERE adopter = $1${verifiedClause(options)} ORDER BY published_at, seq`, [
        adopter,
      ]);
      return rows.rows.map((row) => parse(row.record));
    },

    remove: (id) => removeById(db, "adoptions", id),
  };
}
