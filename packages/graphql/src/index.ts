export { createGraphQLApi, createGraphQLRouter, type GraphQLApi, type GraphQLExecutor, type GraphQLRouterDeps } from "./router.ts";
export type { CatalogAccess, FederationAccess, NodeIdentity, RecordRepositories, SettingsAccess } from "./context.ts";
export { defaultQueryLimits, type QueryLimits } from "./limits.ts";
export { buildSchema, loadTypeDefs } from "./schema.ts";
export { bindVisitorAddress, createRateLimiter, defaultRateLimit, rateLimited, type RateLimiter, type RateLimitOptions } from "./rate-limit.ts";
export type { OperationReport } from "./operation-report.ts";
