import { describeAccessTokenError, validateNewAccessToken } from "@leitplanken/core";
import { requireAccessTokens } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { notFoundError, validationError } from "../payload-errors.ts";
import { requirePermission } from "../permissions.ts";
import { listing, pageRequest } from "./common.resolvers.ts";
import { pageOfList } from "./connections.resolvers.ts";

export const accessTokenResolvers: Resolvers = {
  Query: {
    viewer: (_parent, _args, context) =>
      context.principal && context.signedInWith
        ? { name: context.principal.name, role: context.principal.role, signedInWith: context.signedInWith, sharedAccount: context.principal.shared === true }
        : null,
    apiTokens: (_parent, { includeRevoked }, context) => {
      requirePermission(context, "api-tokens.manage");
      return requireAccessTokens(context).list({ includeRevoked });
    },
    accessTokens: (_parent, { includeRevoked, ...page }, context) => {
      requirePermission(context, "api-tokens.manage");
      return listing(async () => pageOfList("api-tokens", await requireAccessTokens(context).list({ includeRevoked }), (token) => token.id, pageRequest(page)));
    },
  },
  ApiToken: {
    createdAt: (token) => token.createdAt.toISOString(),
    lastUsedAt: (token) => token.lastUsedAt?.toISOString() ?? null,
    revokedAt: (token) => token.revokedAt?.toISOString() ?? null,
    current: (token, _args, context) => context.tokenId === token.id,
  },
  // Both need "api-tokens.manage" (checked before the resolver, see permissions.ts).
  Mutation: {
    createApiToken: async (_parent, { input }, context) => {
      const store = requireAccessTokens(context);
      const valid = validateNewAccessToken(input);
      if (!valid.ok) return validationError(valid.errors);
      const result = await store.create(valid.value);
      if (!result.ok) return { __typename: "TokenNameTakenError" as const, message: describeAccessTokenError(result.error), name: result.error.name };
      return { __typename: "CreateApiTokenSuccess" as const, token: result.info, secret: result.secret };
    },
    revokeApiToken: async (_parent, { id }, context) => {
      const result = await requireAccessTokens(context).revoke(id);
      if (result.ok) return { __typename: "ApiTokenSuccess" as const, token: result.info };
      switch (result.error.type) {
        case "token-not-found":
          return { ...notFoundError(id), message: describeAccessTokenError(result.error) };
        case "last-admin-token":
          return { __typename: "LastAdminTokenError" as const, message: describeAccessTokenError(result.error), id };
      }
    },
  },
};
