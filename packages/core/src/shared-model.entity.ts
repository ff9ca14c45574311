import { z } from "zod";
import { countryCodeSchema, iriSchema, isoDateSchema, languageMap, languageTagSchema } from "./common.schema.ts";
import { listLimits, textLimits } from "./field-limits.ts";
import { licenceSchema } from "./licence.ts";
import { provenanceSchema } from "./provenance.ts";
import { hostingKinds } from "./use-case.entity.ts";

export const sharedModelContentShape = {
  name: languageMap({ max: 100 }),
  version: z.string().trim().min(1).max(80),
  /** A content hash or repository revision identifying exactly these weights. */
  revision: z.string().trim().min(1).max(textLimits.line).optional(),
  licence: licenceSchema,
  baseModel: z
    .strictObject({
      name: z.string().trim().min(1).max(textLimits.line),
      iri: iriSchema.optional(),
      relation: z.enum(["fine-tune", "quantisation", "adapter", "distillation", "merge"]),
    })
    .optional(),
  architecture: z.string().trim().min(1).max(textLimits.line),
  parameterCount: z.number().int().positive().optional(),
  /** BCP 47 language tags the model handles. */
  languages: z.array(languageTagSchema).min(1).max(listLimits.modelLanguages),
  intendedUse: languageMap({ max: textLimits.long }),
  outOfScopeUse: languageMap({ max: textLimits.long }),
  trainingData: languageMap({ max: textLimits.long }),
  evaluation: z
    .array(
      z.strictObject({
        benchmark: z.string().trim().min(1).max(textLimits.line),
        metric: z.string().trim().min(1).max(textLimits.line),
        value: z.number(),
        note: languageMap({ max: textLimits.summary }).optional(),
      }),
    )
    .max(listLimits.items)
    .default([]),
  limitations: languageMap({ max: textLimits.long }),
  trainingEmissions: z
    .strictObject({
      co2eGrams: z.number().nonnegative(),
      hardware: z.string().trim().min(1).max(textLimits.line),
      region: z.string().trim().min(1).max(textLimits.line),
    })
    .optional(),
  inferenceEnergy: z
    .strictObject({ whPer1000Requests: z.number().nonnegative(), hardware: z.string().trim().min(1).max(textLimits.line), testDate: isoDateSchema })
    .optional(),
  sovereignty: z.strictObject({
    openWeights: z.boolean(),
    /** Status against the OSI Open Source AI Definition. */
    osiOpenSourceAi: z.enum(["compliant", "not-compliant", "not-assessed"]),
    weightsLocation: z.string().trim().min(1).max(textLimits.line),
    hosting: z.enum(hostingKinds),
    operatorJurisdiction: countryCodeSchema,
    exitStrategy: languageMap({ max: textLimits.long }).optional(),
  }),
  /** Actor IRIs of the nodes that serve this model to other municipalities. */
  servedBy: z.array(iriSchema).max(listLimits.items).default([]),
  /** Terms under which other municipalities may use it. */
  useTerms: languageMap({ max: textLimits.long }).optional(),
  maintainers: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(textLimits.line),
        organisation: iriSchema.optional(),
        contact: z.string().trim().min(1).max(textLimits.line).optional(),
      }),
    )
    .min(1)
    .max(listLimits.items),
};

/** A model is registered as a draft (e.g. by an import), published (it federates) and retired (withdrawn for good). */
export const sharedModelStates = ["draft", "published", "retired"] as const;
export type SharedModelState = (typeof sharedModelStates)[number];

export const sharedModelRecordShape = {
  id: iriSchema,
  provenance: provenanceSchema,
  /** Node-managed; never on the wire (a received model is published by its origin). Records stored before models had states are published. */
  state: z.enum(sharedModelStates).default("published"),
};

export const sharedModelContentSchema = z.strictObject(sharedModelContentShape);
export type SharedModelContent = z.infer<typeof sharedModelContentSchema>;

export const sharedModelSchema = z.strictObject({ ...sharedModelRecordShape, ...sharedModelContentShape });
export type SharedModel = z.infer<typeof sharedModelSchema>;
