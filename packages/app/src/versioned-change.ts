import type { SaveOptions, SaveResult, Versioned } from "@leitplanken/core";
import { conflict, isCurrent, notFound, refused, type Conflict, type NotFound, type UseResult } from "./results.ts";
import type { Transaction } from "./transaction.ts";

/** A stored record's repository as a change needs it. */
interface VersionedRepository<T> {
  getVersioned(id: string): Promise<Versioned<T> | null>;
  save(record: T, options?: SaveOptions): Promise<SaveResult<unknown>>;
}

/** What the domain decided about a loaded record: its new state, or why not. */
export type Decision<T, E> = { ok: true; record: T } | { ok: false; error: E };

export type ChangeResult<T, E> = UseResult<{ record: T; lockVersion: number }, NotFound | Conflict | E>;

/**
 * One change of a stored record (inside a use's transaction): load it, refuse when it changed
 * since the caller read it (`lockVersion`), let the domain decide, store the decision at exactly
 * the version loaded (a concurrent writer in between, or another refusal of the store, rolls
 * everything back and is returned as the use's result), then apply what the change means elsewhere (`effects`: publication, events).
 */
export async function changeVersioned<T, E, R>(
  transaction: Transaction<R>,
  repository: VersionedRepository<T>,
  ref: { id: string; lockVersion?: number | undefined },
  decide: (record: T) => Decision<T, E> | Promise<Decision<T, E>>,
  effects: (before: T, after: T) => Promise<void> = async () => {},
): Promise<ChangeResult<T, E>> {
  const stored = await repository.getVersioned(ref.id);
  if (stored === null) return notFound(ref.id);
  if (!isCurrent(stored.lockVersion, ref.lockVersion)) return conflict(ref.id, stored.lockVersion);
  const decided = await decide(stored.record);
  if (!decided.ok) return refused(decided.error);
  const saved = await repository.save(decided.record, { expectedLockVersion: stored.lockVersion });
  // Refused by the store (a concurrent writer, a guideline label taken meanwhile): undo what the use wrote before.
  if (!saved.ok) return transaction.abort(refused(saved.error) as R);
  await effects(stored.record, decided.record);
  return { ok: true, record: decided.record, lockVersion: saved.lockVersion };
}
