export * from "./database.ts";
export * from "./access-token.repository.ts";
export * from "./federation.repository.ts";
export * from "./guideline.repository.ts";
export * from "./use-case.repository.ts";
export * from "./model.repository.ts";
export { InvalidCursorError } from "./record-query.ts";
