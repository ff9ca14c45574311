import type { Guideline } from "./guideline.entity.ts";
import type { LanguageMap } from "./common.schema.ts";
import { type Action, rolesFor } from "./permissions.ts";
import type { Principal, Role } from "./principal.ts";
import type { Provenance } from "./provenance.ts";
import { blockingResults, checkUseCase } from "./rules/check-use-case.ts";
import type { CheckResult, UseCase, UseCaseContent, WorkflowState } from "./use-case.entity.ts";

/**
 * The review lifecycle of a use case as a pure state machine:
 * draft → submitted → vetted → published → retired; a vetter may send a submission back to draft.
 * Only published use cases federate. Revising a published use case takes it back to draft while
 * the network keeps its last published state (the application layer's publication) until the
 * revision is published again; retiring withdraws it for good (also during a revision).
 */
export const useCaseTransitions = {
  submit: { from: ["draft"], to: "submitted", permission: "use-case.submit" },
  "send-back": { from: ["submitted"], to: "draft", permission: "use-case.send-back" },
  vet: { from: ["submitted"], to: "vetted", permission: "use-case.vet" },
  publish: { from: ["vetted"], to: "published", permission: "use-case.publish" },
  /** Withdraws a published use case for good, also while a revision of it is under way (it was published before). */
  retire: { from: ["published", "draft", "submitted", "vetted"], to: "retired", permission: "use-case.retire" },
  /** Changing the content takes the use case back to draft: it must be vetted again. */
  revise: { from: ["draft", "submitted", "vetted", "published"], to: "draft", permission: "use-case.edit" },
} as const satisfies Record<string, { from: readonly WorkflowState[]; to: WorkflowState; permission: Action }>;

export type UseCaseAction = keyof typeof useCaseTransitions;

/** Whether the role may take the workflow step (the permission table decides). */
export function mayPerform(role: Role, action: UseCaseAction): boolean {
  return rolesFor(useCaseTransitions[action].permission).includes(role);
}

export type WorkflowError =
  | { type: "invalid-transition"; from: WorkflowState; to: WorkflowState }
  | { type: "not-permitted"; role: Role; action: UseCaseAction }
  /** Received copies belong to the city that published them. */
  | { type: "not-local"; originActor: string }
  | { type: "vetter-not-named" }
  /** The node's shared setup account acted where a record names the human who decided. */
  | { type: "shared-account" }
  /** Four-eyes principle: the person who submitted the use case may not vet it. */
  | { type: "four-eyes"; submitter: string }
  | { type: "guideline-not-published"; guideline: string }
  /** An error-severity rule failed; nothing overrides this. */
  | { type: "rule-violations"; results: CheckResult[] };

export type WorkflowResult = { ok: true; useCase: UseCase } | { ok: false; error: WorkflowError };

/** Bilingual text for a workflow error, for editors. */
export function describeWorkflowError(error: WorkflowError): { de: string; en: string } {
  switch (error.type) {
    case "invalid-transition":
      return { de: `Von „${error.from}“ geht es nicht nach „${error.to}“.`, en: `Cannot go from "${error.from}" to "${error.to}".` };
    case "not-permitted":
      return { de: `Die Rolle „${error.role}“ darf „${error.action}“ nicht ausführen.`, en: `The role "${error.role}" may not ${error.action}.` };
    case "not-local":
      return {
        de: "Dieser Eintrag gehört einer anderen Stadt und kann hier nicht geändert werden.",
        en: "This record belongs to another city and cannot be changed here.",
      };
    case "vetter-not-named":
      return { de: "Die Prüfung braucht den Namen eines Menschen.", en: "Vetting needs the name of a human." };
    case "shared-account":
      return {
        de: "Freigaben und Rückgaben nennen den Menschen, der entschieden hat. Der gemeinsame Einrichtungszugang dieses Knotens steht für keinen bestimmten Menschen: Bitte melden Sie sich mit Ihrem persönlichen Zugang an.",
        en: "Vetting records name the human who decided. This node's shared setup account stands for no one in particular: please sign in with your personal account.",
      };
    case "four-eyes":
      return {
        de: `Vier-Augen-Prinzip: ${error.submitter} hat diesen Einsatzfall eingereicht und kann ihn daher nicht selbst freigeben. Eine zweite Person muss prüfen.`,
        en: `Four-eyes principle: ${error.submitter} submitted this use case and so cannot vet it. A second person must check it.`,
      };
    case "guideline-not-published":
      return { de: "Geprüft wird nur gegen eine veröffentlichte Fassung der Leitlinie.", en: "Vetting is only done against a published guideline version." };
    case "rule-violations": {
      const ids = blockingResults(error.results)
        .map((entry) => entry.rule.id)
        .join(", ");
      return { de: `Der Anwendungsfall verstößt gegen verbindliche Regeln: ${ids}.`, en: `The use case breaks binding rules: ${ids}.` };
    }
  }
}

function guard(useCase: UseCase, action: UseCaseAction, actor: Principal): WorkflowError | null {
  const transition = useCaseTransitions[action];
  if (useCase.provenance.source !== "local") return { type: "not-local", originActor: useCase.provenance.originActor };
  if (!(transition.from as readonly WorkflowState[]).includes(useCase.workflow.state)) {
    return { type: "invalid-transition", from: useCase.workflow.state, to: transition.to };
  }
  if (!mayPerform(actor.role, action)) return { type: "not-permitted", role: actor.role, action };
  return null;
}

export function createUseCaseDraft(content: UseCaseContent, identity: { id: string; provenance: Provenance }): UseCase {
  return { ...content, id: identity.id, provenance: identity.provenance, workflow: { state: "draft" }, adoptedBy: [] };
}

/** Submits a draft for vetting and notes who submitted it, so that a second person vets it. */
export function submitUseCase(useCase: UseCase, editor: Principal, now: Date): WorkflowResult {
  const error = guard(useCase, "submit", editor);
  if (error) return { ok: false, error };
  return {
    ok: true,
    useCase: { ...useCase, workflow: { ...useCase.workflow, state: "submitted", submitted: { by: editor.name.trim(), at: now.toISOString() } } },
  };
}

/** Whom a vetting or sending back names: a named human with an account of their own. */
function decidingHumanError(vetter: Principal): WorkflowError | null {
  if (vetter.name.trim() === "") return { type: "vetter-not-named" };
  if (vetter.shared === true) return { type: "shared-account" };
  return null;
}

export function sendBackUseCase(useCase: UseCase, vetter: Principal, reason: LanguageMap, now: Date): WorkflowResult {
  const error = guard(useCase, "send-back", vetter) ?? decidingHumanError(vetter);
  if (error) return { ok: false, error };
  return {
    ok: true,
    useCase: { ...useCase, workflow: { ...useCase.workflow, state: "draft", sentBack: { by: vetter.name, at: now.toISOString(), reason } } },
  };
}

export interface VetOptions {
  /**
   * The four-eyes principle: the person who submitted may not vet (default true). A node setting
   * may relax it for a city with a single person in charge; the vetting then says so.
   */
  fourEyes?: boolean;
}

/**
 * A named human vets a submitted use case against a published guideline version. Any failing
 * error-severity rule blocks it, whatever the vetter's role; the results are kept as conformance.
 * The person who submitted it may not vet it (four-eyes principle) unless `fourEyes` is false.
 */
export function vetUseCase(useCase: UseCase, guideline: Guideline, vetter: Principal, now: Date, options: VetOptions = {}): WorkflowResult {
  const error = guard(useCase, "vet", vetter) ?? decidingHumanError(vetter);
  if (error) return { ok: false, error };
  const submitter = useCase.workflow.submitted?.by;
  const sameAsSubmitter = submitter !== undefined && submitter === vetter.name.trim();
  if (sameAsSubmitter && options.fourEyes !== false) return { ok: false, error: { type: "four-eyes", submitter } };
  if (guideline.state !== "published") return { ok: false, error: { type: "guideline-not-published", guideline: guideline.id } };
  const at = now.toISOString();
  const vetting = {
    vetter: { name: vetter.name.trim(), role: vetter.role },
    date: at,
    result: "passed" as const,
    ...(sameAsSubmitter ? { fourEyesWaived: true as const } : {}),
  };
  // Checked as it would stand once vetted, so that "a vetting human is named" holds.
  const candidate: UseCase = { ...useCase, workflow: { ...useCase.workflow, state: "vetted" }, vetting };
  const results = checkUseCase(candidate, guideline);
  if (blockingResults(results).length > 0) return { ok: false, error: { type: "rule-violations", results } };
  const warned = results.some((entry) => !entry.passed);
  return {
    ok: true,
    useCase: {
      ...candidate,
      vetting: { ...vetting, result: warned ? "passed-with-warnings" : "passed" },
      conformance: { guidelineVersion: guideline.id, checkedAt: at, results },
    },
  };
}

export function publishUseCase(useCase: UseCase, editor: Principal, now: Date): WorkflowResult {
  const error = guard(useCase, "publish", editor);
  if (error) return { ok: false, error };
  return { ok: true, useCase: { ...useCase, workflow: { ...useCase.workflow, state: "published", publishedAt: now.toISOString() } } };
}

export function retireUseCase(useCase: UseCase, editor: Principal, now: Date): WorkflowResult {
  const error = guard(useCase, "retire", editor);
  if (error) return { ok: false, error };
  // Only what was published can be withdrawn; a draft that never was is simply not published.
  if (useCase.workflow.state !== "published" && useCase.workflow.publishedAt === undefined) {
    return { ok: false, error: { type: "invalid-transition", from: useCase.workflow.state, to: "retired" } };
  }
  return { ok: true, useCase: { ...useCase, workflow: { ...useCase.workflow, state: "retired", retiredAt: now.toISOString() } } };
}

/** New content returns the use case to draft and drops the old vetting: it was about other content. */
export function reviseUseCase(useCase: UseCase, content: UseCaseContent, editor: Principal): WorkflowResult {
  const error = guard(useCase, "revise", editor);
  if (error) return { ok: false, error };
  const { vetting: _vetting, conformance: _conformance, ...system } = useCase;
  const revised: UseCase = {
    ...content,
    id: system.id,
    provenance: system.provenance,
    adoptedBy: system.adoptedBy,
    workflow: { ...system.workflow, state: "draft" },
  };
  return { ok: true, useCase: revised };
}

/** The editable part of a use case (what an editor writes; what revising replaces). */
export function useCaseContentOf(useCase: UseCase): UseCaseContent {
  const { id: _id, provenance: _provenance, workflow: _workflow, conformance: _conformance, vetting: _vetting, adoptedBy: _adoptedBy, ...content } = useCase;
  return content;
}
