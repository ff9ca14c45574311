import { checkUseCase, ruleCatalog, type Guideline, type UseCase } from "@leitplanken/core";
import type { GraphQLContext } from "./context.ts";
import type { RuleCheckView } from "./mappers.ts";

/**
 * This node's check of a use case it did not vet itself (a catalog's submission, a received use
 * case): against its current published guideline (its own, of kind guideline), or, without one,
 * against every rule of the shared rule catalog at the rule's own severity (ADR 0081).
 */

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

/** The guideline read once per request: a list of fifty received use cases checks them all against one read. */
const currentGuidelines = new WeakMap<GraphQLContext, Promise<Guideline | null>>();

/** The node's current published guideline (its own, of kind guideline); null when it has none. */
export function currentGuideline(context: GraphQLContext): Promise<Guideline | null> {
  let read = currentGuidelines.get(context);
  if (read === undefined) {
    read = context.records.guidelines
      .list({ source: "local", state: "published", kind: "guideline", currentOnly: true }, { first: 1 })
      .then((page) => page.items[0] ?? null);
    currentGuidelines.set(context, read);
  }
  return read;
}

export async function ruleCheckOf(useCase: UseCase, context: GraphQLContext): Promise<RuleCheckView> {
  const guideline = await currentGuideline(context);
  return { guidelineVersion: guideline, results: checkUseCase(useCase, guideline ?? wholeRuleCatalog) };
}

/** No rule with severity error failed: warnings do not fail a check. */
export const ruleCheckPassed = (check: RuleCheckView): boolean => check.results.every((result) => result.passed || result.severity !== "error");
