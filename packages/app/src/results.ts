import type { FieldError } from "@leitplanken/core";

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

export const notFound = (id: string) => ({ ok: false as const, error: { type: "not-found" as const, id } });
export const refused = <E>(error: E) => ({ ok: false as const, error });
