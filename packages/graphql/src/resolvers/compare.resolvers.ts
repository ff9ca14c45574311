import { compareGuidelines, describeCompareError, type Guideline, type Page, totalOf, type UseCase, useCasesFailing } from "@leitplanken/core";
import { badUserInput, type GraphQLContext } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { notFoundError, validationError } from "../payload-errors.ts";
import { listing, pageRequest, sourceFilter } from "./common.resolvers.ts";
import { pageOfList } from "./connections.resolvers.ts";
import { listUseCases } from "./use-case.resolvers.ts";

/** Compare five guidelines is the common case; the bound keeps one request's work small. */
export const maxComparedVersions = 20;

/** Use cases one `useCasesFailingGuideline` checks at most: a city's own are a few dozen. */
export const maxCheckedUseCases = 1_000;

/** Every page of a listing; with `max`, a listing longer than that is refused before it is read. */
export async function everyPage<T>(list: (after: string | null) => Promise<Page<T>>, max = Number.POSITIVE_INFINITY): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await list(after);
    if (after === null && Number.isFinite(max)) {
      const total = await totalOf(page);
      if (total > max) throw badUserInput(`More than ${max} use cases to check (${total}); narrow them with local or originCities.`);
    }
    items.push(...page.items);
    if (!page.hasNextPage || page.endCursor === null) return items;
    after = page.endCursor;
  }
}

async function loadVersions(context: GraphQLContext, ids: readonly string[]): Promise<{ versions: Guideline[] } | { missing: string }> {
  const loaded = await Promise.all(ids.map((id) => context.loaders.guideline.load(id)));
  const versions: Guideline[] = [];
  for (const [index, version] of loaded.entries()) {
    if (version === null) return { missing: ids[index] as string };
    versions.push(version);
  }
  return { versions };
}

/** Compares guideline versions by IRI (what `compareGuidelines` answers). */
export async function compareVersions(
  context: GraphQLContext,
  versionIds: readonly string[],
  language: string,
  similarityThreshold: number | null | undefined,
) {
  if (versionIds.length > maxComparedVersions) {
    return validationError([
      {
        path: "versionIds",
        code: "too-many",
        message: {
          de: `Höchstens ${maxComparedVersions} Fassungen auf einmal vergleichen.`,
          en: `Compare at most ${maxComparedVersions} versions at once.`,
        },
      },
    ]);
  }
  const loaded = await loadVersions(context, versionIds);
  if ("missing" in loaded) return notFoundError(loaded.missing);
  const result = compareGuidelines(loaded.versions, { language, similarityThreshold: similarityThreshold ?? undefined });
  if (!result.ok) {
    const message = describeCompareError(result.error);
    switch (result.error.type) {
      case "too-few-versions":
        return { __typename: "TooFewVersionsError" as const, message, count: result.error.count };
      case "invalid-similarity-threshold":
        return validationError([{ path: "similarityThreshold", code: "out-of-range", message }]);
    }
  }
  return { __typename: "GuidelineComparison" as const, versions: loaded.versions, matrix: result.comparison.principles, diff: result.comparison.diff };
}

export const compareResolvers: Resolvers = {
  Query: {
    compareGuidelines: (_parent, { versionIds, language, similarityThreshold }, context) => compareVersions(context, versionIds, language, similarityThreshold),
    useCasesFailingGuideline: async (_parent, { guidelineVersionId, local, originCities }, context) => {
      const guidelineVersion = await context.loaders.guideline.load(guidelineVersionId);
      if (guidelineVersion === null) return notFoundError(guidelineVersionId);
      const filter = { source: sourceFilter(local), originActors: originCities ?? undefined };
      const useCases: UseCase[] = await everyPage((after) => listUseCases(context, filter, { first: 100, after }), maxCheckedUseCases);
      return {
        __typename: "UseCasesFailingGuideline" as const,
        guidelineVersion,
        checked: useCases.length,
        failing: useCasesFailing(guidelineVersion, useCases),
      };
    },
  },
  UseCasesFailingGuideline: {
    failingUseCases: (result, page) =>
      listing(async () => pageOfList(`failing:${result.guidelineVersion.id}`, result.failing, (failing) => failing.useCase.id, pageRequest(page))),
  },
  GuidelineComparison: {
    language: (comparison) => comparison.matrix.language,
    similarityThreshold: (comparison) => comparison.matrix.similarityThreshold,
    rows: (comparison) => comparison.matrix.rows,
  },
  GuidelineDiff: {
    fromId: (diff) => diff.from,
    toId: (diff) => diff.to,
  },
  SectionChange: {
    moved: (change) => ("moved" in change ? change.moved : false),
    body: (change) => ("body" in change ? change.body : null),
    bodyDiff: (change) => (change.kind === "changed" ? change.bodyDiff : null),
  },
  PrincipleChange: {
    key: (change) => ("principle" in change ? change.principle.key : change.key),
    moved: (change) => ("moved" in change ? change.moved : false),
    before: (change) => (change.kind === "removed" ? change.principle : change.kind === "changed" ? change.before : null),
    after: (change) => (change.kind === "added" ? change.principle : change.kind === "changed" ? change.after : null),
    changedFields: (change) => (change.kind === "changed" ? change.fields : []),
    statementDiff: (change) => (change.kind === "changed" ? change.statementDiff : null),
  },
};
