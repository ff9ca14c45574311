/**
 * Network benchmark (issue 5, acceptance 5): a network of cities (default 10,000: one guideline
 * with 12 principles, 20 use cases and 2 models each) as received copies in one node's PostgreSQL
 * database; p50/p95 of filtered search, comparing five guidelines, network statistics and the
 * lineage of a guideline with 200 forks, each next to hand-written SQL for the same answer in the
 * same run, with the SQL statements per operation. Works in a schema of its own, dropped at the end.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm --filter @leitplanken/db bench:network [--cities 10000] [--iterations 20]
 */
import { parseArgs } from "node:util";
import { compareGuidelines, euCountryCodes, type UseCaseFilter } from "@leitplanken/core";
import { openDatabase, type Queryable } from "../database.ts";
import { cityActor, cityHost, cityRecords, principlesPerGuideline, useCasesPerCity } from "../fixtures/network-records.ts";
import { createGuidelineRepository } from "../guideline.repository.ts";
import { migrate } from "../migrate.ts";
import { createSharedModelRepository } from "../model.repository.ts";
import { lineageSql, networkStatisticsSql } from "../network.repository.ts";
import { createUseCaseRepository } from "../use-case.repository.ts";

const { values: args } = parseArgs({
  options: {
    cities: { type: "string", default: "10000" },
    iterations: { type: "string", default: "20" },
  },
});
const cityCount = Number(args.cities);
const iterations = Number(args.iterations);
const forkCount = 200;
/** Cities generated in full through the repositories; every other city is a copy of one of them. */
const templateCount = 10;
const citiesPerBatch = 1_000;
const warmUp = 2;

const url = process.env["DATABASE_URL"];
if (!url) {
  console.error("bench:network needs DATABASE_URL (a PostgreSQL server), e.g. postgres://postgres@127.0.0.1:5432/test");
  process.exit(1);
}
if (!Number.isInteger(cityCount) || cityCount <= forkCount || !Number.isInteger(iterations) || iterations < 1) {
  console.error(`--cities must be an integer above ${forkCount} and --iterations a positive integer`);
  process.exit(1);
}

/** A Queryable that counts the statements sent through it. */
function counting(db: Queryable): Queryable & { statements: number } {
  const counter = {
    statements: 0,
    query: ((text, params) => {
      counter.statements += 1;
      return db.query(text, params);
    }) as Queryable["query"],
    exec: (sql: string) => {
      counter.statements += 1;
      return db.exec(sql);
    },
  };
  return counter;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

async function timed(run: () => Promise<unknown>): Promise<number[]> {
  for (let index = 0; index < warmUp; index += 1) await run();
  const samples: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

interface Row {
  operation: string;
  ours: number[];
  hand: number[];
  statements: number;
}

const schema = `bench_network_${process.pid}`;
const db = await openDatabase({ url, schema, maxConnections: 2 });
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

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
      type === "text" ? `replace(src.${name}, ${oldHost}, ${newHost})`
      : type === "jsonb" ? `replace(src.${name}::text, ${oldHost}, ${newHost})::jsonb`
      : type === "ARRAY" ? `replace(src.${name}::text, ${oldHost}, ${newHost})::text[]`
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

async function generate(): Promise<void> {
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
  // 150 forks of city 0's guideline and 50 forks of those forks: one tree of 201 documents.
  const versionOf = (index: number) => `https://${cityHost(index)}/guideline/ki-leitlinie-1.0`;
  const forks = Array.from({ length: forkCount }, (_, offset) => offset + 1);
  await db.query(
    `UPDATE guideline_versions SET forked_from = fork.origin, record = jsonb_set(record, '{origin}', to_jsonb(fork.origin))
     FROM unnest($1::text[], $2::text[]) AS fork(id, origin) WHERE guideline_versions.id = fork.id`,
    [forks.map(versionOf), forks.map((index) => versionOf(index <= 150 ? 0 : index - 150))],
  );
  await db.exec("ANALYZE guideline_documents, guideline_versions, use_cases, shared_models, adoptions");
  const { rows } = await db.query<{ guidelines: number; use_cases: number; models: number }>(
    "SELECT (SELECT count(*) FROM guideline_versions) AS guidelines, (SELECT count(*) FROM use_cases) AS use_cases, (SELECT count(*) FROM shared_models) AS models",
  );
  const counts = rows[0];
  const total = (counts?.guidelines ?? 0) + (counts?.use_cases ?? 0) + (counts?.models ?? 0);
  log(`generated ${cityCount} cities: ${counts?.guidelines} guidelines (${principlesPerGuideline} principles), ${counts?.use_cases} use cases (${useCasesPerCity} per city), ${counts?.models} models = ${total} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The page and the total count in one statement. */
const searchSql = (where: string) =>
  `SELECT record, (SELECT count(*) FROM use_cases WHERE ${where}) AS total FROM use_cases WHERE ${where} ORDER BY seq DESC LIMIT 21`;
const fullText = "search @@ (plainto_tsquery('german', $1) || plainto_tsquery('english', $1) || plainto_tsquery('simple', $1))";

/** The statistics' figures in one hand-written statement. */
const handStatisticsSql = `
  WITH published AS (SELECT * FROM use_cases WHERE workflow_state = 'published'),
  known AS (SELECT origin_actor AS actor FROM guideline_versions UNION SELECT origin_actor FROM use_cases
    UNION SELECT origin_actor FROM shared_models UNION SELECT origin_actor FROM adoptions
    UNION SELECT actor_id FROM federation_following WHERE state = 'accepted'),
  used AS (SELECT model, count(DISTINCT id) AS use_cases, count(DISTINCT origin_actor) AS cities FROM published CROSS JOIN unnest(model_ids) AS model GROUP BY model),
  reuse AS (SELECT coalesce(m.id, used.model) AS model, m.record -> 'name' AS name, coalesce(used.use_cases, 0) AS use_cases, coalesce(used.cities, 0) AS cities
    FROM shared_models m FULL JOIN used ON used.model = m.id)
  SELECT json_build_object(
    'useCases', (SELECT json_build_object('count', count(*), 'cities', count(DISTINCT origin_actor), 'kwh', sum(kwh_per_year), 'reporting', count(kwh_per_year),
        'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY kwh_per_year), 'perRequestOnly', count(*) FILTER (WHERE energy_stated AND kwh_per_year IS NULL),
        'withoutEstimate', count(*) FILTER (WHERE NOT energy_stated), 'compensated', count(kwh_per_year) FILTER (WHERE energy_compensated),
        'compensatedKwh', sum(kwh_per_year) FILTER (WHERE energy_compensated), 'citizenFacing', count(*) FILTER (WHERE directly_affects_citizens),
        'sovereigntyStated', count(sovereignty_hosting), 'openWeights', count(*) FILTER (WHERE sovereignty_open_weights),
        'eu', count(*) FILTER (WHERE sovereignty_jurisdiction = ANY($1))) FROM published),
    'distribution', (SELECT json_object_agg(bucket, n) FROM (SELECT width_bucket(kwh_per_year, ARRAY[0, 10, 100, 1000, 10000]::numeric[]) AS bucket, count(*) AS n FROM published WHERE kwh_per_year IS NOT NULL GROUP BY 1) d),
    'risk', (SELECT json_object_agg(coalesce(risk_class, 'unstated'), n) FROM (SELECT risk_class, count(*) AS n FROM published GROUP BY 1) r),
    'automation', (SELECT json_object_agg(automation_level, n) FROM (SELECT automation_level, count(*) AS n FROM published WHERE directly_affects_citizens GROUP BY 1) a),
    'hosting', (SELECT json_object_agg(coalesce(sovereignty_hosting, 'unstated'), n) FROM (SELECT sovereignty_hosting, count(*) AS n FROM published GROUP BY 1) h),
    'models', (SELECT json_build_object('count', count(*), 'openWeights', count(*) FILTER (WHERE open_weights)) FROM shared_models),
    'modelHosting', (SELECT json_object_agg(hosting, n) FROM (SELECT hosting, count(*) AS n FROM shared_models GROUP BY 1) m),
    'modelReuse', (SELECT json_agg(reuse ORDER BY cities DESC, use_cases DESC, model COLLATE "C") FROM reuse),
    'uncovered', (SELECT json_agg(actor ORDER BY actor COLLATE "C") FROM known WHERE NOT EXISTS (SELECT 1 FROM use_cases u WHERE u.origin_actor = known.actor AND u.workflow_state = 'published')),
    'known', (SELECT count(*) FROM known)) AS statistics`;

/** The fork tree under a version: the rows a tree is drawn from. */
const handLineageSql = `
  WITH RECURSIVE tree(document_id) AS (
    SELECT document_id FROM guideline_versions WHERE id = $1
    UNION
    SELECT fork.document_id FROM tree JOIN guideline_versions mine ON mine.document_id = tree.document_id JOIN guideline_versions fork ON fork.forked_from = mine.id)
  SELECT id, document_id, version, published_at, forked_from, origin_actor, record -> 'title' AS title
  FROM guideline_versions WHERE document_id IN (SELECT document_id FROM tree)`;

async function measure(): Promise<Row[]> {
  const rows: Row[] = [];
  async function add(operation: string, ours: (q: Queryable) => Promise<unknown>, hand: () => Promise<unknown>) {
    const counter = counting(db);
    await ours(counter);
    const statements = counter.statements;
    const oursSamples = await timed(() => ours(db));
    const handSamples = await timed(hand);
    rows.push({ operation, ours: oursSamples, hand: handSamples, statements });
    log(`measured: ${operation}`);
  }

  const allCities: UseCaseFilter = { search: "Chatbot", workflowState: "published", riskClass: "limited" };
  await add(
    "filtered search, all cities (list + full text, 20 per page)",
    (q) => createUseCaseRepository(q).list(allCities, { first: 20 }),
    () => db.query(searchSql(`${fullText} AND workflow_state = 'published' AND risk_class = 'limited'`), ["Chatbot"]),
  );
  const chosen = Array.from({ length: 100 }, (_, index) => cityActor(index * Math.floor(cityCount / 100)));
  await add(
    "filtered search, 100 chosen cities",
    (q) => createUseCaseRepository(q).list({ search: "Posteingang", originActors: chosen, directlyAffectsCitizens: false }, { first: 20 }),
    () => db.query(searchSql(`${fullText} AND origin_actor = ANY($2) AND directly_affects_citizens = false`), ["Posteingang", chosen]),
  );
  const five = [1, 2, 3, 4, 5].map((part) => Math.floor((part * cityCount) / 6)).map((index) => `https://${cityHost(index)}/guideline/ki-leitlinie-1.0`);
  await add(
    "compare five guidelines (load 5 + compareGuidelines)",
    async (q) => {
      const loaded = await createGuidelineRepository(q).getManyByIds(five);
      const result = compareGuidelines(loaded.flatMap((guideline) => (guideline ? [guideline] : [])), { language: "de" });
      if (!result.ok || result.comparison.versions.length !== 5) throw new Error("compare failed");
    },
    () => db.query("SELECT record FROM guideline_versions WHERE id = ANY($1)", [five]),
  );
  await add(
    "network statistics, all cities (SQL)",
    (q) => networkStatisticsSql(q),
    () => db.query(handStatisticsSql, [[...euCountryCodes]]),
  );
  const root = `https://${cityHost(0)}/guideline/ki-leitlinie-1.0`;
  const tree = await lineageSql(db, root);
  const size = (node: NonNullable<typeof tree>): number => 1 + node.children.reduce((sum, child) => sum + size(child), 0);
  if (tree === null || size(tree) !== forkCount + 1) throw new Error(`lineage has ${tree === null ? 0 : size(tree)} documents, expected ${forkCount + 1}`);
  await add(
    `lineage of a guideline with ${forkCount} forks (recursive CTE + buildLineage)`,
    (q) => lineageSql(q, root),
    () => db.query(handLineageSql, [root]),
  );
  return rows;
}

function report(rows: Row[]): void {
  const format = (value: number) => value.toFixed(1).padStart(8);
  console.log(`\nbench:network, ${cityCount} cities, PostgreSQL, ${iterations} iterations after ${warmUp} warm-up (ms)`);
  console.log(`${"operation".padEnd(66)}  ours p50  ours p95   SQL p50   SQL p95  ratio p50  statements`);
  for (const row of rows) {
    const [p50, p95, handP50, handP95] = [percentile(row.ours, 50), percentile(row.ours, 95), percentile(row.hand, 50), percentile(row.hand, 95)];
    console.log(`${row.operation.padEnd(66)}${format(p50)}  ${format(p95)}  ${format(handP50)}  ${format(handP95)}  ${(p50 / handP50).toFixed(2).padStart(8)}×  ${String(row.statements).padStart(6)}`);
  }
}

try {
  await migrate(db);
  await generate();
  report(await measure());
} finally {
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.close();
}
