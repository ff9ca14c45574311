import { z } from "zod";
import { type BilingualIssueParams, iriSchema, isoDateTimeSchema } from "./common.schema.ts";
import type { Principal, Role } from "./principal.ts";
import { localProvenance, provenanceSchema } from "./provenance.ts";
import type { UseCase, UseCaseContent, WorkflowState } from "./use-case.entity.ts";
import { createUseCaseDraft, mayPerform } from "./use-case.workflow.ts";
import { type Validated, validateWith } from "./validation.ts";

/**
 * An adoption: a record published and signed by the adopting city, pointing to the use case it
 * took over, so that "used by N cities" can be checked by anyone. The proof is added by federation.
 */
export const adoptionSchema = z
  .strictObject({
    id: iriSchema,
    /** The adopting city's actor: the city that publishes and signs this record. */
    adopter: iriSchema,
    /** The adopting city's own use case. */
    adoptingUseCase: iriSchema,
    origin: z.strictObject({
      useCase: iriSchema,
      /** The city whose use case was adopted. */
      actor: iriSchema,
      /** When the adopted state of the origin was published (use cases carry no version label; a revision republishes). */
      publishedAt: isoDateTimeSchema.optional(),
    }),
    publishedAt: isoDateTimeSchema,
    provenance: provenanceSchema,
  })
  .check((ctx) => {
    const { adopter, origin, provenance } = ctx.value;
    if (provenance.originActor !== adopter) {
      ctx.issues.push({
        code: "custom",
        input: adopter,
        path: ["adopter"],
        params: {
          code: "adopter-not-publisher",
          de: "Eine Übernahme kann nur die übernehmende Stadt selbst veröffentlichen.",
          en: "Only the adopting city itself can publish an adoption.",
        } satisfies BilingualIssueParams,
      });
    }
    if (origin.actor === adopter) {
      ctx.issues.push({
        code: "custom",
        input: adopter,
        path: ["origin", "actor"],
        params: {
          code: "self-adoption",
          de: "Eine Stadt kann ihren eigenen Anwendungsfall nicht übernehmen.",
          en: "A city cannot adopt its own use case.",
        } satisfies BilingualIssueParams,
      });
    }
  });
export type Adoption = z.infer<typeof adoptionSchema>;

export const validateAdoption = (input: unknown): Validated<Adoption> => validateWith(adoptionSchema, input);

export type AdoptError =
  | { type: "not-permitted"; role: Role }
  | { type: "origin-not-published"; id: string; state: WorkflowState }
  | { type: "own-use-case"; id: string }
  /** This city adopted the use case before: `adoption` is our use case made from it. */
  | { type: "already-adopted"; id: string; adoption: string };

export type AdoptResult = { ok: true; draft: UseCase } | { ok: false; error: AdoptError };

export type AdoptionRecordError = { type: "not-an-adoption"; id: string } | { type: "not-published"; id: string; state: WorkflowState };

export type AdoptionRecordResult = { ok: true; adoption: Adoption } | { ok: false; error: AdoptionRecordError };

export function describeAdoptError(error: AdoptError | AdoptionRecordError): { de: string; en: string } {
  switch (error.type) {
    case "not-permitted":
      return { de: `Die Rolle „${error.role}“ darf keine Anwendungsfälle anlegen.`, en: `The role "${error.role}" may not create use cases.` };
    case "origin-not-published":
      return { de: "Nur veröffentlichte Anwendungsfälle können übernommen werden.", en: "Only published use cases can be adopted." };
    case "own-use-case":
      return {
        de: "Das ist ein eigener Anwendungsfall; übernehmen lassen sich nur die anderer Städte.",
        en: "This is one of our own use cases; only other cities' use cases can be adopted.",
      };
    case "already-adopted":
      return {
        de: "Diesen Einsatzfall hat unsere Kommune schon übernommen; bitte den vorhandenen Entwurf weiterbearbeiten.",
        en: "Our municipality has adopted this use case already; please continue with the existing one.",
      };
    case "not-an-adoption":
      return { de: "Dieser Anwendungsfall ist nicht von einer anderen Stadt übernommen.", en: "This use case was not adopted from another city." };
    case "not-published":
      return { de: "Eine Übernahme wird erst mit der Veröffentlichung bekannt gegeben.", en: "An adoption is announced only once the use case is published." };
  }
}

export interface AdoptOptions {
  /** Our city's actor IRI. */
  actor: string;
  /** IRI of our new use case. */
  id: string;
  principal: Principal;
  /**
   * How to reach us until an editor names the responsible office's contact (e.g. the city's
   * website): the origin's contact belongs to the origin.
   */
  contact: UseCaseContent["contact"];
  /** Our use case made from the same origin, if we adopted it before: adopting twice is refused. */
  existingAdoption?: string | undefined;
  /** Our own details, which cannot be taken over: department, responsible office, contact, … */
  overrides?: Partial<UseCaseContent> | undefined;
}

/** What belongs to the origin city and is left out of an adoption: who answers for it, how to reach them, their assessments. */
export const adoptionLeavesOut = ["responsible", "contact", "assessments", "statusDates"] as const;

/**
 * A local draft from another city's use case, with `adoptedFrom` and the same shared-model
 * references. Vetting is never inherited: the draft must be vetted here against our guideline.
 * The origin's responsible office, contact, impact assessments (DPIA and FRIA are the
 * controller's own) and status dates are its own and are left out; the contact becomes ours.
 */
export function adoptUseCase(origin: UseCase, options: AdoptOptions): AdoptResult {
  // Adopting writes a use case, which is what the "revise" roles may do.
  if (!mayPerform(options.principal.role, "revise")) return { ok: false, error: { type: "not-permitted", role: options.principal.role } };
  if (origin.provenance.source === "local") return { ok: false, error: { type: "own-use-case", id: origin.id } };
  if (origin.workflow.state !== "published") return { ok: false, error: { type: "origin-not-published", id: origin.id, state: origin.workflow.state } };
  if (options.existingAdoption !== undefined) return { ok: false, error: { type: "already-adopted", id: origin.id, adoption: options.existingAdoption } };
  const {
    id: _id,
    provenance: _provenance,
    workflow: _workflow,
    conformance: _conformance,
    vetting: _vetting,
    adoptedBy: _adoptedBy,
    responsible: _responsible,
    contact: _contact,
    assessments: _assessments,
    ...content
  } = origin;
  const draft = createUseCaseDraft(
    { ...content, status: "idea", statusDates: {}, assessments: {}, contact: options.contact, ...options.overrides, adoptedFrom: origin.id },
    { id: options.id, provenance: localProvenance(options.actor) },
  );
  return { ok: true, draft };
}

/** The adoption record our city publishes (and federation signs) once an adopted use case is published. */
export function adoptionRecord(adopting: UseCase, options: { id: string; origin: { actor: string; publishedAt?: string | undefined } }): AdoptionRecordResult {
  if (adopting.adoptedFrom === undefined) return { ok: false, error: { type: "not-an-adoption", id: adopting.id } };
  const publishedAt = adopting.workflow.publishedAt;
  if (adopting.workflow.state !== "published" || publishedAt === undefined)
    return { ok: false, error: { type: "not-published", id: adopting.id, state: adopting.workflow.state } };
  const { actor, publishedAt: originPublishedAt } = options.origin;
  return {
    ok: true,
    adoption: {
      id: options.id,
      adopter: adopting.provenance.originActor,
      adoptingUseCase: adopting.id,
      origin: { useCase: adopting.adoptedFrom, actor, ...(originPublishedAt === undefined ? {} : { publishedAt: originPublishedAt }) },
      publishedAt,
      provenance: adopting.provenance,
    },
  };
}

/** Our own adoptions are trusted; a received one only when its proof verified against the adopter's key. */
export const adoptionProofVerified = (adoption: Adoption): boolean => adoption.provenance.source === "local" || adoption.provenance.proofVerified;

/**
 * The `adoptedBy` list of a use case: adoptions of it that the adopting city published itself,
 * that are not the origin city's own, and that `isVerified` accepts; oldest first, each adoption once.
 */
export function verifiedAdopters(
  originUseCase: Pick<UseCase, "id" | "provenance">,
  adoptions: readonly Adoption[],
  isVerified: (adoption: Adoption) => boolean = adoptionProofVerified,
): UseCase["adoptedBy"] {
  const byId = new Map<string, UseCase["adoptedBy"][number]>();
  for (const adoption of adoptions) {
    const genuine =
      adoption.origin.useCase === originUseCase.id &&
      adoption.provenance.originActor === adoption.adopter &&
      adoption.adopter !== originUseCase.provenance.originActor &&
      isVerified(adoption);
    if (genuine) byId.set(adoption.id, { adoption: adoption.id, city: adoption.adopter, adoptedAt: adoption.publishedAt });
  }
  return [...byId.values()].sort((a, b) => Date.parse(a.adoptedAt) - Date.parse(b.adoptedAt));
}
