import { z } from "zod";
import { type BilingualIssueParams, iriSchema, isoDateSchema, isoDateTimeSchema, keySchema, languageMap } from "./common.schema.ts";
import { listLimits, textLimits } from "./field-limits.ts";
import { licenceSchema } from "./licence.ts";
import { provenanceSchema } from "./provenance.ts";
import { ruleCatalog } from "./rules/rule-catalog.ts";

export const guidelineKinds = ["guideline", "business-directive", "practice-handbook"] as const;
export type GuidelineKind = (typeof guidelineKinds)[number];

export const principleCategories = [
  "human-oversight",
  "accountability",
  "legal",
  "ethics",
  "energy",
  "sovereignty",
  "transparency",
  "inter-municipal",
] as const;
export type PrincipleCategory = (typeof principleCategories)[number];

export const principleSchema = z.strictObject({
  /** Stable within the guideline across versions, e.g. "human-decides". */
  key: keySchema,
  statement: languageMap({ max: textLimits.summary }),
  level: z.enum(["MUST", "SHOULD"]),
  category: z.enum(principleCategories),
  /** Rules of the shared catalog that check this principle automatically. */
  ruleIds: z.array(keySchema).max(listLimits.items).optional(),
});
export type Principle = z.infer<typeof principleSchema>;

export const guidelineSectionSchema = z.strictObject({
  heading: languageMap({ max: textLimits.title }),
  /** Markdown. */
  body: languageMap({ max: textLimits.long }),
});
export type GuidelineSection = z.infer<typeof guidelineSectionSchema>;

export const organisationSchema = z.strictObject({
  name: languageMap({ max: textLimits.title }),
  /** A stable organisation id; for German municipalities the Amtlicher Gemeindeschlüssel. */
  organisationId: z
    .strictObject({
      scheme: z.enum(["AGS", "ARS", "LEI", "other"]),
      value: z.string().trim().min(1).max(textLimits.line),
    })
    .optional(),
});

export const consultedParties = [
  "data-protection-officer",
  "staff-council",
  "information-security-officer",
  "equal-opportunities-officer",
  "disability-representative",
  "legal-department",
  "citizens",
  "other",
] as const;

export const guidelineHistoryEntrySchema = z.strictObject({
  id: iriSchema,
  version: z.string().min(1).max(40),
  publishedAt: isoDateTimeSchema,
  changeSummary: languageMap({ max: textLimits.summary }).optional(),
});
export type GuidelineHistoryEntry = z.infer<typeof guidelineHistoryEntrySchema>;

/** What an editor writes (GraphQL input, import file); the node adds id, provenance and state. */
export const guidelineContentShape = {
  kind: z.enum(guidelineKinds),
  title: languageMap({ max: textLimits.title }),
  summary: languageMap({ max: textLimits.summary }).optional(),
  issuingBody: organisationSchema,
  adoptingBody: z
    .strictObject({
      name: languageMap({ max: textLimits.title }),
      councilDecision: iriSchema.optional(),
      decidedOn: isoDateSchema.optional(),
    })
    .optional(),
  version: z.string().trim().min(1).max(40),
  validFrom: isoDateSchema,
  /** The other documents of the same family (a guideline, its business directive, its handbook). */
  relatedDocuments: z
    .array(z.strictObject({ kind: z.enum(guidelineKinds), iri: iriSchema, title: languageMap({ max: textLimits.title }).optional() }))
    .max(listLimits.items)
    .default([]),
  audience: languageMap({ max: textLimits.summary }),
  consulted: z
    .array(z.strictObject({ party: z.enum(consultedParties), note: languageMap({ max: textLimits.summary }).optional(), date: isoDateSchema.optional() }))
    .max(listLimits.items)
    .default([]),
  licence: licenceSchema,
  sections: z.array(guidelineSectionSchema).max(listLimits.items).default([]),
  principles: z.array(principleSchema).min(1).max(listLimits.items),
  /** The guideline version this one was forked from (ForgeFed `origin`). */
  origin: iriSchema.optional(),
  /** Credit for a text written after someone else's (not a fork: no IRI). */
  attribution: languageMap({ max: textLimits.summary }).optional(),
  changeSummary: languageMap({ max: textLimits.summary }).optional(),
};

export const guidelineRecordShape = {
  /** IRI of this version. */
  id: iriSchema,
  /** IRI of the document across its versions. */
  documentId: iriSchema,
  provenance: provenanceSchema,
  /** A published version is immutable; changes make a new version. */
  state: z.enum(["draft", "published"]),
  publishedAt: isoDateTimeSchema.optional(),
  /** The version this one replaces (FEP-bad1 history, newest last in `history`). */
  supersedes: iriSchema.optional(),
  history: z.array(guidelineHistoryEntrySchema).max(listLimits.history).default([]),
};

function checkPrincipleKeysUnique(ctx: z.core.ParsePayload<{ principles: Principle[] }>) {
  const seen = new Set<string>();
  ctx.value.principles.forEach((principle, index) => {
    if (seen.has(principle.key)) {
      ctx.issues.push({
        code: "custom",
        input: principle.key,
        path: ["principles", index, "key"],
        params: {
          code: "duplicate-key",
          de: `Der Schlüssel „${principle.key}“ kommt mehrfach vor; jeder Grundsatz braucht einen eigenen.`,
          en: `The key "${principle.key}" is used more than once; each principle needs its own.`,
        } satisfies BilingualIssueParams,
      });
    }
    seen.add(principle.key);
  });
}

/**
 * What this city writes may only name rules of this node's catalog: a typo would silently switch
 * a check off. Received versions are not held to it (a newer peer may know more rules).
 */
function checkRuleIdsKnown(ctx: z.core.ParsePayload<{ principles: Principle[] }>) {
  ctx.value.principles.forEach((principle, index) => {
    (principle.ruleIds ?? []).forEach((ruleId, position) => {
      if (ruleCatalog.has(ruleId)) return;
      const known = [...ruleCatalog.keys()].join(", ");
      ctx.issues.push({
        code: "custom",
        input: ruleId,
        path: ["principles", index, "ruleIds", position],
        params: {
          code: "unknown-rule",
          de: `Die Regel „${ruleId}“ gibt es im Regelkatalog nicht (Tippfehler?). Bekannt sind: ${known}.`,
          en: `There is no rule "${ruleId}" in the rule catalog (a typo?). Known rules: ${known}.`,
        } satisfies BilingualIssueParams,
      });
    });
  });
}

export const guidelineContentSchema = z.strictObject(guidelineContentShape).check(checkPrincipleKeysUnique).check(checkRuleIdsKnown);
export type GuidelineContent = z.infer<typeof guidelineContentSchema>;

export const guidelineSchema = z
  .strictObject({ ...guidelineRecordShape, ...guidelineContentShape })
  .check(checkPrincipleKeysUnique)
  .check((ctx) => {
    if (ctx.value.state === "published" && ctx.value.publishedAt === undefined) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        path: ["publishedAt"],
        params: {
          code: "published-without-date",
          de: "Eine veröffentlichte Fassung braucht ein Veröffentlichungsdatum.",
          en: "A published version needs a publication date.",
        } satisfies BilingualIssueParams,
      });
    }
  });
/** One version of a guideline document. */
export type Guideline = z.infer<typeof guidelineSchema>;
