import type { HostingKind, Share, SharedModel, Tally } from "@leitplanken/core";
import { type GraphQLContext, requireNetwork } from "../context.ts";
import type { Resolvers, SharedModelSearch } from "../generated/resolvers.ts";
import { listing, pageRequest } from "./common.resolvers.ts";
import { pageOfList } from "./connections.resolvers.ts";
import { everyPage } from "./compare.resolvers.ts";

/** A tally as a list of its keys with their shares. */
const entries = <K extends string>(tally: Tally<K>) => (Object.entries(tally) as [K, Share][]).map(([key, share]) => ({ key, ...share }));
/** "unstated" is null in the API. */
const stated = <K extends string>(key: K) => (key === "unstated" ? null : (key as Exclude<K, "unstated">));

/** Hosting that keeps a model under European law: everything but a non-EU cloud. */
const sovereignHostings: readonly HostingKind[] = ["on-premises", "municipal-data-centre", "eu-cloud"];

const energyOf = (model: SharedModel) => model.inferenceEnergy?.whPer1000Requests ?? Number.POSITIVE_INFINITY;

/** Shared models for inter-municipal use, least inference energy first (unmeasured last, ties by IRI). */
async function sharedModelRanking(filter: SharedModelSearch | null | undefined, context: GraphQLContext): Promise<SharedModel[]> {
  const hostings = filter?.hosting ?? undefined;
  const [onlyHosting] = hostings ?? [];
  // What the repository filters in SQL; the hosting set and the energy bound are applied to its result.
  const candidates = await everyPage((after) =>
    context.records.sharedModels.list(
      {
        search: filter?.search ?? undefined,
        openWeights: filter?.openWeights ?? undefined,
        hosting: hostings?.length === 1 ? onlyHosting : undefined,
        originActors: filter?.originCities ?? undefined,
      },
      { first: 100, after },
    ),
  );
  const maxWh = filter?.maxWhPer1000Requests ?? undefined;
  const sovereign = filter?.sovereignHosting ?? undefined;
  return candidates
    .filter((model) => hostings === undefined || hostings.includes(model.sovereignty.hosting))
    .filter((model) => sovereign === undefined || sovereignHostings.includes(model.sovereignty.hosting) === sovereign)
    .filter((model) => maxWh === undefined || energyOf(model) <= maxWh)
    .filter((model) => filter?.served === undefined || filter.served === null || model.servedBy.length > 0 === filter.served)
    .sort((a, b) => energyOf(a) - energyOf(b) || (a.id < b.id ? -1 : 1));
}

export const networkResolvers: Resolvers = {
  Query: {
    cities: (_parent, { originCities }, context) => requireNetwork(context).view.listCities({ cities: originCities ?? undefined }),
    networkStatistics: (_parent, { cities }, context) => requireNetwork(context).view.statistics({ cities: cities ?? undefined }),
    sharedModels: async (_parent, { filter, first }, context) => (await sharedModelRanking(filter, context)).slice(0, pageRequest({ first }).first),
    sharedModelRanking: (_parent, { filter, ...page }, context) =>
      listing(async () => pageOfList("shared-model-ranking", await sharedModelRanking(filter, context), (model) => model.id, pageRequest(page))),
    knownCities: (_parent, { originCities, ...page }, context) =>
      listing(() => requireNetwork(context).view.pageCities({ cities: originCities ?? undefined }, pageRequest(page))),
  },
  City: {
    // Drafts are staff's business: anonymous readers learn neither their number nor when they changed.
    lastUpdate: (city, _args, context) => (context.seesUnpublished ? city.lastUpdate : city.publicLastUpdate)?.toISOString() ?? null,
  },
  CityRecordCounts: {
    useCases: (counts) => counts.publishedUseCases,
    guidelineDocuments: (counts, _args, context) => (context.seesUnpublished ? counts.guidelineDocuments : counts.publishedGuidelineDocuments),
    guidelineVersions: (counts, _args, context) => (context.seesUnpublished ? counts.guidelineVersions : counts.publishedGuidelineVersions),
    useCasesInWork: (counts, _args, context) => (context.seesUnpublished ? counts.useCases - counts.publishedUseCases : null),
  },
  NetworkStatistics: {
    riskClasses: (statistics) => entries(statistics.riskClasses).map(({ key, ...share }) => ({ riskClass: stated(key), ...share })),
    citizenFacingAutomation: ({ citizenFacingAutomation }) => ({
      useCases: citizenFacingAutomation.useCases,
      levels: entries(citizenFacingAutomation.levels).map(({ key, ...share }) => ({ automationLevel: key, ...share })),
    }),
    sovereignty: ({ sovereignty }) => ({
      ...sovereignty,
      useCaseHosting: entries(sovereignty.useCaseHosting).map(({ key, ...share }) => ({ hosting: stated(key), ...share })),
      modelHosting: entries(sovereignty.modelHosting).map(({ key, ...share }) => ({ hosting: key, ...share })),
    }),
    modelReuse: (statistics, { first }) => statistics.modelReuse.slice(0, pageRequest({ first }).first),
  },
  ModelReuse: {
    modelId: (reuse) => reuse.model,
    model: (reuse, _args, context) => context.loaders.sharedModel.load(reuse.model),
  },
};
