import { z } from "zod";
import { iriSchema, isoDateTimeSchema } from "../common.schema.ts";
import { type Validated, validateWith } from "../validation.ts";
import { actorRefSchema } from "./catalog.entity.ts";
import { moderationReasonSchema } from "./catalog-entry.entity.ts";

/**
 * A report about a record or a catalog entry, from a member city (a `Flag` between nodes)
 * or from a citizen without an account. A citizen is known only by a keyed hash of their
 * client address, enough to rate-limit and never enough to recover the address.
 */

export const reportCategories = ["factual-error", "outdated", "personal-data", "legal", "inappropriate", "spam", "other"] as const;
export type ReportCategory = (typeof reportCategories)[number];

/** An HMAC-SHA256 in hex, see `hashClientAddress`. */
export const addressHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const reporterSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("actor"), id: iriSchema }),
  // The hash only serves the rate limit: it is forgotten after `reporterAddressRetentionMs`.
  z.strictObject({ type: z.literal("anonymous"), addressHash: addressHashSchema.optional() }),
]);
export type Reporter = z.infer<typeof reporterSchema>;

/** What a reporter writes (the public API's input). */
export const reportInputSchema = z.strictObject({
  /** The record's or the catalog entry's IRI. */
  target: iriSchema,
  category: z.enum(reportCategories),
  text: z.string().trim().max(2_000).optional(),
});
export type ReportInput = z.infer<typeof reportInputSchema>;

export const reportStatusSchema = z.discriminatedUnion("state", [
  z.strictObject({ state: z.literal("open") }),
  z.strictObject({ state: z.enum(["resolved", "dismissed"]), by: actorRefSchema, at: isoDateTimeSchema, reason: moderationReasonSchema }),
]);
export type ReportStatus = z.infer<typeof reportStatusSchema>;
export type ReportState = ReportStatus["state"];
export const reportStates = ["open", "resolved", "dismissed"] as const satisfies readonly ReportState[];

export const reportSchema = z.strictObject({
  /** Minted by the receiving node; for a `Flag`, the Flag's id. */
  id: iriSchema,
  /** The catalog whose moderators handle it; null for a report about one of the node's own records. */
  catalogId: iriSchema.nullable(),
  target: iriSchema,
  category: z.enum(reportCategories),
  text: z.string().max(2_000).nullable(),
  reporter: reporterSchema,
  status: reportStatusSchema,
  createdAt: isoDateTimeSchema,
});
export type Report = z.infer<typeof reportSchema>;

export const validateReportInput = (input: unknown): Validated<ReportInput> => validateWith(reportInputSchema, input);
export const validateReport = (input: unknown): Validated<Report> => validateWith(reportSchema, input);
