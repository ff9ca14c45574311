// A node's web pages composed as the server composes them: a federating node (the federation
// test harness: Fedify on a real database and queue, loopback HTTP), the real GraphQL API with
// following and record events, and the web router in front of the API on the same origin.
import express from "express";
import {
  catalogFederationStateOnKv,
  createActorDirectory,
  createCatalogEntryReader,
  createCatalogMembershipService,
  createCatalogService,
  publishedRecordDocument,
} from "@leitplanken/activitypub";
import {
  defaultNodeSettings,
  demoRecords,
  effectiveNodeSettings,
  recordIri,
  type CatalogModerationStore,
  type NodeSettings,
  type Principal,
} from "@leitplanken/core";
import {
  createAccessTokenStore,
  createActorProfileRepository,
  createAdoptionRepository,
  createCatalogRepository,
  createNetworkRepository,
  createNodeSettingsRepository,
} from "@leitplanken/db";
import { createGraphQLApi } from "@leitplanken/graphql";
import { createErrorPages, createWebRouter, type OidcOptions } from "@leitplanken/web";
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

/**
 * Runs an express app as a step of the harness's request handling: true when the app answered,
 * false when it passed the request on (to the federation middleware behind it).
 */
function frontOf(app: express.Express) {
  return (req: express.Request, res: express.Response) =>
    new Promise<boolean>((resolve, reject) => {
      res.once("finish", () => resolve(true));
      app(req, res, (error?: unknown) => (error ? reject(error as Error) : resolve(false)));
    });
}

export async function startWebNode(options: WebNodeOptions = {}): Promise<WebNode> {
  const handle = options.handle ?? "dortmund";
  // The pages and the API, mounted below once the node (and so its origin) exists.
  const app = express();
  // The settings an admin saved over the configuration's, as the server gives them to the uses (a fork's issuer).
  let settingsInForce = async (): Promise<NodeSettings | null> => null;
  const node = await startNode({ handle, intercept: frontOf(app), settings: () => settingsInForce() });
  const settingsStore = createNodeSettingsRepository(node.db);
  const settingsDefaults = defaultNodeSettings({
    cityName: options.name ?? "Stadt Dortmund",
    municipalityId: "05913000",
    website: "https://www.dortmund.example/",
  });
  settingsInForce = async () => effectiveNodeSettings(settingsDefaults, await settingsStore.load()).settings;
  const { records, origin: url } = node;
  // The city's actor carries the name its pages show (the server keeps them in step through the node settings).
  node.deps.city.name = options.name ?? "Stadt Dortmund";
  const actorProfiles = createActorProfileRepository(node.db);

  if (options.seedDemo ?? true) {
    const now = new Date("2026-11-20T09:00:00Z");
    const own = demoRecords({ actor: node.actorUrl, iri: (kind, slug) => recordIri(url, kind, slug), now });
    await node.app.records.seedRecords(own);

    // A copy a peer city published, as federation stores it: received, with its proof verified.
    const peer = demoRecords({ actor: `${peerOrigin}/actors/muenster`, iri: (kind, slug) => recordIri(peerOrigin, kind, slug), now });
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
    await actorProfiles.saveActorProfile({
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

  // As the server mounts them: federation (the harness, behind us here), then the pages, then the API.
  const unexpectedErrors: unknown[] = [];
  // Catalogs as the server composes them (the federation handlers read them from the node's deps).
  const catalogStore = createCatalogRepository(node.db);
  // API tokens as the server keeps them; the fixed test tokens above sign in besides them.
  const accessTokens = createAccessTokenStore(node.db);
  node.deps.catalogs = { store: catalogStore, state: catalogFederationStateOnKv(node.deps.kv) };
  const api = await createGraphQLApi({
    records,
    app: node.app,
    identity: { actor: node.actorUrl, origin: url },
    federation: { following: node.following, store: node.deps.store },
    network: { adoptions: createAdoptionRepository(node.db), view: createNetworkRepository(node.db) },
    catalogs: {
      store: catalogStore,
      hub: createCatalogService(node.federation, node.deps, { addressSecret: "web-test-report-address-secret" }),
      membership: createCatalogMembershipService(node.federation, node.deps),
      entries: createCatalogEntryReader(node.federation, node.deps),
    },
    actors: createActorDirectory(node.federation, node.deps, { store: actorProfiles, fetchTimeoutMs: 1_000 }),
    settings: { store: settingsStore, defaults: settingsDefaults },
    authenticate: async (token) => tokens[token] ?? (await accessTokens.authenticate(token)),
    accessTokens,
    rateLimit: false,
  });
  app.use(
    createWebRouter({
      graphql: api.execute,
      origin: url,
      city: { handle, name: options.name ?? "Stadt Dortmund" },
      onUnexpectedError: (error) => unexpectedErrors.push(error),
      ownRecordDocument: (iri) => publishedRecordDocument(node.federation, node.deps, iri),
      ...(options.oidc ? { oidc: options.oidc } : {}),
      onSignInRefused: (reason, cause) => options.signInRefusals?.push(`${reason}: ${String((cause as { cause?: unknown } | undefined)?.cause ?? cause)}`),
    }),
  );
  app.use(api.router);
  // As the server ends its chain: errors as styled pages or JSON (unknown URLs go on to the federation behind this app).
  app.use(
    createErrorPages({ origin: url, city: { handle, name: options.name ?? "Stadt Dortmund" }, onUnexpectedError: (error) => unexpectedErrors.push(error) })
      .errorHandler,
  );
  return {
    url,
    node,
    catalogStore,
    unexpectedErrors,
    close: () => node.stop(),
  };
}
