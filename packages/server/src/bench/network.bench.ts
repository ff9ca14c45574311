/**
 * Network benchmark (issues 5 and 16): a network of cities (default 10,000: one guideline with 12
 * principles, 20 use cases and 2 models each) as received copies in one node's PostgreSQL database;
 * p50/p95 of filtered search, comparing five guidelines, network statistics and the lineage of a
 * guideline with 200 forks through the GraphQL API of a real node (`assembleNode`, the server's
 * composition) over HTTP, each next to its bound in the same run (run alternately): hand-written
 * SQL for the same answer behind a bare express route on the same database, answered as JSON over
 * HTTP. With the SQL statements per GraphQL request. Works in a schema of its own, dropped at the end.
 * The statistics are read from counters the writing transactions keep (migration 0080), also each
 * time right after a record changed.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench:network [--cities 10000] [--iterations 100]
 */
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import express from "express";
import { compareGuidelines, type Guideline } from "@leitplanken/core";
import { networkStatisticsSql } from "@leitplanken/db";
import { cityActor, cityGuidelineVersion, generateNetwork } from "../../../graphql/src/testing/network.fixture.ts";
import { percentile, startBenchNode } from "./bench-node.ts";

const { values: args } = parseArgs({
  options: {
    cities: { type: "string", default: "10000" },
    iterations: { type: "string", default: "100" },
  },
});
const cityCount = Number(args.cities);
const iterations = Number(args.iterations);
const forkCount = 200;
const warmUp = 3;

if (!process.env["DATABASE_URL"]) {
  console.error("bench:network needs DATABASE_URL (a PostgreSQL server), e.g. postgres://postgres@127.0.0.1:5432/test");
  process.exit(1);
}
if (!Number.isInteger(cityCount) || cityCount <= forkCount || !Number.isInteger(iterations) || iterations < 1) {
  console.error(`--cities must be an integer above ${forkCount} and --iterations a positive integer`);
  process.exit(1);
}

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Runs the two alternately, so both meet the same conditions; `before` (not timed) before each run. */
async function timedPair(
  graphql: () => Promise<unknown>,
  sql: () => Promise<unknown>,
  before?: () => Promise<unknown>,
): Promise<{ graphql: number[]; sql: number[] }> {
  const samples = { graphql: [] as number[], sql: [] as number[] };
  for (let index = 0; index < warmUp + iterations; index += 1) {
    for (const [run, into] of [
      [graphql, samples.graphql],
      [sql, samples.sql],
    ] as const) {
      await before?.();
      const start = performance.now();
      await run();
      if (index >= warmUp) into.push(performance.now() - start);
    }
  }
  return samples;
}

interface Measurement {
  operation: string;
  graphql: number[];
  sql: number[];
  statementsPerRequest: number;
}

/** The page and the total count in one statement. */
const searchSql = (where: string) =>
  `SELECT record, (SELECT count(*) FROM use_cases WHERE ${where}) AS total FROM use_cases WHERE ${where} ORDER BY seq DESC LIMIT 21`;
const fullText = "search @@ (plainto_tsquery('german', $1) || plainto_tsquery('english', $1) || plainto_tsquery('simple', $1))";

/** The fork tree under a version: the rows a tree is drawn from. */
const handLineageSql = `
  WITH RECURSIVE tree(document_id) AS (
    SELECT document_id FROM guideline_versions WHERE id = $1
    UNION
    SELECT fork.document_id FROM tree JOIN guideline_versions mine ON mine.document_id = tree.document_id JOIN guideline_versions fork ON fork.forked_from = mine.id)
  SELECT id, document_id, version, published_at, forked_from, origin_actor, record -> 'title' AS title
  FROM guideline_versions WHERE document_id IN (SELECT document_id FROM tree)`;

const searchQuery = `query ($filter: UseCaseFilter, $first: Int!) { useCases(filter: $filter, first: $first) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id name { de en } department status risk { aiActClass } decisionProcess { automationLevel directlyAffectsCitizens }
    workflow { state } provenance { originCity node local receivedAt proofVerified } } } }`;

const compareQuery = `query ($ids: [ID!]!) { compareGuidelines(versionIds: $ids, language: "de") {
  __typename
  ... on GuidelineComparison { versions { id version } similarityThreshold
    rows { category ruleIds cells { alignedBy similarity principle { key level category ruleIds statement { de } } } } } } }`;

const share = "count share";
const statisticsQuery = `{ networkStatistics {
  useCases cities
  energy { totalKwhPerYear reporting perRequestOnly withoutEstimate medianKwhPerYear distribution { fromKwh toKwh count }
    compensated { useCases { ${share} } kwhPerYear kwhShare } }
  riskClasses { riskClass count share }
  citizenFacingAutomation { useCases levels { automationLevel count share } }
  sovereignty { useCaseHosting { hosting count share } useCaseOpenWeights { ${share} } useCaseEuJurisdiction { ${share} }
    modelHosting { hosting count share } modelOpenWeights { ${share} } }
  modelReuse(first: 20) { modelId model { name { de } } useCases cities }
  coverage { cities covered withoutPublishedUseCase } } }`;

const lineageQuery = `query ($id: ID!) { lineage(guidelineId: $id) {
  root { id }
  nodes { id known city title { de en } versions { id version publishedAt } forkedFrom parentId depth cycleBroken } } }`;

const bench = await startBenchNode("hub", "postgres", { rateLimit: { limit: 1_000_000, costLimit: 1_000_000_000 } });
const api = { db: bench.db };

// The bounds' server: bare express on the same database, JSON out.
const bare = express();
bare.use(express.json());
const bareRoutes = new Map<string, () => Promise<unknown>>();
bare.post("/:route", async (req, res) => {
  const route = bareRoutes.get(req.params.route);
  if (!route) return void res.status(404).end();
  res.json(await route());
});
const bareServer = bare.listen(0, "127.0.0.1");
await new Promise<void>((resolve) => bareServer.once("listening", () => resolve()));
const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;
/** Registers `work` as a bare route; returns the client's call of it over HTTP (JSON parsed). */
function bound(name: string, work: () => Promise<unknown>): () => Promise<unknown> {
  bareRoutes.set(name, work);
  return async () => {
    const response = await fetch(`${bareUrl}/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    if (response.status !== 200) throw new Error(`the bound's route ${name} answered ${response.status}`);
    return response.json();
  };
}

/** Anonymous, as citizens and other cities ask. */
async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${bench.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data?: T; errors?: unknown };
  if (response.status !== 200 || result.errors || !result.data) throw new Error(`GraphQL failed: ${JSON.stringify(result.errors ?? response.status)}`);
  return result.data;
}

async function measure(): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  async function add(operation: string, graphql: () => Promise<unknown>, sql: () => Promise<unknown>, options: { before?: () => Promise<unknown> } = {}) {
    await graphql(); // fails loudly before timing when the query is wrong
    bench.resetStatements();
    const samples = await timedPair(graphql, sql, options.before);
    measurements.push({
      operation,
      ...samples,
      statementsPerRequest: bench.statements() / (warmUp + iterations),
    });
    log(`measured: ${operation}`);
  }

  const allCities = { search: "Chatbot", riskClass: "LIMITED" };
  const found = await ok<{ useCases: { totalCount: number } }>(searchQuery, { filter: allCities, first: 20 });
  if (found.useCases.totalCount === 0) throw new Error("the search across all cities matches nothing");
  await add(
    `search, all cities (full text + risk, first 20 of ${found.useCases.totalCount})`,
    () => ok(searchQuery, { filter: allCities, first: 20 }),
    bound(
      "search-all",
      async () => (await api.db.query(searchSql(`${fullText} AND workflow_state = 'published' AND risk_class = 'limited'`), ["Chatbot"])).rows,
    ),
  );
  const chosen = Array.from({ length: 100 }, (_, index) => cityActor(index * Math.floor(cityCount / 100)));
  const chosenFilter = { search: "Posteingang", originCities: chosen, directlyAffectsCitizens: false };
  const foundChosen = await ok<{ useCases: { totalCount: number } }>(searchQuery, { filter: chosenFilter, first: 20 });
  if (foundChosen.useCases.totalCount === 0) throw new Error("the search in 100 cities matches nothing");
  await add(
    `search, 100 chosen cities (full text + citizens, first 20 of ${foundChosen.useCases.totalCount})`,
    () => ok(searchQuery, { filter: chosenFilter, first: 20 }),
    bound(
      "search-chosen",
      async () =>
        (
          await api.db.query(searchSql(`${fullText} AND origin_actor = ANY($2) AND directly_affects_citizens = false AND workflow_state = 'published'`), [
            "Posteingang",
            chosen,
          ])
        ).rows,
    ),
  );

  const five = [1, 2, 3, 4, 5].map((part) => cityGuidelineVersion(Math.floor((part * cityCount) / 6)));
  const compared = await ok<{ compareGuidelines: { __typename: string; versions?: unknown[] } }>(compareQuery, { ids: five });
  if (compared.compareGuidelines.versions?.length !== 5) throw new Error(`compare failed: ${compared.compareGuidelines.__typename}`);
  await add(
    "compare five guidelines (SQL: load 5 + core compareGuidelines)",
    () => ok(compareQuery, { ids: five }),
    bound("compare", async () => {
      const { rows } = await api.db.query<{ record: Guideline }>("SELECT record FROM guideline_versions WHERE id = ANY($1)", [five]);
      const result = compareGuidelines(
        rows.map((row) => row.record),
        { language: "de" },
      );
      if (!result.ok) throw new Error("compare failed");
      return result;
    }),
  );

  // The statistics are counters kept by triggers in the writing transaction (migration 0080); the
  // bound reads them with the repository's one statement behind bare express.
  await add(
    "network statistics, all cities",
    () => ok(statisticsQuery),
    bound("statistics", () => networkStatisticsSql(api.db)),
  );
  // Each read right after a change: a published use case of a city is retired or published again
  // (its counters move; not timed), then the product and the bound read.
  const changed = cityActor(cityCount - 1);
  let retire = true;
  const change = async () => {
    const { rowCount } = await api.db.query(
      `UPDATE use_cases SET workflow_state = $2, record = jsonb_set(record, '{workflow,state}', to_jsonb($2::text)) WHERE id = (SELECT id FROM use_cases WHERE origin_actor = $1 AND workflow_state = $3 ORDER BY seq LIMIT 1)`,
      [changed, retire ? "retired" : "published", retire ? "published" : "retired"],
    );
    if (rowCount !== 1) throw new Error("no use case to change");
    retire = !retire;
  };
  await add(
    "network statistics, all cities, each read right after a change",
    () => ok(statisticsQuery),
    bound("statistics-changed", () => networkStatisticsSql(api.db)),
    {
      before: change,
    },
  );

  const root = cityGuidelineVersion(0);
  const lineage = await ok<{ lineage: { nodes: unknown[] } | null }>(lineageQuery, { id: root });
  if (lineage.lineage?.nodes.length !== forkCount + 1)
    throw new Error(`lineage has ${lineage.lineage?.nodes.length ?? 0} documents, expected ${forkCount + 1}`);
  await add(
    `lineage of a guideline with ${forkCount} forks`,
    () => ok(lineageQuery, { id: root }),
    bound("lineage", async () => (await api.db.query(handLineageSql, [root])).rows),
  );
  return measurements;
}

function report(measurements: readonly Measurement[]): void {
  const ms = (value: number) => value.toFixed(1).padStart(8);
  console.log(
    `\nbench:network, ${cityCount} cities, PostgreSQL, ${iterations} iterations after ${warmUp} warm-up, GraphQL over HTTP on 127.0.0.1 vs the bound: hand-written SQL behind bare express over HTTP (ms)`,
  );
  console.log(`${"operation".padEnd(70)} GraphQL p50       p95 bound p50       p95  ratio p50   p95  SQL/request`);
  for (const m of measurements) {
    const [g50, g95, s50, s95] = [percentile(m.graphql, 50), percentile(m.graphql, 95), percentile(m.sql, 50), percentile(m.sql, 95)];
    console.log(
      `${m.operation.padEnd(70)}${ms(g50).padStart(12)}  ${ms(g95)}  ${ms(s50)}  ${ms(s95)}  ${`${(g50 / s50).toFixed(1)}×`.padStart(8)} ${`${(g95 / s95).toFixed(1)}×`.padStart(6)}  ${m.statementsPerRequest.toFixed(1).padStart(10)}`,
    );
  }
}

try {
  log(`generated ${await generateNetwork(api.db, cityCount, forkCount, log)}`);
  // As autovacuum leaves a node minutes after an import: the bulk load's dead row versions (the
  // counters' rows were updated once per loaded batch) cleared, the planner's statistics taken
  // (this schema's tables only: the database is shared).
  const { rows: tables } = await api.db.query<{ name: string }>("SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema()");
  await api.db.exec(`VACUUM ANALYZE ${tables.map((table) => table.name).join(", ")}`);
  log("vacuumed");
  report(await measure());
} finally {
  bareServer.closeAllConnections();
  await new Promise<void>((resolve) => bareServer.close(() => resolve()));
  await bench.close();
}
