import {
  automationLevels,
  buildLineage,
  energyBucketBounds,
  euCountryCodes,
  hostingKinds,
  type LanguageMap,
  type LineageNode,
  lineageOf,
  type NetworkCity,
  type NetworkRepository,
  type NetworkScope,
  type NetworkStatistics,
  riskClasses,
  type Share,
  type Tally,
} from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import { cachedRead } from "./table-cache.ts";

/**
 * The network view, network statistics and fork lineage in SQL: the same answers as core's
 * `networkStatistics` and `lineageOf(buildLineage(…))`, without loading every record.
 */

/** `AND origin_actor = ANY($n)` when the scope names cities; `params` gets the list. */
function scopeClause(scope: NetworkScope | undefined, params: unknown[], column = "origin_actor"): string {
  if (scope?.cities === undefined) return "";
  params.push(scope.cities);
  return ` AND ${column} = ANY($${params.length})`;
}

/** Every record of a city counts: the four tables share the provenance columns. */
const cityRecordsSql = `
  SELECT origin_actor, origin_host, source, proof_verified, updated_at, 'guideline' AS kind, document_id AS document, state FROM guideline_versions
  UNION ALL SELECT origin_actor, origin_host, source, proof_verified, updated_at, 'use-case', NULL, workflow_state FROM use_cases
  UNION ALL SELECT origin_actor, origin_host, source, proof_verified, updated_at, 'model', NULL, NULL FROM shared_models
  UNION ALL SELECT origin_actor, origin_host, source, proof_verified, updated_at, 'adoption', NULL, NULL FROM adoptions`;

interface CityRow {
  actor: string;
  host: string | null;
  own: boolean;
  followed: boolean;
  guideline_documents: number;
  guideline_versions: number;
  use_cases: number;
  published_use_cases: number;
  models: number;
  adoptions: number;
  unverified: number;
  last_update: Date | null;
  public_guideline_documents: number;
  public_guideline_versions: number;
  public_last_update: Date | null;
}

/** What the public register shows of a record: published guideline versions, published or retired use cases, every model and adoption. */
const publicRecord =
  "(kind = 'guideline' AND state = 'published') OR (kind = 'use-case' AND state IN ('published', 'retired')) OR kind IN ('model', 'adoption')";

export async function listNetworkCities(db: Queryable, scope?: NetworkScope): Promise<NetworkCity[]> {
  const params: unknown[] = [];
  const recordScope = scopeClause(scope, params);
  const followScope = scope?.cities === undefined ? "" : ` AND actor_id = ANY($1)`;
  const { rows } = await db.query<CityRow>(
    `WITH records AS (${cityRecordsSql}),
     cities AS (
       SELECT origin_actor AS actor, min(origin_host) AS host, bool_or(source = 'local') AS own,
         count(DISTINCT document) AS guideline_documents,
         count(*) FILTER (WHERE kind = 'guideline') AS guideline_versions,
         count(*) FILTER (WHERE kind = 'use-case') AS use_cases,
         count(*) FILTER (WHERE kind = 'use-case' AND state = 'published') AS published_use_cases,
         count(*) FILTER (WHERE kind = 'model') AS models,
         count(*) FILTER (WHERE kind = 'adoption') AS adoptions,
         count(*) FILTER (WHERE source = 'received' AND NOT proof_verified) AS unverified,
         max(updated_at) AS last_update,
         count(DISTINCT document) FILTER (WHERE kind = 'guideline' AND state = 'published') AS public_guideline_documents,
         count(*) FILTER (WHERE kind = 'guideline' AND state = 'published') AS public_guideline_versions,
         max(updated_at) FILTER (WHERE ${publicRecord}) AS public_last_update
       FROM records WHERE true${recordScope} GROUP BY origin_actor),
     -- A followed catalog (a Group the node joined) is no city; its profile says so once read.
     followed AS (SELECT actor_id FROM federation_following WHERE state = 'accepted'${followScope}
       AND NOT EXISTS (SELECT 1 FROM actor_profiles WHERE actor_profiles.actor_id = federation_following.actor_id AND kind = 'catalog'))
     SELECT coalesce(cities.actor, followed.actor_id) AS actor, cities.host, coalesce(cities.own, false) AS own,
       followed.actor_id IS NOT NULL AS followed,
       coalesce(guideline_documents, 0) AS guideline_documents, coalesce(guideline_versions, 0) AS guideline_versions,
       coalesce(use_cases, 0) AS use_cases, coalesce(published_use_cases, 0) AS published_use_cases,
       coalesce(models, 0) AS models, coalesce(adoptions, 0) AS adoptions, coalesce(unverified, 0) AS unverified, last_update,
       coalesce(public_guideline_documents, 0) AS public_guideline_documents, coalesce(public_guideline_versions, 0) AS public_guideline_versions,
       public_last_update
     FROM cities FULL JOIN followed ON followed.actor_id = cities.actor
     ORDER BY coalesce(cities.own, false) DESC, coalesce(cities.actor, followed.actor_id) COLLATE "C"`,
    params,
  );
  return rows.map((row) => ({
    actor: row.actor,
    host: row.host ?? new URL(row.actor).host,
    own: row.own,
    followed: row.followed,
    counts: {
      guidelineDocuments: row.guideline_documents,
      guidelineVersions: row.guideline_versions,
      useCases: row.use_cases,
      publishedUseCases: row.published_use_cases,
      models: row.models,
      adoptions: row.adoptions,
      publishedGuidelineDocuments: row.public_guideline_documents,
      publishedGuidelineVersions: row.public_guideline_versions,
    },
    unverifiedRecords: row.unverified,
    lastUpdate: row.last_update,
    publicLastUpdate: row.public_last_update,
  }));
}

// The figures below follow network-statistics.ts rule for rule; the test compares both on one data set.

const share = (count: number, whole: number): Share => ({ count, share: whole === 0 ? 0 : count / whole });
const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** One `count(*) FILTER` column per key (`<alias>_<index>`); null counts as the key "unstated". */
function tallyColumns(alias: string, column: string, keys: readonly string[], condition = "true"): string[] {
  return keys.map((key, index) => {
    const test = key === "unstated" ? `${column} IS NULL` : `${column} = ${quote(key)}`;
    return `count(*) FILTER (WHERE ${condition} AND ${test}) AS ${alias}_${index}`;
  });
}
function tally<K extends string>(row: Record<string, unknown>, alias: string, keys: readonly K[], whole: number): Tally<K> {
  return Object.fromEntries(keys.map((key, index) => [key, share(Number(row[`${alias}_${index}`]), whole)])) as Tally<K>;
}

const riskKeys = [...riskClasses, "unstated"] as const;
const useCaseHostingKeys = [...hostingKinds, "unstated"] as const;

const bucketColumns = energyBucketBounds.map((fromKwh, index) => {
  const toKwh = energyBucketBounds[index + 1];
  return `count(*) FILTER (WHERE kwh_per_year >= ${fromKwh}${toKwh === undefined ? "" : ` AND kwh_per_year < ${toKwh}`}) AS bucket_${index}`;
});

/** Counts and sums per city; the totals add them up (hash aggregation, no sort of 100,000s of rows). */
const perCityColumns = [
  "count(*) AS use_cases",
  "sum(kwh_per_year) AS total_kwh",
  "count(kwh_per_year) AS reporting",
  "count(*) FILTER (WHERE energy_stated AND kwh_per_year IS NULL) AS per_request_only",
  "count(*) FILTER (WHERE NOT energy_stated) AS without_estimate",
  ...bucketColumns,
  "count(kwh_per_year) FILTER (WHERE energy_compensated) AS compensated",
  "sum(kwh_per_year) FILTER (WHERE energy_compensated) AS compensated_kwh",
  ...tallyColumns("risk", "risk_class", riskKeys),
  "count(*) FILTER (WHERE directly_affects_citizens) AS citizen_facing",
  ...tallyColumns("automation", "automation_level", automationLevels, "directly_affects_citizens"),
  ...tallyColumns("hosting", "sovereignty_hosting", useCaseHostingKeys),
  // hosting is required within sovereignty: stated sovereignty ⇔ a hosting value.
  "count(sovereignty_hosting) AS sovereignty_stated",
  "count(*) FILTER (WHERE sovereignty_open_weights) AS open_weights",
  "count(*) FILTER (WHERE sovereignty_jurisdiction = ANY($1)) AS eu_jurisdiction",
];
const totalColumns = perCityColumns.map((column) => column.replace(/^.* AS (\w+)$/, "coalesce(sum($1), 0) AS $1"));

const useCaseFiguresSql = (scope: string) => `
  WITH published AS MATERIALIZED (
    SELECT origin_actor, kwh_per_year, energy_stated, energy_compensated, risk_class, directly_affects_citizens, automation_level,
      sovereignty_hosting, sovereignty_open_weights, sovereignty_jurisdiction
    FROM use_cases WHERE workflow_state = 'published'${scope}),
  per_city AS (SELECT ${perCityColumns.join(", ")} FROM published GROUP BY origin_actor)
  SELECT count(*) AS cities, ${totalColumns.join(", ")},
    -- the middle value(s): the lower from the bottom, the upper from the top (the same one for an odd count)
    (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY kwh_per_year) FROM published) AS lower_middle_kwh,
    (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY kwh_per_year DESC) FROM published) AS upper_middle_kwh
  FROM per_city`;

const modelFiguresColumns = [
  "count(*) AS models",
  ...tallyColumns("hosting", "hosting", hostingKinds),
  "count(*) FILTER (WHERE open_weights) AS open_weights",
].join(", ");

const modelReuseSql = (scope: string) => `
  WITH used AS (
    -- each use case once per model, however often it names the model
    SELECT reference.model, use_cases.origin_actor, count(*) AS use_cases
    FROM use_cases CROSS JOIN LATERAL (SELECT DISTINCT unnest(use_cases.model_ids)) AS reference(model)
    WHERE workflow_state = 'published'${scope} GROUP BY 1, 2),
  per_model AS (SELECT model, sum(use_cases) AS use_cases, count(*) AS cities FROM used GROUP BY model),
  known AS (SELECT id, record -> 'name' AS name FROM shared_models WHERE true${scope})
  SELECT coalesce(known.id, per_model.model) AS model, known.name, coalesce(per_model.use_cases, 0) AS use_cases, coalesce(per_model.cities, 0) AS cities
  FROM known FULL JOIN per_model ON per_model.model = known.id
  ORDER BY coalesce(per_model.cities, 0) DESC, coalesce(per_model.use_cases, 0) DESC, coalesce(known.id, per_model.model) COLLATE "C"`;

/** Cities the node knows (as `listNetworkCities`) that have records but no published use case. */
const unpublishedKnownCitiesSql = `
  SELECT actor AS city FROM (
    SELECT origin_actor AS actor FROM guideline_versions UNION SELECT origin_actor FROM shared_models
    UNION SELECT origin_actor FROM adoptions UNION SELECT origin_actor FROM use_cases WHERE workflow_state <> 'published'
    UNION SELECT actor_id FROM federation_following WHERE state = 'accepted') AS others
  WHERE NOT EXISTS (SELECT 1 FROM use_cases WHERE origin_actor = actor AND workflow_state = 'published')`;

/**
 * `networkStatistics(useCases, models, cities)` in SQL: over the use cases and models of the
 * scope's cities (all when none are named); coverage over the scope's cities, or else every city
 * `listNetworkCities` knows. Four statements; run them in a transaction for one snapshot.
 */
export async function networkStatisticsSql(db: Queryable, scope?: NetworkScope): Promise<NetworkStatistics> {
  const useCaseParams: unknown[] = [[...euCountryCodes]];
  const figures = (await db.query<Record<string, number>>(useCaseFiguresSql(scopeClause(scope, useCaseParams)), useCaseParams)).rows[0] as Record<
    string,
    number
  >;

  const modelParams: unknown[] = [];
  const modelFigures = (
    await db.query<Record<string, number>>(`SELECT ${modelFiguresColumns} FROM shared_models WHERE true${scopeClause(scope, modelParams)}`, modelParams)
  ).rows[0] as Record<string, number>;

  const reuseParams: unknown[] = [];
  const reuse = await db.query<{ model: string; name: LanguageMap | null; use_cases: number; cities: number }>(
    modelReuseSql(scopeClause(scope, reuseParams)),
    reuseParams,
  );

  const askedCities = scope?.cities === undefined ? undefined : [...new Set(scope.cities)];
  const uncovered = askedCities
    ? await db.query<{ city: string }>(
        `SELECT city FROM unnest($1::text[]) AS city
         WHERE NOT EXISTS (SELECT 1 FROM use_cases WHERE origin_actor = city AND workflow_state = 'published')`,
        [askedCities],
      )
    : await db.query<{ city: string }>(unpublishedKnownCitiesSql);
  const withoutPublishedUseCase = uncovered.rows.map((row) => row.city).sort();
  // Every city with a published use case is known, so unscoped coverage is those plus the rest.
  const coverageCities = askedCities?.length ?? (figures.cities ?? 0) + withoutPublishedUseCase.length;

  const lower = figures.lower_middle_kwh ?? null;
  const upper = figures.upper_middle_kwh ?? null;
  const published = figures.use_cases ?? 0;
  const reporting = figures.reporting ?? 0;
  const totalKwhPerYear = figures.total_kwh ?? 0;
  const compensatedKwh = figures.compensated_kwh ?? 0;
  const citizenFacing = figures.citizen_facing ?? 0;
  const stated = figures.sovereignty_stated ?? 0;
  const models = modelFigures.models ?? 0;
  return {
    useCases: published,
    cities: figures.cities ?? 0,
    energy: {
      totalKwhPerYear,
      reporting,
      perRequestOnly: figures.per_request_only ?? 0,
      withoutEstimate: figures.without_estimate ?? 0,
      medianKwhPerYear: lower === null || upper === null ? null : (lower + upper) / 2,
      distribution: energyBucketBounds.map((fromKwh, index) => ({
        fromKwh,
        toKwh: energyBucketBounds[index + 1] ?? null,
        count: figures[`bucket_${index}`] ?? 0,
      })),
      compensated: {
        useCases: share(figures.compensated ?? 0, reporting),
        kwhPerYear: compensatedKwh,
        kwhShare: totalKwhPerYear === 0 ? 0 : compensatedKwh / totalKwhPerYear,
      },
    },
    riskClasses: tally(figures, "risk", riskKeys, published),
    citizenFacingAutomation: { useCases: citizenFacing, levels: tally(figures, "automation", automationLevels, citizenFacing) },
    sovereignty: {
      useCaseHosting: tally(figures, "hosting", useCaseHostingKeys, published),
      useCaseOpenWeights: share(figures.open_weights ?? 0, stated),
      useCaseEuJurisdiction: share(figures.eu_jurisdiction ?? 0, stated),
      modelHosting: tally(modelFigures, "hosting", hostingKinds, models),
      modelOpenWeights: share(modelFigures.open_weights ?? 0, models),
    },
    modelReuse: reuse.rows.map((row) => ({ model: row.model, name: row.name, useCases: row.use_cases, cities: row.cities })),
    coverage: { cities: coverageCities, covered: coverageCities - withoutPublishedUseCase.length, withoutPublishedUseCase },
  };
}

/**
 * The versions of every document connected to `iri` by `origin` links, in either direction: a
 * closed part of the network's fork graph, so `buildLineage` over it builds the same tree as over
 * all guidelines. `iri` is a version, a document, or an origin this node has not received.
 */
export const forkComponentSql = `
  WITH RECURSIVE component(document_id) AS (
    SELECT document_id FROM guideline_versions WHERE id = $1 OR document_id = $1 OR forked_from = $1
    UNION
    SELECT linked.document_id
    FROM component
    JOIN guideline_versions mine ON mine.document_id = component.document_id
    JOIN guideline_versions linked ON linked.id = mine.forked_from OR linked.forked_from = mine.id)
  SELECT id, document_id, version, record -> 'title' AS title, record ->> 'publishedAt' AS published_at, record ->> 'origin' AS origin, origin_actor
  FROM guideline_versions WHERE document_id IN (SELECT document_id FROM component)`;

interface LineageRow {
  id: string;
  document_id: string;
  version: string;
  title: LanguageMap;
  published_at: string | null;
  origin: string | null;
  origin_actor: string;
}

/**
 * `lineageOf(buildLineage(all guidelines), iri)`, reading only the fork tree that holds `iri` and
 * only the columns the tree shows (a stored record was validated when it was written; the title
 * is all of its text a tree needs).
 */
export async function lineageSql(db: Queryable, iri: string): Promise<LineageNode | null> {
  const { rows } = await db.query<LineageRow>(forkComponentSql, [iri]);
  const sources = rows.map((row) => ({
    id: row.id,
    documentId: row.document_id,
    version: row.version,
    title: row.title,
    publishedAt: row.published_at,
    origin: row.origin,
    provenance: { originActor: row.origin_actor },
  }));
  return lineageOf(buildLineage(sources), iri);
}

/** The tables the network statistics count (each announces its changes, migrations 0031 and 0032). */
const statisticsTables = ["use_cases", "shared_models", "guideline_versions", "adoptions", "federation_following"] as const;

export function createNetworkRepository(db: Queryable): NetworkRepository {
  return {
    listCities: (scope) => listNetworkCities(db, scope),
    // Over all cities, the figures are kept until a table they count changes (migration 0032): the
    // public statistics page is read far more often than records arrive. A chosen set of cities
    // is counted each time (its key would be the set, and a client could make any number of them).
    statistics: async (scope) => {
      if (scope?.cities !== undefined) return networkStatisticsSql(db, scope);
      const { rows } = await db.query<{ generation: string }>(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END::text AS generation FROM network_generation",
      );
      return cachedRead(db, statisticsTables, `network-statistics@${rows[0]!.generation}`, () => networkStatisticsSql(db));
    },
    lineage: (iri) => lineageSql(db, iri),
  };
}
