import { Temporal } from "@js-temporal/polyfill";
import { PostgresKvStore } from "./kv-store.ts";
import type { Queryable } from "./database.ts";

/**
 * The staff pages' sessions in the database (web's `SessionPersistence`), so that every web
 * process of a node knows each browser's session: rows of the key–value table under
 * `["leitplanken", "session", key]`, expiring with the session (the table's sweep deletes them).
 * Keys and values arrive hashed and sealed; nothing here can sign anyone in.
 */
export function createSessionPersistence(db: Queryable) {
  const kv = new PostgresKvStore(db);
  const at = (key: string) => ["leitplanken", "session", key] as const;
  return {
    read: (key: string) => kv.get<string>(at(key)),
    write: (key: string, value: string, expiresAt: number) =>
      kv.set(at(key), value, { ttl: Temporal.Duration.from({ milliseconds: Math.max(1, Math.round(expiresAt - Date.now())) }) }),
    remove: (key: string) => kv.delete(at(key)),
  };
}
