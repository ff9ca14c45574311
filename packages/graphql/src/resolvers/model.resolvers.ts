import { randomUUID } from "node:crypto";
import { localProvenance, recordIri, type SharedModel, validateSharedModelContent } from "@leitplanken/core";
import type { Resolvers } from "../generated/resolvers.ts";
import { withoutNulls } from "../input.ts";
import { notFoundError, notLocalError, validationError } from "../payload-errors.ts";
import { listing, pageRequest, sourceFilter } from "./common.resolvers.ts";
import { listUseCases } from "./use-case.resolvers.ts";

const modelSuccess = (model: SharedModel) => ({ __typename: "ModelSuccess" as const, model });

export const modelResolvers: Resolvers = {
  Query: {
    models: (_parent, { filter, first, after }, context) =>
      listing(() =>
        context.records.sharedModels.list(
          {
            hosting: filter?.hosting ?? undefined,
            // An unknown licence simply matches nothing.
            licence: (filter?.licence ?? undefined) as SharedModel["licence"] | undefined,
            openWeights: filter?.openWeights ?? undefined,
            search: filter?.search ?? undefined,
            source: sourceFilter(filter?.local),
            originActors: filter?.originCities ?? undefined,
          },
          pageRequest(first, after),
        ),
      ),
    model: (_parent, { id }, context) => context.loaders.sharedModel.load(id),
  },
  ModelConnection: {
    nodes: (page) => page.items,
    pageInfo: (page) => ({ hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
  },
  Model: {
    usedBy: (model, { first, after }, context) => listUseCases(context, { model: model.id }, pageRequest(first, after)),
  },
  Mutation: {
    registerModel: async (_parent, { input }, context) => {
      const content = validateSharedModelContent(withoutNulls(input));
      if (!content.ok) return validationError(content.errors);
      const model: SharedModel = {
        ...content.value,
        id: recordIri(context.identity.origin, "model", randomUUID()),
        provenance: localProvenance(context.identity.actor),
      };
      await context.records.sharedModels.save(model);
      await context.announce({ type: "published", kind: "model", id: model.id });
      return modelSuccess(model);
    },
    updateModel: async (_parent, { id, input }, context) => {
      const content = validateSharedModelContent(withoutNulls(input));
      if (!content.ok) return validationError(content.errors);
      const existing = await context.records.sharedModels.get(id);
      if (existing === null) return notFoundError(id);
      if (existing.provenance.source !== "local") return notLocalError(existing.provenance.originActor);
      const model: SharedModel = { ...content.value, id: existing.id, provenance: existing.provenance };
      await context.records.sharedModels.save(model);
      await context.announce({ type: "updated", kind: "model", id: model.id });
      return modelSuccess(model);
    },
    retireModel: async (_parent, { id }, context) => {
      const existing = await context.records.sharedModels.get(id);
      if (existing === null) return notFoundError(id);
      if (existing.provenance.source !== "local") return notLocalError(existing.provenance.originActor);
      await context.records.sharedModels.remove(id);
      await context.announce({ type: "withdrawn", kind: "model", id });
      return modelSuccess(existing);
    },
  },
};
