import { useCaseContentOf, type Guideline, type NetworkCity, type SharedModel, type UseCase } from "@leitplanken/core";
import { badUserInput, type GraphQLContext } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import type { GuidelineDocument } from "../mappers.ts";
import { listing, pageRequest } from "./common.resolvers.ts";
import { withoutNulls } from "../input.ts";
import { actingPrincipal } from "../permissions.ts";
import { notFoundError, useCaseUseError, validationError } from "../payload-errors.ts";
import { compareVersions, maxComparedVersions } from "./compare.resolvers.ts";
import { listGuidelines } from "./guideline.resolvers.ts";
import { listUseCases, useCaseFilterOf } from "./use-case.resolvers.ts";
import { publicModelStates } from "../visibility.ts";

/** How many ids one `nodes` call may ask for. */
export const maxNodeIds = 100;

type NodeParent = Guideline | UseCase | SharedModel | GuidelineDocument | NetworkCity;

/** The register record an IRI names on this node, as the caller may see it; null for anything else. */
export async function recordById(context: GraphQLContext, id: string): Promise<Guideline | UseCase | SharedModel | null> {
  if (!URL.canParse(id)) return null;
  const [version, useCase, model] = await Promise.all([
    context.loaders.guideline.load(id),
    context.loaders.useCase.load(id),
    context.loaders.sharedModel.load(id),
  ]);
  return version ?? useCase ?? model;
}

/** The object an IRI names on this node, as the caller may see it: a record, a guideline document or a city. */
async function nodeById(context: GraphQLContext, id: string): Promise<NodeParent | null> {
  if (!URL.canParse(id)) return null;
  const [record, versions, city] = await Promise.all([recordById(context, id), context.loaders.guidelineVersions.load(id), context.loaders.city.load(id)]);
  return record ?? (versions.length > 0 ? { documentId: id } : null) ?? city;
}

/**
 * A city as an object for a link to it: from the network view, or, for a city this node neither
 * follows nor holds records of, with what is true of it here (no records, not followed). Null
 * without the network view or for a string that is not an IRI.
 */
export async function cityObject(context: GraphQLContext, actor: string): Promise<NetworkCity | null> {
  if (context.network === undefined || !URL.canParse(actor)) return null;
  return (await context.loaders.city.load(actor)) ?? unknownCity(actor);
}

function unknownCity(actor: string): NetworkCity {
  const none = { guidelineDocuments: 0, guidelineVersions: 0, useCases: 0, publishedUseCases: 0, models: 0, adoptions: 0 };
  return {
    actor,
    host: new URL(actor).host,
    own: false,
    followed: false,
    counts: { ...none, publishedGuidelineDocuments: 0, publishedGuidelineVersions: 0 },
    unverifiedRecords: 0,
    lastUpdate: null,
    publicLastUpdate: null,
  };
}

/** The last path segment of a Leitplanken actor IRI (`…/actors/{handle}`); null for any other IRI. */
export function handleOf(actor: string): string | null {
  if (!URL.canParse(actor)) return null;
  const match = /^\/actors\/([a-z0-9]+(?:[-_][a-z0-9]+)*)$/.exec(new URL(actor).pathname);
  return match?.[1] ?? null;
}

/** The city's current guideline: the newest published version among its documents of kind GUIDELINE, else of any kind. */
async function currentGuidelineOf(context: GraphQLContext, actor: string): Promise<Guideline | null> {
  const page = await listGuidelines(context, { currentOnly: true, state: "published", originActors: [actor] }, { first: 100, after: undefined });
  const newest = (versions: Guideline[]) =>
    versions.reduce<Guideline | null>((best, version) => (best === null || (version.publishedAt ?? "") > (best.publishedAt ?? "") ? version : best), null);
  return newest(page.items.filter((version) => version.kind === "guideline")) ?? newest(page.items);
}

export const relationResolvers: Resolvers = {
  Node: {
    __resolveType: (parent) =>
      "counts" in parent ? "City" : !("id" in parent) ? "Guideline" : "documentId" in parent ? "GuidelineVersion" : "workflow" in parent ? "UseCase" : "Model",
  },
  Query: {
    node: (_parent, { id }, context) => nodeById(context, id),
    compareCityGuidelines: async (_parent, { cities, language, similarityThreshold }, context) => {
      if (cities.length > maxComparedVersions) {
        return validationError([
          {
            path: "cities",
            code: "too-many",
            message: { de: `Höchstens ${maxComparedVersions} Städte auf einmal vergleichen.`, en: `Compare at most ${maxComparedVersions} cities at once.` },
          },
        ]);
      }
      const versionIds: string[] = [];
      for (const city of cities) {
        const current = await currentGuidelineOf(context, city);
        if (current === null) return notFoundError(city);
        versionIds.push(current.id);
      }
      return compareVersions(context, versionIds, language, similarityThreshold);
    },
    nodes: (_parent, { ids }, context) => {
      if (ids.length > maxNodeIds) throw badUserInput(`nodes takes at most ${maxNodeIds} ids (got ${ids.length}).`);
      return Promise.all(ids.map((id) => nodeById(context, id)));
    },
  },
  Mutation: {
    patchUseCase: async (_parent, { id, lockVersion, patch }, context) => {
      const current = await context.records.useCases.get(id);
      if (current === null) return notFoundError(id);
      // Given fields replace the stored ones; null clears one; left out (undefined) keeps it. `adoptedFrom` is not patchable.
      const content: Record<string, unknown> = { ...useCaseContentOf(current) };
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) delete content[field];
        else content[field] = withoutNulls(value);
      }
      const revised = await context.app.useCases.revise({ id, lockVersion, content }, actingPrincipal(context));
      if (!revised.ok) return useCaseUseError(revised.error, "revise");
      context.loaders.lockVersions.useCase.prime(revised.useCase.id, revised.lockVersion);
      return { __typename: "UseCaseSuccess" as const, useCase: revised.useCase };
    },
  },
  City: {
    id: (city) => city.actor,
    handle: (city) => handleOf(city.actor),
    website: async (city, _args, context) => (await context.loaders.actorProfile.load(city.actor))?.website ?? null,
    currentGuideline: (city, _args, context) => currentGuidelineOf(context, city.actor),
    guidelines: (city, { currentOnly, orderBy, ...page }, context) =>
      listGuidelines(context, { currentOnly: currentOnly ?? true, originActors: [city.actor] }, pageRequest(page, orderBy)),
    useCases: (city, { filter, orderBy, ...page }, context) =>
      listUseCases(context, { ...useCaseFilterOf(filter), originActors: [city.actor] }, pageRequest(page, orderBy)),
    models: (city, { orderBy, ...page }, context) =>
      listing(() =>
        context.records.sharedModels.list(
          { states: context.seesUnpublished ? undefined : publicModelStates, originActors: [city.actor] },
          pageRequest(page, orderBy),
        ),
      ),
  },
  Provenance: {
    city: (provenance, _args, context) => context.loaders.city.load(provenance.originActor),
  },
  GuidelineVersion: {
    supersedesVersion: (version, _args, context) => (version.supersedes ? context.loaders.guideline.load(version.supersedes) : null),
    originVersion: (version, _args, context) => (version.origin ? context.loaders.guideline.load(version.origin) : null),
  },
  UseCase: {
    adoptedFromUseCase: (useCase, _args, context) => (useCase.adoptedFrom ? context.loaders.useCase.load(useCase.adoptedFrom) : null),
  },
  Adoption: {
    adoptingCity: (adoption, _args, context) => context.loaders.city.load(adoption.city),
  },
};
