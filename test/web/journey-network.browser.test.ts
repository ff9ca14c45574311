// The editor's journeys across two cities, in a real browser (Debian's chromium via playwright-core),
// with axe-core checking WCAG 2.1 A/AA on every page visited and a screenshot of each step under
// test-results/screenshots/ (journey-network-<nn>-<step>.png). Münster is a fresh node; Dortmund
// holds the demo records. Münster's admin follows Dortmund and sets the city's issuing body; its
// editor forks Dortmund's guideline (the fork names Münster as issuer) and publishes it, adopts
// Dortmund's chatbot, fills in what is Münster's to fill, submits it; a second person vets it
// against Münster's guideline; the editor publishes it; Dortmund lists Münster as a verified adopter.
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recordIri } from "@leitplanken/core";
import { launchChromium, wcagViolations, type Browser, type Page } from "../../packages/web/src/testing/browser.ts";
import { eventually } from "../federation/harness.ts";
import { editorToken, startWebNode, staffToken, vetterToken, type WebNode } from "./web-node.ts";

const screenshots = new URL("../../test-results/screenshots/", import.meta.url).pathname;

let dortmund: WebNode;
let muenster: WebNode;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [dortmund, muenster, browser] = await Promise.all([
    startWebNode({ handle: "dortmund" }),
    startWebNode({ handle: "muenster", name: "Stadt Münster", seedDemo: false }),
    launchChromium(),
  ]);
  page = await (await browser.newContext({ locale: "de-DE", extraHTTPHeaders: { "accept-language": "de" } })).newPage();
  // Every page answers in well under a second; a busy machine still gets ten.
  page.setDefaultTimeout(10_000);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([dortmund?.close(), muenster?.close()]);
});

let steps = 0;
/** axe on the page, then a screenshot of the whole page as the journey's next step. */
async function step(name: string): Promise<void> {
  expect(await wcagViolations(page)).toEqual([]);
  steps += 1;
  await page.screenshot({ path: `${screenshots}journey-network-${String(steps).padStart(2, "0")}-${name}.png`, fullPage: true });
}

/** Signs out whoever is signed in (if anyone) and signs in at Münster with `token`. */
async function signInAs(token: string): Promise<void> {
  await page.goto(`${muenster.url}/staff`);
  const signOut = page.getByRole("button", { name: "Abmelden" });
  if ((await signOut.count()) > 0) await signOut.click();
  await page.goto(`${muenster.url}/staff/sign-in`);
  await page.getByLabel("API-Token").fill(token);
  await page.getByRole("button", { name: "Anmelden" }).click();
  await page.waitForURL(`${muenster.url}/staff`);
}

async function graphql<T>(node: WebNode, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${node.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const row = (name: string) => page.locator("tr", { hasText: name });

describe("Münster's staff reuse Dortmund's work", () => {
  const dortmundGuideline = () => recordIri(dortmund.url, "guideline", "ki-leitlinie-1.0");
  const chatbot = () => recordIri(dortmund.url, "use-case", "buergerservice-chatbot");
  const forkTitle = "KI-Leitlinie der Stadt Münster";

  it("the admin sets the city's issuing body and follows Dortmund; Dortmund's records arrive", async () => {
    await signInAs(staffToken);
    await page.goto(`${muenster.url}/staff/settings`);
    await page.getByLabel("Herausgeber der Leitlinien (deutsch)").fill("Stadt Münster");
    await page.getByLabel("Herausgeber der Leitlinien (englisch)").fill("City of Münster");
    await page.getByLabel("Amtlicher Gemeindeschlüssel (AGS)").fill("05515000");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Die Einstellungen sind gespeichert.");
    await step("admin-settings");

    await page.goto(`${muenster.url}/staff/following`);
    await page.getByLabel("Adresse oder Handle der Kommune").fill(dortmund.node.actorUrl);
    await page.keyboard.press("Enter");
    expect(await page.getByRole("status").textContent()).toContain("Die Folgeanfrage ist gesendet.");
    await step("admin-follows");
    // Dortmund accepts and Münster catches up on what Dortmund published (bounded wait on Münster's store).
    await eventually(async () => (await muenster.node.records.guidelines.get(dortmundGuideline())) && (await muenster.node.records.useCases.get(chatbot())));
  });

  it("the editor forks Dortmund's guideline: the draft names Münster as issuer, an unchanged fork is refused, the changed one is published", async () => {
    await signInAs(editorToken);
    await page.goto(`${muenster.url}/records/guideline?id=${encodeURIComponent(dortmundGuideline())}`);
    await page.getByRole("link", { name: "Als eigenen Entwurf übernehmen (Fork)" }).click();
    await step("editor-fork-confirm");
    await page.getByRole("button", { name: "Als eigenen Entwurf übernehmen (Fork)" }).click();
    expect(await page.locator("h1").textContent()).toBe("Entwurf bearbeiten");
    expect(await page.getByLabel("Herausgeber (Deutsch)").inputValue()).toBe("Stadt Münster");
    await step("editor-fork-draft");

    // Published unchanged, a fork would pass off Dortmund's text as Münster's own: refused with a message.
    const draft = () => page.locator("tr", { hasText: "Entwurf" }).filter({ hasText: "Leitlinie" });
    await page.goto(`${muenster.url}/staff`);
    await draft().getByRole("link", { name: "Veröffentlichen" }).click();
    await page.getByRole("button", { name: "Jetzt veröffentlichen" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("Wort für Wort dasselbe wie die Leitlinie, von der er abgeleitet ist");
    await step("editor-fork-unchanged-refused");

    await page.getByRole("link", { name: "Entwurf bearbeiten" }).click();
    await page.getByLabel("Titel (Deutsch)").fill(forkTitle);
    await page
      .getByLabel("Text (Markdown) (Deutsch)")
      .first()
      .fill("Die Stadt Münster setzt KI ein, wo sie Menschen entlastet, und sagt, wo die Grenzen liegen.");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await row(forkTitle).getByRole("link", { name: "Veröffentlichen" }).click();
    await page.getByRole("button", { name: "Jetzt veröffentlichen" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await step("editor-fork-published");

    await row(forkTitle).getByRole("link", { name: forkTitle, exact: true }).click();
    const issuer = page.locator("dt", { hasText: "Herausgeber" }).locator("xpath=following-sibling::dd[1]");
    expect(await issuer.textContent()).toContain("Stadt Münster (AGS 05515000)");
    expect(await issuer.textContent()).not.toContain("Dortmund");
    expect(await page.getByRole("link", { name: dortmundGuideline() }).count()).toBe(1); // "Forked from"
    await step("editor-fork-public");
  });

  it("the editor adopts Dortmund's chatbot, fills in Münster's part and submits it; a second person vets it; the editor publishes it; Dortmund lists Münster as a verified adopter", async () => {
    const name = "Chatbot für Fragen zum Bürgerservice";
    await page.goto(`${muenster.url}/records/use-case?id=${encodeURIComponent(chatbot())}`);
    await page.getByRole("link", { name: "Für unsere Kommune übernehmen" }).click();
    await step("editor-adopt-confirm");
    await page.getByRole("button", { name: "Für unsere Kommune übernehmen" }).click();
    await page.waitForURL(/\/staff\/use-cases\/edit\?id=/);
    await step("editor-adopted-draft");
    // Responsible, contact and vetting are Münster's to fill.
    await page.getByLabel("Verantwortliche Rolle (Deutsch)").fill("Leitung Bürgerbüro Münster");
    await page.getByLabel("Dienststelle (Deutsch)").fill("Bürgerbüro Münster");
    await page.getByLabel("E-Mail").fill("buergerbuero@muenster.example");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    // The check on the page names what is still Münster's to do: a DPIA of its own (an adoption does not carry Dortmund's).
    const check = page.locator("section[aria-labelledby=check-title]");
    expect(await check.getByRole("row", { name: /dpia-for-personal-data/ }).textContent()).toContain("Datenschutz-Folgenabschätzung (DSFA)");
    await step("editor-adopted-check-names-dpia");
    const dpia = page.getByRole("group", { name: "Datenschutz-Folgenabschätzung (DSFA)" });
    await dpia.getByLabel(/^Durchgeführt/).selectOption("yes");
    await dpia.getByLabel(/^Datum/).fill("2026-11-30");
    await dpia.getByLabel(/^Ergebnis in Kürze \(Deutsch\)/).fill("Vertretbar: keine Speicherung der Fragen über 30 Tage.");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    expect(await check.textContent()).toContain("Alle zwingenden Regeln sind erfüllt");
    await step("editor-adopted-saved");
    await page.getByRole("button", { name: "Zur Prüfung einreichen" }).click();
    expect(await row(name).textContent()).toContain("Eingereicht");

    await signInAs(vetterToken);
    await row(name).getByRole("link", { name: "Prüfen und freigeben" }).click();
    expect(await page.getByRole("table", { name: "Prüfung gegen die Leitlinie" }).count()).toBe(1);
    expect(await page.getByText(forkTitle).count()).toBeGreaterThan(0);
    await step("vetter-vets-adopted");
    await page.getByRole("button", { name: "Freigeben" }).click();
    expect(await row(name).textContent()).toContain("Freigegeben");

    await signInAs(editorToken);
    await row(name).getByRole("button", { name: "Veröffentlichen" }).click();
    await row(name).getByRole("link", { name, exact: true }).click();
    expect(await page.getByText("Viktor Prüfer").count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: chatbot() }).count()).toBeGreaterThan(0); // "Adopted from"
    await step("editor-adopted-published");

    // At the origin: Münster is a verified adopter (Dortmund fetched and checked Münster's signed adoption record).
    const adopters = `query ($id: ID!) { useCase(id: $id) { adoptedBy { city } } }`;
    await eventually(async () =>
      (await graphql<{ useCase: { adoptedBy: { city: string }[] } }>(dortmund, adopters, { id: chatbot() })).useCase.adoptedBy.some(
        (adopter) => adopter.city === muenster.node.actorUrl,
      ),
    );
    await page.goto(`${dortmund.url}/use-cases/buergerservice-chatbot`);
    const adoptedBy = page.locator("h2", { hasText: "Übernommen von diesen Kommunen" }).locator("xpath=following-sibling::ul[1]");
    expect(await adoptedBy.textContent()).toContain("Münster");
    await step("origin-lists-adopter");
  });

  it("reported no unexpected errors on either node", () => {
    expect(muenster.unexpectedErrors).toEqual([]);
    expect(dortmund.unexpectedErrors).toEqual([]);
  });
});
