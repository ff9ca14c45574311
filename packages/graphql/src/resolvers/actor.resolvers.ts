import type { ActorProfile } from "@leitplanken/core";
import { badUserInput, type GraphQLContext } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";

/** How many actors one `actorProfiles` call may ask for (each unknown one may be read from its node). */
export const maxActorProfiles = 200;

const nameOf = async (context: GraphQLContext, actor: string) => (await context.loaders.actorProfile.load(actor))?.name ?? null;

export const actorResolvers: Resolvers = {
  Query: {
    actorProfiles: async (_parent, { ids }, context) => {
      if (ids.length > maxActorProfiles) throw badUserInput(`actorProfiles takes at most ${maxActorProfiles} ids (got ${ids.length}).`);
      const profiles = await context.loaders.actorProfile.loadMany(ids.filter((id) => URL.canParse(id)));
      return profiles.filter((profile): profile is ActorProfile => profile !== null && !(profile instanceof Error));
    },
  },
  ActorProfile: {
    register: (profile) => `${new URL(profile.id).origin}/`,
  },
  Provenance: {
    originCityName: (provenance, _args, context) => nameOf(context, provenance.originActor),
  },
  City: {
    name: (city, _args, context) => nameOf(context, city.actor),
    municipalityId: async (city, _args, context) => (await context.loaders.actorProfile.load(city.actor))?.municipalityId ?? null,
  },
  Adoption: {
    cityName: (adoption, _args, context) => nameOf(context, adoption.city),
  },
  CatalogEntry: {
    originCityName: ({ entry }, _args, context) => nameOf(context, entry.record.originActor),
  },
};
