import { LRUCache } from "lru-cache";
import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from "@apollo/server";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  checkFilterText,
  checkSearchText,
  describeInputLimitError,
  filterLimits,
  type InputLimitError,
  invalidCharacters,
  maxTextCharacters,
  searchLimits,
  searchTerms,
} from "@leitplanken/core";
import {
  type ASTVisitor,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
  getVariableValues,
  visit,
} from "graphql";
import { type ComplexityEstimator, getComplexity } from "graphql-query-complexity";

export interface QueryLimits {
  /** Deepest field nesting a query may have (introspection is exempt). */
  maxDepth: number;
  /** Highest estimated cost (see `fieldCosts`): a page of `first` items costs `first` times its fields. */
  maxComplexity: number;
  /** Tokens a document may have; longer ones are refused while parsing, before any validation. */
  maxTokens: number;
  /** Largest `first`/`last` of a list; outside 1…maxPageSize the request is refused before it runs. */
  maxPageSize: number;
}

export const defaultQueryLimits: QueryLimits = { maxDepth: 12, maxComplexity: 20_000, maxTokens: 5_000, maxPageSize: 100 };

/** A client's mistake, refused before execution with HTTP 400 and a code. */
export function refusal(message: string, code = "BAD_USER_INPUT", extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });
}

function inputLimitRefusal(error: InputLimitError): GraphQLError {
  const message = describeInputLimitError(error);
  return refusal(message.en, "BAD_USER_INPUT", { localizedMessage: message, path: error.path });
}

/**
 * What the expensive fields cost beyond their selection, in points that track the work they do
 * (roughly rows read or checked). `items` multiplies the selection's cost: `first` for pages,
 * else how many items such a list typically holds. The README's cost table is this table.
 */
export const fieldCosts: Record<string, { base: number; items?: number; why: string }> = {
  "Query.useCasesFailingGuideline": { base: 1000, why: "checks up to 1,000 use cases against the guideline's rules" },
  "UseCasesFailingGuideline.failing": { base: 0, items: 20, why: "every failing use case of the answer (the plain list)" },
  "Query.cities": { base: 200, items: 100, why: "one row per city of the network view" },
  "Query.networkStatistics": { base: 2000, why: "aggregates over every use case and model of the network" },
  "Query.compareCityGuidelines": { base: 50, why: "per city: finds its current guideline, then compares as `compareGuidelines`" },
  "Query.compareGuidelines": { base: 50, why: "per version compared (`versionIds`): loads and matches every principle" },
  "Query.checkUseCase": { base: 200, why: "loads a use case and a guideline version and runs the rule catalog" },
  "Query.lineage": { base: 500, why: "the fork tree of a guideline document across the network" },
  "Lineage.nodes": { base: 0, items: 20, why: "every node of the tree (the plain list)" },
  "Query.sharedModels": { base: 200, why: "reads every candidate page of models before it filters" },
  "Query.following": { base: 10, items: 50, why: "every followed city" },
  "Query.followers": { base: 10, items: 50, why: "every follower" },
  "Query.catalogs": { base: 10, items: 5, why: "every hosted catalog (a node hosts a few)" },
  "Catalog.members": { base: 10, items: 20, why: "every member in the state asked for" },
  "Query.knownCities": { base: 10, items: 20, why: "pages the cities in SQL, then counts the records of the page's cities" },
  "Query.sharedModelRanking": { base: 200, items: 20, why: "reads every candidate page of models before it ranks and pages" },
  "Query.followedCities": { base: 10, items: 20, why: "reads every followed city, then pages" },
  "Query.cityFollowers": { base: 10, items: 20, why: "reads every follower, then pages" },
  "Query.hostedCatalogs": { base: 10, items: 20, why: "reads every hosted catalog, then pages" },
  "Catalog.memberships": { base: 10, items: 20, why: "reads every member in the state asked for, then pages" },
  "Query.accessTokens": { base: 10, items: 20, why: "reads every token, then pages" },
  "Query.domainBlocks": { base: 10, items: 20, why: "reads every blocked domain, then pages" },
  "Query.catalogMemberships": { base: 10, items: 20, why: "reads every joined catalog, then pages" },
  "Query.catalogViewEntries": { base: 50, items: 20, why: "asks the catalog's node for the whole view, then pages" },
  "GuidelineVersion.earlierVersions": { base: 0, items: 20, why: "pages the version's own `history`" },
  "Lineage.tree": { base: 0, items: 20, why: "pages the tree read with its `Lineage`" },
  "UseCasesFailingGuideline.failingUseCases": { base: 0, items: 20, why: "pages the check's answer (at most 1,000 use cases)" },
  "Coverage.uncoveredCities": { base: 2, items: 20, why: "pages the answer's cities, then reads the page's" },
  "NetworkTrust.listEntries": { base: 0, items: 20, why: "pages the trust list read with its `NetworkTrust`" },
  "ModerationLogEntry.concerns": { base: 2, why: "reads the catalog entry or report (and the reported entry) by id" },
  "GuidelineVersion.upstreamChanges": { base: 50, why: "word diff from the fork point to the newest upstream version" },
  "City.currentGuideline": { base: 20, why: "reads the current versions of the city's guideline documents" },
  "Provenance.city": { base: 5, why: "the city from the network view (one read per request for all records)" },
  "Query.node": { base: 5, why: "looks the IRI up among guideline versions and documents, use cases, models and cities" },
  "UseCase.ruleCheck": { base: 5, why: "runs the rule catalog on a received use case (the guideline is read once per request)" },
};

/** An error message cut to 500 characters (graphql-js quotes the refused value in it). */
function shortened(message: string): string {
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}

/** A text search on a list: its cost on top of the page (a full-text and similarity scan). */
export const searchCost = 100;

const searchPaths = (args: Record<string, unknown>): [string, unknown][] => {
  const filter = args["filter"] as Record<string, unknown> | undefined | null;
  return [
    ["search", args["search"]],
    ["filter.search", filter?.["search"]],
  ];
};

/**
 * Checks the arguments every list takes (page size, search, free-text and list filters) and
 * prices the field. Throws a 400 refusal for arguments out of bounds: the request never runs.
 */
function estimatorFor(limits: QueryLimits): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const key = `${type.name}.${field.name}`;
    for (const name of ["first", "last"] as const) {
      const value = args[name];
      if (value === undefined || value === null) continue;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > limits.maxPageSize) {
        throw refusal(`${name} must be a whole number from 1 to ${limits.maxPageSize} (got ${String(value)}).`, "BAD_USER_INPUT", { path: `${key}(${name})` });
      }
    }
    let cost = 0;
    for (const [path, value] of searchPaths(args)) {
      if (typeof value !== "string" || value.trim() === "") continue;
      const checked = checkSearchText(value, path);
      if (!checked.ok) throw inputLimitRefusal(checked.error);
      cost += searchCost;
    }
    const filter = args["filter"] as Record<string, unknown> | undefined | null;
    for (const name of ["department", "licence"]) {
      const value = filter?.[name];
      if (typeof value === "string") {
        const error = checkFilterText(value, `filter.${name}`);
        if (error) throw inputLimitRefusal(error);
      }
    }
    for (const [path, list] of [
      ["originCities", args["originCities"]],
      ["filter.originCities", filter?.["originCities"]],
      ["cities", args["cities"]],
      ["versionIds", args["versionIds"]],
      ["ids", args["ids"]],
    ] as const) {
      if (!Array.isArray(list)) continue;
      if (list.length > filterLimits.maxListItems) {
        throw inputLimitRefusal({ type: "too-many-items", path, max: filterLimits.maxListItems, items: list.length });
      }
      const long = list.findIndex((item) => typeof item === "string" && item.length > filterLimits.maxIriCharacters);
      if (long >= 0) throw inputLimitRefusal({ type: "too-long", path: `${path}[${long}]`, max: filterLimits.maxIriCharacters, length: list[long].length });
    }
    const page = typeof args["first"] === "number" ? args["first"] : typeof args["last"] === "number" ? args["last"] : undefined;
    const known = fieldCosts[key];
    if (key === "Query.nodes") {
      const ids = Array.isArray(args["ids"]) ? args["ids"].length : 1;
      return cost + ids * (5 + childComplexity);
    }
    if (key === "Query.compareCityGuidelines") {
      const cities = Array.isArray(args["cities"]) ? args["cities"].length : 2;
      return cost + (known!.base + fieldCosts["City.currentGuideline"]!.base) * cities + childComplexity;
    }
    if (key === "Query.compareGuidelines") {
      const versions = Array.isArray(args["versionIds"]) ? args["versionIds"].length : 2;
      return cost + known!.base * versions + childComplexity;
    }
    if (known) return cost + known.base + (page ?? known.items ?? 1) * childComplexity;
    if (page !== undefined) return cost + 1 + page * childComplexity;
    return cost + 1 + childComplexity;
  };
}

export function depthLimitRule(limits: QueryLimits): ValidationRule {
  // Reported as a validation error (HTTP 400) instead of thrown, which Apollo would answer with 500.
  const rule = maxDepthRule({
    n: limits.maxDepth,
    ignoreIntrospection: true,
    flattenFragments: true,
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(error)],
  });
  // Fragments spread into fragments are followed recursively: a long chain must end in a 400, not a stack overflow.
  return (context: ValidationContext): ASTVisitor => {
    const visitor = rule(context);
    return new Proxy(visitor, {
      get(target, property) {
        const handler: unknown = Reflect.get(target, property, target);
        if (typeof handler !== "function") return handler;
        return (...args: unknown[]) => {
          try {
            return (handler as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            if (!(error instanceof RangeError)) throw error;
            context.reportError(new GraphQLError("The query nests fragments too deeply.", { extensions: { code: "QUERY_TOO_COMPLEX" } }));
            return false;
          }
        };
      },
    });
  };
}

/** Every string the operation carries, as a literal or in a variable, with a path for the message. */
function* strings(document: DocumentNode, variables: Record<string, unknown>): Generator<[string, string]> {
  const stack: [string, unknown][] = Object.entries(variables).map(([name, value]) => [`$${name}`, value]);
  while (stack.length > 0) {
    const [path, value] = stack.pop()!;
    if (typeof value === "string") yield [path, value];
    else if (Array.isArray(value)) value.forEach((item, index) => stack.push([`${path}[${index}]`, item]));
    else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) stack.push([`${path}.${key}`, item]);
  }
  yield* literalStrings(document);
}

/** The string literals of each parsed document (Apollo hands the same document object for the same query text). */
const literalsOf = new WeakMap<DocumentNode, readonly [string, string][]>();

function literalStrings(document: DocumentNode): readonly [string, string][] {
  let found = literalsOf.get(document);
  if (found === undefined) {
    const literals: [string, string][] = [];
    visit(document, {
      StringValue(node) {
        literals.push([`line ${node.loc?.startToken.line ?? "?"}`, node.value]);
      },
    });
    literalsOf.set(document, (found = literals));
  }
  return found;
}

/**
 * Costs depend on numbers (`first`), list lengths and whether a text is given, never on a text's
 * content: the cache key keeps those and replaces every string by its length class, so every
 * page view with another id or search word shares one entry, and checks stay exact.
 */
export function costKey(source: string, operationName: string | null | undefined, variables: Record<string, unknown>): string {
  // The classes every check of `estimatorFor` tells apart: empty, words over the search limit, length over each limit.
  const shape = JSON.stringify(variables, (_key, value: unknown) =>
    typeof value === "string"
      ? `s${value.trim() === "" ? 0 : 1}${searchTerms(value).length > searchLimits.maxTerms ? 1 : 0}${[searchLimits.maxCharacters, filterLimits.maxTextCharacters, filterLimits.maxIriCharacters].map((max) => (value.length > max ? 1 : 0)).join("")}`
      : value,
  );
  return createHash("sha256")
    .update(source)
    .update("\u0000")
    .update(operationName ?? "")
    .update("\u0000")
    .update(shape)
    .digest("base64url");
}

export interface RequestCost {
  /** The estimated cost of the operation (introspection counts like any other query). */
  cost: number;
  /** The client's cost budget per window, what is left of it, and when it refills (with a rate limit). */
  limit?: number;
  remaining?: number;
  resetSeconds?: number;
}

/**
 * The checks that run once the operation is known and before anything executes: variables as
 * the schema says (a wrong type is the client's 400, not a 500), no NUL or unpaired surrogate in
 * any string, arguments within bounds, and the cost within `maxComplexity`. `onCost` receives the
 * cost (the rate limit charges it); it may throw a refusal of its own.
 */
export function requestLimitsPlugin(
  limits: QueryLimits,
  onCost?: (cost: number, context: GraphQLRequestContextDidResolveOperation<object>) => Promise<void> | void,
): ApolloServerPlugin {
  // Complexity (or the refusal) per distinct document, operation and cost-relevant variables.
  const cache = new LRUCache<string, number | GraphQLError>({ max: 500 });
  const complexityOf = (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>) => {
    try {
      return getComplexity({ schema, query: document, operationName, variables, estimators: [estimatorFor(limits)] });
    } catch (error) {
      if (error instanceof GraphQLError && typeof error.extensions["code"] === "string") return error;
      if (error instanceof RangeError) return refusal("The query nests fragments too deeply.", "QUERY_TOO_COMPLEX");
      if (error instanceof GraphQLError) return refusal(error.message);
      throw error;
    }
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const { request, document, schema, operation } = requestContext;
          const variables = request.variables ?? {};
          // Texts first: a coercion error quotes the value it refused, and must not echo a huge one.
          for (const [path, text] of strings(document, variables)) {
            const problem = invalidCharacters(text);
            if (problem) throw inputLimitRefusal({ type: "invalid-characters", path, problem });
            if (text.length > maxTextCharacters) throw inputLimitRefusal({ type: "too-long", path, max: maxTextCharacters, length: text.length });
          }
          const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables, { maxErrors: 5 });
          if (coerced.errors) throw refusal(coerced.errors.map((error) => shortened(error.message)).join(" "));
          // Apollo's hash of the query text stands for the text (no second hash of a 9 KB document per request).
          const key = costKey(requestContext.queryHash ?? request.query ?? requestContext.source ?? "", request.operationName, variables);
          let complexity = cache.get(key);
          if (complexity === undefined) {
            complexity = complexityOf(schema, document, request.operationName ?? undefined, variables);
            cache.set(key, complexity);
          }
          if (complexity instanceof GraphQLError) throw complexity;
          if (complexity > limits.maxComplexity) {
            throw refusal(
              `The query is too complex: estimated cost ${complexity}, allowed ${limits.maxComplexity}. Ask for fewer items or fields.`,
              "QUERY_TOO_COMPLEX",
              { cost: complexity, maxCost: limits.maxComplexity },
            );
          }
          (requestContext.contextValue as { cost?: RequestCost }).cost = { cost: complexity };
          await onCost?.(complexity, requestContext);
        },
      };
    },
  };
}
