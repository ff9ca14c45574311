export { createWebRouter, type WebRouterDeps } from "./router.ts";
export { graphqlOverHttp, GraphQLRequestError, type GraphQLExecutor, type GraphQLResult } from "./graphql-client.ts";
export { SessionStore, type SessionPersistence, type SessionStoreOptions } from "./session.ts";
export { createErrorPages, errorPage, type ErrorPageDetails, type ErrorStatus } from "./error-pages.ts";
export type { OidcOptions } from "./oidc.ts";
