import type { BilingualMessage } from "./validation.ts";

/**
 * Bounds on what a client may ask the node to search or filter by, in one place: the API
 * refuses input beyond them before any work (400 with these texts), and the database's search
 * builder applies the same function, so no query can reach the database with more terms than
 * this (PGlite runs on the event loop: the query's shape must be bounded, not only its time).
 */
export const searchLimits = {
  /** Characters of one search text (a long sentence; the register's search box allows this many). */
  maxCharacters: 200,
  /** Words of one search text; each becomes a term of the text search and of the similarity match. */
  maxTerms: 12,
} as const;

export const filterLimits = {
  /** Characters of a free-text filter other than search (department, licence). */
  maxTextCharacters: 200,
  /** Entries of a list filter (`originCities`, ids to compare). */
  maxListItems: 1000,
  /** Characters of an IRI or id in a filter or argument. */
  maxIriCharacters: 2048,
} as const;

/**
 * The longest single text any request may carry: a backstop in front of the per-field limits, so
 * a 500 KB "target", "reason" or "purpose" is refused before it is processed or echoed, with the
 * argument's path. It sits a little above the longest field (the node's legal texts, 30,000
 * characters; a record's long texts hold 20,000: field-limits.ts), so a text just over its
 * field's limit is refused at the field, with the label the form shows, not by the backstop.
 */
export const maxTextCharacters = 32_000;

export type InputLimitError =
  | { type: "invalid-characters"; path: string; problem: "nul" | "lone-surrogate" }
  | { type: "too-long"; path: string; max: number; length: number }
  | { type: "too-many-terms"; path: string; max: number; terms: number }
  | { type: "too-many-items"; path: string; max: number; items: number };

// A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed is ES2024).
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL cannot store or compare (NUL) or that is not Unicode (an unpaired UTF-16 surrogate). */
export function invalidCharacters(text: string): "nul" | "lone-surrogate" | null {
  if (text.includes("\u0000")) return "nul";
  if (loneSurrogate.test(text)) return "lone-surrogate";
  return null;
}

/** The words of a search text, as the search uses them (split on white space, empty ones dropped). */
export function searchTerms(text: string): string[] {
  return text.split(/\s+/u).filter(Boolean);
}

/**
 * A search text within the limits, trimmed; or why not. Both the API (to refuse) and the database
 * (as the last guard) call this.
 */
export function checkSearchText(text: string, path = "search"): { ok: true; value: string; terms: string[] } | { ok: false; error: InputLimitError } {
  const problem = invalidCharacters(text);
  if (problem) return { ok: false, error: { type: "invalid-characters", path, problem } };
  if (text.length > searchLimits.maxCharacters) return { ok: false, error: { type: "too-long", path, max: searchLimits.maxCharacters, length: text.length } };
  const value = text.trim();
  const terms = searchTerms(value);
  if (terms.length > searchLimits.maxTerms) return { ok: false, error: { type: "too-many-terms", path, max: searchLimits.maxTerms, terms: terms.length } };
  return { ok: true, value, terms };
}

/** A free-text filter (not a search) within its limit, or why not. */
export function checkFilterText(text: string, path: string, max: number = filterLimits.maxTextCharacters): InputLimitError | null {
  const problem = invalidCharacters(text);
  if (problem) return { type: "invalid-characters", path, problem };
  if (text.length > max) return { type: "too-long", path, max, length: text.length };
  return null;
}

export function describeInputLimitError(error: InputLimitError): BilingualMessage {
  switch (error.type) {
    case "invalid-characters":
      return error.problem === "nul"
        ? {
            de: `${error.path} enthält ein NUL-Zeichen (\\u0000), das nicht gespeichert werden kann.`,
            en: `${error.path} contains a NUL character (\\u0000), which cannot be stored.`,
          }
        : {
            de: `${error.path} enthält ein einzelnes UTF-16-Ersatzzeichen (kein gültiger Unicode-Text).`,
            en: `${error.path} contains an unpaired UTF-16 surrogate (not valid Unicode text).`,
          };
    case "too-long":
      return {
        de: `${error.path} ist zu lang: ${error.length} Zeichen, höchstens ${error.max} erlaubt.`,
        en: `${error.path} is too long: ${error.length} characters, at most ${error.max} allowed.`,
      };
    case "too-many-terms":
      return {
        de: `${error.path} hat zu viele Wörter: ${error.terms}, höchstens ${error.max} erlaubt.`,
        en: `${error.path} has too many words: ${error.terms}, at most ${error.max} allowed.`,
      };
    case "too-many-items":
      return {
        de: `${error.path} hat zu viele Einträge: ${error.items}, höchstens ${error.max} erlaubt.`,
        en: `${error.path} has too many entries: ${error.items}, at most ${error.max} allowed.`,
      };
  }
}
