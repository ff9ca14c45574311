import { getLogger } from "@logtape/logtape";
import type { Database, Queryable } from "./database.ts";

/**
 * In-process copies of reads from small tables that are read on every delivery or inbound activity
 * and written rarely (the block list, trust mode and lists). The tables announce every change with
 * a NOTIFY (a statement trigger, migration 0031), which reaches every process on the database, and a
 * write through this process drops the copies at once (`tablesChanged`). While this process is not
 * listening (a lost connection, or a database handle without `listen`, such as a transaction), the
 * reads go to the database.
 */

interface Entry {
  tables: readonly string[];
  value: Promise<unknown>;
}

const logger = getLogger(["leitplanken", "db", "table-cache"]);

class TableCache {
  readonly #db: Queryable & Pick<Database, "listen">;
  readonly #entries = new Map<string, Entry>();
  /** Resolves true once this process hears the tables' changes; false when it cannot listen. */
  #listening: Promise<boolean> | undefined;
  #heard = false;

  constructor(db: Queryable & Pick<Database, "listen">) {
    this.#db = db;
  }

  async read<T>(tables: readonly string[], key: string, load: () => Promise<T>): Promise<T> {
    if (!(await this.#listen())) return load();
    const cached = this.#entries.get(key);
    if (cached) return cached.value as Promise<T>;
    const value = load();
    const entry = { tables, value };
    this.#entries.set(key, entry);
    // A failed read is not kept.
    value.catch(() => this.#entries.get(key) === entry && this.#entries.delete(key));
    return value;
  }

  changed(tables: readonly string[]): void {
    for (const [key, entry] of this.#entries) if (entry.tables.some((table) => tables.includes(table))) this.#entries.delete(key);
  }

  #listen(): Promise<boolean> {
    this.#listening ??= (async () => {
      const { rows } = await this.#db.query<{ channel: string }>("SELECT 'leitplanken_changes_' || left(md5(current_schema()), 16) AS channel");
      await this.#db.listen(rows[0]!.channel, {
        onNotify: (table) => this.changed([table]),
        // Changes made while the connection was down were not heard.
        onGap: () => this.#entries.clear(),
      });
      this.#heard = true;
      return true;
    })().catch((error: unknown) => {
      if (!this.#heard) logger.warn("Cannot LISTEN for table changes; reading the block and trust lists each time: {error}", { error });
      return false;
    });
    return this.#listening;
  }
}

const caches = new WeakMap<object, TableCache>();

function cacheOf(db: Queryable): TableCache | undefined {
  const listening = db as Queryable & Partial<Pick<Database, "listen">>;
  if (typeof listening.listen !== "function") return undefined;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new TableCache(listening as Queryable & Pick<Database, "listen">)));
  return cache;
}

/**
 * `load()`'s result, kept in this process until one of `tables` changes. `key` names the read
 * (include its parameters). On a handle that cannot listen (a transaction), `load()` runs every time.
 */
export function cachedRead<T>(db: Queryable, tables: readonly string[], key: string, load: () => Promise<T>): Promise<T> {
  const cache = cacheOf(db);
  return cache ? cache.read(tables, key, load) : load();
}

/** Drops this process's copies of reads from `tables` at once (after a write; other processes hear the NOTIFY). */
export function tablesChanged(db: Queryable, tables: readonly string[]): void {
  cacheOf(db)?.changed(tables);
}
