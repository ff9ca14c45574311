/**
 * GraphQL benchmark (issues 3 and 16): 10,000 use cases in one node's database; p50/p95 of the
 * filtered list, the use-case detail and `checkUseCase` through the GraphQL API over HTTP, each
 * next to its honest bound, measured in the same run (alternately): hand-written SQL that reads
 * the same data (the detail: the record, its lock version, its models and its verified adoptions,
 * in one statement), run behind a bare express route on the same database and answered as JSON
 * over HTTP on 127.0.0.1, POSTed and parsed by the same client code. The node is the real server
 * composition (`assembleNode`: logs, metrics, rate limits with budgets a benchmark does not exhaust,
 * the request deadline, the web router before the API). PGlite always, PostgreSQL too when
 * DATABASE_URL is set (a schema of its own, dropped afterwards).
 *
 *   pnpm bench:graphql            (BENCH_ITERATIONS=200, BENCH_USE_CASES=10000)
 */
import { blockingResults, checkUseCase, type Guideline, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import type { AddressInfo } from "node:net";
import express from "express";
import { getNamedType, type GraphQLObjectType, type GraphQLSchema, isLeafType, isNonNullType, isObjectType } from "graphql";
import { createGuidelineRepository, createSharedModelRepository, createUseCaseRepository } from "@leitplanken/db";
import { buildSchema } from "../../../graphql/src/schema.ts";
import { benchBackends, percentile, startBenchNode, type Backend, type BenchNode } from "./bench-node.ts";

const useCaseCount = Number(process.env["BENCH_USE_CASES"] ?? 10_000);
const iterations = Number(process.env["BENCH_ITERATIONS"] ?? 200);
const warmUp = 20;

interface Measurement {
  name: string;
  graphql: number[];
  /** The bound: the same data from hand-written SQL behind a bare express route. */
  sql: number[];
  statementsPerRequest: number;
}

/**
 * Every field of `type` that takes no required argument, nested; `skip` names `Type.field`s left
 * out. Deprecated fields are left out too (each repeats a field that replaces it).
 */
function fullSelection(type: GraphQLObjectType, skip: ReadonlySet<string>, path: readonly string[] = []): string {
  const fields = Object.values(type.getFields()).filter(
    (field) =>
      !field.deprecationReason &&
      !skip.has(`${type.name}.${field.name}`) &&
      field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined),
  );
  return fields
    .map((field) => {
      const named = getNamedType(field.type);
      if (isLeafType(named)) return field.name;
      if (isObjectType(named) && !path.includes(named.name)) return `${field.name} { ${fullSelection(named, skip, [...path, type.name])} }`;
      return `${field.name} { __typename }`;
    })
    .join(" ");
}

/**
 * Runs the two alternately, so both meet the same conditions (and the HTTP connection never
 * idles long enough for the server to close it under the client).
 */
async function timedPair(graphql: () => Promise<unknown>, sql: () => Promise<unknown>): Promise<{ graphql: number[]; sql: number[] }> {
  const samples = { graphql: [] as number[], sql: [] as number[] };
  for (let index = 0; index < warmUp + iterations; index++) {
    for (const [run, into] of [
      [graphql, samples.graphql],
      [sql, samples.sql],
    ] as const) {
      const start = performance.now();
      await run();
      if (index >= warmUp) into.push(performance.now() - start);
    }
  }
  return samples;
}

/**
 * 10,000 use cases from the demo city's five (each ×2,000, numbered, over eight departments),
 * with its guideline and models, as the node's own records (its actor and origin: a city's page
 * of its own use case names the city from its settings, not from another city's profile). The
 * repository stores the first five; one INSERT … SELECT
 * clones them with new ids, names and departments (record and columns alike; the search
 * vector stays the template's, which the benchmark's search word does not depend on).
 */
async function load(bench: BenchNode): Promise<{ guideline: Guideline; detailId: string }> {
  const db = bench.db;
  const { origin, handle } = bench.node.config;
  const demo = demoRecords({ actor: `${origin}/actors/${handle}`, iri: (kind, slug) => `${origin}/${kind}/${slug}`, now: new Date("2026-11-25T10:00:00Z") });
  const templates = demo.useCases;
  const departments = ["Bürgerdienste", "Tiefbauamt", "Sozialamt", "Ordnungsamt", "Jugendamt", "Umweltamt", "Personalamt", "Kämmerei"];
  const idPrefix = `${origin}/use-case/bench-`;
  const started = performance.now();
  await db.transaction(async (tx) => {
    for (const guideline of demo.guidelines) await createGuidelineRepository(tx).save(guideline);
    for (const model of demo.models) await createSharedModelRepository(tx).save(model);
    for (const [index, template] of templates.entries()) {
      await createUseCaseRepository(tx).save({
        ...template,
        id: `${idPrefix}${index}`,
        name: { ...template.name, de: `${template.name.de} ${index}` },
        department: departments[0]!,
      });
    }
  });
  // Generated columns (filter columns derived from the record) are computed by the database.
  const { rows: columnRows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'use_cases' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
  );
  const columns = columnRows.map((row) => `"${row.column_name}"`);
  await db.query(
    `INSERT INTO use_cases (${columns.join(", ")}) OVERRIDING SYSTEM VALUE
     SELECT ${columns.map((column) => `cloned.${column}`).join(", ")} FROM generate_series($4::int, $1::int - 1) AS n
     CROSS JOIN LATERAL (SELECT $2::text || n AS id, ($3::text[])[1 + (n / $4::int) % cardinality($3::text[])] AS department) clone
     JOIN use_cases t ON t.id = $2::text || (n % $4::int)
     CROSS JOIN LATERAL jsonb_populate_record(t, jsonb_build_object(
       'seq', nextval(pg_get_serial_sequence('use_cases', 'seq')),
       'id', clone.id,
       'department', clone.department,
       'record', t.record || jsonb_build_object('id', clone.id, 'department', clone.department,
         'name', (t.record->'name') || jsonb_build_object('de', regexp_replace(t.record->'name'->>'de', '\\d+$', n::text))))) AS cloned
     ORDER BY n`,
    [useCaseCount, idPrefix, departments, templates.length],
  );
  console.log(`  loaded ${useCaseCount} use cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const richest = templates.reduce((best, useCase, index) => (useCase.models.length > templates[best]!.models.length ? index : best), 0);
  return { guideline: demo.guidelines[0]!, detailId: `${idPrefix}${useCaseCount - templates.length + richest}` };
}

async function runOn(backend: Backend, schema: GraphQLSchema): Promise<Measurement[]> {
  const bench = await startBenchNode("dortmund", backend, { rateLimit: { limit: 1_000_000, costLimit: 1_000_000_000 } });
  const api = { db: bench.db };
  // The bound's server: bare express on the same database, JSON in and out.
  const bare = express();
  bare.use(express.json());
  const bareRoutes = new Map<string, (body: Record<string, unknown>) => Promise<unknown>>();
  bare.post("/:route", async (req, res) => {
    const route = bareRoutes.get(req.params.route);
    if (!route) return void res.status(404).end();
    res.json(await route(req.body as Record<string, unknown>));
  });
  const bareServer = bare.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => bareServer.once("listening", () => resolve()));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;
  /** Registers `work` as a bare route and returns the client's call of it (POST, JSON parsed). */
  const bound = (name: string, work: (body: Record<string, unknown>) => Promise<unknown>, body: Record<string, unknown>) => {
    bareRoutes.set(name, work);
    return async () => {
      const response = await fetch(`${bareUrl}/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (response.status !== 200) throw new Error(`the bound's route answered ${response.status}`);
      return response.json();
    };
  };
  try {
    const { guideline, detailId } = await load(bench);
    const measurements: Measurement[] = [];
    const measure = async (name: string, graphql: () => Promise<unknown>, sql: () => Promise<unknown>) => {
      await graphql(); // fails loudly before timing when the query is wrong
      bench.resetStatements();
      const samples = await timedPair(graphql, sql);
      // The bound queries the database as opened, so only the node's statements are counted.
      measurements.push({ name, ...samples, statementsPerRequest: bench.statements() / (warmUp + iterations) });
    };
    // Anonymous, as a citizen's browser or another city's client asks.
    const ok = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${bench.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const result = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
      if (response.status !== 200 || result.errors) throw new Error(`GraphQL failed: ${JSON.stringify(result.errors ?? response.status)}`);
      return result.data;
    };

    // (a) The filtered list: limited risk, directly affects citizens, full-text search, first 20.
    const filter = { riskClass: "LIMITED", directlyAffectsCitizens: true, search: "Chatbot" };
    const list = `query ($filter: UseCaseFilter, $first: Int!) { useCases(filter: $filter, first: $first) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id name { de en } department status risk { aiActClass } decisionProcess { automationLevel directlyAffectsCitizens } workflow { state } } } }`;
    const matching = `risk_class = $1 AND directly_affects_citizens = $2
      AND search @@ (plainto_tsquery('german', $3) || plainto_tsquery('english', $3) || plainto_tsquery('simple', $3))`;
    const listed = (await ok(list, { filter, first: 20 })) as { useCases: { totalCount: number } };
    if (listed.useCases.totalCount === 0) throw new Error("the list filter matches nothing");
    await measure(
      `list (riskClass+citizens+search, first 20; ${listed.useCases.totalCount} match)`,
      () => ok(list, { filter, first: 20 }),
      bound(
        "list",
        async (body) =>
          (
            await api.db.query(
              // The names are taken after the LIMIT, so only the page's records are read in full.
              `SELECT (SELECT count(*) FROM use_cases WHERE ${matching}) AS total, seq, id, record->'name' AS name, department, status,
                 risk_class, automation_level, directly_affects_citizens, workflow_state
               FROM (SELECT * FROM use_cases WHERE ${matching} ORDER BY seq DESC LIMIT 21) page ORDER BY seq DESC`,
              [body["riskClass"], body["citizens"], body["search"]],
            )
          ).rows,
        { riskClass: "limited", citizens: true, search: "Chatbot" },
      ),
    );

    // (b) One use case with every field, its models with every field. Links to other records (the
    // guideline version, the cities, the use case it was adopted from) are left out: the bound
    // reads the record, its models and its adoptions.
    const useCaseType = schema.getType("UseCase") as GraphQLObjectType;
    const outsideTheBound = ["Conformance.guidelineVersion", "Model.usedBy", "Provenance.city", "Adoption.adoptingCity", "UseCase.adoptedFromUseCase"];
    const detail = `query ($id: ID!) { useCase(id: $id) { ${fullSelection(useCaseType, new Set(outsideTheBound))} } }`;
    await measure(
      "use-case detail (all fields, models)",
      () => ok(detail, { id: detailId }),
      bound(
        "detail",
        async (body) =>
          (
            await api.db.query(
              `SELECT u.record, u.lock_version,
                 coalesce((SELECT jsonb_agg(m.record) FROM shared_models m WHERE m.id = ANY(u.model_ids)), '[]'::jsonb) AS models,
                 coalesce((SELECT jsonb_agg(a.record ORDER BY a.published_at, a.seq) FROM adoptions a
                   WHERE a.origin_use_case = u.id AND (a.source = 'local' OR a.proof_verified)), '[]'::jsonb) AS adoptions
               FROM use_cases u WHERE u.id = $1`,
              [body["id"]],
            )
          ).rows[0],
        { id: detailId },
      ),
    );

    // (c) checkUseCase of a stored use case against the guideline; the baseline reads both records and runs the same core check.
    const check = `query ($id: ID!, $g: ID!) { checkUseCase(useCaseId: $id, guidelineVersionId: $g) {
      ... on ConformanceReport { passed results { ruleId ruleVersion principleKey principle { de en } severity passed offendingFields } } } }`;
    await measure(
      "checkUseCase (stored use case)",
      () => ok(check, { id: detailId, g: guideline.id }),
      bound(
        "check",
        async (body) => {
          const { rows } = await api.db.query<{ use_case: UseCase; guideline: Guideline }>(
            "SELECT (SELECT record FROM use_cases WHERE id = $1) AS use_case, (SELECT record FROM guideline_versions WHERE id = $2) AS guideline",
            [body["id"], body["guideline"]],
          );
          const row = rows[0]!;
          const results = checkUseCase(row.use_case, row.guideline);
          return { passed: blockingResults(results).length === 0, results };
        },
        { id: detailId, guideline: guideline.id },
      ),
    );
    return measurements;
  } finally {
    bareServer.closeAllConnections();
    await new Promise<void>((resolve) => bareServer.close(() => resolve()));
    await bench.close();
  }
}

function table(backend: Backend, measurements: readonly Measurement[]): string {
  const ms = (value: number) => value.toFixed(2).padStart(7);
  const lines = [
    `${backend}: ${useCaseCount} use cases, ${iterations} iterations after ${warmUp} warm-up, sequential, HTTP on 127.0.0.1`,
    `  ${"query".padEnd(58)} ${"GraphQL p50".padStart(11)} ${"p95".padStart(7)} ${"bound p50".padStart(8)} ${"p95".padStart(7)} ${"ratio p50".padStart(9)} ${"p95".padStart(6)} ${"SQL/request".padStart(11)}`,
  ];
  for (const m of measurements) {
    const [g50, g95, s50, s95] = [percentile(m.graphql, 50), percentile(m.graphql, 95), percentile(m.sql, 50), percentile(m.sql, 95)];
    lines.push(
      `  ${m.name.padEnd(58)} ${ms(g50).padStart(11)} ${ms(g95)} ${ms(s50).padStart(8)} ${ms(s95)} ${`${(g50 / s50).toFixed(1)}×`.padStart(9)} ${`${(g95 / s95).toFixed(1)}×`.padStart(6)} ${m.statementsPerRequest.toFixed(1).padStart(11)}`,
    );
  }
  return lines.join("\n");
}

const schema = await buildSchema();
const backends = benchBackends();
console.log("times in ms; ratio = GraphQL over HTTP / bound (hand-written SQL for the same data behind bare express, over HTTP)");
for (const backend of backends) {
  console.log(table(backend, await runOn(backend, schema)));
}
