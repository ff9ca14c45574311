import { randomUUID } from "node:crypto";
import {
  recordIri,
  blockingResults,
  checkUseCase,
  createUseCaseDraft,
  localProvenance,
  publishUseCase,
  retireUseCase,
  reviseUseCase,
  sendBackUseCase,
  submitUseCase,
  type UseCase,
  type UseCaseAction,
  languageMapSchema,
  validateUseCaseCandidate,
  validateUseCaseContent,
  validateWith,
  vetUseCase,
  type Page,
  type PageRequest,
  type RecordEvent,
  type UseCaseFilter,
  type WorkflowError,
  type WorkflowState,
  type WorkflowResult,
} from "@leitplanken/core";
import { type GraphQLContext, vettingPolicy } from "../context.ts";
import { actingPrincipal } from "../permissions.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { withoutNulls } from "../input.ts";
import { notFoundError, validationError, vetterStepError, vettingError, workflowStepError } from "../payload-errors.ts";
import { emptyPage, publicUseCaseState } from "../visibility.ts";
import { listing, pageRequest, sourceFilter } from "./common.resolvers.ts";

/** A page of use cases; anonymous callers get only public ones, filtered in the stored query so counts and pages hold. */
export async function listUseCases(context: GraphQLContext, filter: UseCaseFilter, page: PageRequest): Promise<Page<UseCase>> {
  if (context.seesUnpublished) return listing(() => context.records.useCases.list(filter, page));
  const workflowState = publicUseCaseState(filter.workflowState);
  if (workflowState === null) return emptyPage();
  return listing(() => context.records.useCases.list({ ...filter, workflowState }, page));
}

const useCaseSuccess = (useCase: UseCase) => ({ __typename: "UseCaseSuccess" as const, useCase });

/** Only published use cases federate: peers hear when one appears and when it stops being published. */
function federationEvent(before: WorkflowState, after: WorkflowState): RecordEvent["type"] | null {
  if (after === "published" && before !== "published") return "published";
  if (before === "published" && after !== "published") return "withdrawn";
  return null;
}

/** Loads a use case, applies one workflow step and stores the result. */
async function transition<E>(
  context: GraphQLContext,
  id: string,
  action: UseCaseAction,
  step: (useCase: UseCase) => WorkflowResult,
  refused: (error: WorkflowError, action: string) => E = workflowStepError as (error: WorkflowError, action: string) => E,
) {
  const useCase = await context.records.useCases.get(id);
  if (useCase === null) return notFoundError(id);
  const result = step(useCase);
  if (!result.ok) return refused(result.error, action);
  await context.records.useCases.save(result.useCase);
  const event = federationEvent(useCase.workflow.state, result.useCase.workflow.state);
  if (event) await context.announce({ type: event, kind: "use-case", id: id });
  return useCaseSuccess(result.useCase);
}

export const useCaseResolvers: Resolvers = {
  Query: {
    useCases: (_parent, { filter, first, after }, context) =>
      listUseCases(
        context,
        {
          status: filter?.status ?? undefined,
          workflowState: filter?.workflowState ?? undefined,
          riskClass: filter?.riskClass ?? undefined,
          automationLevel: filter?.automationLevel ?? undefined,
          directlyAffectsCitizens: filter?.directlyAffectsCitizens ?? undefined,
          department: filter?.department ?? undefined,
          model: filter?.model ?? undefined,
          search: filter?.search ?? undefined,
          source: sourceFilter(filter?.local),
          originActors: filter?.originCities ?? undefined,
        },
        pageRequest(first, after),
      ),
    useCase: (_parent, { id }, context) => context.loaders.useCase.load(id),
    checkUseCase: async (_parent, { useCaseId, useCase: input, guidelineVersionId }, context) => {
      if ((useCaseId === null || useCaseId === undefined) === (input === null || input === undefined)) {
        return validationError([
          {
            path: "useCaseId",
            code: "one-of-required",
            message: {
              de: "Bitte genau eines angeben: useCaseId (gespeicherter Anwendungsfall) oder useCase (ungespeicherter).",
              en: "Please give exactly one: useCaseId (a stored use case) or useCase (an unsaved one).",
            },
          },
        ]);
      }
      const guideline = await context.loaders.guideline.load(guidelineVersionId);
      if (guideline === null) return notFoundError(guidelineVersionId);
      let useCase: UseCase;
      if (useCaseId) {
        const stored = await context.loaders.useCase.load(useCaseId);
        if (stored === null) return notFoundError(useCaseId);
        useCase = stored;
      } else {
        // An unsaved candidate may break any rule: which ones is the answer this query gives.
        const content = validateUseCaseCandidate(withoutNulls(input));
        if (!content.ok) return validationError(content.errors.map((error) => ({ ...error, path: `useCase.${error.path}` })));
        useCase = createUseCaseDraft(content.value, {
          id: recordIri(context.identity.origin, "use-case", "unsaved"),
          provenance: localProvenance(context.identity.actor),
        });
      }
      const results = checkUseCase(useCase, guideline);
      return { __typename: "ConformanceReport" as const, guidelineVersion: guideline, passed: blockingResults(results).length === 0, results };
    },
    vettingPolicy: (_parent, _args, context) => vettingPolicy(context),
  },
  UseCaseConnection: {
    nodes: (page) => page.items,
    pageInfo: (page) => ({ hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
  },
  ConformanceReport: {
    passed: (report) => blockingResults(report.results).length === 0,
  },
  Workflow: {
    submitted: (workflow, _args, context) => (context.seesUnpublished ? (workflow.submitted ?? null) : null),
    sentBack: (workflow, _args, context) => (context.seesUnpublished ? (workflow.sentBack ?? null) : null),
  },
  Vetting: {
    fourEyesWaived: (vetting) => vetting.fourEyesWaived === true,
  },
  ModelReference: {
    modelId: (reference) => reference.model,
    model: (reference, _args, context) => context.loaders.sharedModel.load(reference.model),
  },
  Conformance: {
    guidelineVersionId: (conformance) => conformance.guidelineVersion,
    guidelineVersion: (conformance, _args, context) => context.loaders.guideline.load(conformance.guidelineVersion),
  },
  RuleResult: {
    ruleId: (result) => result.rule.id,
    ruleVersion: (result) => result.rule.version,
    principleKey: (result) => result.principle.key,
    principle: (result) => result.principle.statement,
  },
  Mutation: {
    createUseCase: async (_parent, { input }, context) => {
      const content = validateUseCaseContent(withoutNulls(input));
      if (!content.ok) return validationError(content.errors);
      const useCase = createUseCaseDraft(content.value, {
        id: recordIri(context.identity.origin, "use-case", randomUUID()),
        provenance: localProvenance(context.identity.actor),
      });
      await context.records.useCases.save(useCase);
      return useCaseSuccess(useCase);
    },
    updateUseCase: async (_parent, { id, input }, context) => {
      const principal = actingPrincipal(context);
      const content = validateUseCaseContent(withoutNulls(input));
      if (!content.ok) return validationError(content.errors);
      return transition(context, id, "revise", (useCase) => reviseUseCase(useCase, content.value, principal));
    },
    submitUseCase: (_parent, { id }, context) => {
      const principal = actingPrincipal(context);
      return transition(context, id, "submit", (useCase) => submitUseCase(useCase, principal, context.now()));
    },
    sendBackUseCase: async (_parent, { id, reason }, context) => {
      const principal = actingPrincipal(context);
      const checked = validateWith(languageMapSchema, withoutNulls(reason));
      if (!checked.ok) return validationError(checked.errors.map((error) => ({ ...error, path: error.path ? `reason.${error.path}` : "reason" })));
      return transition(context, id, "send-back", (useCase) => sendBackUseCase(useCase, principal, checked.value, context.now()), vetterStepError);
    },
    vetUseCase: async (_parent, { id, guidelineVersionId }, context) => {
      const principal = actingPrincipal(context);
      const guideline = await context.records.guidelines.get(guidelineVersionId);
      if (guideline === null) return notFoundError(guidelineVersionId);
      const policy = await vettingPolicy(context);
      return transition(context, id, "vet", (useCase) => vetUseCase(useCase, guideline, principal, context.now(), policy), vettingError);
    },
    publishUseCase: (_parent, { id }, context) => {
      const principal = actingPrincipal(context);
      return transition(context, id, "publish", (useCase) => publishUseCase(useCase, principal, context.now()));
    },
    retireUseCase: (_parent, { id }, context) => {
      const principal = actingPrincipal(context);
      return transition(context, id, "retire", (useCase) => retireUseCase(useCase, principal, context.now()));
    },
  },
};
