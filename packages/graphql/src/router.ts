import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { unwrapResolverError } from "@apollo/server/errors";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Application } from "@leitplanken/app";
import { classifyHttpError, type AccessTokenStore, type ActorDirectory, type Principal } from "@leitplanken/core";
import type { CatalogAccess, FederationAccess, GraphQLContext, NetworkAccess, NodeIdentity, RecordRepositories, SettingsAccess } from "./context.ts";
import { defaultQueryLimits, depthLimitRule, type QueryLimits, requestLimitsPlugin } from "./limits.ts";
import { clientKey, createRateLimiter, currentVisitorAddress, defaultRateLimit, rateLimited, type RateLimiter, type RateLimitOptions } from "./rate-limit.ts";
import { createLoaders } from "./loaders.ts";
import { operationReportPlugin, type OperationReport } from "./operation-report.ts";
import { buildSchema } from "./schema.ts";
import { seesUnpublished } from "./visibility.ts";

export interface GraphQLRouterDeps {
  /** Reads (the core's repository ports, from @leitplanken/db). */
  records: RecordRepositories;
  /** Writes: the application layer (`createApplication` of @leitplanken/app) on the same database. */
  app: Application;
  identity: NodeIdentity;
  /**
   * Resolves a bearer token to its principal, or null when the token is unknown or revoked. A
   * principal with a `tokenId` (core's TokenPrincipal) is told apart as the caller's own token.
   */
  authenticate: (bearerToken: string) => Promise<(Principal & { tokenId?: string }) | null>;
  /** API tokens for `apiTokens`, `createApiToken`, `revokeApiToken`; without it those answer ACCESS_TOKENS_UNAVAILABLE. */
  accessTokens?: AccessTokenStore;
  now?: () => Date;
  /** Following other cities, delivery state and domain blocks; without it those fields answer FEDERATION_UNAVAILABLE. */
  federation?: FederationAccess;
  /** Adoptions, cities, network statistics and lineage; without it those fields answer NETWORK_UNAVAILABLE and `adoptedBy` is the stored list. */
  network?: NetworkAccess;
  /** Catalogs, reports, moderation log and network trust; without it those fields answer CATALOGS_UNAVAILABLE. */
  catalogs?: CatalogAccess;
  /** The node's name, issuing body, contact and legal texts; without it those fields answer SETTINGS_UNAVAILABLE. */
  settings?: SettingsAccess;
  /** Names of other cities and catalogs (activitypub's `createActorDirectory`); without it names stay null. */
  actors?: ActorDirectory;
  /** Requests per client IP and window; `false` turns the limit off (e.g. behind a proxy that limits). */
  rateLimit?: Partial<RateLimitOptions> | false;
  limits?: Partial<QueryLimits>;
  /** Called with every unexpected error (its message is hidden from the client). */
  onUnexpectedError?: (error: unknown) => void;
  /** Called after every operation (name, type, duration, error codes, who): metrics and the log of writes. */
  onOperation?: (operation: OperationReport) => void;
}

/**
 * What every response says about itself: the operation's cost in `extensions.cost` and the
 * `X-Query-Cost` header; a response that carries data is 200 even when some fields failed
 * (GraphQL over HTTP: the errors are in the body), so a refused field never turns a reader's
 * page into a 401 or 403; `Cache-Control: no-store`, as Apollo's cache-control plugin answered
 * for a schema without cache hints (the plugin is off: it wrapped every field's resolver).
 */
const responseShapePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        response.http.headers.set("cache-control", "no-store");
        const cost = contextValue.cost;
        if (response.body.kind !== "single") return;
        const result = response.body.singleResult;
        if (cost) {
          const budget = cost.limit === undefined ? {} : { costLimit: cost.limit, costRemaining: cost.remaining, resetSeconds: cost.resetSeconds };
          result.extensions = { ...result.extensions, cost: { requestedQueryCost: cost.cost, ...budget } };
          response.http.headers.set("x-query-cost", String(cost.cost));
          if (cost.remaining !== undefined) response.http.headers.set("x-query-cost-remaining", String(cost.remaining));
        }
        const data = result.data as Record<string, unknown> | null | undefined;
        if (data && Object.values(data).some((value) => value !== null) && response.http.status !== undefined && response.http.status >= 400) {
          response.http.status = 200;
        }
      },
    };
  },
};

/**
 * CORS for `/graphql` (ADR 0090): any origin may read the public register with GET or POST,
 * without credentials (`Access-Control-Allow-Origin: *`, never `Allow-Credentials`, so a browser
 * sends no cookies and the API reads none). A bearer token is an explicit header a page's script
 * sets itself, so it is allowed; the rate-limit and cost headers are readable.
 */
export const graphqlCors: express.RequestHandler = (req, res, next) => {
  res.set({
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "RateLimit, RateLimit-Policy, Retry-After, X-Query-Cost, X-Query-Cost-Remaining",
  });
  if (req.method !== "OPTIONS") return next();
  res
    .set({
      "Access-Control-Allow-Methods": "GET, POST",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept, Apollo-Require-Preflight, X-Apollo-Operation-Name",
      "Access-Control-Max-Age": "7200",
      Allow: "GET, POST, OPTIONS",
    })
    .status(204)
    .end();
};

/**
 * What holds instead of Apollo's CSRF prevention (ADR 0090): a POST body is JSON only (a form or
 * `text/plain` cannot carry an operation), GET runs queries only, the API reads no cookies, and a
 * mutation without a token from a page of another origin is refused: no foreign page can make a
 * visitor's browser write anything.
 */
function crossOriginWritesPlugin(ownOrigin: string): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ request }) {
      const origin = request.http?.headers.get("origin");
      if (origin === undefined || origin === ownOrigin) return;
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== "mutation" || contextValue.principal !== null) return;
          throw new GraphQLError(
            `A mutation without a token is refused from a page of another origin (${origin.slice(0, 200)}): reports go through this node's report form, or send a bearer token.`,
            { extensions: { code: "FORBIDDEN", http: { status: 403 } } },
          );
        },
      };
    },
  };
}

/** A POST whose body is not JSON: refused before Apollo (no form or plain-text POST reaches an operation). */
const jsonPostsOnly: express.RequestHandler = (req, res, next) => {
  if (req.method !== "POST" || req.is("application/json") || req.is("application/graphql-response+json")) return next();
  res.status(415).json({
    errors: [
      {
        message: "A POST to /graphql must have `Content-Type: application/json` (GraphQL over HTTP); for a query without a body, use GET.",
        extensions: { code: "UNSUPPORTED_MEDIA_TYPE" },
      },
    ],
  });
};
/** The largest request body the API reads (1 MB). */
const maxBodyBytes = 1024 * 1024;

/** Codes whose messages are written for clients; any other error is unexpected and masked. */
const clientErrorCodes = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "QUERY_TOO_COMPLEX",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "SERVICE_UNAVAILABLE",
  "FEDERATION_UNAVAILABLE",
  "NETWORK_UNAVAILABLE",
  "CATALOGS_UNAVAILABLE",
  "SETTINGS_UNAVAILABLE",
  "ACCESS_TOKENS_UNAVAILABLE",
]);

function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/** What an in-process caller (the web pages) passes on besides a token. */
export interface ExecutionOptions {
  /** The visitor's address: citizens' reports are rate-limited by it. */
  clientAddress?: string;
  /**
   * A person the pages signed in through the city's identity provider (OpenID Connect): the API
   * acts as them without a token. Only in process; the HTTP router never sets it. Ignored when a
   * token is given.
   */
  principal?: Principal;
}

/**
 * Runs an operation in process, as the holder of `token` (anonymous without one), or as a
 * `principal` signed in through the identity provider. A page that passes on a visitor's action
 * (a citizen's report) passes the visitor's `clientAddress`.
 */
export type GraphQLExecutor = (
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  options?: ExecutionOptions,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;

export interface GraphQLApi {
  /** Serves `/graphql` (POST and GET) over HTTP. */
  router: express.Router;
  /**
   * The same API for server-side callers such as the web pages: same schema, limits,
   * authentication and error masking, without an HTTP round trip or the per-address rate limit.
   */
  execute: GraphQLExecutor;
  /** CORS for `/graphql`, for a host that answers `/graphql` before `router` (e.g. the explorer page): mount it first. */
  cors: express.RequestHandler;
  /** The clients' request and cost budgets (null when rate limiting is off): the pages count against the same. */
  rateLimiter: RateLimiter | null;
}

/**
 * The node's GraphQL API. Reads are public; mutations need `Authorization: Bearer <token>`
 * with the role each names.
 */
export async function createGraphQLApi(deps: GraphQLRouterDeps): Promise<GraphQLApi> {
  const limits = { ...defaultQueryLimits, ...deps.limits };
  const now = deps.now ?? (() => new Date());
  const limiter = deps.rateLimit === false ? null : createRateLimiter({ ...defaultRateLimit, ...deps.rateLimit }, now);
  // The cost is charged to the client's budget once it is known and before anything runs.
  const chargeCost = async (cost: number, context: GraphQLContext) => {
    if (!limiter) return;
    const decision = await limiter.cost(clientKey(context.principal, context.clientAddress), Math.max(1, cost));
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds, "cost");
    context.cost = { cost, limit: limiter.options.costLimit, remaining: decision.remaining, resetSeconds: decision.resetSeconds };
  };
  const server = new ApolloServer<GraphQLContext>({
    schema: await buildSchema(),
    introspection: true,
    // GET queries need no preflight header, so that a page of any origin reads the register
    // (CORS); CSRF protection holds another way (crossOriginWritesPlugin, jsonPostsOnly, ADR 0090).
    csrfPrevention: false,
    includeStacktraceInErrorResponses: false,
    // The composition root owns the process; Apollo must not install its own signal handlers.
    stopOnTerminationSignals: false,
    validationRules: [depthLimitRule(limits)],
    // A document longer than this is refused while parsing (400), before validation walks it.
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints in the schema; the plugin's per-field hook made Apollo wrap every resolver (issue #16).
      ApolloServerPluginCacheControlDisabled(),
      requestLimitsPlugin(limits, (cost, requestContext) => chargeCost(cost, requestContext.contextValue as GraphQLContext)),
      responseShapePlugin,
      crossOriginWritesPlugin(deps.identity.origin),
      ...(deps.onOperation ? [operationReportPlugin(deps.onOperation)] : []),
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const code = formatted.extensions?.["code"];
      if (typeof code === "string" && clientErrorCodes.has(code)) return formatted;
      deps.onUnexpectedError?.(unwrapResolverError(error));
      return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" }, ...(formatted.path ? { path: formatted.path } : {}) };
    },
  });
  await server.start();

  /** The request context for a bearer token (undefined = anonymous, null = a malformed header) or a signed-in person. */
  const contextFor = async (token: string | null | undefined, clientAddress: string | null, signedIn?: Principal): Promise<GraphQLContext> => {
    let principal: Principal | null = null;
    let tokenId: string | null = null;
    let signedInWith: GraphQLContext["signedInWith"] = null;
    if (token === null) throw unauthenticated("The Authorization header must be `Bearer <token>`.");
    if (token !== undefined) {
      const authenticated = await deps.authenticate(token);
      if (authenticated === null) throw unauthenticated("The bearer token is unknown or revoked.");
      // Only the person: the token id stays out of the principal that records and logs name.
      principal = { name: authenticated.name, role: authenticated.role, ...(authenticated.shared === true ? { shared: true } : {}) };
      tokenId = authenticated.tokenId ?? null;
      signedInWith = "api-token";
    } else if (signedIn) {
      principal = { name: signedIn.name, role: signedIn.role };
      signedInWith = "identity-provider";
    }
    return {
      principal,
      signedInWith,
      tokenId,
      accessTokens: deps.accessTokens,
      seesUnpublished: seesUnpublished(principal),
      records: deps.records,
      app: deps.app,
      identity: deps.identity,
      federation: deps.federation,
      network: deps.network,
      catalogs: deps.catalogs,
      settings: deps.settings,
      actors: deps.actors,
      clientAddress,
      loaders: createLoaders(deps.records, {
        federation: deps.federation,
        network: deps.network,
        seesUnpublished: seesUnpublished(principal),
        actors: deps.actors,
        identity: deps.identity,
        settings: deps.settings,
      }),
      now,
    };
  };

  const router = express.Router();
  router.use("/graphql", graphqlCors);
  if (limiter) {
    router.use(
      "/graphql",
      limiter.middleware((retryAfterSeconds, _req, res) => {
        res.status(429).json({ errors: [rateLimited(retryAfterSeconds, "requests").toJSON()] });
      }),
    );
  }
  router.use(
    "/graphql",
    jsonPostsOnly,
    // A body that says it is too large is refused before it is read (Node reads and drops the rest, so the client gets the answer).
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (Number(req.headers["content-length"] ?? 0) <= maxBodyBytes) return next();
      res.status(413).json({ errors: [{ message: "The request body is too large.", extensions: { code: "PAYLOAD_TOO_LARGE", maxBytes: maxBodyBytes } }] });
    },
    express.json({ limit: maxBodyBytes }),
    expressMiddleware(server, { context: ({ req }) => contextFor(bearerToken(req.headers.authorization), req.ip ?? null) }),
    // A body that is not JSON, too large, compressed wrongly or in another charset: the client's 4xx, as a GraphQL error.
    (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (res.headersSent) return next(error);
      const meaning = classifyHttpError(error);
      if (meaning.status === 500) deps.onUnexpectedError?.(error);
      res.status(meaning.status).json({ errors: [{ message: meaning.message, extensions: { code: meaning.code } }] });
    },
  );

  const execute: GraphQLExecutor = async (query, variables, token, options) => {
    let contextValue: GraphQLContext;
    try {
      // A page's call is charged to the visitor whose request runs it (bindVisitorAddress).
      contextValue = await contextFor(token || undefined, options?.clientAddress ?? currentVisitorAddress(), options?.principal);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error.toJSON()] };
      throw error;
    }
    const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue });
    if (response.body.kind !== "single") throw new Error("incremental delivery is not used by this API");
    const { data, errors } = response.body.singleResult;
    return { ...(data !== undefined ? { data } : {}), ...(errors ? { errors } : {}) };
  };

  return { router, execute, cors: graphqlCors, rateLimiter: limiter };
}

/** The API's HTTP router alone (see createGraphQLApi). */
export async function createGraphQLRouter(deps: GraphQLRouterDeps): Promise<express.Router> {
  return (await createGraphQLApi(deps)).router;
}
