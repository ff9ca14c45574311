import type { z } from "zod";
import { adoptionSchema, type Adoption } from "./adoption.ts";
import { guidelineSchema, type Guideline } from "./guideline.entity.ts";
import { sharedModelSchema, type SharedModel } from "./shared-model.entity.ts";
import { useCaseSchema, type UseCase } from "./use-case.entity.ts";
import { formatPath, validateWith, type Validated } from "./validation.ts";

/**
 * The tolerant reader (FEDERATION.md, "Compatibility"): records from another node, or stored by
 * an earlier or later version of this one, are read by what this version understands. A field it
 * does not know, at any depth, is set aside (and named in `ignored`), never an error; what it does
 * know is validated as strictly as ever. The signed document a record came in stays as it was
 * (the receiver keeps it, unknown fields and proof included, and passes it on unchanged).
 *
 * Local input (GraphQL, import files) stays strict: there an unknown field is a typo.
 */
export type Tolerated<T> = Validated<T> & { ignored: string[] };

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  getter?: () => z.ZodType;
};

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The object schemas a union offers for this value: by its discriminator when it has one, else all of them. */
function unionCandidates(def: Def, value: Record<string, unknown>): z.ZodType[] {
  const options = def.options ?? [];
  if (!def.discriminator) return options;
  const chosen = options.filter((option) => {
    const literal = defOf(option).shape?.[def.discriminator!];
    return literal ? (defOf(literal).values ?? []).includes(value[def.discriminator!]) : false;
  });
  return chosen.length > 0 ? chosen : options;
}

/**
 * A copy of `value` without the object members `schema` does not know (strict objects only:
 * where the schema allows extra members, they stay), with their paths in `ignored`.
 */
export function withoutUnknownFields(schema: z.ZodType, value: unknown, ignored: string[] = [], path: PropertyKey[] = []): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case "object": {
      if (!isPlainObject(value)) return value;
      const shape = def.shape ?? {};
      const strict = def.catchall !== undefined && defOf(def.catchall).type === "never";
      const kept: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) {
        const memberSchema = shape[key];
        if (memberSchema) kept[key] = withoutUnknownFields(memberSchema, member, ignored, [...path, key]);
        else if (strict) ignored.push(formatPath([...path, key]));
        else kept[key] = member;
      }
      return kept;
    }
    case "array":
      return Array.isArray(value) && def.element ? value.map((item, index) => withoutUnknownFields(def.element!, item, ignored, [...path, index])) : value;
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return def.innerType ? withoutUnknownFields(def.innerType, value, ignored, path) : value;
    case "pipe":
      return def.in ? withoutUnknownFields(def.in, value, ignored, path) : value;
    case "lazy":
      return def.getter ? withoutUnknownFields(def.getter(), value, ignored, path) : value;
    case "union": {
      if (!isPlainObject(value)) return value;
      // The first option the value fits once its unknown members are set aside; else the first candidate's view.
      const attempts = unionCandidates(def, value).map((option) => {
        const optionIgnored: string[] = [];
        const pruned = withoutUnknownFields(option, value, optionIgnored, path);
        return { pruned, optionIgnored, fits: option.safeParse(pruned).success };
      });
      const best = attempts.find((attempt) => attempt.fits) ?? attempts[0];
      if (!best) return value;
      ignored.push(...best.optionIgnored);
      return best.pruned;
    }
    default:
      return value;
  }
}

/** Validates what the schema knows of `input`; unknown fields are set aside and listed, not refused. */
export function validateTolerantly<T>(schema: z.ZodType<T>, input: unknown): Tolerated<T> {
  // A record that validates as it is has no unknown field in a strict object: one parse, no copy
  // without them (most stored records; the walk cost as much as the parse, issue #16).
  const direct = schema.safeParse(input);
  if (direct.success) return { ok: true, value: direct.data, ignored: [] };
  const ignored: string[] = [];
  const known = withoutUnknownFields(schema, input, ignored);
  return { ...validateWith(schema, known), ignored };
}

/** A guideline version from the wire or from a stored row (tolerant reader). */
export const readGuideline = (input: unknown): Tolerated<Guideline> => validateTolerantly(guidelineSchema, input);
/** A use case from the wire or from a stored row (tolerant reader). */
export const readUseCase = (input: unknown): Tolerated<UseCase> => validateTolerantly(useCaseSchema, input);
/** A shared model from the wire or from a stored row (tolerant reader). */
export const readSharedModel = (input: unknown): Tolerated<SharedModel> => validateTolerantly(sharedModelSchema, input);
/** An adoption record from the wire or from a stored row (tolerant reader). */
export const readAdoption = (input: unknown): Tolerated<Adoption> => validateTolerantly(adoptionSchema, input);
