/**
 * GraphQL benchmark (issue 3, acceptance 4): 10,000 use cases in one node's database; p50/p95
 * of the filtered list, the use-case detail and `checkUseCase` over HTTP, each next to
 * hand-written SQL that returns the same data, measured in the same run. PGlite always,
 * PostgreSQL too when DATABASE_URL is set (a schema of its own, dropped afterwards).
 *
 *   pnpm --filter @leitplanken/graphql bench            (BENCH_ITERATIONS=200, BENCH_USE_CASES=10000)
 */
import { blockingResults, checkUseCase, demoRecords, type Guideline, type UseCase } from "@leitplanken/core";
import { getNamedType, type GraphQLObjectType, type GraphQLSchema, isLeafType, isNonNullType, isObjectType } from "graphql";
import { buildSchema } from "../schema.ts";
import { startTestApi, type TestApi } from "../testing/test-api.ts";

const useCaseCount = Number(process.env["BENCH_USE_CASES"] ?? 10_000);
const iterations = Number(process.env["BENCH_ITERATIONS"] ?? 200);
const warmUp = 20;
const origin = "https://ki.bench.example";

type Backend = "pglite" | "postgres";

interface Measurement {
  name: string;
  graphql: number[];
  sql: number[];
  statementsPerRequest: number;
}

/** Every field of `type` that takes no required argument, nested; `skip` names `Type.field`s left out. */
function fullSelection(type: GraphQLObjectType, skip: ReadonlySet<string>, path: readonly string[] = []): string {
  const fields = Object.values(type.getFields()).filter(
    (field) => !skip.has(`${type.name}.${field.name}`) && field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined),
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

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
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
 * with its guideline and models. The repository stores the first five; one INSERT … SELECT
 * clones them with new ids, names and departments (record and columns alike; the search
 * vector stays the template's, which the benchmark's search word does not depend on).
 */
async function load(api: TestApi): Promise<{ guideline: Guideline; detailId: string }> {
  const demo = demoRecords({ actor: `${origin}/actor`, iri: (kind, slug) => `${origin}/${kind}/${slug}`, now: new Date("2026-11-25T10:00:00Z") });
  const templates = demo.useCases;
  const departments = ["Bürgerdienste", "Tiefbauamt", "Sozialamt", "Ordnungsamt", "Jugendamt", "Umweltamt", "Personalamt", "Kämmerei"];
  const idPrefix = `${origin}/use-case/bench-`;
  const started = performance.now();
  await api.inTransaction(async (records) => {
    for (const guideline of demo.guidelines) await records.guidelines.save(guideline);
    for (const model of demo.models) await records.sharedModels.save(model);
    for (const [index, template] of templates.entries()) {
      await records.useCases.save({
        ...template,
        id: `${idPrefix}${index}`,
        name: { ...template.name, de: `${template.name.de} ${index}` },
        department: departments[0]!,
      });
    }
  });
  // Generated columns (filter columns derived from the record) are computed by the database.
  const { rows: columnRows } = await api.db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'use_cases' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
  );
  const columns = columnRows.map((row) => `"${row.column_name}"`);
  await api.db.query(
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
  let statements = 0;
  const api = await startTestApi({
    backend,
    observeDatabase: (db) => ({
      query: (text, params) => {
        statements++;
        return db.query(text, params);
      },
      exec: (sql) => {
        statements++;
        return db.exec(sql);
      },
    }),
  });
  try {
    const { guideline, detailId } = await load(api);
    const measurements: Measurement[] = [];
    const measure = async (name: string, graphql: () => Promise<unknown>, sql: () => Promise<unknown>) => {
      await graphql(); // fails loudly before timing when the query is wrong
      statements = 0;
      const samples = await timedPair(graphql, sql);
      // The baseline queries the database directly, so only the API's statements are counted.
      measurements.push({ name, ...samples, statementsPerRequest: statements / (warmUp + iterations) });
    };
    const ok = async (query: string, variables: Record<string, unknown>) => {
      const response = await api.graphql(query, variables);
      if (response.status !== 200 || response.errors) throw new Error(`GraphQL failed: ${JSON.stringify(response.errors ?? response.status)}`);
      return response.data;
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
      () =>
        api.db.query(
          // The names are taken after the LIMIT, so only the page's records are read in full.
          `SELECT (SELECT count(*) FROM use_cases WHERE ${matching}) AS total, seq, id, record->'name' AS name, department, status,
             risk_class, automation_level, directly_affects_citizens, workflow_state
           FROM (SELECT * FROM use_cases WHERE ${matching} ORDER BY seq DESC LIMIT 21) page ORDER BY seq DESC`,
          ["limited", true, "Chatbot"],
        ),
    );

    // (b) One use case with every field, its models with every field.
    const useCaseType = schema.getType("UseCase") as GraphQLObjectType;
    const detail = `query ($id: ID!) { useCase(id: $id) { ${fullSelection(useCaseType, new Set(["Conformance.guidelineVersion", "Model.usedBy"]))} } }`;
    await measure(
      "use-case detail (all fields, models)",
      () => ok(detail, { id: detailId }),
      () =>
        api.db.query(
          `SELECT u.record, coalesce((SELECT jsonb_agg(m.record) FROM shared_models m WHERE m.id = ANY(u.model_ids)), '[]'::jsonb) AS models
           FROM use_cases u WHERE u.id = $1`,
          [detailId],
        ),
    );

    // (c) checkUseCase of a stored use case against the guideline; the baseline reads both records and runs the same core check.
    const check = `query ($id: ID!, $g: ID!) { checkUseCase(useCaseId: $id, guidelineVersionId: $g) {
      ... on ConformanceReport { passed results { ruleId ruleVersion principleKey principle { de en } severity passed offendingFields } } } }`;
    await measure(
      "checkUseCase (stored use case)",
      () => ok(check, { id: detailId, g: guideline.id }),
      async () => {
        const { rows } = await api.db.query<{ use_case: UseCase; guideline: Guideline }>(
          "SELECT (SELECT record FROM use_cases WHERE id = $1) AS use_case, (SELECT record FROM guideline_versions WHERE id = $2) AS guideline",
          [detailId, guideline.id],
        );
        const row = rows[0]!;
        const results = checkUseCase(row.use_case, row.guideline);
        return { passed: blockingResults(results).length === 0, results };
      },
    );
    return measurements;
  } finally {
    await api.close();
  }
}

function table(backend: Backend, measurements: readonly Measurement[]): string {
  const ms = (value: number) => value.toFixed(2).padStart(7);
  const lines = [
    `${backend}: ${useCaseCount} use cases, ${iterations} iterations after ${warmUp} warm-up, sequential, HTTP on 127.0.0.1`,
    `  ${"query".padEnd(58)} ${"GraphQL p50".padStart(11)} ${"p95".padStart(7)} ${"SQL p50".padStart(8)} ${"p95".padStart(7)} ${"ratio p50".padStart(9)} ${"p95".padStart(6)} ${"SQL/request".padStart(11)}`,
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
const backends: Backend[] = process.env["DATABASE_URL"] ? ["pglite", "postgres"] : ["pglite"];
console.log("times in ms; ratio = GraphQL over HTTP / hand-written SQL returning the same data");
for (const backend of backends) {
  console.log(table(backend, await runOn(backend, schema)));
}
