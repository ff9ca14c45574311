// The public pages of a coordinator's hub: its home presents the coordination office and its
// catalogs, each catalog has a page (approved entries with city, title and approval date, members)
// and an Atom feed, and the public moderation log links every entry and report action to the record
// it concerns. Two nodes over loopback HTTP: the hub (no records of its own) and Dortmund, whose
// use cases were submitted to the hub's catalog.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { submitToCatalog } from "@leitplanken/core";
import { translator } from "../../packages/web/src/i18n.ts";
import { getPage } from "./staff-session.ts";
import { startWebNode, staffName, staffToken, type WebNode } from "./web-node.ts";

let hub: WebNode;
let city: WebNode;
let catalogId: string;
const entryIds: string[] = [];
const useCasePaths = ["/use-cases/buergerservice-chatbot", "/use-cases/strassenschaeden-erkennung", "/use-cases/posteingang-zuordnung"];

async function graphql<T>(node: WebNode, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${node.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

beforeAll(async () => {
  [hub, city] = await Promise.all([startWebNode({ handle: "koordination", name: "KI-Koordinierungsstelle NRW", seedDemo: false }), startWebNode()]);
  const created = await graphql<{ createCatalog: { catalog: { id: string } } }>(
    hub,
    `
      mutation ($input: CatalogSettingsInput!) {
        createCatalog(input: $input) {
          ... on CatalogSuccess {
            catalog {
              id
            }
          }
        }
      }
    `,
    {
      input: {
        handle: "ki-katalog-nrw",
        name: { de: "KI-Katalog NRW", en: "AI catalogue NRW" },
        description: { de: "Geprüfte Einsatzfälle aus NRW", en: "Vetted use cases from NRW" },
        rules: { de: "Nur **veröffentlichte** Einsatzfälle.", en: "Published use cases only." },
        moderators: [{ name: staffName }],
        policy: { acceptedKinds: ["USE_CASE"], openTo: "ANYONE", memberApprovalRequired: false },
      },
    },
    staffToken,
  );
  catalogId = created.createCatalog.catalog.id;
  // Dortmund's submissions as the catalog's inbox stores them.
  const catalog = (await hub.catalogStore.getCatalog(catalogId))!;
  for (const [index, path] of useCasePaths.entries()) {
    // The signed document travels with the submission (a Create), as Dortmund serves it at the record's IRI.
    const served = await fetch(`${city.url}${path}`, { headers: { accept: "application/activity+json" } });
    const document = (await served.json()) as Record<string, unknown>;
    const submitted = submitToCatalog(
      catalog,
      {
        id: `${catalogId}/entries/${index + 1}`,
        record: { id: `${city.url}${path}`, kind: "use-case", originActor: city.node.actorUrl },
        submitter: city.node.actorUrl,
        submissionActivityId: null,
        document: document as never,
        now: new Date(),
      },
      { member: null, existing: null },
    );
    if (!submitted.ok) throw new Error(submitted.error.type);
    await hub.catalogStore.saveEntry(submitted.entry);
    entryIds.push(submitted.entry.id);
  }
  const moderate = (mutation: string, variables: Record<string, unknown>) =>
    graphql(
      hub,
      `mutation ($catalogId: ID!, $entryId: ID!${"reason" in variables ? ", $reason: String!" : ""}) { ${mutation} { __typename } }`,
      { catalogId, ...variables },
      staffToken,
    );
  await moderate("approveCatalogEntry(catalogId: $catalogId, entryId: $entryId)", { entryId: entryIds[0] });
  await moderate("approveCatalogEntry(catalogId: $catalogId, entryId: $entryId)", { entryId: entryIds[1] });
  await moderate("rejectCatalogEntry(catalogId: $catalogId, entryId: $entryId, reason: $reason)", { entryId: entryIds[2], reason: "Kein Bezug zu NRW." });
  // A citizen reports an approved entry; the moderator dismisses the report: the log names the record.
  await graphql(
    hub,
    `
      mutation ($target: String!) {
        reportRecord(target: $target, category: SPAM) {
          __typename
        }
      }
    `,
    { target: entryIds[1] },
  );
  const reports = await graphql<{ catalog: { reports: { nodes: { id: string }[] } } }>(
    hub,
    `
      query ($id: ID!) {
        catalog(id: $id) {
          reports {
            nodes {
              id
            }
          }
        }
      }
    `,
    { id: catalogId },
    staffToken,
  );
  const [report] = reports.catalog.reports.nodes;
  await graphql(
    hub,
    `
      mutation ($id: ID!) {
        closeReport(reportId: $id, outcome: DISMISSED, reason: "Kein Spam erkennbar.") {
          __typename
        }
      }
    `,
    { id: report!.id },
    staffToken,
  );
}, 120_000);
afterAll(async () => {
  await Promise.all([hub?.close(), city?.close()]);
});

const squash = (page: string) => page.replace(/\s+/g, " ").replace(/ >/g, ">");
const page = async (node: WebNode, path: string, status = 200) => {
  const response = await getPage(`${node.url}${path}`);
  expect({ path, status: response.status }).toEqual({ path, status });
  return squash(await response.text());
};
/** A catalog entry links the record where its city publishes it (the hub keeps the signed document, not a register copy). */
const receivedPage = (path: string) => `${city.url}${path}`;

describe("the hub's home page", () => {
  it("presents the coordination office and its catalogs instead of a city without a guideline", async () => {
    const german = await page(hub, "/?lang=de");
    expect(german).toContain("Koordinierungsstelle und Kataloge");
    expect(german).toContain("KI-Koordinierungsstelle NRW koordiniert Kataloge");
    expect(german).toContain('<a href="/catalogs/ki-katalog-nrw">KI-Katalog NRW</a>');
    expect(german).toContain("2 Einträge");
    expect(german).not.toContain("Diese Kommune hat noch keine Leitlinie veröffentlicht.");
    expect(german).not.toContain("Hier veröffentlicht die Stadt");
    const english = await page(hub, "/?lang=en");
    expect(english).toContain('<a href="/catalogs/ki-katalog-nrw">AI catalogue NRW</a>');
    expect(english).toContain("2 records");
  });

  it("a city without catalogs keeps its register and says it runs none", async () => {
    const home = await page(city, "/?lang=de");
    expect(home).not.toContain("Koordinierungsstelle und Kataloge");
    expect(home).toContain("Hier veröffentlicht die Stadt");
    expect(await page(city, "/catalogs?lang=en")).toContain("This register runs no catalogues.");
  });
});

describe("a catalog's public page", () => {
  it("lists the approved entries with city, title and approval date, never the rejected one", async () => {
    const html = await page(hub, "/catalogs/ki-katalog-nrw?lang=de");
    expect(html).toContain("<h1>KI-Katalog NRW</h1>");
    expect(html).toContain("Aufgenommene Einträge (2)");
    const table = html.slice(html.indexOf("<table"), html.indexOf("</table>"));
    expect(table).toContain(`href="${receivedPage(useCasePaths[0]!)}"`);
    expect(table).toContain(`href="${receivedPage(useCasePaths[1]!)}"`);
    expect(table).not.toContain(useCasePaths[2]!);
    expect(table).toContain("Stadt Dortmund");
    expect(table).toContain(translator("de").date(new Date().toISOString()));
    // The titles come from the documents the catalog keeps (read from Dortmund over HTTP).
    expect(table).toMatch(/Chatbot/);
    expect(html).toContain('href="/catalogs/ki-katalog-nrw/feed.atom"');
    expect(html).toContain('href="/moderation-log#log-ki-katalog-nrw"');
    expect(html).toContain("<strong>veröffentlichte</strong>");
    expect(html).not.toContain("Kein Bezug zu NRW.");
  });

  it("has an Atom feed of the approved entries, each pointing at the record's page", async () => {
    const response = await fetch(`${hub.url}/catalogs/ki-katalog-nrw/feed.atom?lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const feed = await response.text();
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed).toContain("<title>AI catalogue NRW – KI-Koordinierungsstelle NRW</title>");
    expect(feed).toContain('<title type="html"><![CDATA[Chatbot for citizen service questions');
    expect(feed.match(/<entry>/g)?.length).toBe(2);
    expect(feed).toContain(`<id>${city.url}${useCasePaths[0]}</id>`);
    expect(feed).toContain(`<link href="${receivedPage(useCasePaths[0]!)}"/>`);
    expect(feed).not.toContain(`${city.url}${useCasePaths[2]}`);
  });

  it("answers a styled 404 in the visitor's language for catalogs that are not there, and a 400 for a made-up page", async () => {
    for (const path of [
      "/catalogs/unbekannt",
      "/catalogs/%3Cscript%3E",
      `/catalogs/${"a".repeat(5_000)}`,
      "/catalogs/KI-KATALOG-NRW",
      "/catalogs/unbekannt/feed.atom",
    ]) {
      const german = await page(hub, `${path}?lang=de`, 404);
      expect(german).toContain('<html lang="de"');
      expect(german).toContain("Seite nicht gefunden");
      expect(german).not.toContain("<script>");
      expect(await page(hub, `${path}?lang=en`, 404)).toContain("Page not found");
    }
    const madeUp = await page(hub, "/catalogs/ki-katalog-nrw?lang=en&after=bm90LWEtY3Vyc29y", 400);
    expect(madeUp).toContain("This request is not valid");
    expect(hub.unexpectedErrors).toEqual([]);
  });
});

describe("the public moderation log", () => {
  it("links each entry action to the record concerned and the catalog to its page", async () => {
    const html = await page(hub, "/moderation-log?lang=de");
    expect(html).toContain('<a href="/catalogs/ki-katalog-nrw">KI-Katalog NRW</a>');
    for (const path of useCasePaths) expect(html).toContain(`<a href="${receivedPage(path)}">KI-Einsatzfall: Eintrag ansehen</a>`);
    expect(html).toContain("Kein Bezug zu NRW.");
    // The dismissed report's row links the reported entry's record too.
    const reportRow = html.slice(0, html.indexOf("Kein Spam erkennbar.")).split("<tr>").at(-1);
    expect(reportRow).toContain(`<a href="${receivedPage(useCasePaths[1]!)}">KI-Einsatzfall: Eintrag ansehen</a>`);
    // No bare entry addresses that answer 404.
    expect(html).not.toContain(`<code>${entryIds[0]}</code>`);
  });

  it("its links lead to the record's page", async () => {
    const record = await getPage(receivedPage(useCasePaths[0]!));
    expect(record.status).toBe(200);
    expect(await record.text()).toContain("Chatbot für Fragen zum Bürgerservice");
  });

  it("is linked from every catalog page and from record pages", async () => {
    expect(await page(hub, "/catalogs/ki-katalog-nrw")).toContain('href="/moderation-log');
    expect(await page(city, useCasePaths[0]!)).toContain('href="/moderation-log"');
  });
});
