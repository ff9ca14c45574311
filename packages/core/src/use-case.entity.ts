import { z } from "zod";
import { type BilingualIssueParams, countryCodeSchema, iriSchema, isoDateSchema, isoDateTimeSchema, keySchema, languageMap } from "./common.schema.ts";
import { identifierLimits, listLimits, textLimits } from "./field-limits.ts";
import { provenanceSchema } from "./provenance.ts";
import { alwaysAppliedRules } from "./rules/rule-catalog.ts";

export const useCaseStatuses = ["idea", "pilot", "in-use", "retired"] as const;
export type UseCaseStatus = (typeof useCaseStatuses)[number];

/** How far the AI acts on its own; the Dortmund rule forbids the last one where citizens are directly affected. */
export const automationLevels = ["information-only", "decision-support", "human-approves-each-action", "automated-action"] as const;
export type AutomationLevel = (typeof automationLevels)[number];

export const techniques = ["rule-based", "ml", "generative"] as const;
export type Technique = (typeof techniques)[number];

export const riskClasses = ["prohibited", "high", "limited", "minimal"] as const;
export type RiskClass = (typeof riskClasses)[number];

/** EU AI Act Annex III areas (points 1–8). */
export const annexIIIAreas = [
  "biometrics",
  "critical-infrastructure",
  "education",
  "employment",
  "essential-services",
  "law-enforcement",
  "migration-asylum-border",
  "justice-democracy",
] as const;

export const hostingKinds = ["on-premises", "municipal-data-centre", "eu-cloud", "non-eu-cloud"] as const;
export type HostingKind = (typeof hostingKinds)[number];

/** The internal review lifecycle; only "published" use cases federate. "Sent back" returns to draft. */
export const workflowStates = ["draft", "submitted", "vetted", "published", "retired"] as const;
export type WorkflowState = (typeof workflowStates)[number];

export const modelReferenceSchema = z.strictObject({
  /** IRI of a shared-model record. */
  model: iriSchema,
  /** The model version the use case runs, so a later model version does not silently change it. */
  version: z.string().trim().min(1).max(80),
});

const assessmentSchema = z.discriminatedUnion("performed", [
  z.strictObject({
    performed: z.literal(true),
    date: isoDateSchema,
    link: iriSchema.optional(),
    summary: languageMap({ max: textLimits.summary }),
  }),
  z.strictObject({
    performed: z.literal(false),
    /** Why none was made. */
    reason: languageMap({ max: textLimits.summary }),
  }),
]);
export type Assessment = z.infer<typeof assessmentSchema>;

export const checkResultSchema = z.strictObject({
  rule: z.strictObject({ id: keySchema, version: z.number().int().positive() }),
  /** The principle that invoked the rule; key is null when the rule applies on its own (the Dortmund rule). */
  principle: z.strictObject({ key: keySchema.nullable(), statement: languageMap({ max: textLimits.summary }) }),
  severity: z.enum(["error", "warning"]),
  passed: z.boolean(),
  offendingFields: z.array(z.string().max(textLimits.line)).max(listLimits.items),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const useCaseContentShape = {
  name: languageMap({ max: 100 }),
  shortDescription: languageMap({ max: 350 }),
  purpose: languageMap({ max: textLimits.long }),
  department: z.string().trim().min(1).max(textLimits.line),
  status: z.enum(useCaseStatuses),
  statusDates: z
    .strictObject({
      idea: isoDateSchema.optional(),
      pilot: isoDateSchema.optional(),
      inUse: isoDateSchema.optional(),
      retired: isoDateSchema.optional(),
    })
    .default({}),
  /** The human role and office answerable for the use case (may be unknown in an early draft). */
  responsible: z.strictObject({ role: languageMap({ max: textLimits.line }), office: languageMap({ max: textLimits.line }) }).optional(),
  contact: z.strictObject({
    email: z.email().max(identifierLimits.email).optional(),
    phone: z.string().trim().min(3).max(identifierLimits.phone).optional(),
    url: iriSchema.optional(),
  }),
  decisionProcess: z.strictObject({
    processFit: languageMap({ max: textLimits.long }),
    automationLevel: z.enum(automationLevels),
    directlyAffectsCitizens: z.boolean(),
    humanReview: languageMap({ max: textLimits.long }),
    appealPath: languageMap({ max: textLimits.summary }).optional(),
  }),
  technique: z.enum(techniques),
  selfLearning: z.boolean(),
  models: z.array(modelReferenceSchema).max(listLimits.items).default([]),
  suppliers: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(textLimits.line),
        role: languageMap({ max: textLimits.line }).optional(),
        country: countryCodeSchema.optional(),
      }),
    )
    .max(listLimits.items)
    .default([]),
  datasets: z
    .array(
      z.strictObject({
        name: languageMap({ max: textLimits.line }),
        source: languageMap({ max: textLimits.summary }),
        personalData: z.boolean(),
        /** GDPR Art. 9 special categories (health, religion, …). */
        specialCategories: z.boolean(),
        legalBasis: z.string().trim().min(1).max(textLimits.line).optional(),
        retention: languageMap({ max: textLimits.summary }).optional(),
      }),
    )
    .max(listLimits.items)
    .default([]),
  risk: z
    .strictObject({
      aiActClass: z.enum(riskClasses).optional(),
      annexIIIArea: z.enum(annexIIIAreas).optional(),
      /** Why an Annex III system is not high-risk (EU AI Act Art. 6(3)). */
      article6_3Reason: languageMap({ max: textLimits.long }).optional(),
      risks: z
        .array(z.strictObject({ risk: languageMap({ max: textLimits.summary }), mitigation: languageMap({ max: textLimits.long }) }))
        .max(listLimits.items)
        .default([]),
    })
    .default({ risks: [] }),
  assessments: z
    .strictObject({
      dpia: assessmentSchema.optional(),
      /** Fundamental-rights impact assessment (EU AI Act Art. 27). */
      fria: assessmentSchema.optional(),
    })
    .default({}),
  energy: z
    .strictObject({
      kwhPerYear: z.number().nonnegative().optional(),
      kwhPer1000Requests: z.number().nonnegative().optional(),
      hostingRegion: z.string().trim().min(1).max(textLimits.line).optional(),
      compensation: languageMap({ max: textLimits.summary }).optional(),
    })
    .optional(),
  sovereignty: z
    .strictObject({
      operator: z.string().trim().min(1).max(textLimits.line),
      jurisdiction: countryCodeSchema,
      hosting: z.enum(hostingKinds),
      openWeights: z.boolean(),
      exitPlan: languageMap({ max: textLimits.long }).optional(),
    })
    .optional(),
  reuse: z
    .strictObject({
      potential: z.enum(["none", "low", "medium", "high"]),
      wishToCooperate: z.boolean(),
      note: languageMap({ max: textLimits.summary }).optional(),
    })
    .optional(),
  /** The use case of another city this one was adopted from. */
  adoptedFrom: iriSchema.optional(),
};

export const vettingSchema = z.strictObject({
  /** Always a named human. */
  vetter: z.strictObject({ name: z.string().trim().min(1).max(textLimits.line), role: z.string().trim().min(1).max(textLimits.line) }),
  date: isoDateTimeSchema,
  result: z.enum(["passed", "passed-with-warnings"]),
  /**
   * Present (true) only when the person who submitted the use case also vetted it, which a node
   * allows only where its setting relaxes the four-eyes principle; the public record says so.
   */
  fourEyesWaived: z.literal(true).optional(),
});
export type Vetting = z.infer<typeof vettingSchema>;

/** Why a vetter sent a use case back (a paragraph or two). */
export const sendBackReasonSchema = languageMap({ max: textLimits.summary });

export const useCaseRecordShape = {
  id: iriSchema,
  provenance: provenanceSchema,
  workflow: z.strictObject({
    state: z.enum(workflowStates),
    /** Who submitted it for vetting last, and when (internal review: never federated). The four-eyes principle reads it. */
    submitted: z.strictObject({ by: z.string().trim().min(1).max(textLimits.line), at: isoDateTimeSchema }).optional(),
    /** The last time a vetter sent the use case back, and why. */
    sentBack: z.strictObject({ by: z.string().trim().min(1).max(textLimits.line), at: isoDateTimeSchema, reason: sendBackReasonSchema }).optional(),
    publishedAt: isoDateTimeSchema.optional(),
    retiredAt: isoDateTimeSchema.optional(),
  }),
  conformance: z
    .strictObject({ guidelineVersion: iriSchema, checkedAt: isoDateTimeSchema, results: z.array(checkResultSchema).max(listLimits.checkResults) })
    .optional(),
  vetting: vettingSchema.optional(),
  /** Signed adoption records other cities published about this use case. */
  adoptedBy: z
    .array(z.strictObject({ adoption: iriSchema, city: iriSchema, adoptedAt: isoDateTimeSchema }))
    .max(listLimits.adoptions)
    .default([]),
};

type UseCaseContentInput = {
  risk: { aiActClass?: RiskClass | undefined; annexIIIArea?: string | undefined; article6_3Reason?: unknown };
  datasets: { personalData: boolean; legalBasis?: string | undefined }[];
  energy?: { kwhPerYear?: number | undefined; kwhPer1000Requests?: number | undefined } | undefined;
  contact: { email?: string | undefined; phone?: string | undefined; url?: string | undefined };
};

function issue(path: PropertyKey[], params: BilingualIssueParams) {
  return { code: "custom" as const, input: undefined, path, params };
}

/** Cross-field consistency of a use case (form, not conformance: that is what the rules are for). */
function checkUseCaseConsistency(ctx: z.core.ParsePayload<UseCaseContentInput>) {
  const { risk, datasets, energy, contact } = ctx.value;
  if (risk.aiActClass === "high" && risk.annexIIIArea === undefined) {
    ctx.issues.push(
      issue(["risk", "annexIIIArea"], {
        code: "annex-iii-area-missing",
        de: "Bei Hochrisiko-KI bitte den Bereich nach Anhang III der KI-Verordnung angeben.",
        en: "For a high-risk AI system, please give the EU AI Act Annex III area.",
      }),
    );
  }
  if (risk.annexIIIArea !== undefined && (risk.aiActClass === "limited" || risk.aiActClass === "minimal") && risk.article6_3Reason === undefined) {
    ctx.issues.push(
      issue(["risk", "article6_3Reason"], {
        code: "article-6-3-reason-missing",
        de: "Ein Anhang-III-Bereich ohne Hochrisiko-Einstufung braucht eine Begründung nach Art. 6 Abs. 3 KI-Verordnung.",
        en: "An Annex III area without a high-risk classification needs a reason under EU AI Act Art. 6(3).",
      }),
    );
  }
  datasets.forEach((dataset, index) => {
    if (dataset.personalData && dataset.legalBasis === undefined) {
      ctx.issues.push(
        issue(["datasets", index, "legalBasis"], {
          code: "legal-basis-missing",
          de: "Für personenbezogene Daten bitte die Rechtsgrundlage angeben (z. B. Art. 6 Abs. 1 lit. e DSGVO).",
          en: "For personal data, please give the legal basis (e.g. GDPR Art. 6(1)(e)).",
        }),
      );
    }
  });
  if (energy !== undefined && energy.kwhPerYear === undefined && energy.kwhPer1000Requests === undefined) {
    ctx.issues.push(
      issue(["energy"], {
        code: "energy-figure-missing",
        de: "Bitte den Energiebedarf in kWh pro Jahr oder pro 1.000 Anfragen schätzen.",
        en: "Please estimate the energy use in kWh per year or per 1,000 requests.",
      }),
    );
  }
  if (contact.email === undefined && contact.phone === undefined && contact.url === undefined) {
    ctx.issues.push(
      issue(["contact"], {
        code: "contact-missing",
        de: "Bitte mindestens einen Kontaktweg angeben (E-Mail, Telefon oder Webseite).",
        en: "Please give at least one way to get in touch (email, phone or web page).",
      }),
    );
  }
}

/**
 * What this city writes must not break a rule no guideline can weaken (the Dortmund rule, no
 * prohibited practice): such a use case could never be vetted, so it is refused when it is
 * written, at the fields that break the rule and with the rule's own text. Received records and
 * checks of unsaved candidates ("would it pass?") are not held to it here.
 */
function checkAlwaysAppliedRules(ctx: z.core.ParsePayload<UseCaseContent>) {
  for (const rule of alwaysAppliedRules) {
    for (const field of rule.check(ctx.value)) {
      ctx.issues.push(
        issue(field.split("."), {
          code: "always-applied-rule",
          ruleId: rule.id,
          de: `${rule.description.de} Diese Regel gilt immer; so kann der Einsatzfall nicht gespeichert werden.`,
          en: `${rule.description.en} This rule always applies; the use case cannot be saved like this.`,
        }),
      );
    }
  }
}

/** Content as an editor may check it before saving ("would this pass?"): the form is checked, the rules are the check's job. */
export const useCaseCandidateSchema = z.strictObject(useCaseContentShape).check(checkUseCaseConsistency);
export type UseCaseContent = z.infer<typeof useCaseCandidateSchema>;

/** Content as this city writes it (API, import). */
export const useCaseContentSchema = useCaseCandidateSchema.check(checkAlwaysAppliedRules);

export const useCaseSchema = z.strictObject({ ...useCaseRecordShape, ...useCaseContentShape }).check(checkUseCaseConsistency);
export type UseCase = z.infer<typeof useCaseSchema>;
