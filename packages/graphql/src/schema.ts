import { readdir, readFile } from "node:fs/promises";
import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLSchema } from "graphql";
import { guardMutations } from "./permissions.ts";
import { accessTokenResolvers } from "./resolvers/access-token.resolvers.ts";
import { catalogReviewResolvers } from "./resolvers/catalog-review.resolvers.ts";
import { actorResolvers } from "./resolvers/actor.resolvers.ts";
import { catalogResolvers } from "./resolvers/catalog.resolvers.ts";
import { commonResolvers } from "./resolvers/common.resolvers.ts";
import { compareResolvers } from "./resolvers/compare.resolvers.ts";
import { federationResolvers } from "./resolvers/federation.resolvers.ts";
import { guidelineResolvers } from "./resolvers/guideline.resolvers.ts";
import { modelResolvers } from "./resolvers/model.resolvers.ts";
import { networkResolvers } from "./resolvers/network.resolvers.ts";
import { connectionResolvers } from "./resolvers/connections.resolvers.ts";
import { linkResolvers } from "./resolvers/links.resolvers.ts";
import { closedSetResolvers } from "./resolvers/closed-sets.resolvers.ts";
import { relationResolvers } from "./resolvers/relations.resolvers.ts";
import { reuseResolvers } from "./resolvers/reuse.resolvers.ts";
import { ruleResolvers } from "./resolvers/rule.resolvers.ts";
import { settingsResolvers } from "./resolvers/settings.resolvers.ts";
import { useCaseResolvers } from "./resolvers/use-case.resolvers.ts";

/** The SDL files in the repository's schema/ folder: the API contract. */
export const schemaDirectory = new URL("../../../schema/", import.meta.url);

export async function loadTypeDefs(): Promise<string[]> {
  const files = (await readdir(schemaDirectory)).filter((name) => name.endsWith(".graphql")).sort();
  return Promise.all(files.map((name) => readFile(new URL(name, schemaDirectory), "utf8")));
}

export async function buildSchema(): Promise<GraphQLSchema> {
  const schema = makeExecutableSchema({
    typeDefs: await loadTypeDefs(),
    resolvers: [
      commonResolvers,
      guidelineResolvers,
      useCaseResolvers,
      ruleResolvers,
      modelResolvers,
      federationResolvers,
      compareResolvers,
      reuseResolvers,
      networkResolvers,
      catalogResolvers,
      catalogReviewResolvers,
      settingsResolvers,
      accessTokenResolvers,
      actorResolvers,
      relationResolvers,
      connectionResolvers,
      linkResolvers,
      closedSetResolvers,
    ],
  });
  // Every mutation checks its permission (core's table) before its resolver runs.
  return guardMutations(schema);
}
