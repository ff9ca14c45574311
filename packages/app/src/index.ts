export { createApplication, type Application, type ApplicationDeps, type NodeIdentity } from "./application.ts";
export type { GuidelineStepError, GuidelineStepResult, GuidelineUseError, GuidelineUseResult, GuidelineUses } from "./guideline.uses.ts";
export type { ImportedRecords, ImportUses } from "./import.uses.ts";
export type { ModelRef, ModelStepError, ModelStepResult, ModelUseError, ModelUseResult, ModelUses } from "./model.uses.ts";
export type { AdoptUseResult, ForkUseResult, ReuseUses } from "./reuse.uses.ts";
export type { UseCaseRef, UseCaseStepError, UseCaseStepResult, UseCaseUseError, UseCaseUseResult, UseCaseUses } from "./use-case.uses.ts";
export type { Conflict, InvalidInput, NotFound, UseResult } from "./results.ts";
