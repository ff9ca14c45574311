import { describeCatalogLookupError, type UseCase } from "@leitplanken/core";
import { requireCatalogs } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import type { RuleCheckView } from "../mappers.ts";
import { followError } from "../payload-errors.ts";
import { requirePermission } from "../permissions.ts";
import { ruleCheckOf, ruleCheckPassed } from "../rule-check.ts";
import { listing, pageRequest } from "./common.resolvers.ts";
import { pageOfList } from "./connections.resolvers.ts";

export const catalogReviewResolvers: Resolvers = {
  Query: {
    lookUpCatalog: async (_parent, { address }, context) => {
      requirePermission(context, "catalog.membership");
      const result = await requireCatalogs(context).membership.lookup(address);
      if (result.ok) return { __typename: "CatalogProfile" as const, ...result.catalog };
      if (result.error.type === "not-a-catalog")
        return { __typename: "NotACatalogError" as const, message: describeCatalogLookupError(result.error), target: result.error.target };
      return followError(result.error);
    },
    joinedCatalogs: (_parent, _args, context) => {
      requirePermission(context, "catalog.membership");
      return requireCatalogs(context).membership.joined();
    },
    catalogMemberships: (_parent, page, context) => {
      requirePermission(context, "catalog.membership");
      return listing(async () =>
        pageOfList("joined-catalogs", await requireCatalogs(context).membership.joined(), (joined) => joined.catalog.id, pageRequest(page)),
      );
    },
  },
  JoinedCatalog: {
    since: (joined) => joined.since.toISOString(),
  },
  CatalogEntry: {
    record: ({ entry }, _args, context) => context.catalogs?.entries?.record(entry) ?? null,
    originCityName: ({ entry }, _args, context) => context.catalogs?.entries?.cityName(entry.record.originActor) ?? null,
    ruleCheck: async ({ entry }, _args, context): Promise<RuleCheckView | null> => {
      const record = entry.record.kind === "use-case" ? context.catalogs?.entries?.record(entry) : null;
      return record ? ruleCheckOf(record as UseCase, context) : null;
    },
  },
  CatalogRuleCheck: {
    passed: ruleCheckPassed,
  },
};
