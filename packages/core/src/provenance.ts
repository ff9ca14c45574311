import { z } from "zod";
import { iriSchema, isoDateTimeSchema } from "./common.schema.ts";
import { identifierLimits } from "./field-limits.ts";

/**
 * Where a record comes from. Every stored record has one: our own records are "local";
 * copies of other cities' records (kept by federation in the same tables) are "received".
 */
export const provenanceSchema = z
  .discriminatedUnion("source", [
    z.strictObject({
      source: z.literal("local"),
      /** The actor IRI of our own city (the Organization actor). */
      originActor: iriSchema,
      /** Our node's host, e.g. "ki.dortmund.de". */
      originHost: z.string().min(1).max(identifierLimits.host),
    }),
    z.strictObject({
      source: z.literal("received"),
      originActor: iriSchema,
      originHost: z.string().min(1).max(identifierLimits.host),
      receivedAt: isoDateTimeSchema,
      /** Whether the record's FEP-8b32 proof verified against the origin city's key. */
      proofVerified: z.boolean(),
    }),
  ])
  .meta({ description: "Origin of a record: written on this node (local) or received from a peer city." });
export type Provenance = z.infer<typeof provenanceSchema>;

export function localProvenance(originActor: string): Provenance {
  return { source: "local", originActor, originHost: new URL(originActor).host };
}
