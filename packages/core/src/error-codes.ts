/**
 * The closed sets that name an expected failure (issue #14): every `FieldError.code` and every
 * action an `InvalidTransitionError` refuses is one of these values, so a client can switch over
 * them exhaustively (the API spells them as the enums `FieldErrorCode` and `RecordAction`). A new
 * value goes here first; parameters of a failure (a rule's id, a limit) go into fields of their own.
 */
export const fieldErrorCodes = [
  // Form, from the record schemas (validation.ts turns zod's issues into these).
  "required",
  "invalid-type",
  "empty",
  "too-long",
  "too-short",
  "too-big",
  "too-small",
  "invalid-format",
  "invalid-option",
  "unknown-field",
  "invalid-key",
  "invalid-variant",
  "not-multiple",
  "invalid-element",
  "invalid",
  // The records' own checks.
  "too-many-languages",
  "language-missing",
  "control-character",
  "duplicate-key",
  "duplicate-kind",
  "duplicate-moderator",
  "unknown-rule",
  "published-without-date",
  "annex-iii-area-missing",
  "article-6-3-reason-missing",
  "legal-basis-missing",
  "energy-figure-missing",
  "contact-missing",
  "always-applied-rule",
  "adopter-not-publisher",
  "self-adoption",
  // Arguments of the API and the import.
  "too-many",
  "out-of-range",
  "one-of-required",
  "invalid-iri",
  "invalid-domain",
  "own-domain",
  "invalid-actor",
  "invalid-reason",
  "vetter-not-named",
  "shared-account",
  "yaml-syntax",
  // Documents received from other nodes.
  "unsupported-wire-version",
  "wrong-type",
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

/** What a refused state change tried to do (`InvalidTransitionError.action`). */
export const recordActions = [
  "create-draft",
  "update",
  "revise",
  "submit",
  "send-back",
  "vet",
  "publish",
  "retire",
  "fork",
  "adopt",
  "approve",
  "reject",
  "remove",
  "close",
] as const;
export type RecordAction = (typeof recordActions)[number];
