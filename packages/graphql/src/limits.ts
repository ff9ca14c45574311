import type { ApolloServerPlugin } from "@apollo/server";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, type ValidationRule } from "graphql";
import { type ComplexityEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";

export interface QueryLimits {
  /** Deepest field nesting a query may have (introspection is exempt). */
  maxDepth: number;
  /** Highest estimated cost: each field costs 1, and a page of `first` items costs `first` times its fields. */
  maxComplexity: number;
}

export const defaultQueryLimits: QueryLimits = { maxDepth: 12, maxComplexity: 20_000 };

export function depthLimitRule(limits: QueryLimits): ValidationRule {
  // Reported as a validation error (HTTP 400) instead of thrown, which Apollo would answer with 500.
  return maxDepthRule({
    n: limits.maxDepth,
    ignoreIntrospection: true,
    flattenFragments: true,
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(error)],
  });
}

/** A connection field returns up to `first` nodes, each costing what its selection costs. */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args["first"] === "number" ? 1 + args["first"] * childComplexity : undefined;

/**
 * The cost limit needs the request's variables (`first: $n`), so it runs once the operation
 * is known rather than as a static validation rule.
 */
export function complexityLimitPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName,
            variables: request.variables ?? {},
            estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > limits.maxComplexity) {
            throw new GraphQLError(`The query is too complex: estimated cost ${complexity}, allowed ${limits.maxComplexity}. Ask for fewer items or fields.`, {
              extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
