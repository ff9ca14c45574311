import type { z } from "zod";
import type { BilingualIssueParams } from "./common.schema.ts";
import type { FieldErrorCode } from "./error-codes.ts";
import { type Guideline, type GuidelineContent, guidelineContentSchema, guidelineSchema } from "./guideline.entity.ts";
import { type SharedModel, type SharedModelContent, sharedModelContentSchema, sharedModelSchema } from "./shared-model.entity.ts";
import { type UseCase, type UseCaseContent, useCaseCandidateSchema, useCaseContentSchema, useCaseSchema } from "./use-case.entity.ts";

export interface BilingualMessage {
  de: string;
  en: string;
}

/** One problem in a record, addressed by its path (e.g. "principles[2].statement.de"). */
export interface FieldError {
  path: string;
  code: FieldErrorCode;
  message: BilingualMessage;
  /** The rule the field breaks, for `always-applied-rule`. */
  ruleId?: string;
}

/** A field error with its message in German and English. */
export const fieldError = (path: string, code: FieldErrorCode, de: string, en: string): FieldError => ({ path, code, message: { de, en } });

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    return text === "" ? String(segment) : `${text}.${String(segment)}`;
  }, "");
}

const typeNames: Record<string, BilingualMessage> = {
  string: { de: "einen Text", en: "a text" },
  number: { de: "eine Zahl", en: "a number" },
  int: { de: "eine ganze Zahl", en: "a whole number" },
  boolean: { de: "ja oder nein (true/false)", en: "yes or no (true/false)" },
  object: { de: "eine Gruppe von Feldern", en: "a group of fields" },
  array: { de: "eine Liste", en: "a list" },
  record: { de: "eine Gruppe von Feldern", en: "a group of fields" },
};

const formatNames: Record<string, BilingualMessage> = {
  url: { de: "eine Webadresse (https://…)", en: "a web address (https://…)" },
  email: { de: "eine E-Mail-Adresse", en: "an email address" },
  date: { de: "ein Datum im Format JJJJ-MM-TT", en: "a date in the form YYYY-MM-DD" },
  datetime: { de: "ein Zeitpunkt im Format JJJJ-MM-TTThh:mm:ssZ", en: "a time in the form YYYY-MM-DDThh:mm:ssZ" },
  regex: { de: "ein Wert im vorgesehenen Format", en: "a value in the expected form" },
};

const sizeUnits: Record<string, BilingualMessage> = {
  string: { de: "Zeichen", en: "characters" },
  array: { de: "Einträge", en: "entries" },
  set: { de: "Einträge", en: "entries" },
};

function describeType(name: string): BilingualMessage {
  return typeNames[name] ?? { de: name, en: name };
}

/** Turns one zod issue into a message an editor can act on, in German and English. */
export function messageForIssue(issue: z.core.$ZodIssue): Omit<FieldError, "path"> {
  // Needs `reportInput: true` when parsing, so that a missing field is told from a wrong one.
  if ((issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "invalid_union") && "input" in issue && issue.input === undefined) {
    return { code: "required", message: { de: "Dieses Feld fehlt, es ist ein Pflichtfeld.", en: "This field is missing; it is required." } };
  }
  switch (issue.code) {
    case "invalid_type": {
      const expected = describeType(issue.expected);
      return { code: "invalid-type", message: { de: `Hier wird ${expected.de} erwartet.`, en: `This should be ${expected.en}.` } };
    }
    case "too_big":
    case "too_small": {
      const unit = sizeUnits[issue.origin];
      const bound = Number(issue.code === "too_big" ? issue.maximum : issue.minimum);
      const big = issue.code === "too_big";
      if (unit) {
        if (!big && bound === 1) {
          return { code: "empty", message: { de: "Darf nicht leer sein.", en: "Must not be empty." } };
        }
        return {
          code: big ? "too-long" : "too-short",
          message: big
            ? { de: `Höchstens ${bound} ${unit.de} erlaubt.`, en: `At most ${bound} ${unit.en} allowed.` }
            : { de: `Mindestens ${bound} ${unit.de} nötig.`, en: `At least ${bound} ${unit.en} needed.` },
        };
      }
      return {
        code: big ? "too-big" : "too-small",
        message: big
          ? { de: `Der Wert darf höchstens ${bound} sein.`, en: `The value must be at most ${bound}.` }
          : { de: `Der Wert muss mindestens ${bound} sein.`, en: `The value must be at least ${bound}.` },
      };
    }
    case "invalid_format": {
      const format = formatNames[issue.format] ?? { de: `ein Wert im Format „${issue.format}“`, en: `a value in the format "${issue.format}"` };
      return { code: "invalid-format", message: { de: `Hier wird ${format.de} erwartet.`, en: `This should be ${format.en}.` } };
    }
    case "invalid_value": {
      const options = issue.values.map((value) => JSON.stringify(value)).join(", ");
      return {
        code: "invalid-option",
        message: { de: `Erlaubt sind nur: ${options}.`, en: `Only these are allowed: ${options}.` },
      };
    }
    case "unrecognized_keys": {
      const keys = issue.keys.map((key) => `„${key}“`).join(", ");
      const keysEn = issue.keys.map((key) => `"${key}"`).join(", ");
      return {
        code: "unknown-field",
        message: { de: `Unbekanntes Feld ${keys} – Tippfehler?`, en: `Unknown field ${keysEn} – a typo?` },
      };
    }
    case "invalid_key":
      return {
        code: "invalid-key",
        message: { de: "Ungültiger Schlüssel (z. B. Sprachkürzel wie „de“ oder „en“).", en: 'Invalid key (e.g. a language tag such as "de" or "en").' },
      };
    case "invalid_union":
      return {
        code: "invalid-variant",
        message: { de: "Der Eintrag passt zu keiner der erlaubten Formen.", en: "The entry matches none of the allowed forms." },
      };
    case "not_multiple_of":
      return {
        code: "not-multiple",
        message: { de: `Muss ein Vielfaches von ${String(issue.divisor)} sein.`, en: `Must be a multiple of ${String(issue.divisor)}.` },
      };
    case "invalid_element":
      return { code: "invalid-element", message: { de: "Ein Eintrag ist ungültig.", en: "An entry is invalid." } };
    case "custom": {
      const params = issue.params as Partial<BilingualIssueParams> | undefined;
      if (params?.code && params.de && params.en) {
        const { code, de, en, ruleId } = params;
        return ruleId === undefined ? { code, message: { de, en } } : { code, message: { de, en }, ruleId };
      }
      return { code: "invalid", message: { de: "Ungültiger Wert.", en: "Invalid value." } };
    }
  }
}

/** The path of an issue; for an unknown field, the path to that field. */
function issuePaths(issue: z.core.$ZodIssue): PropertyKey[][] {
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => [...issue.path, key]);
  return [issue.path];
}

export function fieldErrorsFromZod(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const error = messageForIssue(issue);
    return issuePaths(issue).map((path) => ({ path: formatPath(path), ...error }));
  });
}

export function validateWith<T>(schema: z.ZodType<T>, input: unknown): Validated<T> {
  const result = schema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrorsFromZod(result.error) };
}

export const validateGuideline = (input: unknown): Validated<Guideline> => validateWith(guidelineSchema, input);
export const validateGuidelineContent = (input: unknown): Validated<GuidelineContent> => validateWith(guidelineContentSchema, input);
export const validateUseCase = (input: unknown): Validated<UseCase> => validateWith(useCaseSchema, input);
export const validateUseCaseContent = (input: unknown): Validated<UseCaseContent> => validateWith(useCaseContentSchema, input);
/** An unsaved use case to check against a guideline: its form must hold, the rules it breaks are the check's answer. */
export const validateUseCaseCandidate = (input: unknown): Validated<UseCaseContent> => validateWith(useCaseCandidateSchema, input);
export const validateSharedModel = (input: unknown): Validated<SharedModel> => validateWith(sharedModelSchema, input);
export const validateSharedModelContent = (input: unknown): Validated<SharedModelContent> => validateWith(sharedModelContentSchema, input);
