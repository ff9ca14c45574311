import { randomUUID } from "node:crypto";
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { getLogger } from "@logtape/logtape";
import type { Database, Queryable } from "./database.ts";

/**
 * Fedify's keys that are read on every delivery or inbound activity: public keys of remote actors,
 * the per-host circuit breaker state, which signature spec a host understands, and fetched remote
 * documents. Idempotence records are left out on purpose: whether an activity was seen must be
 * asked of the database, which every process shares.
 */
export const HOT_FEDIFY_KEY_PREFIXES: readonly KvKey[] = [
  ["_fedify", "publicKey"],
  ["_fedify", "circuit"],
  ["_fedify", "httpMessageSignaturesSpec"],
  ["_fedify", "remoteDocument"],
];

export interface CachedKvStoreOptions {
  /** Keys starting with one of these are kept in process; the rest go to the store every time. */
  prefixes?: readonly (readonly string[])[];
  /** At most this many entries are kept (least recently used go first). Default 5,000. */
  maxEntries?: number;
  /** At most about this many bytes of values (as JSON) are kept. Default 16 MiB. */
  maxBytes?: number;
}

const ABSENT = Symbol("absent");

interface Entry {
  value: unknown;
  /** `Date.now()` after which the entry is stale (its ttl in the database ran out). */
  expiresAt: number;
  bytes: number;
}

const logger = getLogger(["leitplanken", "db", "kv-cache"]);

/**
 * An in-process layer over `PostgresKvStore` for Fedify's hot keys, so that a delivery or an
 * inbound activity does not read the same few rows again and again (a delivery read the circuit
 * breaker state twice and read and rewrote the signature spec). Reads of a hot key are answered from
 * memory, absence included, until the entry's own ttl runs out; writes go to the store first and
 * then update the copy; a `set` of the value already there with no ttl writes nothing. Every process
 * on the database hears each write of a hot key by NOTIFY and drops its copy; while this process
 * cannot listen (a lost connection), nothing is kept. `cas` always decides in the database.
 */
export class CachedKvStore implements KvStore {
  readonly #inner: KvStore;
  readonly #db: Queryable & Partial<Pick<Database, "listen">>;
  readonly #prefixes: readonly string[];
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  readonly #sender = randomUUID();
  #bytes = 0;
  /** Counts changes of hot keys; a read that raced with one does not keep what it read. */
  #changes = 0;
  #channel: string | undefined;
  #listening: Promise<boolean> | undefined;

  constructor(inner: KvStore, db: Queryable & Partial<Pick<Database, "listen">>, options: CachedKvStoreOptions = {}) {
    this.#inner = inner;
    this.#db = db;
    // A key part may hold any character; JSON of the parts keeps them apart.
    this.#prefixes = (options.prefixes ?? HOT_FEDIFY_KEY_PREFIXES).map((prefix) => JSON.stringify(prefix).slice(0, -1));
    this.#maxEntries = options.maxEntries ?? 5_000;
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const id = this.#hot(key);
    if (id === undefined || !(await this.#listen())) return this.#inner.get<T>(key);
    const entry = this.#entries.get(id);
    if (entry && entry.expiresAt > Date.now()) {
      // Most recently used last: the eviction takes from the front.
      this.#entries.delete(id);
      this.#entries.set(id, entry);
      return entry.value === ABSENT ? undefined : structuredClone(entry.value as T);
    }
    const changes = this.#changes;
    const { rows } = await this.#db.query<{ value: T; ttl_ms: number | null }>(
      `SELECT value, extract(epoch FROM expires_at - now()) * 1000 AS ttl_ms FROM fedify_kv
       WHERE key = $1::text[] AND (expires_at IS NULL OR expires_at > now())`,
      [key],
    );
    const row = rows[0];
    if (changes === this.#changes) this.#remember(id, row ? row.value : ABSENT, row?.ttl_ms ?? null);
    return row ? structuredClone(row.value) : undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const id = this.#hot(key);
    const ttl = ttlMs(options);
    if (id !== undefined && ttl === null && value !== undefined) {
      const entry = this.#entries.get(id);
      // Fedify rewrites some keys with the value they hold (the signature spec after each delivery).
      if (entry && entry.expiresAt === Infinity && entry.value !== ABSENT && JSON.stringify(entry.value) === JSON.stringify(value)) return;
    }
    await this.#inner.set(key, value, options);
    if (id !== undefined) await this.#changed(id, value === undefined ? ABSENT : value, ttl);
  }

  async delete(key: KvKey): Promise<void> {
    await this.#inner.delete(key);
    const id = this.#hot(key);
    if (id !== undefined) await this.#changed(id, ABSENT, null);
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    if (!this.#inner.cas) throw new TypeError("the wrapped key-value store has no cas");
    const swapped = await this.#inner.cas(key, expectedValue, newValue, options);
    const id = this.#hot(key);
    if (id !== undefined) {
      // A failed cas means our copy (if any) is not what the database holds.
      if (swapped) await this.#changed(id, newValue === undefined ? ABSENT : newValue, ttlMs(options));
      else this.#forget(id);
    }
    return swapped;
  }

  list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    return this.#inner.list!(prefix);
  }

  /** The cache id of a hot key, undefined for other keys. */
  #hot(key: KvKey): string | undefined {
    const id = JSON.stringify(key);
    return this.#prefixes.some((prefix) => id.startsWith(prefix)) ? id : undefined;
  }

  #remember(id: string, value: unknown, ttl: number | null): void {
    this.#forget(id);
    const bytes = value === ABSENT ? 16 : (JSON.stringify(value)?.length ?? 16) + id.length;
    if (bytes > this.#maxBytes / 16) return;
    this.#entries.set(id, { value: value === ABSENT ? ABSENT : structuredClone(value), expiresAt: ttl === null ? Infinity : Date.now() + ttl, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  #forget(id: string): void {
    this.#changes++;
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
  }

  /** After a write that reached the database: our copy follows it, the other processes drop theirs. */
  async #changed(id: string, value: unknown, ttl: number | null): Promise<void> {
    if (!(await this.#listen())) return;
    this.#remember(id, value, ttl);
    // NOTIFY payloads are limited to 8,000 bytes; a longer key drops every copy.
    const payload = `${this.#sender} ${id.length < 7_900 ? id : "*"}`;
    await this.#db.query("SELECT pg_notify($1, $2)", [this.#channel, payload]).catch((error: unknown) => {
      logger.warn("Cannot tell other processes that a cached key changed: {error}", { error });
    });
  }

  /** Whether this process hears other processes' writes; until it does (or when it cannot), nothing is kept. */
  #listen(): Promise<boolean> {
    this.#listening ??= (async () => {
      if (!this.#db.listen) return false;
      const { rows } = await this.#db.query<{ channel: string }>("SELECT 'leitplanken_kv_' || left(md5(current_schema()), 16) AS channel");
      this.#channel = rows[0]!.channel;
      await this.#db.listen(this.#channel, {
        onNotify: (payload) => {
          const [sender, id] = [payload.slice(0, payload.indexOf(" ")), payload.slice(payload.indexOf(" ") + 1)];
          if (sender === this.#sender) return;
          if (id === "*") this.#clear();
          else this.#forget(id);
        },
        // Writes made while the connection was down were not heard.
        onGap: () => this.#clear(),
      });
      return true;
    })().catch((error: unknown) => {
      logger.warn("Cannot LISTEN for key-value changes; Fedify's hot keys are read from the database each time: {error}", { error });
      return false;
    });
    return this.#listening;
  }

  #clear(): void {
    this.#changes++;
    this.#entries.clear();
    this.#bytes = 0;
  }
}

/** The ttl in milliseconds; Fedify passes a Temporal.Duration, callers may pass a duration-like object. */
function ttlMs(options: KvStoreSetOptions | undefined): number | null {
  return options?.ttl ? Temporal.Duration.from(options.ttl).total({ unit: "millisecond" }) : null;
}
