import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { lockDataFolder, secureDataFolder, type DataFolderLock } from "./data-folder-lock.ts";

/** Rows come back with the same JavaScript types on PGlite and PostgreSQL. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs several statements separated by semicolons, without parameters (migration files). */
  exec(sql: string): Promise<void>;
}

/** Receives NOTIFYs on one channel (see `Database.listen`). */
export interface NotificationListener {
  /** A NOTIFY's payload, sent by this process or (PostgreSQL) any other one on the same database. */
  onNotify(payload: string): void;
  /** Notifications may have been missed (the listening connection was lost and is back): look for work now. */
  onGap?(): void;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** PGlite in a folder: this process's lock on it, and the folder's admin socket. */
  readonly dataFolder?: DataFolderLock;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on `channel` (an identifier of letters, digits and `_`); resolves with a function that stops
   * listening. PostgreSQL listens on one extra connection of its own (reconnected after a loss, with
   * `onGap`), so NOTIFYs from other processes arrive; PGlite hears its own instance.
   */
  listen(channel: string, listener: NotificationListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without it an embedded PGlite database is opened. */
  url?: string | undefined;
  /** Where PGlite keeps its files; `undefined` keeps the database in memory (tests). */
  dataDir?: string | undefined;
  /** PGlite only: start a new database from a tarball made by PGlite's `dumpDataDir` (test templates). */
  loadDataDir?: Blob | undefined;
  /** PostgreSQL only: a schema to work in (created if missing), so tests can share one server database. */
  schema?: string | undefined;
  /** PostgreSQL only: pool size. */
  maxConnections?: number;
  /**
   * PostgreSQL only: the server cancels a statement that runs longer (`statement_timeout`), so
   * no request can hold a connection and a core for long. PGlite runs statements on the event
   * loop, where a timer cannot interrupt them: there the shape of every query is bounded
   * instead (search terms, page sizes: core's `input-limits.ts`). Migrations run without it.
   */
  statementTimeoutMs?: number;
}

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// bigint counts (count(*), sums) as JS numbers on both drivers: our counts stay far below 2^53.
const parseBigint = (value: string) => Number(value);

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir, options.loadDataDir);
}

/**
 * PGlite's memory: PostgreSQL's default of 128 MB shared buffers lives in the WebAssembly heap,
 * which grows and never shrinks, and with it the node's resident memory. A city's database is
 * tens of megabytes and the OS caches the folder's files anyway, so 16 MB of buffers cost little
 * speed; one connection (PGlite is single-user) needs none of the 100 backends' shared state.
 * (A node idled at 467 MiB with 128 MB and at 357 MiB with 16 MB: docs/adr/0045-pglite-memory.md.)
 */
const pgliteMemorySettings = ["-c", "shared_buffers=16MB"];

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  // Taken before PGlite touches the folder: a second process must never open it (PGlite has no lock).
  const lock = dataDir ? await lockDataFolder(dataDir) : undefined;
  let client: PGlite;
  try {
    // One options object: PGlite ignores loadDataDir when the data dir comes as a separate argument.
    client = new PGlite({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      // Trigram matching inside compound words (migration 0061); PGlite ships it, loaded on demand.
      extensions: { pg_trgm },
      startParams: [...PGlite.defaultStartParams, ...pgliteMemorySettings],
      parsers: { [INT8_OID]: parseBigint, [NUMERIC_OID]: parseBigint },
      serializers: { [INT8_OID]: (value: unknown) => String(value) },
    });
    await client.waitReady;
    // PGlite sets the modes of the files it creates on first start explicitly (0666, umask or not).
    if (dataDir) await secureDataFolder(dataDir);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const run = async <Row>(target: Pick<PGlite, "query">, text: string, params?: readonly unknown[]) => {
    const result = await target.query<Row>(text, params as unknown[] | undefined);
    // PGlite reports affectedRows 0 for a SELECT; PostgreSQL's rowCount is the number of rows.
    return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
  };
  const exec = async (target: Pick<PGlite, "exec">, sql: string) => {
    await target.exec(sql);
  };
  return {
    kind: "pglite",
    ...(lock ? { dataFolder: lock } : {}),
    query: (text, params) => run(client, text, params),
    exec: (sql) => exec(client, sql),
    transaction: (fn) => client.transaction((tx) => fn({ query: (text, params) => run(tx, text, params), exec: (sql) => exec(tx, sql) })),
    async listen(channel, listener) {
      const unlisten = await client.listen(checkedChannel(channel), (payload) => listener.onNotify(payload));
      return async () => {
        if (!client.closed) await unlisten();
      };
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        await lock?.release();
      }
    },
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID || oid === NUMERIC_OID ? parseBigint : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  const notifications = new PostgresNotifications(() => new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 }));
  const run = async <Row>(target: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) => {
    const result = await target.query(text, params as unknown[] | undefined);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  };
  // Without parameters pg uses the simple query protocol, which accepts several statements.
  const exec = async (target: pg.Pool | pg.PoolClient, sql: string) => {
    await target.query(sql);
  };
  return {
    kind: "postgres",
    query: (text, params) => run(pool, text, params),
    exec: (sql) => exec(pool, sql),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: (text, params) => run(client, text, params), exec: (sql) => exec(client, sql) });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    listen: async (channel, listener) => notifications.listen(checkedChannel(channel), listener),
    async close() {
      await notifications.close();
      await pool.end();
    },
  };
}

function checkedChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid notification channel name: ${channel}`);
  return channel;
}

/**
 * LISTEN for one PostgreSQL database on a single connection of its own, outside the pool (a pooled
 * connection would lose its LISTENs when it goes back). Opened on the first `listen`; when it breaks
 * it is opened again after a growing pause (0.5 s up to 30 s), LISTENs again and tells every
 * listener `onGap`, since NOTIFYs sent meanwhile are lost.
 */
class PostgresNotifications {
  readonly #connect: () => pg.Client;
  readonly #listeners = new Map<string, Set<NotificationListener>>();
  /** The connection being opened or open; undefined while there is none (a reopen may be scheduled). */
  #client: Promise<pg.Client> | undefined;
  #current: pg.Client | undefined;
  #retryMs = 500;
  #reopen: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(connect: () => pg.Client) {
    this.#connect = connect;
  }

  async listen(channel: string, listener: NotificationListener): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error("the database is closed");
    let set = this.#listeners.get(channel);
    const first = !set;
    if (!set) this.#listeners.set(channel, (set = new Set()));
    set.add(listener);
    if (first) {
      const opening = this.#client;
      this.#client ??= this.#start();
      // A connection started now LISTENs on every channel already; one that was open needs this one added.
      const client = await this.#client.catch(() => undefined);
      if (client && opening) await client.query(`LISTEN ${channel}`).catch(() => this.#lost(client));
    }
    return async () => {
      set.delete(listener);
      if (set.size > 0 || this.#listeners.get(channel) !== set) return;
      this.#listeners.delete(channel);
      const client = await this.#client?.catch(() => undefined);
      await client?.query(`UNLISTEN ${channel}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reopen);
    const client = await this.#client?.catch(() => undefined);
    this.#client = undefined;
    this.#current = undefined;
    await client?.end().catch(() => {});
  }

  async #start(): Promise<pg.Client> {
    const client = this.#connect();
    this.#current = client;
    client.on("error", () => this.#lost(client));
    client.on("end", () => this.#lost(client));
    client.on("notification", (message) => {
      for (const listener of this.#listeners.get(message.channel) ?? []) listener.onNotify(message.payload ?? "");
    });
    try {
      await client.connect();
      for (const channel of this.#listeners.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.#lost(client);
      throw error;
    }
    this.#retryMs = 500;
    return client;
  }

  #lost(client: pg.Client): void {
    void client.end().catch(() => {});
    if (this.#closed || client !== this.#current) return;
    this.#current = undefined;
    this.#client = undefined;
    this.#reopen = setTimeout(() => {
      this.#reopen = undefined;
      if (this.#closed || this.#listeners.size === 0 || this.#client) return;
      this.#client = this.#start();
      void this.#client.then(
        () => {
          for (const set of this.#listeners.values()) for (const listener of set) listener.onGap?.();
        },
        () => {},
      );
    }, this.#retryMs);
    this.#reopen.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, 30_000);
  }
}
/** A connection string without its password, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    // libpq-style URLs may also carry the password as a query parameter.
    for (const key of [...parsed.searchParams.keys()]) if (/pass/i.test(key)) parsed.searchParams.set(key, "***");
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
