import { checkUseCase, describeCatalogLookupError, ruleCatalog, type Guideline, type UseCase } from "@leitplanken/core";
import { requireCatalogs, type GraphQLContext } from "../context.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import type { CatalogRuleCheckView } from "../mappers.ts";
import { followError } from "../payload-errors.ts";
import { requirePermission } from "../permissions.ts";

/** The node's current published guideline (its own, of kind guideline), the one its moderators check against. */
async function currentGuideline(context: GraphQLContext): Promise<Guideline | null> {
  const page = await context.records.guidelines.list({ source: "local", state: "published", kind: "guideline", currentOnly: true }, { first: 1 });
  return page.items[0] ?? null;
}

/** Every rule of the rule catalog as a MUST principle: each rule at its own severity (warnings stay warnings). */
const wholeRuleCatalog: Pick<Guideline, "principles"> = {
  principles: [...ruleCatalog.values()].map((rule) => ({
    key: rule.id,
    statement: rule.description,
    level: "MUST" as const,
    category: "accountability" as const,
    ruleIds: [rule.id],
  })),
};

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
  },
  JoinedCatalog: {
    since: (joined) => joined.since.toISOString(),
  },
  CatalogEntry: {
    record: ({ entry }, _args, context) => context.catalogs?.entries?.record(entry) ?? null,
    originCityName: ({ entry }, _args, context) => context.catalogs?.entries?.cityName(entry.record.originActor) ?? null,
    ruleCheck: async ({ entry }, _args, context): Promise<CatalogRuleCheckView | null> => {
      const record = entry.record.kind === "use-case" ? context.catalogs?.entries?.record(entry) : null;
      if (!record) return null;
      const guideline = await currentGuideline(context);
      return { guidelineVersion: guideline, results: checkUseCase(record as UseCase, guideline ?? wholeRuleCatalog) };
    },
  },
  CatalogRuleCheck: {
    passed: (check) => check.results.every((result) => result.passed || result.severity !== "error"),
  },
};
