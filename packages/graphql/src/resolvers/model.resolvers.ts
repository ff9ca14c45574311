import type { SharedModel } from "@leitplanken/core";
import type { GraphQLContext } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { pageInfoOf } from "./connections.resolvers.ts";
import { withoutNulls } from "../input.ts";
import { actingPrincipal } from "../permissions.ts";
import { modelStepError, modelUseError, unexpected, validationError } from "../payload-errors.ts";
import { publicModelStates } from "../visibility.ts";
import { listing, pageRequest, sourceFilter } from "./common.resolvers.ts";
import { listUseCases } from "./use-case.resolvers.ts";

/** A use's success: the model with the lockVersion it was stored at (primed for `Model.lockVersion`). */
function modelSuccess(context: GraphQLContext, result: { model: SharedModel; lockVersion: number }) {
  context.loaders.lockVersions.model.clear(result.model.id).prime(result.model.id, result.lockVersion);
  context.loaders.sharedModel.clear(result.model.id).prime(result.model.id, result.model);
  return { __typename: "ModelSuccess" as const, model: result.model };
}

export const modelResolvers: Resolvers = {
  Query: {
    models: (_parent, { filter, orderBy, ...page }, context) => {
      // Drafts are for staff; anyone else sees published and retired models (a requested draft state: none).
      const requested = filter?.state ?? undefined;
      const states = context.seesUnpublished
        ? requested && [requested]
        : requested === undefined
          ? publicModelStates
          : publicModelStates.filter((state) => state === requested);
      return listing(() =>
        context.records.sharedModels.list(
          {
            states,
            hosting: filter?.hosting ?? undefined,
            // An unknown licence simply matches nothing.
            licence: (filter?.licence ?? undefined) as SharedModel["licence"] | undefined,
            openWeights: filter?.openWeights ?? undefined,
            search: filter?.search ?? undefined,
            source: sourceFilter(filter?.local),
            originActors: filter?.originCities ?? undefined,
          },
          pageRequest(page, orderBy),
        ),
      );
    },
    model: (_parent, { id }, context) => context.loaders.sharedModel.load(id),
  },
  ModelConnection: {
    nodes: (page) => page.items,
    pageInfo: (page) => pageInfoOf(page),
  },
  Model: {
    lockVersion: (model, _args, context) => context.loaders.lockVersions.model.load(model.id),
    usedBy: (model, { orderBy, ...page }, context) => listUseCases(context, { model: model.id }, pageRequest(page, orderBy)),
  },
  Mutation: {
    registerModel: async (_parent, { input, publish }, context) => {
      const registered = await context.app.models.register({ content: withoutNulls(input), publish }, actingPrincipal(context));
      if (registered.ok) return modelSuccess(context, registered);
      // The permission table was checked before: only the input can be wrong.
      if (registered.error.type === "invalid-input") return validationError(registered.error.errors);
      throw unexpected(registered.error);
    },
    updateModel: async (_parent, { id, lockVersion, input }, context) => {
      const updated = await context.app.models.update({ id, lockVersion, content: withoutNulls(input) }, actingPrincipal(context));
      return updated.ok ? modelSuccess(context, updated) : modelUseError(updated.error, "update");
    },
    publishModel: async (_parent, { id, lockVersion }, context) => {
      const published = await context.app.models.publish({ id, lockVersion }, actingPrincipal(context));
      return published.ok ? modelSuccess(context, published) : modelStepError(published.error, "publish");
    },
    retireModel: async (_parent, { id, lockVersion }, context) => {
      const retired = await context.app.models.retire({ id, lockVersion }, actingPrincipal(context));
      return retired.ok ? modelSuccess(context, retired) : modelStepError(retired.error, "retire");
    },
  },
};
