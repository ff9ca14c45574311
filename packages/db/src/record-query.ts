import { createHash } from "node:crypto";
import {
  checkSearchText,
  foldForSearch,
  InvalidCursorError,
  type LanguageMap,
  type Page,
  type PageRequest,
  type Provenance,
  type RecordFilter,
  searchLimits,
  searchTerms,
  searchWords,
  validateTolerantly,
  type SaveOptions,
  type SaveResult,
  type Versioned,
} from "@leitplanken/core";
import { getLogger } from "@logtape/logtape";
import type { Queryable } from "./database.ts";

/**
 * Shared pieces of the record repositories: provenance columns, full-text search,
 * cursor pagination and a small WHERE builder with numbered parameters.
 */

export const maxPageSize = 100;

export class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a clause; every `?` in it stands for the value. Skipped when the value is undefined. */
  add(clause: string, value: unknown): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.clauses.push(clause.replaceAll("?", `$${this.params.length}`));
    return this;
  }

  /** Adds one clause per search word (see `searchWordClause`). */
  addSearch(words: readonly string[]): this {
    for (const word of words) {
      this.params.push(`'${word}':*`);
      const prefixQuery = `$${this.params.length}`;
      const folded = foldForSearch(word);
      let likePattern: string | undefined;
      if (folded.length >= minimumInfixLength) {
        this.params.push(`%${folded}%`);
        likePattern = `$${this.params.length}`;
      }
      this.clauses.push(searchWordClause(prefixQuery, likePattern));
    }
    return this;
  }

  where(): string {
    return this.clauses.length === 0 ? "" : `WHERE ${this.clauses.join(" AND ")}`;
  }
}

export function recordFilterConditions(filter: RecordFilter): Conditions {
  const search = boundedSearch(filter.search);
  return new Conditions()
    .add("origin_actor = ?", filter.originActor)
    .add("origin_actor = ANY(?)", filter.originActors)
    .add("source = ?", filter.source)
    .addSearch(search === undefined || search === "" ? [] : searchWords(search));
}

/**
 * Every word must match, each in one of two ways: by its stem as a prefix in the language of the
 * text ("Bürger" → `burg:*` finds "Bürgerservice", "Chatbots" → `chatbot:*` finds "Chatbot"; German
 * text is stemmed as German, English as English, other languages word by word), or, from four
 * letters on, folded inside a word (`search_text`, trigram index: "Schäden" finds "Straßenschäden").
 * The words are letters and digits only (core `searchWords`), so neither the text search syntax
 * nor LIKE's wildcards can reach the statement; at most `searchLimits.maxTerms` of them, each two
 * index conditions: the statement's work is bounded by its shape.
 */
export function searchWordClause(prefixQuery: string, likePattern: string | undefined): string {
  const stems = `search @@ (to_tsquery('german', ${prefixQuery}) || to_tsquery('english', ${prefixQuery}) || to_tsquery('simple', ${prefixQuery}))`;
  return likePattern === undefined ? stems : `(${stems} OR search_text LIKE ${likePattern})`;
}

/** Words shorter than this match only by stem: a three-letter fragment is inside too many words. */
export const minimumInfixLength = 4;

/**
 * The search text as the database may use it: within core's `searchLimits` (the API refuses
 * more; this is the last guard, so no caller can hand the database an unbounded query).
 */
export function boundedSearch(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const checked = checkSearchText(text);
  if (checked.ok) return checked.value;
  const words = searchTerms(text.replaceAll("\u0000", " ").replace(/[\uD800-\uDFFF]/g, " ")).slice(0, searchLimits.maxTerms);
  return words.join(" ").slice(0, searchLimits.maxCharacters).trim();
}

/** The provenance columns, in the order of `provenanceColumns`. */
export const provenanceColumns = ["source", "origin_actor", "origin_host", "received_at", "proof_verified"] as const;
export function provenanceValues(provenance: Provenance): unknown[] {
  return provenance.source === "local"
    ? ["local", provenance.originActor, provenance.originHost, null, null]
    : ["received", provenance.originActor, provenance.originHost, provenance.receivedAt, provenance.proofVerified];
}

/**
 * Search text per language: German text is stemmed as German, English as English, any other
 * language word by word. Returns the SQL expression and its three parameters' values.
 */
export function searchDocument(texts: readonly (LanguageMap | string | undefined)[]): { de: string; en: string; other: string } {
  const parts = { de: [] as string[], en: [] as string[], other: [] as string[] };
  for (const text of texts) {
    if (text === undefined) continue;
    if (typeof text === "string") {
      parts.other.push(text);
      continue;
    }
    for (const [language, value] of Object.entries(text)) {
      if (language === "de") parts.de.push(value);
      else if (language === "en") parts.en.push(value);
      else parts.other.push(value);
    }
  }
  return { de: parts.de.join("\n"), en: parts.en.join("\n"), other: parts.other.join("\n") };
}
const searchVectorSql = (first: number) =>
  `setweight(to_tsvector('german', $${first}), 'A') || setweight(to_tsvector('english', $${first + 1}), 'A') || to_tsvector('simple', $${first + 2})`;

/**
 * Inserts or replaces (by `id`, the first column) a record row with its search vector, counting
 * the save in `lock_version`. The parameters are the column values followed by the German,
 * English and other search texts. Returns the new `lock_version` and whether the row was created.
 */
export const upsertRecordSql = (table: string, columns: readonly string[], condition = "true") =>
  `INSERT INTO ${table} (${columns.join(", ")}, search)
   VALUES (${columns.map((_, index) => `$${index + 1}`).join(", ")}, ${searchVectorSql(columns.length + 1)})
   ON CONFLICT (id) DO UPDATE SET ${columns
     .slice(1)
     .map((column) => `${column} = EXCLUDED.${column}`)
     .join(", ")},
     search = EXCLUDED.search, updated_at = now(), lock_version = ${table}.lock_version + 1
   WHERE ${condition}
   RETURNING lock_version, (xmax = 0) AS created`;

/** Replaces a record row only while it still has the `lock_version` given after the search texts. */
const updateRecordSql = (table: string, columns: readonly string[], condition = "true") =>
  `UPDATE ${table} SET ${columns
    .slice(1)
    .map((column, index) => `${column} = $${index + 2}`)
    .join(", ")},
     search = ${searchVectorSql(columns.length + 1)}, updated_at = now(), lock_version = lock_version + 1
   WHERE id = $1 AND lock_version = $${columns.length + 4} AND (${condition})
   RETURNING lock_version, false AS created`;

/**
 * Writes a record row: an upsert, or, with `expectedLockVersion`, an update of exactly that
 * version. Null when nothing was written (the version moved on, the row is gone, or `condition`
 * on the stored row failed); the caller tells these apart.
 */
export async function writeRecordRow(
  db: Queryable,
  table: string,
  columns: readonly string[],
  values: readonly unknown[],
  search: { de: string; en: string; other: string },
  options: SaveOptions & { condition?: string } = {},
): Promise<{ created: boolean; lockVersion: number } | null> {
  const texts = [search.de, search.en, search.other];
  const { rows } =
    options.expectedLockVersion === undefined
      ? await db.query<{ lock_version: number; created: boolean }>(upsertRecordSql(table, columns, options.condition), [...values, ...texts])
      : await db.query<{ lock_version: number; created: boolean }>(updateRecordSql(table, columns, options.condition), [
          ...values,
          ...texts,
          options.expectedLockVersion,
        ]);
  const row = rows[0];
  return row ? { created: row.created, lockVersion: row.lock_version } : null;
}

/** The save result of `writeRecordRow`: written, or stale with the version stored now. */
export async function saveOutcome(db: Queryable, table: string, id: string, written: { created: boolean; lockVersion: number } | null): Promise<SaveResult> {
  if (written) return { ok: true, outcome: written.created ? "created" : "updated", lockVersion: written.lockVersion };
  const [current] = await lockVersionsByIds(db, table, [id]);
  return { ok: false, error: { type: "stale", id, currentLockVersion: current ?? null } };
}

/** A short, stable tag of a list's source: a cursor names the list it belongs to. */
function listTag(table: string): string {
  return createHash("sha256").update(table).digest("base64url").slice(0, 8);
}

/** A field a list can be ordered by: a SQL expression over the row (never null) and its type. */
export interface OrderKey {
  sql: string;
  type: "bigint" | "timestamptz" | "text";
}
/** Insertion order (`seq`): every list has it, and it breaks ties of every other order. */
export const createdOrder: Record<"created", OrderKey> = { created: { sql: "seq", type: "bigint" } };
/** The record's name in German, else English, case-folded (indexed with `seq` per table: migration 0090; keep the expression as it is there). */
export const nameOrder = (property: string): OrderKey => ({
  sql: `lower(coalesce(record->'${property}'->>'de', record->'${property}'->>'en', ''))`,
  type: "text",
});
/** When this node last stored a change (indexed with `seq`: migration 0090). */
export const updatedOrder: OrderKey = { sql: "updated_at", type: "timestamptz" };

const orderTag = (order: { field: string; direction: string }) => `${order.field}.${order.direction}`;
function encodeCursor(table: string, order: string, seq: string, key: string): string {
  return Buffer.from(`c:${listTag(table)}:${order}:${seq}:${Buffer.from(key).toString("base64url")}`).toString("base64url");
}
/** The position a cursor names, or why it is refused (not a cursor, a cursor of another list or of another order). */
function decodeCursor(table: string, order: string, cursor: string): { seq: string; key: string } | "invalid" | "other-list" | "other-order" {
  const match = /^c:([\w-]{8}):([a-z]{1,20}\.(?:asc|desc)):(\d{1,19}):([\w-]{0,1400})$/.exec(Buffer.from(cursor.slice(0, 2000), "base64url").toString("utf8"));
  if (!match) return "invalid";
  if (match[1] !== listTag(table)) return "other-list";
  if (match[2] !== order) return "other-order";
  return { seq: match[3]!, key: Buffer.from(match[4]!, "base64url").toString("utf8") };
}

/**
 * A count run when first called and then kept: a page's `totalCount`, which the API asks for only
 * when a query selects it (a count over a large table costs more than the page itself).
 */
function countOnce(db: Queryable, sql: string, params: readonly unknown[]): () => Promise<number> {
  let counted: Promise<number> | undefined;
  return () => (counted ??= db.query<{ total: number | string }>(sql, [...params]).then((result) => Number(result.rows[0]?.total ?? 0)));
}

/**
 * One page of a list, by default newest first (`created`, descending). Keyset paging on the order's
 * key and `seq` (the tie-breaker, in the same direction): a cursor holds both, and names its list
 * and order, so it is refused (`InvalidCursorError`) anywhere else. One statement (`LIMIT first + 1`);
 * `totalCount` counts only when called.
 */
export async function listPage<T>(
  db: Queryable,
  table: string,
  conditions: Conditions,
  page: PageRequest,
  parse: (record: unknown) => T,
  orders: Record<string, OrderKey> = createdOrder,
): Promise<Page<T>> {
  const first = Math.max(0, Math.min(page.first, maxPageSize));
  const order = page.order ?? { field: "created", direction: "desc" as const };
  const key = orders[order.field];
  if (key === undefined) throw new Error(`${table} cannot be ordered by ${order.field}`);
  const tag = orderTag(order);
  const paged = new Conditions();
  paged.clauses.push(...conditions.clauses);
  paged.params.push(...conditions.params);
  const bound = (cursor: string, name: "after" | "before") => {
    const position = decodeCursor(table, tag, cursor);
    if (position === "invalid") throw new InvalidCursorError(`invalid cursor in \`${name}\`: not one this store handed out`);
    if (position === "other-list") throw new InvalidCursorError(`invalid cursor in \`${name}\`: a cursor of another list`);
    if (position === "other-order") throw new InvalidCursorError(`invalid cursor in \`${name}\`: a cursor of another order of this list`);
    // After a cursor are the rows further along the order; before it, the rows ahead.
    const further = (order.direction === "desc") === (name === "after") ? "<" : ">";
    // Insertion order needs no key beside `seq` (a plain comparison the seq index serves).
    if (key === createdOrder.created) return void paged.add(`seq ${further} ?::bigint`, position.seq);
    paged.params.push(position.key, position.seq);
    const [keyParam, seqParam] = [paged.params.length - 1, paged.params.length];
    paged.clauses.push(`(${key.sql}, seq) ${further} ($${keyParam}::${key.type}, $${seqParam}::bigint)`);
  };
  if (page.after) bound(page.after, "after");
  if (page.before) bound(page.before, "before");
  // From the end: read the range backwards and turn the page round.
  const direction = (order.direction === "desc") !== Boolean(page.fromEnd) ? "DESC" : "ASC";
  paged.params.push(first + 1);
  const rows = await db.query<{ seq: string | number; sort_key: string; record: unknown }>(
    `SELECT seq, (${key.sql})::text AS sort_key, record FROM ${table} ${paged.where()} ORDER BY ${key.sql} ${direction}, seq ${direction} LIMIT $${paged.params.length}`,
    paged.params,
  );
  const visible = rows.rows.slice(0, first);
  if (page.fromEnd) visible.reverse();
  const more = rows.rows.length > first;
  const cursors = visible.map((row) => encodeCursor(table, tag, String(row.seq), row.sort_key));
  return {
    items: visible.map((row) => parse(row.record)),
    endCursor: cursors.at(-1) ?? null,
    cursors,
    hasNextPage: page.fromEnd ? Boolean(page.before) : more,
    hasPreviousPage: page.fromEnd ? more : Boolean(page.after),
    totalCount: countOnce(db, `SELECT count(*) AS total FROM ${table} ${conditions.where()}`, conditions.params),
  };
}

const recordsLogger = getLogger(["leitplanken", "db", "records"]);

/**
 * Rows are read tolerantly (core's tolerant reader), and reading never throws: a row written by
 * another version of Leitplanken may hold fields this one does not know (set aside) or miss a
 * constraint added since (a stored text now over a limit). Such a row is still returned as it is
 * stored and logged once per process and kind, so that one odd row never takes a whole list or
 * page down with it.
 */
export function parseRow<T>(kind: string, schema: Parameters<typeof validateTolerantly<T>>[0]) {
  let reported = false;
  return (record: unknown): T => {
    const result = validateTolerantly(schema, record);
    if (result.ok) return result.value;
    if (!reported) {
      reported = true;
      const id = (record as { id?: unknown } | null)?.id;
      recordsLogger.warn("A stored {kind} does not validate with this version's schema; it is shown as stored: {errors}", {
        kind,
        id,
        errors: result.errors.map((error) => `${error.path}: ${error.message.en}`).join("; "),
      });
    }
    return record as T;
  };
}

export async function getManyByIds<T>(db: Queryable, table: string, ids: readonly string[], parse: (record: unknown) => T): Promise<(T | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string; record: unknown }>(`SELECT id, record FROM ${table} WHERE id = ANY($1)`, [ids]);
  const byId = new Map(rows.rows.map((row) => [row.id, parse(row.record)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Each record with its `lock_version`, in the order of `ids` (null where there is none), with one statement. */
export async function getManyVersionedByIds<T>(
  db: Queryable,
  table: string,
  ids: readonly string[],
  parse: (record: unknown) => T,
): Promise<(Versioned<T> | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string; record: unknown; lock_version: number }>(`SELECT id, record, lock_version FROM ${table} WHERE id = ANY($1)`, [ids]);
  const byId = new Map(rows.rows.map((row) => [row.id, { record: parse(row.record), lockVersion: row.lock_version }]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The `lock_version` of each id, in the order of `ids` (null where there is none). */
export async function lockVersionsByIds(db: Queryable, table: string, ids: readonly string[]): Promise<(number | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string; lock_version: number }>(`SELECT id, lock_version FROM ${table} WHERE id = ANY($1)`, [ids]);
  const byId = new Map(rows.rows.map((row) => [row.id, row.lock_version]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function getVersionedById<T>(db: Queryable, table: string, id: string, parse: (record: unknown) => T): Promise<Versioned<T> | null> {
  const rows = await db.query<{ record: unknown; lock_version: number }>(`SELECT record, lock_version FROM ${table} WHERE id = $1`, [id]);
  const row = rows.rows[0];
  return row ? { record: parse(row.record), lockVersion: row.lock_version } : null;
}

export async function getById<T>(db: Queryable, table: string, id: string, parse: (record: unknown) => T): Promise<T | null> {
  return (await getManyByIds(db, table, [id], parse))[0] ?? null;
}

export async function removeById(db: Queryable, table: string, id: string): Promise<boolean> {
  const result = await db.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
  return result.rowCount > 0;
}
