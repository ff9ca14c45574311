import { z } from "zod";
import { countryCodeSchema, iriSchema, isoDateSchema, languageMap, languageMapSchema } from "./common.schema.ts";
import { licenceSchema } from "./licence.ts";
import { provenanceSchema } from "./provenance.ts";
import { hostingKinds } from "./use-case.entity.ts";

export const sharedModelContentShape = {
  name: languageMap({ max: 100 }),
  version: z.string().trim().min(1).max(80),
  /** A content hash or repository revision identifying exactly these weights. */
  revision: z.string().trim().min(1).optional(),
  licence: licenceSchema,
  baseModel: z
    .strictObject({
      name: z.string().trim().min(1),
      iri: iriSchema.optional(),
      relation: z.enum(["fine-tune", "quantisation", "adapter", "distillation", "merge"]),
    })
    .optional(),
  architecture: z.string().trim().min(1),
  parameterCount: z.number().int().positive().optional(),
  /** BCP 47 language tags the model handles. */
  languages: z.array(z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/)).min(1),
  intendedUse: languageMapSchema,
  outOfScopeUse: languageMapSchema,
  trainingData: languageMapSchema,
  evaluation: z
    .array(z.strictObject({ benchmark: z.string().trim().min(1), metric: z.string().trim().min(1), value: z.number(), note: languageMapSchema.optional() }))
    .default([]),
  limitations: languageMapSchema,
  trainingEmissions: z.strictObject({ co2eGrams: z.number().nonnegative(), hardware: z.string().trim().min(1), region: z.string().trim().min(1) }).optional(),
  inferenceEnergy: z.strictObject({ whPer1000Requests: z.number().nonnegative(), hardware: z.string().trim().min(1), testDate: isoDateSchema }).optional(),
  sovereignty: z.strictObject({
    openWeights: z.boolean(),
    /** Status against the OSI Open Source AI Definition. */
    osiOpenSourceAi: z.enum(["compliant", "not-compliant", "not-assessed"]),
    weightsLocation: z.string().trim().min(1),
    hosting: z.enum(hostingKinds),
    operatorJurisdiction: countryCodeSchema,
    exitStrategy: languageMapSchema.optional(),
  }),
  /** Actor IRIs of the nodes that serve this model to other municipalities. */
  servedBy: z.array(iriSchema).default([]),
  /** Terms under which other municipalities may use it. */
  useTerms: languageMapSchema.optional(),
  maintainers: z
    .array(z.strictObject({ name: z.string().trim().min(1), organisation: iriSchema.optional(), contact: z.string().trim().min(1).optional() }))
    .min(1),
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
