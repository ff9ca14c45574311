export { createApplication, type Application, type ApplicationDeps, type NodeIdentity } from "./application.ts";
export type { GuidelineUseError, GuidelineUseResult, GuidelineUses } from "./guideline.uses.ts";
export type { InvalidInput, NotFound, UseResult } from "./results.ts";
