import { createHash } from "node:crypto";
import {
  automationLevels,
  buildLineage,
  energyBucketBounds,
  hostingKinds,
  InvalidCursorError,
  type LanguageMap,
  type LineageNode,
  lineageOf,
  type NetworkCity,
  type NetworkRepository,
  type NetworkScope,
  type NetworkStatistics,
  type Page,
  type PageRequest,
  riskClasses,
  type Share,
  type Tally,
} from "@leitplanken/core";
import type { Queryable } from "./database.ts";
import { maxPageSize } from "./record-query.ts";

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

/** The tables whose rows name the city they come from (`origin_actor`), as in `cityRecordsSql`. */
const cityRecordTables = ["guideline_versions", "use_cases", "shared_models", "adoptions"] as const;

/** Followed cities without records count too; a followed catalog (a Group) is no city. */
const followedCitiesSql = `SELECT actor_id COLLATE "C" AS actor FROM federation_following
  WHERE state = 'accepted' AND NOT EXISTS (SELECT 1 FROM actor_profiles WHERE actor_profiles.actor_id = federation_following.actor_id AND kind = 'catalog')`;

const citiesListTag = createHash("sha256").update("network-cities").digest("base64url").slice(0, 8);

/** Where a city stands in `listCities`' order: the own city first, then by actor IRI (byte order). */
interface CityPosition {
  own: boolean;
  actor: string;
}

function encodeCityCursor(position: CityPosition): string {
  return Buffer.from(`k:${citiesListTag}:${position.own ? 1 : 0}:${Buffer.from(position.actor).toString("base64url")}`).toString("base64url");
}

function decodeCityCursor(cursor: string, name: "after" | "before"): CityPosition {
  const text = Buffer.from(cursor.slice(0, 4000), "base64url").toString("utf8");
  const match = /^k:([\w-]{8}):([01]):([\w-]{1,2800})$/.exec(text);
  // The other lists' cursors (`listPage`'s `c:`, the API's `l:`) are refused as such, not as garbage.
  if (!match) {
    const another = /^[clk]:[\w-]{8}:/.test(text);
    throw new InvalidCursorError(`invalid cursor in \`${name}\`: ${another ? "a cursor of another list" : "not one this store handed out"}`);
  }
  if (match[1] !== citiesListTag) throw new InvalidCursorError(`invalid cursor in \`${name}\`: a cursor of another list`);
  return { own: match[2] === "1", actor: Buffer.from(match[3]!, "base64url").toString("utf8") };
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The cities of `listCities` that are not this node's own, in actor order (byte order, `COLLATE "C"`)
 * between `lower` and `upper` (exclusive), at most `limit`, `descending` from the end of that range.
 * Each table gives its first `limit` distinct actors along its `(origin_actor COLLATE "C")` index
 * (migration 0091) and the statement merges them: the work is a page's rows, not the network's.
 */
async function otherCityActors(
  db: Queryable,
  scope: NetworkScope | undefined,
  range: { lower?: string | undefined; upper?: string | undefined; descending: boolean; limit: number; own: readonly string[] },
): Promise<string[]> {
  const params: unknown[] = [];
  const bound = (column: string) => {
    let clause = "";
    if (range.lower !== undefined) {
      params.push(range.lower);
      clause += ` AND ${column} COLLATE "C" > $${params.length}`;
    }
    if (range.upper !== undefined) {
      params.push(range.upper);
      clause += ` AND ${column} COLLATE "C" < $${params.length}`;
    }
    return clause + scopeClause(scope, params, column);
  };
  const direction = range.descending ? "DESC" : "ASC";
  const limit = range.limit + range.own.length;
  const streams = cityRecordTables.map(
    (table) => `(SELECT DISTINCT origin_actor COLLATE "C" AS actor FROM ${table} WHERE true${bound("origin_actor")} ORDER BY 1 ${direction} LIMIT ${limit})`,
  );
  streams.push(`(${followedCitiesSql}${bound("actor_id")} ORDER BY 1 ${direction} LIMIT ${limit})`);
  params.push([...range.own]);
  const { rows } = await db.query<{ actor: string }>(
    `SELECT actor FROM (${streams.join(" UNION ")}) AS cities WHERE actor <> ALL($${params.length}::text[]) ORDER BY actor ${direction} LIMIT ${range.limit}`,
    params,
  );
  return rows.map((row) => row.actor);
}

/** The actors of this node's own records (in practice its one city), in byte order; partial indexes of migration 0091. */
async function ownCityActors(db: Queryable, scope: NetworkScope | undefined): Promise<string[]> {
  const params: unknown[] = [];
  const scoped = scopeClause(scope, params);
  const { rows } = await db.query<{ actor: string }>(
    `SELECT DISTINCT actor FROM (${cityRecordTables
      .map((table) => `SELECT origin_actor COLLATE "C" AS actor FROM ${table} WHERE source = 'local'${scoped}`)
      .join(" UNION ALL ")}) AS own ORDER BY actor`,
    params,
  );
  return rows.map((row) => row.actor);
}

/** How many cities `listCities` holds for the scope (run only when called). */
function countCities(db: Queryable, scope: NetworkScope | undefined): () => Promise<number> {
  let counted: Promise<number> | undefined;
  return () => {
    // One parameter for both clauses, as in listNetworkCities.
    const params: unknown[] = scope?.cities === undefined ? [] : [scope.cities];
    const [scoped, followed] = scope?.cities === undefined ? ["", ""] : [" AND origin_actor = ANY($1)", " AND actor_id = ANY($1)"];
    counted ??= db
      .query<{ total: number | string }>(
        `SELECT count(*) AS total FROM (${cityRecordTables.map((table) => `SELECT origin_actor AS actor FROM ${table} WHERE true${scoped}`).join(" UNION ")}
         UNION ${followedCitiesSql}${followed}) AS cities`,
        params,
      )
      .then((result) => Number(result.rows[0]?.total ?? 0));
    return counted;
  };
}

/**
 * A page of `listCities` in SQL: the page's actors by keyset on (own, actor), then the figures of
 * only those cities (`listNetworkCities` scoped to them). Paging from the end (`last`) reads the
 * range backwards, like `listPage`.
 */
export async function pageNetworkCities(db: Queryable, scope: NetworkScope | undefined, page: PageRequest): Promise<Page<NetworkCity>> {
  const first = Math.max(0, Math.min(page.first, maxPageSize));
  const after = page.after ? decodeCityCursor(page.after, "after") : undefined;
  const before = page.before ? decodeCityCursor(page.before, "before") : undefined;
  const own = await ownCityActors(db, scope);
  // The own city's segment of the range, then whether the range reaches into the others' segment.
  const ownInRange = own.filter(
    (actor) => (!after || (after.own && byteOrder(actor, after.actor) > 0)) && (!before || !before.own || byteOrder(actor, before.actor) < 0),
  );
  const othersInRange = !before?.own;
  const others = (limit: number, descending: boolean) =>
    othersInRange && limit > 0
      ? otherCityActors(db, scope, {
          lower: after && !after.own ? after.actor : undefined,
          upper: before?.actor && !before.own ? before.actor : undefined,
          descending,
          limit,
          own,
        })
      : Promise.resolve([]);
  let positions: CityPosition[];
  if (page.fromEnd) {
    const tail = (await others(first + 1, true)).reverse().map((actor) => ({ own: false, actor }));
    const missing = first + 1 - tail.length;
    positions = [...(missing > 0 ? ownInRange.slice(-missing) : []).map((actor) => ({ own: true, actor })), ...tail];
  } else {
    const head = ownInRange.slice(0, first + 1).map((actor) => ({ own: true, actor }));
    positions = [...head, ...(await others(first + 1 - head.length, false)).map((actor) => ({ own: false, actor }))];
  }
  const more = positions.length > first;
  const shown = page.fromEnd ? positions.slice(Math.max(0, positions.length - first)) : positions.slice(0, first);
  const cities = shown.length === 0 ? [] : await listNetworkCities(db, { cities: shown.map((position) => position.actor) });
  const byActor = new Map(cities.map((city) => [city.actor, city]));
  const listed = shown.filter((position) => byActor.has(position.actor));
  const cursors = listed.map(encodeCityCursor);
  return {
    items: listed.map((position) => byActor.get(position.actor)!),
    cursors,
    endCursor: cursors.at(-1) ?? null,
    hasNextPage: page.fromEnd ? Boolean(page.before) : more,
    hasPreviousPage: page.fromEnd ? more : Boolean(page.after),
    totalCount: countCities(db, scope),
  };
}

// The figures below follow network-statistics.ts rule for rule; the test compares both on one data set.

const share = (count: number, whole: number): Share => ({ count, share: whole === 0 ? 0 : count / whole });

/** A key of core's as part of a counter's column name (migration 0080): "non-eu-cloud" → "non_eu_cloud". */
const columnKey = (key: string) => key.replaceAll("-", "_");

function tally<K extends string>(row: Record<string, unknown>, prefix: string, keys: readonly K[], whole: number): Tally<K> {
  return Object.fromEntries(keys.map((key) => [key, share(Number(row[`${prefix}_${columnKey(key)}`]), whole)])) as Tally<K>;
}

const riskKeys = [...riskClasses, "unstated"] as const;
const useCaseHostingKeys = [...hostingKinds, "unstated"] as const;

/** The counters of network_city_figures that the statistics add up (migration 0080 keeps them). */
const figureColumns = [
  "use_cases",
  "total_kwh",
  "reporting",
  "per_request_only",
  "without_estimate",
  ...energyBucketBounds.map((_, index) => `bucket_${index}`),
  "compensated",
  "compensated_kwh",
  ...riskKeys.map((key) => `risk_${columnKey(key)}`),
  "citizen_facing",
  ...automationLevels.map((key) => `automation_${columnKey(key)}`),
  ...useCaseHostingKeys.map((key) => `hosting_${columnKey(key)}`),
  "sovereignty_stated",
  "open_weights",
  "eu_jurisdiction",
  "models",
  ...hostingKinds.map((key) => `model_hosting_${columnKey(key)}`),
  "model_open_weights",
];

/**
 * How many models `modelReuse` lists at most: the API's largest page (`modelReuse(first:)` takes
 * 1–100), so a read never ranks and names every model of the network.
 */
export const modelReuseLimit = 100;

/** The value at 0-based position `k` of the estimates (rows kwh, use_cases) counted in `order`: the first whose running count passes `k`. */
const middleKwhSql = (order: "ASC" | "DESC") => `(
  SELECT kwh FROM (SELECT kwh, sum(use_cases) OVER (ORDER BY kwh ${order}) AS upto FROM estimates) AS running
  WHERE upto > (SELECT div(reporting - 1, 2) FROM totals) ORDER BY kwh ${order} LIMIT 1)`;

/**
 * The statistics in one statement: the counters of the scope's cities added up; the median from
 * the counts per estimate (the middle value(s) of percentile_disc(0.5) are at floor((n - 1) / 2)
 * from the bottom and from the top); the models most reused; the known cities without a published
 * use case. Over all cities each part reads its own counters (migrations 0080, 0082); over a chosen
 * set (`$1`) the estimates and the reuse are counted from those cities' rows.
 */
function statisticsSql(scoped: boolean): string {
  const scope = (column: string) => (scoped ? ` AND ${column} = ANY($1)` : "");
  const estimates = scoped
    ? `SELECT kwh_per_year AS kwh, count(*) AS use_cases FROM use_cases
       WHERE workflow_state = 'published' AND kwh_per_year IS NOT NULL AND origin_actor = ANY($1) GROUP BY kwh_per_year`
    : "SELECT kwh, use_cases FROM network_energy_values WHERE use_cases > 0";
  const reuse = scoped
    ? "SELECT model, sum(use_cases) AS use_cases, count(*) AS cities FROM network_model_reuse WHERE use_cases > 0 AND origin_actor = ANY($1) GROUP BY model"
    : "SELECT model, use_cases, cities FROM network_model_totals WHERE cities > 0";
  const uncovered = scoped
    ? `SELECT city FROM unnest($1::text[]) AS city
       WHERE NOT EXISTS (SELECT 1 FROM network_city_figures WHERE origin_actor = city AND use_cases > 0)`
    : `SELECT origin_actor AS city FROM network_city_figures
       WHERE use_cases = 0 AND (unpublished_use_cases > 0 OR guideline_versions > 0 OR models > 0 OR adoptions > 0 OR followed > 0)`;
  return `
  WITH totals AS (
    SELECT count(*) FILTER (WHERE use_cases > 0) AS cities, ${figureColumns.map((column) => `coalesce(sum(${column}), 0) AS ${column}`).join(", ")}
    FROM network_city_figures WHERE true${scope("origin_actor")}),
  estimates AS (${estimates}),
  -- the most reused first (over all cities from the index of migration 0083)
  top_reused AS (${reuse} ORDER BY cities DESC, use_cases DESC, model COLLATE "C" LIMIT ${modelReuseLimit}),
  -- then the models no published use case names, by IRI (read only when fewer than the limit are named)
  top AS (
    SELECT * FROM (
      SELECT model, use_cases, cities FROM top_reused
      UNION ALL
      (SELECT id, 0, 0 FROM shared_models
       WHERE (SELECT count(*) FROM top_reused) < ${modelReuseLimit}${scope("origin_actor")}
         AND NOT EXISTS (SELECT 1 FROM (${reuse}) AS named WHERE named.model = shared_models.id)
       ORDER BY id COLLATE "C" LIMIT ${modelReuseLimit})) AS ranked
    ORDER BY cities DESC, use_cases DESC, model COLLATE "C" LIMIT ${modelReuseLimit})
  SELECT totals.*, ${middleKwhSql("ASC")} AS lower_middle_kwh, ${middleKwhSql("DESC")} AS upper_middle_kwh,
    (SELECT coalesce(json_agg(json_build_object('model', top.model, 'name', shared_models.record -> 'name', 'useCases', top.use_cases, 'cities', top.cities)
       ORDER BY top.cities DESC, top.use_cases DESC, top.model COLLATE "C"), '[]')
     FROM top LEFT JOIN shared_models ON shared_models.id = top.model${scope("shared_models.origin_actor")}) AS model_reuse,
    (SELECT coalesce(json_agg(city), '[]') FROM (${uncovered}) AS uncovered) AS without_published_use_case
  FROM totals`;
}

/**
 * `networkStatistics(useCases, models, cities)` from the counters of migrations 0080 and 0082, in one
 * statement: over the use cases and models of the scope's cities (all when none are named);
 * coverage over the scope's cities, or else every city `listNetworkCities` knows. `modelReuse`
 * holds the first `modelReuseLimit` models.
 */
export async function networkStatisticsSql(db: Queryable, scope?: NetworkScope): Promise<NetworkStatistics> {
  const askedCities = scope?.cities === undefined ? undefined : [...new Set(scope.cities)];
  const { rows } = await db.query<Record<string, unknown>>(statisticsSql(askedCities !== undefined), askedCities ? [askedCities] : []);
  const figures = rows[0]!;
  const number = (column: string) => Number(figures[column] ?? 0);
  const withoutPublishedUseCase = (figures.without_published_use_case as string[]).sort();
  // Every city with a published use case is known, so unscoped coverage is those plus the rest.
  const coverageCities = askedCities?.length ?? number("cities") + withoutPublishedUseCase.length;

  const lower = figures.lower_middle_kwh as number | null;
  const upper = figures.upper_middle_kwh as number | null;
  const published = number("use_cases");
  const reporting = number("reporting");
  const totalKwhPerYear = number("total_kwh");
  const compensatedKwh = number("compensated_kwh");
  const citizenFacing = number("citizen_facing");
  const stated = number("sovereignty_stated");
  const models = number("models");
  return {
    useCases: published,
    cities: number("cities"),
    energy: {
      totalKwhPerYear,
      reporting,
      perRequestOnly: number("per_request_only"),
      withoutEstimate: number("without_estimate"),
      medianKwhPerYear: lower === null || upper === null ? null : (lower + upper) / 2,
      distribution: energyBucketBounds.map((fromKwh, index) => ({
        fromKwh,
        toKwh: energyBucketBounds[index + 1] ?? null,
        count: number(`bucket_${index}`),
      })),
      compensated: {
        useCases: share(number("compensated"), reporting),
        kwhPerYear: compensatedKwh,
        kwhShare: totalKwhPerYear === 0 ? 0 : compensatedKwh / totalKwhPerYear,
      },
    },
    riskClasses: tally(figures, "risk", riskKeys, published),
    citizenFacingAutomation: { useCases: citizenFacing, levels: tally(figures, "automation", automationLevels, citizenFacing) },
    sovereignty: {
      useCaseHosting: tally(figures, "hosting", useCaseHostingKeys, published),
      useCaseOpenWeights: share(number("open_weights"), stated),
      useCaseEuJurisdiction: share(number("eu_jurisdiction"), stated),
      modelHosting: tally(figures, "model_hosting", hostingKinds, models),
      modelOpenWeights: share(number("model_open_weights"), models),
    },
    modelReuse: (figures.model_reuse as { model: string; name: LanguageMap | null; useCases: number; cities: number }[]).map((entry) => ({
      model: entry.model,
      name: entry.name,
      useCases: Number(entry.useCases),
      cities: Number(entry.cities),
    })),
    coverage: { cities: coverageCities, covered: coverageCities - withoutPublishedUseCase.length, withoutPublishedUseCase },
  };
}

/**
 * The versions of every document the fork tree holding `iri` can reach: `iri`'s documents (or the
 * forks of an origin this node has not received) with every document they were forked from, up to
 * the roots, and every fork below all of those, along `origin` links of any version. That holds the
 * whole tree `iri` is in (its root is an ancestor, its documents descend from the root), so
 * `buildLineage` over it builds the same tree as over all guidelines. Up, then down: each step a
 * join on one index (one join on "id = forked_from OR forked_from = id" in both directions at once
 * was estimated so high that PostgreSQL compiled it with JIT, or probed every version of the table).
 */
export const forkComponentSql = `
  WITH RECURSIVE up(document_id) AS (
    SELECT document_id FROM guideline_versions WHERE id = $1 OR document_id = $1 OR forked_from = $1
    UNION
    SELECT origin.document_id
    FROM up
    JOIN guideline_versions mine ON mine.document_id = up.document_id
    JOIN guideline_versions origin ON origin.id = mine.forked_from),
  tree(document_id) AS (
    SELECT document_id FROM up
    UNION
    SELECT fork.document_id
    FROM tree
    JOIN guideline_versions mine ON mine.document_id = tree.document_id
    JOIN guideline_versions fork ON fork.forked_from = mine.id)
  SELECT g.id, g.document_id, g.version, r.title, r."publishedAt" AS published_at, r.origin, g.origin_actor
  -- one read of each record for the three fields (each -> would unpack the stored record again)
  FROM guideline_versions g CROSS JOIN LATERAL jsonb_to_record(g.record) AS r(title jsonb, "publishedAt" text, origin text)
  WHERE g.document_id IN (SELECT document_id FROM tree)`;

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

export function createNetworkRepository(db: Queryable): NetworkRepository {
  return {
    listCities: (scope) => listNetworkCities(db, scope),
    pageCities: (scope, page) => pageNetworkCities(db, scope, page),
    statistics: (scope) => networkStatisticsSql(db, scope),
    lineage: (iri) => lineageSql(db, iri),
  };
}
