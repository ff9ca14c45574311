import {
  blockingResults,
  checkUseCase,
  createUseCaseDraft,
  localProvenance,
  recordIri,
  validateUseCaseCandidate,
  type Page,
  type PageRequest,
  type UseCase,
  type UseCaseFilter,
} from "@leitplanken/core";
import { type GraphQLContext, vettingPolicy } from "../context.ts";
import { actingPrincipal } from "../permissions.ts";
import { ruleCheckOf, ruleCheckPassed } from "../rule-check.ts";
import { selectsField } from "../selection.ts";
import type { Resolvers, UseCaseFilter as GraphQLUseCaseFilter } from "../generated/resolvers.ts";
import { pageInfoOf } from "./connections.resolvers.ts";
import { withoutNulls } from "../input.ts";
import { notFoundError, unexpected, useCaseStepError, useCaseUseError, validationError, vetterStepError, vettingError } from "../payload-errors.ts";
import { emptyPage, publicUseCaseState } from "../visibility.ts";
import { listing, pageRequest, sourceFilter } from "./common.resolvers.ts";

/** A page of use cases; anonymous callers get only public ones, filtered in the stored query so counts and pages hold. */
export async function listUseCases(context: GraphQLContext, filter: UseCaseFilter, page: PageRequest): Promise<Page<UseCase>> {
  if (context.seesUnpublished) return listing(() => context.records.useCases.list(filter, page));
  const workflowState = publicUseCaseState(filter.workflowState);
  if (workflowState === null) return emptyPage();
  return listing(() => context.records.useCases.list({ ...filter, workflowState }, page));
}

/** The API's use-case filter as the store takes it (the fields every list of use cases shares; `Query.useCases` adds source and cities). */
export function useCaseFilterOf(filter: GraphQLUseCaseFilter | null | undefined): UseCaseFilter {
  return {
    status: filter?.status ?? undefined,
    workflowState: filter?.workflowState ?? undefined,
    riskClass: filter?.riskClass ?? undefined,
    automationLevel: filter?.automationLevel ?? undefined,
    directlyAffectsCitizens: filter?.directlyAffectsCitizens ?? undefined,
    department: filter?.department ?? undefined,
    model: filter?.model ?? undefined,
    search: filter?.search ?? undefined,
  };
}

/** A use's success: the use case with the lockVersion it was stored at (primed for `UseCase.lockVersion`). */
function useCaseSuccess(context: GraphQLContext, result: { useCase: UseCase; lockVersion: number }) {
  context.loaders.lockVersions.useCase.clear(result.useCase.id).prime(result.useCase.id, result.lockVersion);
  return { __typename: "UseCaseSuccess" as const, useCase: result.useCase };
}

export const useCaseResolvers: Resolvers = {
  Query: {
    useCases: (_parent, { filter, orderBy, ...page }, context) =>
      listUseCases(
        context,
        { ...useCaseFilterOf(filter), source: sourceFilter(filter?.local), originActors: filter?.originCities ?? undefined },
        pageRequest(page, orderBy),
      ),
    // A response that shows the use case's models or adoptions reads them in the same statement.
    useCase: (_parent, { id }, context, info) =>
      selectsField(info, ["models", "model"]) || selectsField(info, ["adoptions"]) || selectsField(info, ["adoptedBy"])
        ? context.loaders.useCaseWithRelations(id)
        : context.loaders.useCase.load(id),
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
      // The guideline and a stored use case are read with one statement.
      const [guideline, stored] = useCaseId
        ? await context.loaders.guidelineAndUseCase(guidelineVersionId, useCaseId)
        : [await context.loaders.guideline.load(guidelineVersionId), null];
      if (guideline === null) return notFoundError(guidelineVersionId);
      let useCase: UseCase;
      if (useCaseId) {
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
    pageInfo: (page) => pageInfoOf(page),
  },
  ConformanceReport: {
    passed: (report) => blockingResults(report.results).length === 0,
  },
  UseCase: {
    lockVersion: (useCase, _args, context) => context.loaders.lockVersions.useCase.load(useCase.id),
    ruleCheck: (useCase, _args, context) => (useCase.provenance.source === "received" ? ruleCheckOf(useCase, context) : null),
  },
  RuleCheck: {
    passed: ruleCheckPassed,
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
      const created = await context.app.useCases.create({ content: withoutNulls(input) }, actingPrincipal(context));
      if (created.ok) return useCaseSuccess(context, created);
      // The permission table was checked before: only the input can be wrong.
      if (created.error.type === "invalid-input") return validationError(created.error.errors);
      throw unexpected(created.error);
    },
    updateUseCase: async (_parent, { id, lockVersion, input }, context) => {
      const revised = await context.app.useCases.revise({ id, lockVersion, content: withoutNulls(input) }, actingPrincipal(context));
      return revised.ok ? useCaseSuccess(context, revised) : useCaseUseError(revised.error, "revise");
    },
    submitUseCase: async (_parent, { id, lockVersion }, context) => {
      const submitted = await context.app.useCases.submit({ id, lockVersion }, actingPrincipal(context));
      return submitted.ok ? useCaseSuccess(context, submitted) : useCaseStepError(submitted.error, "submit");
    },
    sendBackUseCase: async (_parent, { id, lockVersion, reason }, context) => {
      const sentBack = await context.app.useCases.sendBack({ id, lockVersion, reason: withoutNulls(reason) }, actingPrincipal(context));
      return sentBack.ok ? useCaseSuccess(context, sentBack) : useCaseUseError(sentBack.error, "send-back", vetterStepError);
    },
    vetUseCase: async (_parent, { id, lockVersion, guidelineVersionId }, context) => {
      const vetted = await context.app.useCases.vet({ id, lockVersion, guidelineVersionId }, actingPrincipal(context));
      return vetted.ok ? useCaseSuccess(context, vetted) : useCaseStepError(vetted.error, "vet", vettingError);
    },
    publishUseCase: async (_parent, { id, lockVersion }, context) => {
      const published = await context.app.useCases.publish({ id, lockVersion }, actingPrincipal(context));
      return published.ok ? useCaseSuccess(context, published) : useCaseStepError(published.error, "publish");
    },
    retireUseCase: async (_parent, { id, lockVersion }, context) => {
      const retired = await context.app.useCases.retire({ id, lockVersion }, actingPrincipal(context));
      return retired.ok ? useCaseSuccess(context, retired) : useCaseStepError(retired.error, "retire");
    },
  },
};
