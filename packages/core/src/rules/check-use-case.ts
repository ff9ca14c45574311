import type { Guideline } from "../guideline.entity.ts";
import type { CheckResult, UseCase } from "../use-case.entity.ts";
import { alwaysAppliedRules, type Rule, ruleCatalog, type Severity } from "./rule-catalog.ts";

function effectiveSeverity(rule: Rule, level: "MUST" | "SHOULD"): Severity {
  // A SHOULD principle softens a rule to a warning, unless the rule may not be weakened.
  if (!rule.overridable || level === "MUST") return rule.severity;
  return "warning";
}

function result(rule: Rule, principle: CheckResult["principle"], severity: Severity, useCase: UseCase): CheckResult {
  const offendingFields = rule.check(useCase);
  return { rule: { id: rule.id, version: rule.version }, principle, severity, passed: offendingFields.length === 0, offendingFields };
}

/**
 * Checks a use case against a guideline version: one result per (principle, rule it names),
 * plus the rules that always apply. Principles without rule ids produce no automatic result.
 */
export function checkUseCase(useCase: UseCase, guideline: Pick<Guideline, "principles">): CheckResult[] {
  const results: CheckResult[] = [];
  const applied = new Set<string>();
  for (const principle of guideline.principles) {
    for (const ruleId of principle.ruleIds ?? []) {
      const rule = ruleCatalog.get(ruleId);
      if (rule === undefined) continue;
      applied.add(rule.id);
      results.push(result(rule, { key: principle.key, statement: principle.statement }, effectiveSeverity(rule, principle.level), useCase));
    }
  }
  for (const rule of alwaysAppliedRules) {
    if (!applied.has(rule.id)) results.push(result(rule, { key: null, statement: rule.description }, rule.severity, useCase));
  }
  return results;
}

/** Rule ids a guideline names that this node's catalog does not know (e.g. from a newer peer). */
export function unknownRuleIds(guideline: Pick<Guideline, "principles">): string[] {
  return [...new Set(guideline.principles.flatMap((principle) => principle.ruleIds ?? []))].filter((id) => !ruleCatalog.has(id));
}

export const blockingResults = (results: readonly CheckResult[]): CheckResult[] => results.filter((entry) => !entry.passed && entry.severity === "error");
