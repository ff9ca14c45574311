import { alwaysAppliedRules, ruleCatalog } from "@leitplanken/core";
import type { Resolvers } from "../generated/resolvers.ts";

/** The shared rule catalog: what guideline editors choose from and what checks report. */
export const ruleResolvers: Resolvers = {
  Query: {
    rules: () => [...ruleCatalog.values()],
    rule: (_parent, { id }) => ruleCatalog.get(id) ?? null,
  },
  Rule: {
    alwaysApplied: (rule) => alwaysAppliedRules.some((entry) => entry.id === rule.id),
  },
  RuleResult: {
    rule: (result) => ruleCatalog.get(result.rule.id) ?? null,
  },
};
