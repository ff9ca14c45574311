// A citizen's error report from a record page over plain HTTP: the form's CSRF protection for
// visitors without an account, the report in the node's moderation queue, the API's rate limit.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { cookiesOf, csrfOf, getPage, postForm } from "./staff-session.ts";
import { receivedGuidelineId, startWebNode, staffToken, type WebNode } from "./web-node.ts";

let node: WebNode;
beforeAll(async () => {
  node = await startWebNode();
});
afterAll(async () => {
  await node?.close();
});

const recordPath = "/use-cases/buergerservice-chatbot";

/** A visitor opens the record page: its cookie and the report form's token. */
async function visit(headers: Record<string, string> = {}) {
  const response = await getPage(`${node.url}${recordPath}`, headers);
  const page = await response.text();
  return { page, cookie: cookiesOf(response), csrf: csrfOf(page) };
}

async function openReports(): Promise<{ target: string; category: string; text: string | null; reporter: string | null; state: string }[]> {
  const response = await fetch(`${node.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${staffToken}` },
    body: JSON.stringify({ query: "{ nodeReports(first: 100) { nodes { target category text reporter state } } }" }),
  });
  const body = (await response.json()) as { data: { nodeReports: { nodes: [] } } };
  return body.data.nodeReports.nodes;
}

describe("reporting an error in a record", () => {
  const target = () => `${node.url}${recordPath}`;

  it("offers the form on every record page, with a token bound to the visitor's cookie and no script", async () => {
    const { page, cookie, csrf } = await visit();
    expect(page).toContain('action="/report"');
    expect(page).toContain(`name="target" value="${target()}"`);
    expect(page).toContain('<option value="FACTUAL_ERROR">Sachlicher Fehler</option>');
    expect(page).not.toContain("<script");
    expect(cookie).toMatch(/^leitplanken-visitor=/);
    expect(csrf.length).toBeGreaterThan(20);
    // A visitor who already has the cookie keeps it, and with it the same token.
    const again = await visit({ cookie });
    expect(again.cookie).toBe("");
    expect(again.csrf).toBe(csrf);
    for (const path of ["/guidelines/ki-leitlinie-1.0", `/records/guideline?id=${encodeURIComponent(receivedGuidelineId)}`]) {
      const other = await getPage(`${node.url}${path}`);
      expect(other.status).toBe(200);
      expect(await other.text()).toContain('action="/report"');
    }
  });

  it("refuses a report without the visitor's token, with a forged one, or with another visitor's, and stores nothing", async () => {
    const { cookie, csrf } = await visit();
    const stranger = await visit();
    const report = { target: target(), kind: "use-case", category: "FACTUAL_ERROR", text: "forged" };
    const refusals = [
      await postForm(`${node.url}/report`, cookie, report),
      await postForm(`${node.url}/report`, cookie, { ...report, _csrf: "forged" }),
      await postForm(`${node.url}/report`, "", { ...report, _csrf: csrf }),
      await postForm(`${node.url}/report`, stranger.cookie, { ...report, _csrf: csrf }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("Das Formular ist abgelaufen");
    }
    expect(await openReports()).toEqual([]);
  });

  it("passes the report to the node's moderation queue and thanks the citizen", async () => {
    const { cookie, csrf } = await visit();
    const response = await postForm(`${node.url}/report`, cookie, {
      _csrf: csrf,
      target: target(),
      kind: "use-case",
      category: "OUTDATED",
      text: "Der Chatbot ist seit März abgeschaltet.",
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Danke für Ihre Meldung");
    expect(page).toContain(`href="${recordPath}"`);
    expect(await openReports()).toEqual([
      { target: target(), category: "OUTDATED", text: "Der Chatbot ist seit März abgeschaltet.", reporter: null, state: "OPEN" },
    ]);
  });

  it("refuses an invalid report with the reason and stores nothing", async () => {
    const { cookie, csrf } = await visit();
    const unknownCategory = await postForm(`${node.url}/report`, cookie, { _csrf: csrf, target: target(), kind: "use-case", category: "GOSSIP" });
    expect(unknownCategory.status).toBe(422);
    expect(await unknownCategory.text()).toContain("Bitte wählen Sie eine Art des Fehlers");
    const badTarget = await postForm(`${node.url}/report?lang=en`, cookie, { _csrf: csrf, target: "not a link", kind: "use-case", category: "OTHER" });
    expect(badTarget.status).toBe(422);
    const page = await badTarget.text();
    expect(page).toContain("Report not accepted");
    expect(page).toContain("<code>target</code>");
    expect(await openReports()).toHaveLength(1);
  });

  it("refuses the 21st report from one address within a minute, saying when to try again, in German and English", async () => {
    const { cookie, csrf } = await visit();
    const send = (lang: string) => postForm(`${node.url}/report?lang=${lang}`, cookie, { _csrf: csrf, target: target(), kind: "use-case", category: "SPAM" });
    // The report stored above came from this address too: the API counts the stored ones.
    const stored = (await openReports()).length;
    for (let index = stored; index < 20; index += 1) expect((await send("de")).status).toBe(200);
    const refused = await send("de");
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers.get("retry-after"));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(await refused.text()).toMatch(/Zu viele Meldungen von Ihrer Adresse\. Bitte versuchen Sie es in \d+ Sekunden erneut\./);
    const english = await send("en");
    expect(english.status).toBe(429);
    expect(await english.text()).toMatch(/Too many reports from your address\. Please try again in \d+ seconds\./);
    expect(await openReports()).toHaveLength(20);
    expect(node.unexpectedErrors).toEqual([]);
  });
});
