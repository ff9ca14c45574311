import { z } from "zod";
import type { FieldErrorCode } from "./error-codes.ts";
import { identifierLimits, listLimits, textLimits } from "./field-limits.ts";

/**
 * Building blocks shared by all record schemas. Dates travel as ISO strings (not Date
 * objects) so that a record is the same JSON in the database, on the wire and in an import file.
 */

/** An IRI assigned by a node (https, or http on loopback test networks). */
export const iriSchema = z.url({ protocol: /^https?$/ }).max(identifierLimits.iri);
export type Iri = z.infer<typeof iriSchema>;

export const isoDateSchema = z.iso.date();
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** A slug-like key: lower-case words joined by hyphens (principle keys, rule ids). */
export const keySchema = z
  .string()
  .max(identifierLimits.key)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

/** ISO 3166-1 alpha-2 country code, upper case ("DE"). */
export const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/);

/** The EU member states, for rules that ask "is this inside the EU?". */
export const euCountryCodes: ReadonlySet<string> = new Set([
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
]);

/** Custom issues carry their bilingual message in params, read by the error mapper. */
export interface BilingualIssueParams {
  code: FieldErrorCode;
  de: string;
  en: string;
  /** The rule the value breaks, for `always-applied-rule`. */
  ruleId?: string;
}

export const languageTagSchema = z
  .string()
  .max(identifierLimits.languageTag)
  .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/);

/**
 * A text citizens read, in several languages: `{ de?: string, en?: string, … }`.
 * At least German or English is required so that every node can show it. Each language's text
 * holds at most `max` characters (a long text unless the field says less: field-limits.ts), and a
 * text has at most `listLimits.languages` languages.
 */
export function languageMap(options: { max?: number } = {}) {
  const text = z
    .string()
    .trim()
    .min(1)
    .max(options.max ?? textLimits.long);
  return z
    .record(languageTagSchema, text)
    .check((ctx) => {
      const languages = Object.keys(ctx.value).length;
      if (languages > listLimits.languages) {
        ctx.issues.push({
          code: "custom",
          input: ctx.value,
          params: {
            code: "too-many-languages",
            de: `Höchstens ${listLimits.languages} Sprachen je Text erlaubt (hier ${languages}).`,
            en: `At most ${listLimits.languages} languages per text allowed (here ${languages}).`,
          } satisfies BilingualIssueParams,
        });
      }
      if (ctx.value["de"] === undefined && ctx.value["en"] === undefined) {
        ctx.issues.push({
          code: "custom",
          input: ctx.value,
          params: {
            code: "language-missing",
            de: "Bitte mindestens eine deutsche (de) oder englische (en) Fassung angeben.",
            en: "Please give at least a German (de) or an English (en) version.",
          } satisfies BilingualIssueParams,
        });
      }
    })
    .meta({ description: "Text in several languages, keyed by language tag; de or en is required." });
}
export const languageMapSchema = languageMap();
export type LanguageMap = z.infer<typeof languageMapSchema>;

/** Picks the text in the wanted language, falling back to German, English, then any. */
export function textIn(map: LanguageMap, language: string): string {
  return map[language] ?? map["de"] ?? map["en"] ?? Object.values(map).find((value) => value !== undefined) ?? "";
}
