import { z } from "zod";
import { type BilingualIssueParams, iriSchema, isoDateTimeSchema, languageMap } from "../common.schema.ts";
import { type Validated, validateWith } from "../validation.ts";

/**
 * A catalog: a moderated collection run by network coordinators, federated as a `Group`
 * actor (FEP-1b12). Members are kept apart from the catalog itself (a catalog may have
 * hundreds), see `catalogMemberSchema`.
 */

/** The record kinds a catalog can collect (the federated kinds; guideline documents travel as their versions). */
export const catalogRecordKinds = ["use-case", "guideline", "model"] as const;
export type CatalogRecordKind = (typeof catalogRecordKinds)[number];

/**
 * Who acts on a catalog: a remote actor (a moderator on another node, a member city) by its
 * IRI, or a person on this node by the name of their principal (API token).
 */
export const actorRefSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("actor"), id: iriSchema }),
  z.strictObject({ type: z.literal("local"), name: z.string().trim().min(1).max(200) }),
]);
export type ActorRef = z.infer<typeof actorRefSchema>;

export function sameActor(a: ActorRef, b: ActorRef): boolean {
  if (a.type === "actor" && b.type === "actor") return normalizeIri(a.id) === normalizeIri(b.id);
  if (a.type === "local" && b.type === "local") return a.name.trim() === b.name.trim();
  return false;
}

/** One spelling per IRI (lower-case host, default port dropped), so that lists compare equal. */
export function normalizeIri(iri: string): string {
  try {
    return new URL(iri).href;
  } catch {
    return iri;
  }
}

function custom(path: PropertyKey[], input: unknown, params: BilingualIssueParams) {
  return { code: "custom" as const, path, input, params };
}

export const acceptancePolicySchema = z.strictObject({
  /** Which kinds of records the catalog takes. */
  acceptedKinds: z
    .array(z.enum(catalogRecordKinds))
    .min(1)
    .refine((kinds) => new Set(kinds).size === kinds.length, {
      params: { code: "duplicate-kind", de: "Jede Art nur einmal angeben.", en: "Give each kind only once." } satisfies BilingualIssueParams,
    }),
  /** `anyone`: any city may submit; `members`: only accepted members. */
  openTo: z.enum(["anyone", "members"]),
  /** Whether a moderator must accept a city that follows the catalog before it is a member. */
  memberApprovalRequired: z.boolean(),
});
export type AcceptancePolicy = z.infer<typeof acceptancePolicySchema>;

/** A catalog handle: the Group actor's preferredUsername (`ki-katalog-nrw`). */
export const catalogHandleSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/)
  .max(64);

/** What the node's admin sets up and may change later. */
export const catalogSettingsSchema = z
  .strictObject({
    handle: catalogHandleSchema,
    name: languageMap({ max: 200 }),
    description: languageMap({ max: 5_000 }),
    /** The rules submissions and members must follow (markdown). */
    rules: languageMap({ max: 20_000 }).optional(),
    moderators: z.array(actorRefSchema).min(1).max(100),
    policy: acceptancePolicySchema,
  })
  .check((ctx) => {
    ctx.value.moderators.forEach((moderator, index) => {
      if (ctx.value.moderators.findIndex((other) => sameActor(other, moderator)) !== index) {
        ctx.issues.push(
          custom(["moderators", index], moderator, {
            code: "duplicate-moderator",
            de: "Diese Person ist schon als Moderator*in eingetragen.",
            en: "This person is already listed as a moderator.",
          }),
        );
      }
    });
  });
export type CatalogSettings = z.infer<typeof catalogSettingsSchema>;

export const catalogSchema = z.strictObject({
  ...catalogSettingsSchema.shape,
  /** The IRI of the catalog's Group actor. */
  id: iriSchema,
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type Catalog = z.infer<typeof catalogSchema>;

export const memberStates = ["pending", "accepted", "rejected", "removed"] as const;
export type MemberState = (typeof memberStates)[number];

/** A city in a catalog: it joined by following the Group actor. */
export const catalogMemberSchema = z.strictObject({
  catalogId: iriSchema,
  /** The member city's actor IRI. */
  actor: iriSchema,
  state: z.enum(memberStates),
  /** The Follow that asked to join; an Undo must name this one. Null for members added by hand. */
  followActivityId: iriSchema.nullable(),
  requestedAt: isoDateTimeSchema,
  /** When the membership was accepted; kept after a removal. */
  joinedAt: isoDateTimeSchema.nullable(),
  /** Why a moderator rejected or removed the member. */
  reason: z.string().trim().min(1).max(2_000).nullable(),
});
export type CatalogMember = z.infer<typeof catalogMemberSchema>;

export const validateCatalogSettings = (input: unknown): Validated<CatalogSettings> => validateWith(catalogSettingsSchema, input);
export const validateCatalog = (input: unknown): Validated<Catalog> => validateWith(catalogSchema, input);
export const validateCatalogMember = (input: unknown): Validated<CatalogMember> => validateWith(catalogMemberSchema, input);

export function isCatalogModerator(catalog: Pick<Catalog, "moderators">, actor: ActorRef): boolean {
  return catalog.moderators.some((moderator) => sameActor(moderator, actor));
}
