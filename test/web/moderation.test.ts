// The moderation queue of the staff area over plain HTTP: a catalog hosted on the node with
// submitted entries and reports, approve / reject / remove with reasons, closing reports, the
// API's refusals (a non-moderator, a missing reason) and the public moderation log.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { submitToCatalog } from "@leitplanken/core";
import { cookiesOf, csrfOf, getPage, postForm, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, staffName, staffToken, type WebNode } from "./web-node.ts";

let node: WebNode;
let catalogId: string;
const entryIds: string[] = [];
const useCasePaths = ["/use-cases/buergerservice-chatbot", "/use-cases/strassenschaeden-erkennung"];

async function graphql<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
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
  node = await startWebNode();
  const created = await graphql<{ createCatalog: { catalog: { id: string } } }>(
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
        description: { de: "Geprüfte Einsatzfälle", en: "Vetted use cases" },
        moderators: [{ name: staffName }],
        policy: { acceptedKinds: ["USE_CASE"], openTo: "ANYONE", memberApprovalRequired: false },
      },
    },
    staffToken,
  );
  catalogId = created.createCatalog.catalog.id;
  // Submissions as the catalog's inbox stores them (this city submitting its own use cases).
  const catalog = (await node.catalogStore.getCatalog(catalogId))!;
  for (const [index, path] of useCasePaths.entries()) {
    const submitted = submitToCatalog(
      catalog,
      {
        id: `${catalogId}/entries/${index + 1}`,
        record: { id: `${node.url}${path}`, kind: "use-case", originActor: node.node.actorUrl },
        submitter: node.node.actorUrl,
        submissionActivityId: null,
        document: null,
        now: new Date(),
      },
      { member: null, existing: null },
    );
    if (!submitted.ok) throw new Error(submitted.error.type);
    await node.catalogStore.saveEntry(submitted.entry);
    entryIds.push(submitted.entry.id);
  }
  // A citizen's report from a record page goes to the node's queue; one about an entry to the catalog's.
  const recordPage = await getPage(`${node.url}${useCasePaths[0]}`);
  const report = await postForm(`${node.url}/report`, cookiesOf(recordPage), {
    _csrf: csrfOf(await recordPage.text()),
    target: `${node.url}${useCasePaths[0]}`,
    kind: "use-case",
    category: "FACTUAL_ERROR",
    text: "Die Kontaktadresse stimmt nicht.",
  });
  if (report.status !== 200) throw new Error(`report refused: ${report.status}`);
  await graphql(
    `
      mutation ($target: String!) {
        reportRecord(target: $target, category: SPAM) {
          __typename
        }
      }
    `,
    { target: entryIds[0] },
  );
});
afterAll(async () => {
  await node?.close();
});

const queueState = async (entryId: string) => (await node.catalogStore.getEntry(entryId))?.status;

describe("the moderation queue", () => {
  let cookie: string;
  let csrf: string;
  const page = async (path = "/staff/moderation") => {
    const response = await getPage(`${node.url}${path}`, { cookie });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    ({ cookie } = await signIn(node.url, staffToken));
    csrf = csrfOf(await page());
  });

  it("lists the catalog's submitted entries, its open reports and the reports about the node's own records", async () => {
    const html = await page();
    expect(html).toContain("KI-Katalog NRW");
    expect(html).toContain("Warteschlange: eingereichte Einträge");
    for (const path of useCasePaths) expect(html).toContain(`href="${node.url}${path}"`);
    expect(html).toContain("Meldungen zu den eigenen Einträgen dieses Knotens");
    expect(html).toContain("Die Kontaktadresse stimmt nicht.");
    expect(html).toContain("Sachlicher Fehler");
    expect(html).toContain("Bürgerin oder Bürger");
    expect(html).toContain("Spam");
    expect(html).not.toContain("<script");
    expect(await (await getPage(`${node.url}/staff`, { cookie })).text()).toContain('href="/staff/moderation"');
  });

  it("approves, rejects with a reason and removes with a reason; a missing reason is refused and changes nothing", async () => {
    const [first, second] = entryIds as [string, string];
    const approved = await postForm(`${node.url}/staff/moderation/approve`, cookie, { _csrf: csrf, catalogId, entryId: first });
    expect(approved.status).toBe(303);
    expect(approved.headers.get("location")).toBe("/staff/moderation?done=1");
    expect(await queueState(first)).toMatchObject({ state: "approved" });

    const noReason = await postForm(`${node.url}/staff/moderation/reject?lang=en`, cookie, { _csrf: csrf, catalogId, entryId: second, reason: " " });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('role="alert"');
    expect(await queueState(second)).toMatchObject({ state: "submitted" });

    const rejected = await postForm(`${node.url}/staff/moderation/reject`, cookie, { _csrf: csrf, catalogId, entryId: second, reason: "Kein Bezug zu NRW." });
    expect(rejected.status).toBe(303);
    expect(await queueState(second)).toMatchObject({ state: "rejected", reason: "Kein Bezug zu NRW." });

    const html = await page("/staff/moderation?done=1");
    expect(html).toContain("Aufgenommene Einträge");
    const removed = await postForm(`${node.url}/staff/moderation/remove`, cookie, { _csrf: csrf, catalogId, entryId: first, reason: "Eingestellt." });
    expect(removed.status).toBe(303);
    expect(await queueState(first)).toMatchObject({ state: "removed", reason: "Eingestellt." });
  });

  it("resolves and dismisses reports with a reason", async () => {
    const reports = await graphql<{ nodeReports: { nodes: { id: string }[] } }>("{ nodeReports { nodes { id } } }", {}, staffToken);
    const [report] = reports.nodeReports.nodes;
    const closed = await postForm(`${node.url}/staff/moderation/close-report`, cookie, {
      _csrf: csrf,
      reportId: report!.id,
      outcome: "RESOLVED",
      reason: "Adresse berichtigt.",
    });
    expect(closed.status).toBe(303);
    const after = await graphql<{ nodeReports: { nodes: { id: string; state: string; reason: string }[] } }>(
      "{ nodeReports(state: RESOLVED) { nodes { id state reason } } }",
      {},
      staffToken,
    );
    expect(after.nodeReports.nodes).toEqual([{ id: report!.id, state: "RESOLVED", reason: "Adresse berichtigt." }]);

    const catalogReports = `query ($id: ID!, $state: ReportState) { catalog(id: $id) { reports(state: $state) { nodes { id state reason } } } }`;
    type CatalogReports = { catalog: { reports: { nodes: { id: string; state: string; reason: string | null }[] } } };
    const [spam] = (await graphql<CatalogReports>(catalogReports, { id: catalogId, state: "OPEN" }, staffToken)).catalog.reports.nodes;
    const dismissed = await postForm(`${node.url}/staff/moderation/close-report`, cookie, {
      _csrf: csrf,
      reportId: spam!.id,
      outcome: "DISMISSED",
      reason: "Kein Fehler im Eintrag.",
    });
    expect(dismissed.status).toBe(303);
    expect((await graphql<CatalogReports>(catalogReports, { id: catalogId, state: "DISMISSED" }, staffToken)).catalog.reports.nodes).toEqual([
      { id: spam!.id, state: "DISMISSED", reason: "Kein Fehler im Eintrag." },
    ]);
    const html = await page();
    expect(html).not.toContain("Die Kontaktadresse stimmt nicht.");
    expect(html).toContain("Keine offenen Meldungen.");
  });

  it("refuses a staff member who does not moderate the catalog, in German and English, and logs the attempt confidentially", async () => {
    const editor = await signIn(node.url, editorToken);
    const editorPage = await (await getPage(`${node.url}/staff/moderation`, { cookie: editor.cookie })).text();
    expect(editorPage).toContain("Sie moderieren diesen Katalog nicht.");
    const editorCsrf = csrfOf(editorPage);
    const german = await postForm(`${node.url}/staff/moderation/approve`, editor.cookie, { _csrf: editorCsrf, catalogId, entryId: entryIds[1]! });
    expect(german.status).toBe(403);
    expect(await german.text()).toContain("Dazu sind Sie nicht berechtigt. Der Versuch wurde protokolliert.");
    const english = await postForm(`${node.url}/staff/moderation/approve?lang=en`, editor.cookie, { _csrf: editorCsrf, catalogId, entryId: entryIds[1]! });
    expect(english.status).toBe(403);
    expect(await english.text()).toContain("You are not allowed to do this. The attempt has been logged.");
    expect(await queueState(entryIds[1]!)).toMatchObject({ state: "rejected" });
    // Without a CSRF token nothing happens at all.
    expect((await postForm(`${node.url}/staff/moderation/approve`, cookie, { catalogId, entryId: entryIds[1]! })).status).toBe(403);
  });

  it("shows the moderation log to the public without confidential entries", async () => {
    const response = await getPage(`${node.url}/moderation-log`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Moderationsprotokoll");
    expect(html).toContain("Kein Bezug zu NRW.");
    expect(html).toContain("Eingestellt.");
    expect(html).toContain("Aufgenommen");
    expect(html).toContain(staffName);
    // The refused attempts are confidential: neither the editor nor the refusal shows.
    expect(html).not.toContain("Erika Redaktion");
    const full = await node.catalogStore.listModerationLog({ includeConfidential: true }, { limit: 100 });
    expect(full.some((entry) => entry.refused && entry.actor.type === "local" && entry.actor.name === "Erika Redaktion")).toBe(true);
    expect(node.unexpectedErrors).toEqual([]);
  });
});
