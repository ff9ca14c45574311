import { GraphQLError } from "graphql";
import type {
  AdoptUseResult,
  ForkUseResult,
  NotFound,
  GuidelineStepError,
  GuidelineUseError,
  ModelStepError,
  ModelUseError,
  UseCaseStepError,
  UseCaseUseError,
} from "@leitplanken/app";
import { forbidden } from "./context.ts";
import {
  type AdoptError,
  type BilingualMessage,
  type CatalogMembershipError,
  type CatalogServiceError,
  describeCatalogMembershipError,
  describeAdoptError,
  describeForkError,
  type ForkError,
  type CheckResult,
  describeFollowError,
  describeSharedModelError,
  describeWorkflowError,
  type FieldError,
  type FollowError,
  type GuidelineError,
  type SaveGuidelineError,
  type SharedModelError,
  type RecordAction,
  type StaleWrite,
  type UnfollowError,
  type WorkflowError,
} from "@leitplanken/core";

/**
 * Expected failures as GraphQL payload values. Each carries its `__typename`, which
 * graphql-js uses to pick the member of a result union.
 */

export const validationError = (fieldErrors: FieldError[]) => ({
  __typename: "ValidationError" as const,
  message: { de: "Die Eingabe ist ungültig; es wurde nichts geändert.", en: "The input is invalid; nothing was changed." },
  fieldErrors,
});

export const notFoundError = (id: string) => ({
  __typename: "NotFoundError" as const,
  message: { de: `Kein Eintrag mit der Kennung ${id} auf diesem Knoten.`, en: `No record with the id ${id} on this node.` },
  id,
});

export const notLocalError = (originCity: string) => ({
  __typename: "NotLocalError" as const,
  message: describeWorkflowError({ type: "not-local", originActor: originCity }),
  originCity,
});

export const invalidTransitionError = (from: string, action: RecordAction, message: BilingualMessage) => ({
  __typename: "InvalidTransitionError" as const,
  message,
  from,
  action,
});

/** Someone else saved the record since the caller read it: nothing was saved. */
export const conflictError = (error: StaleWrite) => ({
  __typename: "ConflictError" as const,
  message: {
    de: "Dieser Eintrag wurde inzwischen von jemand anderem geändert; es wurde nichts gespeichert. Bitte neu laden und die Änderung erneut vornehmen.",
    en: "This record was changed by someone else since you opened it; nothing was saved. Please reload it and make your change again.",
  },
  id: error.id,
  currentLockVersion: error.currentLockVersion,
});

/** An error the code path rules out; masked as an internal error for the client. */
export function unexpected(error: { type: string }): GraphQLError {
  return new GraphQLError(`unexpected domain error: ${error.type}`, { extensions: { code: "INTERNAL_SERVER_ERROR" } });
}

/** Refusals every use-case workflow step can meet. */
export function workflowStepError(error: WorkflowError, action: RecordAction) {
  switch (error.type) {
    case "invalid-transition":
      return invalidTransitionError(error.from, action, describeWorkflowError(error));
    case "not-local":
      return notLocalError(error.originActor);
    case "not-permitted":
      // The role was checked before the step; reaching this means the two disagree.
      throw new GraphQLError(describeWorkflowError(error).en, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
    default:
      throw unexpected(error);
  }
}

/** Refusals of the steps a vetter takes (send back, vet): the vetter must be a named human with an account of their own. */
export function vetterStepError(error: WorkflowError, action: RecordAction) {
  if (error.type === "vetter-not-named") {
    return validationError([{ path: "vetter.name", code: "vetter-not-named", message: describeWorkflowError(error) }]);
  }
  if (error.type === "shared-account") {
    return validationError([{ path: "vetter", code: "shared-account", message: describeWorkflowError(error) }]);
  }
  return workflowStepError(error, action);
}

/** Refusals of vetting: besides a vetter's, the guideline must be published and no blocking rule may fail. */
export function vettingError(error: WorkflowError, action: RecordAction) {
  const message = describeWorkflowError(error);
  switch (error.type) {
    case "guideline-not-published":
      return { __typename: "GuidelineNotPublishedError" as const, message, guidelineVersionId: error.guideline };
    case "rule-violations":
      return { __typename: "RuleViolationsError" as const, message, results: error.results satisfies CheckResult[] };
    case "four-eyes":
      return { __typename: "FourEyesError" as const, message, submittedBy: error.submitter };
    default:
      return vetterStepError(error, action);
  }
}

/** A refused guideline step or save. */
export function guidelineError(error: GuidelineError | SaveGuidelineError, action: RecordAction) {
  switch (error.type) {
    case "guideline-version-published":
      return {
        __typename: "GuidelineVersionPublishedError" as const,
        message: {
          de: "Eine veröffentlichte Fassung kann nicht geändert werden; bitte eine neue Fassung anlegen.",
          en: "A published version cannot be changed; please start a new version.",
        },
        versionId: error.id,
      };
    case "version-label-taken":
      return {
        __typename: "VersionLabelTakenError" as const,
        message: {
          de: `Die Versionsbezeichnung „${error.version}“ ist für diese Leitlinie schon vergeben.`,
          en: `The version label "${error.version}" is already used for this guideline.`,
        },
        version: error.version,
      };
    case "not-local":
      return notLocalError(error.originActor);
    case "previous-not-published":
      return invalidTransitionError("draft", action, {
        de: "Eine neue Fassung setzt eine veröffentlichte Fassung voraus; bitte zuerst den Entwurf veröffentlichen.",
        en: "A new version needs a published version first; please publish the draft.",
      });
    case "fork-unchanged":
      return {
        __typename: "ForkUnchangedError" as const,
        message: {
          de: "Dieser Entwurf sagt noch Wort für Wort dasselbe wie die Leitlinie, von der er abgeleitet ist. Als eigene Leitlinie wird er erst veröffentlicht, wenn Titel, Grundsätze oder Abschnitte eigene Aussagen enthalten – sonst verweisen Sie besser auf das Original.",
          en: "This draft still says word for word what the guideline it was forked from says. It is published as our own only once its title, principles or sections say something of their own; otherwise, refer to the original instead.",
        },
        origin: error.origin,
      };
    case "not-same-document":
      return invalidTransitionError("draft", action, {
        de: "Die vorige Fassung gehört zu einer anderen Leitlinie.",
        en: "The previous version belongs to another guideline.",
      });
    case "not-permitted":
      throw new GraphQLError(`The role "${error.role}" may not change guidelines.`, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
  }
}

const isNotFound = (error: { type: string }): error is NotFound => error.type === "not-found";
const isStale = (error: { type: string }): error is StaleWrite => error.type === "stale";

/** A refused use of the application layer: not found, a conflict, or the domain's own refusal (`domain`). */
function stepError<E extends { type: string }, R>(error: E | NotFound | StaleWrite, domain: (error: E) => R) {
  if (isNotFound(error)) return notFoundError(error.id);
  if (isStale(error)) return conflictError(error);
  return domain(error as E);
}

/** A refused guideline step of the application layer (publishing). */
export const guidelineStepError = (error: GuidelineStepError, action: RecordAction) =>
  stepError(error, (refusal: GuidelineError | SaveGuidelineError) => guidelineError(refusal, action));

/** A refused guideline use with input (create, edit). */
export const guidelineUseError = (error: GuidelineUseError, action: RecordAction) =>
  error.type === "invalid-input" ? validationError(error.errors) : guidelineStepError(error, action);

/**
 * A refused workflow step of a use case; `step` maps the workflow's refusals (the vetter's steps
 * and vetting add their own payloads).
 */
export function useCaseStepError<E = ReturnType<typeof workflowStepError>>(
  error: UseCaseStepError,
  action: RecordAction,
  step: (error: WorkflowError, action: RecordAction) => E = workflowStepError as (error: WorkflowError, action: RecordAction) => E,
) {
  return stepError(error, (refusal: WorkflowError) => step(refusal, action));
}

/** A refused use-case use with input (new content, a reason). */
export function useCaseUseError<E = ReturnType<typeof workflowStepError>>(
  error: UseCaseUseError,
  action: RecordAction,
  step: (error: WorkflowError, action: RecordAction) => E = workflowStepError as (error: WorkflowError, action: RecordAction) => E,
) {
  return error.type === "invalid-input" ? validationError(error.errors) : useCaseStepError(error, action, step);
}

/** A refused model step (publish, retire). */
export const modelStepError = (error: ModelStepError, action: RecordAction) =>
  stepError(error, (refusal: SharedModelError) => sharedModelError(refusal, action));

/** A refused model use with input (register, update). */
export const modelUseError = (error: ModelUseError, action: RecordAction) =>
  error.type === "invalid-input" ? validationError(error.errors) : modelStepError(error, action);

function sharedModelError(error: SharedModelError, action: RecordAction) {
  const message = describeSharedModelError(error);
  switch (error.type) {
    case "not-local":
      return notLocalError(error.originActor);
    case "invalid-transition":
      return invalidTransitionError(error.from, action, message);
    case "not-permitted":
      // The permission table was checked before the step; reaching this means the two disagree.
      throw new GraphQLError(message.en, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
  }
}

type Refusal<R> = R extends { ok: false; error: infer E } ? E : never;

/** A refused fork. */
export const forkUseError = (error: Refusal<ForkUseResult>) => (error.type === "not-found" ? notFoundError(error.id) : forkError(error));

/** A refused adoption. */
export const adoptUseError = (error: Refusal<AdoptUseResult>) => (error.type === "not-found" ? notFoundError(error.id) : adoptError(error));

/** A refused follow. */
export function followError(error: FollowError) {
  const message = describeFollowError(error);
  switch (error.type) {
    case "invalid-target":
      return { __typename: "InvalidFollowTargetError" as const, message, target: error.target };
    case "domain-blocked":
      return { __typename: "DomainBlockedError" as const, message, domain: error.domain };
    case "actor-not-found":
      return { __typename: "ActorNotFoundError" as const, message, target: error.target };
    case "cannot-follow-self":
      return { __typename: "CannotFollowSelfError" as const, message };
  }
}

/** A refused unfollow: this node does not follow the target. */
export const unfollowError = (error: UnfollowError) => ({
  __typename: "NotFollowingError" as const,
  message: describeFollowError(error),
  target: error.target,
});

/** A refused fork; the role was checked before. */
export function forkError(error: ForkError) {
  const message = describeForkError(error);
  switch (error.type) {
    case "licence-forbids-fork":
      return { __typename: "LicenceForbidsForkError" as const, message, licence: error.licence, licenceId: error.licence };
    case "source-not-published":
      return invalidTransitionError("draft", "fork", message);
    case "not-permitted":
      throw new GraphQLError(message.en, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
  }
}

/** A refused adoption; the role was checked before. */
export function adoptError(error: AdoptError) {
  const message = describeAdoptError(error);
  switch (error.type) {
    case "own-use-case":
      return { __typename: "OwnUseCaseError" as const, message, useCaseId: error.id };
    case "origin-not-published":
      return invalidTransitionError(error.state, "adopt", message);
    case "already-adopted":
      return { __typename: "AlreadyAdoptedError" as const, message, useCaseId: error.id, adoption: error.adoption };
    case "not-permitted":
      throw new GraphQLError(message.en, { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
  }
}

const notFoundWith = (id: string, message: BilingualMessage) => ({ __typename: "NotFoundError" as const, message, id });

/**
 * A refused catalog, report or trust action with the service's own text. A refusal for lack of
 * permission (not a moderator of this catalog, not the admin) is FORBIDDEN, as everywhere in the
 * API; the service has logged the attempt before.
 */
export function catalogServiceError(error: CatalogServiceError, message: BilingualMessage) {
  switch (error.type) {
    case "not-moderator":
    case "not-permitted":
      throw forbidden(message.en);
    case "catalog-not-found":
      return notFoundWith(error.catalog, message);
    case "entry-not-found":
      return notFoundWith(error.entryId, message);
    case "entry-changed":
      // Only a decision on an entry meets it: those mutations answer it through catalogEntryError.
      throw unexpected(error);
    case "member-not-found":
      return notFoundWith(error.actor, message);
    case "report-not-found":
      return notFoundWith(error.reportId, message);
    case "handle-taken":
      return { __typename: "HandleTakenError" as const, message, handle: error.handle };
    case "invalid-settings":
    case "invalid-reason":
    case "invalid-report":
      return { ...validationError(error.errors), message };
    case "invalid-domain":
    case "invalid-actor":
      return { ...validationError([{ path: "value", code: error.type, message }]), message };
    case "wrong-catalog":
      return { __typename: "WrongCatalogError" as const, message, catalogId: error.catalogId, actualCatalogId: error.actualCatalogId };
    case "invalid-entry-transition":
    case "invalid-member-transition":
      return invalidTransitionError(error.from, error.action, message);
    case "report-closed":
      return invalidTransitionError(error.state, "close", message);
    case "rate-limited":
      return { __typename: "RateLimitedError" as const, message, retryAfterSeconds: error.retryAfterSeconds };
    case "kind-not-accepted":
    case "not-a-member":
    case "submitter-not-origin":
    case "already-in-catalog":
    case "not-origin":
    case "document-mismatch":
    case "entry-closed":
    case "membership-refused":
    case "follow-mismatch":
    case "member-changed":
      return { __typename: "CatalogRefusedError" as const, message, code: error.type, reason: error.type };
  }
}

/**
 * A refusal narrowed to the errors one mutation's union lists (the catalog service shares one
 * error type across its actions, but each action meets only some): any other is a bug here,
 * answered as an internal error instead of a union member the client was not told about.
 */
export function onlyErrors<R extends { __typename: string }, const N extends R["__typename"]>(
  result: R,
  typenames: readonly N[],
  error: { type: string },
): Extract<R, { __typename: N }> {
  if ((typenames as readonly string[]).includes(result.__typename)) return result as Extract<R, { __typename: N }>;
  throw unexpected(error);
}

/** A moderator's decision on an entry: another moderator's decision stored meanwhile is a ConflictError. */
export function catalogEntryError(error: CatalogServiceError, message: BilingualMessage) {
  if (error.type === "entry-changed") return { __typename: "ConflictError" as const, message, id: error.entryId, currentLockVersion: error.currentLockVersion };
  return catalogServiceError(error, message);
}

/** No catalog answered at an IRI on another node. */
export const remoteCatalogNotFoundError = (catalog: string) => notFoundWith(catalog, describeCatalogMembershipError({ type: "catalog-not-found", catalog }));

/** A refused submission to a catalog on another node. */
export function submissionError(error: CatalogMembershipError) {
  switch (error.type) {
    case "catalog-not-found":
      return remoteCatalogNotFoundError(error.catalog);
    case "not-own-public-record":
      return { __typename: "NotOwnPublicRecordError" as const, message: describeCatalogMembershipError(error), recordId: error.recordId };
  }
}
