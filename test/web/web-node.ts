// A node's web pages composed as the server composes them: real database with the demo city,
// a record received from a peer, the real GraphQL API, and the web router in front of it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { demoRecords, recordIri, type Principal } from "@leitplanken/core";
import { createGuidelineRepository, createSharedModelRepository, createUseCaseRepository, testDatabase, type TestDatabase } from "@leitplanken/db";
import { createGraphQLRouter } from "@leitplanken/graphql";
import { createWebRouter, graphqlOverHttp } from "@leitplanken/web";

export const staffToken = "web-test-admin-token";
const tokens: Record<string, Principal> = { [staffToken]: { name: "Ada Admin", role: "admin" } };

export const peerOrigin = "https://ki.muenster.example";
export const receivedUseCaseName = "Straßenschäden erkennen (Münster)";

export interface WebNode {
  url: string;
  db: TestDatabase;
  /** Errors the pages reported as unexpected (the API failing them); a test expects none. */
  unexpectedErrors: unknown[];
  close(): Promise<void>;
}

export async function startWebNode(): Promise<WebNode> {
  const db = await testDatabase();
  const app = express();
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actor = `${url}/actors/dortmund`;

  const records = { guidelines: createGuidelineRepository(db), useCases: createUseCaseRepository(db), sharedModels: createSharedModelRepository(db) };
  const now = new Date("2026-11-20T09:00:00Z");
  const own = demoRecords({ actor, iri: (kind, slug) => recordIri(url, kind, slug), now });
  for (const model of own.models) await records.sharedModels.save(model);
  for (const guideline of own.guidelines) await records.guidelines.save(guideline);
  for (const useCase of own.useCases) await records.useCases.save(useCase);

  // A copy a peer city published, as federation stores it: received, with its proof verified.
  const peer = demoRecords({ actor: `${peerOrigin}/actors/muenster`, iri: (kind, slug) => recordIri(peerOrigin, kind, slug), now });
  const peerUseCase = peer.useCases.find((useCase) => useCase.workflow.state === "published" && useCase.name.en?.includes("road"));
  if (!peerUseCase) throw new Error("the demo data has no published road-damage use case");
  await records.useCases.save({
    ...peerUseCase,
    name: { de: receivedUseCaseName, en: "Detecting road damage (Münster)" },
    provenance: { source: "received", originActor: `${peerOrigin}/actors/muenster`, originHost: "ki.muenster.example", receivedAt: "2026-11-21T10:30:00.000Z", proofVerified: true },
  });

  // As the server mounts them: (federation first,) then the pages, then the API.
  const unexpectedErrors: unknown[] = [];
  app.use(
    createWebRouter({
      graphql: graphqlOverHttp(`${url}/graphql`),
      origin: url,
      city: { handle: "dortmund", name: "Stadt Dortmund" },
      onUnexpectedError: (error) => unexpectedErrors.push(error),
    }),
  );
  app.use(
    await createGraphQLRouter({
      records,
      identity: { actor, origin: url },
      authenticate: async (token) => tokens[token] ?? null,
      rateLimit: false,
    }),
  );
  return {
    url,
    db,
    unexpectedErrors,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
