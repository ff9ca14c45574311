import type { ApolloServerPlugin } from "@apollo/server";
import type { Principal } from "@leitplanken/core";
import type { GraphQLContext } from "./context.ts";

/** What the API reports about each operation it ran, for the node's metrics and its log of writes. */
export interface OperationReport {
  /** The operation's name as the client sent it (null for an anonymous operation). */
  name: string | null;
  /** query, mutation or subscription; null when the document did not parse or validate. */
  type: "query" | "mutation" | "subscription" | null;
  durationMs: number;
  /** The `extensions.code` of each error in the response (empty when there was none). */
  errorCodes: string[];
  /** Who ran it: the token's or the signed-in person's name and role; null for the public. */
  principal: Principal | null;
  signedInWith: GraphQLContext["signedInWith"];
}

/** Reports every operation, over HTTP and in process (the web pages), once its response is ready. */
export function operationReportPlugin(report: (operation: OperationReport) => void): ApolloServerPlugin<GraphQLContext> {
  return {
    // An unknown or malformed token fails before any operation runs (over HTTP): a refusal too.
    async contextCreationDidFail({ error }) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      report({
        name: null,
        type: null,
        durationMs: 0,
        errorCodes: [typeof code === "string" ? code : "INTERNAL_SERVER_ERROR"],
        principal: null,
        signedInWith: null,
      });
    },
    async requestDidStart() {
      const started = performance.now();
      let type: OperationReport["type"] = null;
      let name: string | null = null;
      return {
        // The name from the document once it is resolved (a client need not send `operationName`).
        async didResolveOperation({ operation, operationName }) {
          type = operation?.operation ?? null;
          name = operationName ?? null;
        },
        async willSendResponse({ request, response, contextValue, errors }) {
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const codes = (body?.errors ?? errors ?? []).map((error) => String(error.extensions?.["code"] ?? "INTERNAL_SERVER_ERROR"));
          try {
            report({
              name: name ?? request.operationName ?? null,
              type,
              durationMs: performance.now() - started,
              errorCodes: codes,
              principal: contextValue.principal,
              signedInWith: contextValue.signedInWith,
            });
          } catch {
            // Reporting must never turn an answer into an error.
          }
        },
      };
    },
  };
}
