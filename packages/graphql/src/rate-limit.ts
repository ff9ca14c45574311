import { AsyncLocalStorage } from "node:async_hooks";
import { HeaderMap } from "@apollo/server";
import { chargeRate, MemoryRateLimitStore, type Principal, type RateDecision, type RateLimitRule, type RateLimitStore } from "@leitplanken/core";
import type { RequestHandler } from "express";
import { GraphQLError } from "graphql";

/**
 * Two budgets per client and window, as GitHub and Shopify meter their APIs: requests (every
 * HTTP request to the API and every page view) and query cost points (what the operations are
 * estimated to cost, so a cheap request and an expensive one are not counted alike).
 */
export interface RateLimitOptions {
  windowMs: number;
  /** Requests per client and window. */
  limit: number;
  /** Query cost points per client and window (see limits.ts). */
  costLimit: number;
  /** Where the counters live: this process (default) or the database, shared by all processes. */
  store?: RateLimitStore;
}

export const defaultRateLimit: Omit<RateLimitOptions, "store"> = { windowMs: 60_000, limit: 600, costLimit: 60_000 };

/** Whose budget a request uses: a signed-in person's, else the client address's (as resolved with the trusted proxies). */
export function clientKey(principal: Principal | null, address: string | null): string {
  if (principal) return `principal:${principal.name}`;
  return `address:${address ?? "unknown"}`;
}

export function rateLimited(retryAfterSeconds: number, what: "requests" | "cost"): GraphQLError {
  const message =
    what === "cost"
      ? `Too much query cost from this client in a short time. Try again in ${retryAfterSeconds} seconds (ask for fewer items or fields).`
      : `Too many requests from this client. Try again in ${retryAfterSeconds} seconds.`;
  return new GraphQLError(message, {
    extensions: { code: "RATE_LIMITED", retryAfterSeconds, http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) } },
  });
}

export interface RateLimiter {
  readonly options: Omit<RateLimitOptions, "store">;
  requests(key: string): Promise<RateDecision>;
  cost(key: string, points: number): Promise<RateDecision>;
  /** Counts every request of a router by the client's address (HTTP API, pages); refusals go to `refuse`. */
  middleware(refuse: (retryAfterSeconds: number, req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => void): RequestHandler;
}

export function createRateLimiter(options: RateLimitOptions, now: () => Date = () => new Date()): RateLimiter {
  const store = options.store ?? new MemoryRateLimitStore();
  const requestRule: RateLimitRule = { limit: options.limit, windowMs: options.windowMs };
  const costRule: RateLimitRule = { limit: options.costLimit, windowMs: options.windowMs };
  const limiter: RateLimiter = {
    options: { windowMs: options.windowMs, limit: options.limit, costLimit: options.costLimit },
    requests: (key) => chargeRate(store, requestRule, `requests:${key}`, 1, now()),
    cost: (key, points) => chargeRate(store, costRule, `cost:${key}`, points, now()),
    middleware: (refuse) => async (req, res, next) => {
      try {
        const decision = await limiter.requests(clientKey(null, req.ip ?? null));
        res.set("RateLimit-Policy", `${options.limit};w=${Math.round(options.windowMs / 1000)}`);
        if (!decision.allowed) {
          res.set("Retry-After", String(decision.retryAfterSeconds));
          return refuse(decision.retryAfterSeconds, req, res);
        }
        res.set("RateLimit", `limit=${options.limit}, remaining=${decision.remaining}, reset=${decision.resetSeconds}`);
        next();
      } catch (error) {
        next(error);
      }
    },
  };
  return limiter;
}

/**
 * The visitor's address while the node handles their request, so the pages' in-process API calls
 * are charged to the visitor (not to the node) without every page passing it on.
 */
const visitor = new AsyncLocalStorage<{ address: string | null }>();

/** Mount before the pages: everything the request runs (including in-process API calls) knows the visitor's address. */
export const bindVisitorAddress: RequestHandler = (req, _res, next) => visitor.run({ address: req.ip ?? null }, next);

export const currentVisitorAddress = (): string | null => visitor.getStore()?.address ?? null;
