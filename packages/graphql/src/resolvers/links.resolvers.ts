import type { GraphQLContext } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { listing, pageRequest } from "./common.resolvers.ts";
import { pageOfList } from "./connections.resolvers.ts";
import { cityObject, recordById } from "./relations.resolvers.ts";

// The IRIs left as strings, as the objects they name (schema/links.graphql).

/** An actor's profile for a link to it; null for no IRI or an actor this node cannot read. */
const profileOf = (context: GraphQLContext, actor: string | null | undefined) =>
  actor === null || actor === undefined || !URL.canParse(actor) ? null : context.loaders.actorProfile.load(actor);

/** The cities (as objects) of a coverage's actor IRIs without a published vetted use case, in the same order. */
async function citiesWithoutPublishedUseCase(actors: readonly string[], context: GraphQLContext) {
  return (await Promise.all(actors.map((actor) => cityObject(context, actor)))).filter((city) => city !== null);
}

export const linkResolvers: Resolvers = {
  CatalogEntry: { city: ({ entry }, _args, context) => cityObject(context, entry.record.originActor) },
  NotLocalError: { city: (error, _args, context) => cityObject(context, error.originCity) },
  CatalogMember: { city: (member, _args, context) => cityObject(context, member.actor) },
  FollowedCity: { city: (relation, _args, context) => cityObject(context, relation.actorId) },
  LineageNode: { publishingCity: ({ node }, _args, context) => (node.kind === "document" ? cityObject(context, node.city) : null) },
  Coverage: {
    citiesWithoutPublishedUseCase: (coverage, _args, context) => citiesWithoutPublishedUseCase(coverage.withoutPublishedUseCase, context),
    // Pages the answer's IRIs, then reads only the page's cities (cityObject is null exactly for these left out).
    uncoveredCities: (coverage, page, context) =>
      listing(async () => {
        const actors = context.network === undefined ? [] : coverage.withoutPublishedUseCase.filter((actor) => URL.canParse(actor));
        const listed = pageOfList("uncovered-cities", actors, (actor) => actor, pageRequest(page));
        return { ...listed, items: await citiesWithoutPublishedUseCase(listed.items, context) };
      }),
  },
  CatalogActor: { profile: (actor, _args, context) => (actor.type === "local" ? null : profileOf(context, actor.id)) },
  Report: {
    reporterProfile: ({ report }, _args, context) => (report.reporter.type === "actor" ? profileOf(context, report.reporter.id) : null),
    targetRecord: async ({ report }, _args, context) => {
      // A report names a record or a catalog entry; for an entry, the entry's record.
      const entry = context.catalogs ? await context.catalogs.store.getEntry(report.target) : null;
      return recordById(context, entry ? entry.record.id : report.target);
    },
  },
  Follower: { profile: (relation, _args, context) => profileOf(context, relation.actorId) },
  Model: {
    servingNodes: async (model, _args, context) =>
      (await Promise.all(model.servedBy.map((actor) => profileOf(context, actor)))).filter((profile) => profile !== null),
  },
  Maintainer: { organisationProfile: (maintainer, _args, context) => profileOf(context, maintainer.organisation) },
  CatalogViewEntry: {
    record: (entry, _args, context) => recordById(context, entry.recordId),
    catalogProfile: (entry, _args, context) => profileOf(context, entry.catalogId),
  },
  BaseModel: { model: (base, _args, context) => (base.iri ? context.loaders.sharedModel.load(base.iri) : null) },
  TrustListEntry: { actorProfile: (entry, _args, context) => (entry.value.includes("/") ? profileOf(context, entry.value) : null) },
  ModeratedRecord: { record: (moderated, _args, context) => recordById(context, moderated.id) },
};
