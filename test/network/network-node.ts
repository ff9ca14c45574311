// A node of the network as the server composes it (server's `assembleNode`, through the federation
// test harness: Fedify on a real database and queue, loopback HTTP, its GraphQL API and pages), with
// two fixed staff tokens and documents a test plants at paths of its own.
import type { Principal } from "@leitplanken/core";
import { startNode, type TestNode } from "../federation/harness.ts";

export const editorToken = "network-test-editor";
export const vetterToken = "network-test-vetter";
const tokens: Record<string, Principal> = {
  [editorToken]: { name: "Erika Redaktion", role: "editor" },
  [vetterToken]: { name: "Max Prüfer", role: "vetter" },
};

export interface GraphQLResponse {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface NetworkNode {
  node: TestNode;
  /** POSTs an operation to the node's `/graphql` over HTTP. */
  graphql(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse>;
  /** Documents the node serves as JSON at a path besides its own routes (a third node's forged claims). */
  extraDocuments: Map<string, object>;
  /** Errors the API reported as unexpected; a test expects none. */
  unexpectedErrors: unknown[];
}

export async function startNetworkNode(handle: string): Promise<NetworkNode> {
  const extraDocuments = new Map<string, object>();
  const unexpectedErrors: unknown[] = [];
  const node = await startNode({
    handle,
    intercept: (req, res) => {
      const document = req.method === "GET" ? extraDocuments.get(req.path) : undefined;
      if (document) res.type("application/activity+json").send(JSON.stringify(document));
      return document !== undefined;
    },
    overrides: { authenticate: async (token) => tokens[token] ?? null, rateLimit: false, onUnexpectedError: (error) => unexpectedErrors.push(error) },
  });
  return {
    node,
    extraDocuments,
    unexpectedErrors,
    async graphql(query, variables, token) {
      const response = await fetch(`${node.origin}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
  };
}
