// A node of the network as the server composes it: a federating node of the federation test
// harness (Fedify on a real database and queue, loopback HTTP, adoption records kept) with the
// real GraphQL API in front, its record events going to the node's publisher.
import express from "express";
import type { Principal } from "@leitplanken/core";
import { createNetworkRepository } from "@leitplanken/db";
import { createGraphQLApi } from "@leitplanken/graphql";
import { servedFirstBy, startNode, type TestNode } from "../federation/harness.ts";

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
  const app = express();
  const node = await startNode({ handle, intercept: servedFirstBy(app) });
  const extraDocuments = new Map<string, object>();
  app.get(/.*/, (req, res, next) => {
    const document = extraDocuments.get(req.path);
    if (document) res.type("application/activity+json").send(JSON.stringify(document));
    else next();
  });
  const unexpectedErrors: unknown[] = [];
  const api = await createGraphQLApi({
    records: node.records,
    app: node.app,
    identity: { actor: node.actorUrl, origin: node.origin },
    federation: { following: node.following, store: node.deps.store },
    network: { adoptions: node.adoptions, view: createNetworkRepository(node.db) },
    authenticate: async (token) => tokens[token] ?? null,
    rateLimit: false,
    onUnexpectedError: (error) => unexpectedErrors.push(error),
  });
  app.use(api.router);
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
