import { type Guideline, may, type Page, type Principal, type SharedModel, type SharedModelState, type UseCase, type WorkflowState } from "@leitplanken/core";

/**
 * What a transparency register publishes: anonymous callers see published guideline versions,
 * published and retired use cases and models, and received copies (which are published by their
 * origin). Drafts, records under review and a vetter's reasons for sending one back are for staff.
 */

/** Staff who work on records before they are published (the permission table's `records.read-unpublished`). */
export function seesUnpublished(principal: Principal | null): boolean {
  return may(principal, "records.read-unpublished");
}

export const publicUseCaseStates: readonly WorkflowState[] = ["published", "retired"];

export const publicModelStates: readonly SharedModelState[] = ["published", "retired"];

export const isPublicGuideline = (guideline: Guideline) => guideline.state === "published";
export const isPublicModel = (model: SharedModel) => publicModelStates.includes(model.state);
export const isPublicUseCase = (useCase: UseCase) => publicUseCaseStates.includes(useCase.workflow.state);

/**
 * The workflow state an anonymous use-case list is restricted to, in the repository's filter (so
 * counts and pages are right): the requested one when it is public, else published; null when the
 * caller asked for a state nobody outside the staff may see.
 */
export function publicUseCaseState(requested: WorkflowState | undefined): WorkflowState | null {
  if (requested === undefined) return "published";
  return publicUseCaseStates.includes(requested) ? requested : null;
}

export function emptyPage<T>(): Page<T> {
  return { items: [], endCursor: null, hasNextPage: false, totalCount: 0 };
}
