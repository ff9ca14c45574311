import type { FieldError, StaleWrite } from "@leitplanken/core";

/** A use's outcome: a value on success, an expected failure otherwise (never thrown). */
export type UseResult<T, E> = ({ ok: true } & T) | { ok: false; error: E };

/** The record named does not exist on this node. */
export interface NotFound {
  type: "not-found";
  id: string;
}

/** The input failed validation; nothing was changed. */
export interface InvalidInput {
  type: "invalid-input";
  errors: FieldError[];
}

/**
 * The record changed since the caller read it (its `lockVersion` moved on): nothing was
 * written. Core's `StaleWrite`, as the repositories report it.
 */
export type Conflict = StaleWrite;

export const notFound = (id: string) => ({ ok: false as const, error: { type: "not-found" as const, id } });
export const refused = <E>(error: E) => ({ ok: false as const, error });
export const invalidInput = (errors: FieldError[]) => refused<InvalidInput>({ type: "invalid-input", errors });
export const conflict = (id: string, currentLockVersion: number | null) => refused<Conflict>({ type: "stale", id, currentLockVersion });

/**
 * Whether a record read at `lockVersion` may be written by a caller who read `expected`
 * (undefined: the caller names no version, e.g. an import).
 */
export const isCurrent = (lockVersion: number, expected: number | undefined) => expected === undefined || expected === lockVersion;
