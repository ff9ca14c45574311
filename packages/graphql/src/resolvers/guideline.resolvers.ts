import { licenceAllowsDerivatives, type Guideline, type GuidelineFilter, type Page, type PageRequest } from "@leitplanken/core";
import type { GraphQLContext } from "../context.ts";
import { actingPrincipal } from "../permissions.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { pageInfoOf, pageOfList } from "./connections.resolvers.ts";
import { withoutNulls } from "../input.ts";
import { guidelineStepError, guidelineUseError, onlyErrors, unexpected, validationError } from "../payload-errors.ts";
import { emptyPage } from "../visibility.ts";
import { listing, pageRequest, sourceFilter } from "./common.resolvers.ts";

const versionSuccess = (guidelineVersion: Guideline) => ({ __typename: "GuidelineVersionSuccess" as const, guidelineVersion });

async function versionsOf(context: GraphQLContext, documentId: string): Promise<Guideline[]> {
  return context.loaders.guidelineVersions.load(documentId);
}

/** A page of guideline versions; anonymous callers get published ones only, filtered in the stored query so counts and pages hold. */
export async function listGuidelines(context: GraphQLContext, filter: GuidelineFilter, request: PageRequest): Promise<Page<Guideline>> {
  if (!context.seesUnpublished && filter.state === "draft") return emptyPage();
  const state = context.seesUnpublished ? filter.state : "published";
  const page = await listing(() => context.records.guidelines.list({ ...filter, state }, request));
  page.items.forEach((version) => context.loaders.guideline.prime(version.id, version));
  return page;
}

/** A use's success: the version with the lockVersion it was stored at (primed for `GuidelineVersion.lockVersion`). */
function stored(context: GraphQLContext, result: { guideline: Guideline; lockVersion: number }) {
  context.loaders.lockVersions.guideline.clear(result.guideline.id).prime(result.guideline.id, result.lockVersion);
  context.loaders.guideline.clear(result.guideline.id).prime(result.guideline.id, result.guideline);
  return versionSuccess(result.guideline);
}

export const guidelineResolvers: Resolvers = {
  Query: {
    guidelines: (_parent, { filter, orderBy, ...page }, context) =>
      listGuidelines(
        context,
        {
          currentOnly: filter?.currentOnly ?? true,
          state: filter?.state ?? undefined,
          kind: filter?.kind ?? undefined,
          search: filter?.search ?? undefined,
          source: sourceFilter(filter?.local),
          originActors: filter?.originCities ?? undefined,
        },
        pageRequest(page, orderBy),
      ),
    guideline: async (_parent, { id }, context) => ((await versionsOf(context, id)).length > 0 ? { documentId: id } : null),
    guidelineVersion: (_parent, { id }, context) => context.loaders.guideline.load(id),
  },
  GuidelineVersionConnection: {
    nodes: (page) => page.items,
    pageInfo: (page) => pageInfoOf(page),
  },
  Guideline: {
    id: (document) => document.documentId,
    versions: (document, _args, context) => versionsOf(context, document.documentId),
    allVersions: (document, page, context) =>
      listing(async () => pageOfList("guideline-versions", await versionsOf(context, document.documentId), (version) => version.id, pageRequest(page))),
    current: async (document, _args, context) => (await versionsOf(context, document.documentId)).findLast((version) => version.state === "published") ?? null,
    draft: async (document, _args, context) => (await versionsOf(context, document.documentId)).findLast((version) => version.state === "draft") ?? null,
  },
  GuidelineVersion: {
    lockVersion: (version, _args, context) => context.loaders.lockVersions.guideline.load(version.id),
    guideline: (version) => ({ documentId: version.documentId }),
    earlierVersions: (version, page) => listing(async () => pageOfList(`history:${version.id}`, version.history, (entry) => entry.id, pageRequest(page))),
    licenceAllowsFork: (version) => licenceAllowsDerivatives(version.licence),
  },
  Principle: {
    ruleIds: (principle) => principle.ruleIds ?? [],
  },
  GuidelineHistoryEntry: {
    guidelineVersion: (entry, _args, context) => context.loaders.guideline.load(entry.id),
  },
  Mutation: {
    createGuideline: async (_parent, { input }, context) => {
      const created = await context.app.guidelines.create({ content: withoutNulls(input) }, actingPrincipal(context));
      if (created.ok) return stored(context, created);
      // The permission table was checked before, and a new document has no versions to clash with.
      if (created.error.type === "invalid-input") return validationError(created.error.errors);
      throw unexpected(created.error);
    },
    createGuidelineDraft: async (_parent, { guidelineId, input }, context) => {
      const drafted = await context.app.guidelines.createNextDraft({ documentId: guidelineId, content: withoutNulls(input) }, actingPrincipal(context));
      if (drafted.ok) return stored(context, drafted);
      // A new version has no lockVersion to miss, is not published yet, and is not a fork's first.
      const refusals = ["ValidationError", "NotFoundError", "NotLocalError", "InvalidTransitionError", "VersionLabelTakenError"] as const;
      return onlyErrors(guidelineUseError(drafted.error, "create-draft"), refusals, drafted.error);
    },
    updateGuidelineDraft: async (_parent, { versionId, lockVersion, input }, context) => {
      const edited = await context.app.guidelines.editDraft({ versionId, lockVersion, content: withoutNulls(input) }, actingPrincipal(context));
      if (edited.ok) return stored(context, edited);
      // Editing checks no previous version (that is publishing's part).
      const refusals = [
        "ValidationError",
        "NotFoundError",
        "NotLocalError",
        "GuidelineVersionPublishedError",
        "VersionLabelTakenError",
        "ConflictError",
      ] as const;
      return onlyErrors(guidelineUseError(edited.error, "update"), refusals, edited.error);
    },
    publishGuidelineVersion: async (_parent, { versionId, lockVersion }, context) => {
      const published = await context.app.guidelines.publishVersion({ versionId, lockVersion }, actingPrincipal(context));
      if (published.ok) return stored(context, published);
      // The previous version is the document's current published one, and a draft's label was checked when it was saved.
      const refusals = ["NotFoundError", "NotLocalError", "GuidelineVersionPublishedError", "ForkUnchangedError", "ConflictError"] as const;
      return onlyErrors(guidelineStepError(published.error, "publish"), refusals, published.error);
    },
  },
};
