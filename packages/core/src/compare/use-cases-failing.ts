import type { Guideline } from "../guideline.entity.ts";
import { blockingResults, checkUseCase } from "../rules/check-use-case.ts";
import type { CheckResult, UseCase } from "../use-case.entity.ts";

export interface FailingUseCase {
  useCase: UseCase;
  /** Failed error-severity results: these would block vetting against the guideline. */
  violations: CheckResult[];
  /** Failed warnings, for context. */
  warnings: CheckResult[];
}

/** "Which of our use cases would fail this guideline": those with at least one blocking rule result. */
export function useCasesFailing(guideline: Pick<Guideline, "principles">, useCases: readonly UseCase[]): FailingUseCase[] {
  return useCases.flatMap((useCase) => {
    const results = checkUseCase(useCase, guideline);
    const violations = blockingResults(results);
    if (violations.length === 0) return [];
    return [{ useCase, violations, warnings: results.filter((entry) => !entry.passed && entry.severity === "warning") }];
  });
}
