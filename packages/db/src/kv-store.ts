import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import type { Queryable } from "./database.ts";

const live = "(expires_at IS NULL OR expires_at > now())";
const expiresAt = "now() + $3::double precision * interval '1 millisecond'";
const sweepEveryMs = 60_000;

/**
 * Fedify's key–value store (caches, idempotence records, the delivery circuit breaker's
 * per-host state) in the table `fedify_kv`. Values are stored as jsonb, so they must be
 * JSON-serialisable; `undefined` as a value means "no entry" (Fedify clears a host's circuit
 * breaker with `cas(key, state, undefined)`), exactly as Fedify's own stores treat it. An
 * expired entry reads as absent at once and is deleted by a sweep that `set` runs at most once
 * a minute. It passes Fedify's KvStore contract (`kv-store.test.ts`).
 */
export class PostgresKvStore implements KvStore {
  readonly #db: Queryable;
  #lastSweep = 0;

  constructor(db: Queryable) {
    this.#db = db;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const { rows } = await this.#db.query<{ value: T }>(`SELECT value FROM fedify_kv WHERE key = $1::text[] AND ${live}`, [key]);
    return rows[0]?.value;
  }

  /** Sets the value; `undefined` deletes the entry (as Fedify's stores do). */
  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (value === undefined) return this.delete(key);
    await this.#sweepExpired();
    await this.#db.query(
      `INSERT INTO fedify_kv (key, value, expires_at) VALUES ($1::text[], $2::jsonb, ${expiresAt})
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, encodeValue(value), ttlMs(options)],
    );
  }

  async delete(key: KvKey): Promise<void> {
    await this.#db.query("DELETE FROM fedify_kv WHERE key = $1::text[]", [key]);
  }

  /**
   * Sets `newValue` only if the current value (undefined when absent or expired) equals
   * `expectedValue` (structural equality of the JSON); a `newValue` of undefined deletes the
   * entry. Every branch decides and writes in one statement, so it is atomic: a concurrent cas
   * on the same key waits for the row lock (or the unique key) and then sees the new value.
   */
  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    if (newValue === undefined) {
      // Absent stays absent (an expired row is removed on the way); present goes only if it is the expected value.
      const { rowCount } =
        expectedValue === undefined
          ? await this.#db.query(`DELETE FROM fedify_kv WHERE key = $1::text[] AND NOT ${live}`, [key])
          : await this.#db.query(`DELETE FROM fedify_kv WHERE key = $1::text[] AND value = $2::jsonb AND ${live}`, [key, encodeValue(expectedValue)]);
      if (expectedValue !== undefined) return rowCount === 1;
      return rowCount === 1 || (await this.get(key)) === undefined;
    }
    const params = [key, encodeValue(newValue), ttlMs(options)];
    const { rowCount } =
      expectedValue === undefined
        ? await this.#db.query(
            `INSERT INTO fedify_kv (key, value, expires_at) VALUES ($1::text[], $2::jsonb, ${expiresAt})
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
             WHERE fedify_kv.expires_at <= now()`,
            params,
          )
        : await this.#db.query(
            `UPDATE fedify_kv SET value = $2::jsonb, expires_at = ${expiresAt}
             WHERE key = $1::text[] AND value = $4::jsonb AND ${live}`,
            [...params, encodeValue(expectedValue)],
          );
    return rowCount === 1;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const { rows } = await this.#db.query<{ key: string[]; value: unknown }>(
      `SELECT key, value FROM fedify_kv
       WHERE ${live} AND ($1::text[] IS NULL OR key[1:cardinality($1::text[])] = $1::text[])
       ORDER BY key`,
      [prefix ?? null],
    );
    for (const row of rows) yield { key: row.key as unknown as KvKey, value: row.value };
  }

  async #sweepExpired(): Promise<void> {
    if (Date.now() - this.#lastSweep < sweepEveryMs) return;
    this.#lastSweep = Date.now();
    await this.#db.query("DELETE FROM fedify_kv WHERE expires_at <= now()");
  }
}

function encodeValue(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`PostgresKvStore stores JSON values only, not ${typeof value}`);
  return json;
}

/** The ttl in milliseconds; Fedify passes a Temporal.Duration, callers may pass a duration-like object. */
function ttlMs(options: KvStoreSetOptions | undefined): number | null {
  return options?.ttl ? Temporal.Duration.from(options.ttl).total({ unit: "millisecond" }) : null;
}
