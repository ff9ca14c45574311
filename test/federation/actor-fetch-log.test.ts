// Fetching an actor leaves no warning in the node's log. Fedify warns on every fetch of an actor
// that lacks a collection the node has a dispatcher for; catalogs' Group actors once had no
// `following`, so each fetch of one logged "… does not have a following property".
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { catalogFederationStateOnKv, createCatalogService } from "@leitplanken/activitypub";
import { createCatalogRepository } from "@leitplanken/db";
import { createLogger, routeLibraryLogs } from "../../packages/server/src/logger.ts";
import { startNode, type TestNode } from "./harness.ts";

const jsonLd = { accept: "application/activity+json" };

describe("the log of an actor fetch", () => {
  let node: TestNode;
  const lines: Array<{ level: number; msg: string; category?: string }> = [];

  beforeAll(async () => {
    // Fedify's logs routed into the node's JSON log as the server does it, at the production level.
    await routeLibraryLogs(createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) }), "info");
    node = await startNode({ handle: "hub" });
    node.deps.catalogs = { store: createCatalogRepository(node.db), state: catalogFederationStateOnKv(node.deps.kv) };
    const created = await createCatalogService(node.federation, node.deps, { addressSecret: "a-node-secret-of-some-length" }).createCatalog(
      {
        handle: "ki-katalog",
        name: { de: "KI-Katalog", en: "AI catalog" },
        description: { de: "Geprüfte Anwendungsfälle", en: "Vetted use cases" },
        moderators: [{ type: "local", name: "mona" }],
        policy: { acceptedKinds: ["use-case"], openTo: "members", memberApprovalRequired: false },
      },
      { name: "ada", role: "admin" },
    );
    expect(created).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("has no warning for the city's actor nor a catalog's, and the catalog's following collection is there (empty)", async () => {
    const warnings = () => lines.filter((line) => line.category?.startsWith("fedify") && line.level >= 40).map((line) => line.msg);
    const catalogUrl = `${node.origin}/actors/ki-katalog`;
    const [city, catalog] = await Promise.all([node.actorUrl, catalogUrl].map(async (url) => (await fetch(url, { headers: jsonLd })).json()));
    expect(warnings()).toEqual([]);
    expect(city).toMatchObject({ type: "Organization", following: `${node.actorUrl}/following` });
    expect(catalog).toMatchObject({ type: "Group", following: `${catalogUrl}/following` });
    const following = await fetch(`${catalogUrl}/following`, { headers: jsonLd });
    expect(following.status).toBe(200);
    expect(await following.json()).toMatchObject({ type: "OrderedCollection", totalItems: 0 });
    expect(warnings()).toEqual([]);
  });
});
