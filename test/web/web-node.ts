// A node's web pages as the server composes them (server's `assembleNode`, through the federation
// test harness: Fedify on a real database and queue, loopback HTTP, the GraphQL API and the pages on
// the same origin), with fixed staff tokens, the demo city's records and a copy received from a peer.
import { recordIri, type CatalogModerationStore, type Principal } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createActorProfileRepository } from "@leitplanken/db";
import type { OidcOptions } from "@leitplanken/web";
import { startNode, type TestNode } from "../federation/harness.ts";

export const staffToken = "web-test-admin-token";
export const editorToken = "web-test-editor-token";
export const vetterToken = "web-test-vetter-token";
/** The admin's principal name: a catalog names its local moderators by it. */
export const staffName = "Ada Admin";
const tokens: Record<string, Principal> = {
  [staffToken]: { name: staffName, role: "admin" },
  [editorToken]: { name: "Erika Redaktion", role: "editor" },
  [vetterToken]: { name: "Viktor Prüfer", role: "vetter" },
};

export const peerOrigin = "https://ki.muenster.example";
export const receivedUseCaseName = "Straßenschäden erkennen (Münster)";
export const peerCityName = "Stadt Münster";
export const receivedGuidelineTitle = "KI-Leitlinie der Stadt Münster";
export const receivedGuidelineId = recordIri(peerOrigin, "guideline", "ki-leitlinie-1.0");

export interface WebNode {
  url: string;
  node: TestNode;
  /** The catalogs this node hosts, with their entries, reports and moderation log. */
  catalogStore: CatalogModerationStore;
  /** Errors the pages reported as unexpected (the API failing them); a test expects none. */
  unexpectedErrors: unknown[];
  close(): Promise<void>;
}

export interface WebNodeOptions {
  handle?: string;
  name?: string;
  /** Store the demo city's records and a copy received from a peer (default true). */
  seedDemo?: boolean;
  /** Staff sign in through this identity provider too. */
  oidc?: OidcOptions;
  /** Sign-ins through the identity provider refused for a reason worth a log line: "reason: what openid-client found". */
  signInRefusals?: string[];
}

export async function startWebNode(options: WebNodeOptions = {}): Promise<WebNode> {
  const handle = options.handle ?? "dortmund";
  const name = options.name ?? "Stadt Dortmund";
  const unexpectedErrors: unknown[] = [];
  const node = await startNode({
    handle,
    environment: { LEITPLANKEN_NAME: name, LEITPLANKEN_MUNICIPALITY_ID: "05913000", LEITPLANKEN_WEBSITE: "https://www.dortmund.example/" },
    overrides: {
      // The demo city's own records, dated as the pages' tests expect them.
      seedDemo: (options.seedDemo ?? true) && { now: demoDate },
      authenticate: async (token) => tokens[token] ?? null,
      rateLimit: false,
      actorFetchTimeoutMs: 1_000,
      onUnexpectedError: (error) => unexpectedErrors.push(error),
      ...(options.oidc ? { oidc: options.oidc } : {}),
      onSignInRefused: (reason, cause) => options.signInRefusals?.push(`${reason}: ${String((cause as { cause?: unknown } | undefined)?.cause ?? cause)}`),
    },
  });
  const { records, origin: url } = node;

  if (options.seedDemo ?? true) {
    // A copy a peer city published, as federation stores it: received, with its proof verified.
    const peer = demoRecords({ actor: `${peerOrigin}/actors/muenster`, iri: (kind, slug) => recordIri(peerOrigin, kind, slug), now: demoDate });
    const received = {
      source: "received",
      originActor: `${peerOrigin}/actors/muenster`,
      originHost: "ki.muenster.example",
      receivedAt: "2026-11-21T10:30:00.000Z",
      proofVerified: true,
    } as const;
    const [peerGuideline] = peer.guidelines;
    if (peerGuideline?.id !== receivedGuidelineId) throw new Error("the demo guideline is not where the tests expect it");
    await records.guidelines.save({ ...peerGuideline, title: { de: receivedGuidelineTitle, en: "AI guideline of the City of Münster" }, provenance: received });
    const peerUseCase = peer.useCases.find((useCase) => useCase.workflow.state === "published" && useCase.name.en?.includes("road"));
    if (!peerUseCase) throw new Error("the demo data has no published road-damage use case");
    // What the actor directory would have read from Münster's actor (the peer is not reachable from tests).
    await createActorProfileRepository(node.db).saveActorProfile({
      id: `${peerOrigin}/actors/muenster`,
      kind: "city",
      name: peerCityName,
      municipalityId: "05515000",
      website: "https://www.muenster.example/",
      fetchedAt: new Date().toISOString(),
    });
    await records.useCases.save({
      ...peerUseCase,
      name: { de: receivedUseCaseName, en: "Detecting road damage (Münster)" },
      provenance: received,
    });
  }

  return {
    url,
    node,
    catalogStore: node.node.catalogStore,
    unexpectedErrors,
    close: () => node.stop(),
  };
}

/** When the demo records (the node's own and the peer's) were made. */
const demoDate = new Date("2026-11-20T09:00:00Z");
