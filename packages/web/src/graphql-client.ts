import type { Principal } from "@leitplanken/core";

/** One GraphQL error as the API reports it. */
export interface GraphQLErrorEntry {
  message: string;
  extensions?: { code?: unknown; retryAfterSeconds?: unknown };
}

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLErrorEntry[];
}

/** What the pages pass on besides a token. */
export interface ExecutionOptions {
  /** The visitor's address, which the API rate-limits citizens' reports by. */
  clientAddress?: string;
  /**
   * A staff member signed in through the city's identity provider: the API acts as them
   * without a token. Only the in-process executor can pass it on (not `graphqlOverHttp`).
   */
  principal?: Principal;
}

/**
 * Runs an operation against the node's own GraphQL API, as the staff member whose bearer
 * `token` is given (anonymous without one). The server wires it to the API in process.
 */
export type GraphQLExecutor = (query: string, variables?: Record<string, unknown>, token?: string, options?: ExecutionOptions) => Promise<GraphQLResult>;

/** The API refused or failed the operation; `code` is its `extensions.code` (e.g. `UNAUTHENTICATED`). */
export class GraphQLRequestError extends Error {
  readonly code: string | undefined;
  /** Set with `RATE_LIMITED`: when the visitor may try again. */
  readonly retryAfterSeconds: number | undefined;
  constructor(errors: readonly GraphQLErrorEntry[]) {
    super(errors.map((error) => error.message).join("; "));
    this.name = "GraphQLRequestError";
    const code = errors[0]?.extensions?.code;
    this.code = typeof code === "string" ? code : undefined;
    const retry = errors[0]?.extensions?.retryAfterSeconds;
    this.retryAfterSeconds = typeof retry === "number" ? retry : undefined;
  }
}

/** What `read` returns, or null when the API answers one of `codes` (the node lacks the feature, or the person the role). */
export async function unlessRefused<T>(codes: readonly string[], read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.code && codes.includes(error.code)) return null;
    throw error;
  }
}

/** Runs an operation and returns its data, or throws GraphQLRequestError. `T` is the shape the query selects. */
export async function runQuery<T>(
  graphql: GraphQLExecutor,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
  options?: ExecutionOptions,
): Promise<T> {
  const result = await graphql(query, variables, token, options);
  if (result.errors?.length) throw new GraphQLRequestError(result.errors);
  if (!result.data) throw new GraphQLRequestError([{ message: "the API answered without data" }]);
  return result.data as T;
}

/**
 * An executor that POSTs to a GraphQL endpoint over HTTP (for a web front end that runs apart
 * from the API, and for tests). It cannot pass on `clientAddress`: the API sees this front end's
 * address, so citizens' reports share one rate limit unless the API trusts it as a proxy.
 */
export function graphqlOverHttp(endpoint: string): GraphQLExecutor {
  return async (query, variables, token, options) => {
    if (options?.principal && !token) {
      return { errors: [{ message: "A sign-in through the identity provider needs the in-process API.", extensions: { code: "UNAUTHENTICATED" } }] };
    }
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResult;
  };
}
