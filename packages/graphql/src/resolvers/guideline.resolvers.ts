import { randomUUID } from "node:crypto";
import {
  recordIri,
  createGuidelineDraft,
  draftNextGuidelineVersion,
  editGuidelineVersion,
  type Guideline,
  type GuidelineFilter,
  type Page,
  type PageRequest,
  licenceAllowsDerivatives,
  localProvenance,
  validateGuidelineContent,
} from "@leitplanken/core";
import type { GraphQLContext } from "../context.ts";
import { actingPrincipal } from "../permissions.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { withoutNulls } from "../input.ts";
import { guidelineError, guidelineUseError, notFoundError, unexpected, validationError } from "../payload-errors.ts";
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

/** Saves and, when the store refuses (published meanwhile, label taken), returns the payload error. */
async function save(context: GraphQLContext, guideline: Guideline, action: string) {
  const saved = await context.records.guidelines.save(guideline);
  if (!saved.ok) return guidelineError(saved.error, action);
  return versionSuccess(guideline);
}

export const guidelineResolvers: Resolvers = {
  Query: {
    guidelines: (_parent, { filter, first, after }, context) =>
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
        pageRequest(first, after),
      ),
    guideline: async (_parent, { id }, context) => ((await versionsOf(context, id)).length > 0 ? { documentId: id } : null),
    guidelineVersion: (_parent, { id }, context) => context.loaders.guideline.load(id),
  },
  GuidelineVersionConnection: {
    nodes: (page) => page.items,
    pageInfo: (page) => ({ hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
  },
  Guideline: {
    id: (document) => document.documentId,
    versions: (document, _args, context) => versionsOf(context, document.documentId),
    current: async (document, _args, context) => (await versionsOf(context, document.documentId)).findLast((version) => version.state === "published") ?? null,
    draft: async (document, _args, context) => (await versionsOf(context, document.documentId)).findLast((version) => version.state === "draft") ?? null,
  },
  GuidelineVersion: {
    guideline: (version) => ({ documentId: version.documentId }),
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
      const content = validateGuidelineContent(withoutNulls(input));
      if (!content.ok) return validationError(content.errors);
      const slug = randomUUID();
      const draft = createGuidelineDraft(content.value, {
        id: recordIri(context.identity.origin, "guideline", slug),
        documentId: recordIri(context.identity.origin, "guideline-document", slug),
        provenance: localProvenance(context.identity.actor),
      });
      const saved = await context.records.guidelines.save(draft);
      // A new document has neither published versions nor other labels.
      if (!saved.ok) throw unexpected(saved.error);
      return versionSuccess(draft);
    },
    createGuidelineDraft: async (_parent, { guidelineId, input }, context) => {
      const principal = actingPrincipal(context);
      const content = validateGuidelineContent(withoutNulls(input));
      if (!content.ok) return validationError(content.errors);
      const versions = await versionsOf(context, guidelineId);
      const latest = versions.at(-1);
      if (latest === undefined) return notFoundError(guidelineId);
      const next = draftNextGuidelineVersion(
        latest,
        { id: recordIri(context.identity.origin, "guideline", randomUUID()), version: content.value.version },
        principal,
      );
      if (!next.ok) return guidelineError(next.error, "create-draft");
      const edited = editGuidelineVersion(next.guideline, content.value, principal);
      if (!edited.ok) return guidelineError(edited.error, "create-draft");
      return save(context, edited.guideline, "create-draft");
    },
    updateGuidelineDraft: async (_parent, { versionId, input }, context) => {
      const principal = actingPrincipal(context);
      const content = validateGuidelineContent(withoutNulls(input));
      if (!content.ok) return validationError(content.errors);
      const version = await context.records.guidelines.get(versionId);
      if (version === null) return notFoundError(versionId);
      const edited = editGuidelineVersion(version, content.value, principal);
      if (!edited.ok) return guidelineError(edited.error, "update");
      return save(context, edited.guideline, "update");
    },
    publishGuidelineVersion: async (_parent, { versionId }, context) => {
      const principal = actingPrincipal(context);
      const published = await context.app.guidelines.publishVersion({ versionId }, principal);
      if (!published.ok) return guidelineUseError(published.error, "publish");
      return versionSuccess(published.guideline);
    },
  },
};
