// The network benchmark's data: generated cities stored with the real repositories, as received copies.
import { createGuidelineRepository, createSharedModelRepository, createUseCaseRepository, type Database, type Queryable } from "@leitplanken/db";
import { cityActor, cityHost, cityRecords, principlesPerGuideline, useCasesPerCity } from "@leitplanken/db/testing";

export { cityActor, cityHost } from "@leitplanken/db/testing";

/** Cities generated in full through the repositories; every other city is a copy of one of them. */
const templateCount = 10;
const citiesPerBatch = 1_000;

/** The IRI of a generated city's guideline version. */
export const cityGuidelineVersion = (index: number) => `https://${cityHost(index)}/guideline/ki-leitlinie-1.0`;

/** Copies the template cities' rows to the cities in [from, to): every IRI gets the new city's host. */
async function cloneCities(tx: Queryable, from: number, to: number): Promise<void> {
  const templateActors = Array.from({ length: templateCount }, (_, index) => cityActor(index));
  for (const table of ["guideline_documents", "guideline_versions", "use_cases", "shared_models"]) {
    const { rows: columns } = await tx.query<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' AND is_identity = 'NO'
       ORDER BY ordinal_position`,
      [table],
    );
    const newHost = `'city-' || city || '.network.example'`;
    const oldHost = `'city-' || (city % ${templateCount}) || '.network.example'`;
    const copy = ({ name, type }: { name: string; type: string }) =>
      type === "text"
        ? `replace(src.${name}, ${oldHost}, ${newHost})`
        : type === "jsonb"
          ? `replace(src.${name}::text, ${oldHost}, ${newHost})::jsonb`
          : type === "ARRAY"
            ? `replace(src.${name}::text, ${oldHost}, ${newHost})::text[]`
            : `src.${name}`;
    await tx.query(
      `INSERT INTO ${table} (${columns.map((column) => column.name).join(", ")})
       SELECT ${columns.map(copy).join(", ")}
       FROM generate_series($1::int, $2::int) AS city
       JOIN ${table} AS src ON src.origin_actor = ($3::text[])[city % ${templateCount} + 1]`,
      [from, to - 1, templateActors],
    );
  }
}

/**
 * `cityCount` cities (one guideline with 12 principles, 20 use cases and 2 models each) as
 * received copies, and a fork tree under city 0's guideline: `forkCount` forks (three quarters
 * of city 0's version, the rest forks of those forks). Returns a line that describes what was stored.
 */
export async function generateNetwork(db: Database, cityCount: number, forkCount: number, log: (message: string) => void): Promise<string> {
  const started = performance.now();
  await db.transaction(async (tx) => {
    const [guidelines, useCases, models] = [createGuidelineRepository(tx), createUseCaseRepository(tx), createSharedModelRepository(tx)];
    for (let index = 0; index < templateCount; index += 1) {
      const city = cityRecords(index);
      const saved = await guidelines.save(city.guideline);
      if (!saved.ok) throw new Error(`template guideline not saved: ${saved.error.type}`);
      for (const useCase of city.useCases) await useCases.save(useCase);
      for (const model of city.models) await models.save(model);
    }
  });
  for (let from = templateCount; from < cityCount; from += citiesPerBatch) {
    const to = Math.min(cityCount, from + citiesPerBatch);
    await db.transaction((tx) => cloneCities(tx, from, to));
    log(`cities ${to}/${cityCount}`);
  }
  const direct = Math.floor((forkCount * 3) / 4);
  const forks = Array.from({ length: forkCount }, (_, offset) => offset + 1);
  await db.query(
    `UPDATE guideline_versions SET forked_from = fork.origin, record = jsonb_set(record, '{origin}', to_jsonb(fork.origin))
     FROM unnest($1::text[], $2::text[]) AS fork(id, origin) WHERE guideline_versions.id = fork.id`,
    [forks.map(cityGuidelineVersion), forks.map((index) => cityGuidelineVersion(index <= direct ? 0 : index - direct))],
  );
  await db.exec("ANALYZE guideline_documents, guideline_versions, use_cases, shared_models, adoptions");
  const { rows } = await db.query<{ guidelines: number; use_cases: number; models: number }>(
    "SELECT (SELECT count(*) FROM guideline_versions) AS guidelines, (SELECT count(*) FROM use_cases) AS use_cases, (SELECT count(*) FROM shared_models) AS models",
  );
  const counts = rows[0];
  const total = (counts?.guidelines ?? 0) + (counts?.use_cases ?? 0) + (counts?.models ?? 0);
  return `${cityCount} cities: ${counts?.guidelines} guidelines (${principlesPerGuideline} principles), ${counts?.use_cases} use cases (${useCasesPerCity} per city), ${counts?.models} models = ${total} records in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}
