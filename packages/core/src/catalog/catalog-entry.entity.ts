import { z } from "zod";
import { iriSchema, isoDateTimeSchema } from "../common.schema.ts";
import { type Validated, validateWith } from "../validation.ts";
import { actorRefSchema, catalogRecordKinds } from "./catalog.entity.ts";

/**
 * A record submitted to a catalog. The catalog never owns the record: it keeps the original
 * IRI, the origin city and the document as the origin signed it (FEP-8b32 proof included),
 * so that members can verify what the catalog passes on (`Announce`) against the origin's key.
 */

/** A moderator's reason, or a reporter's text: plain text, as written. */
export const moderationReasonSchema = z.string().trim().min(1).max(2_000);

export const entryStatusSchema = z.discriminatedUnion("state", [
  z.strictObject({ state: z.literal("submitted") }),
  z.strictObject({ state: z.literal("approved"), by: actorRefSchema, at: isoDateTimeSchema }),
  z.strictObject({ state: z.literal("rejected"), by: actorRefSchema, at: isoDateTimeSchema, reason: moderationReasonSchema }),
  z.strictObject({
    state: z.literal("removed"),
    /** A moderator, or the origin city withdrawing its record (Delete). */
    by: z.union([actorRefSchema, z.strictObject({ type: z.literal("origin"), id: iriSchema })]),
    at: isoDateTimeSchema,
    reason: moderationReasonSchema,
    /** When it had been approved; null when the origin withdrew it while it waited. */
    approvedAt: isoDateTimeSchema.nullable(),
  }),
]);
export type EntryStatus = z.infer<typeof entryStatusSchema>;
export type EntryState = EntryStatus["state"];
export const entryStates = ["submitted", "approved", "rejected", "removed"] as const satisfies readonly EntryState[];

/** The record as the origin published it: its JSON-LD document, unchanged (never re-serialised). */
export const recordDocumentSchema = z.record(z.string(), z.unknown());
export type RecordDocument = z.infer<typeof recordDocumentSchema>;

export const catalogEntrySchema = z.strictObject({
  /** The entry's own IRI, minted by the catalog's node. */
  id: iriSchema,
  catalogId: iriSchema,
  record: z.strictObject({
    id: iriSchema,
    kind: z.enum(catalogRecordKinds),
    /** The city that published the record (and signed its proof). */
    originActor: iriSchema,
  }),
  /** The activity that submitted the record (Create or Add with the catalog as audience); null for local submissions. */
  submissionActivityId: iriSchema.nullable(),
  /** The proof-carrying document; null until federation has fetched it. */
  document: recordDocumentSchema.nullable(),
  status: entryStatusSchema,
  submittedAt: isoDateTimeSchema,
  /** When the origin last changed the record (an Update followed by the catalog). */
  recordUpdatedAt: isoDateTimeSchema.nullable(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const validateCatalogEntry = (input: unknown): Validated<CatalogEntry> => validateWith(catalogEntrySchema, input);
