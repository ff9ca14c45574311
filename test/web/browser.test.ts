// A citizen and a staff member in a real browser (Debian's chromium via playwright-core), with
// axe-core checking WCAG 2.1 A/AA on every page type. Screenshots go to test-results/screenshots/.
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { launchChromium, wcagViolations, type Browser, type Page } from "../../packages/web/src/testing/browser.ts";
import { eventually } from "../federation/harness.ts";
import { receivedGuidelineId, receivedGuidelineTitle, receivedUseCaseName, startWebNode, staffToken, vetterToken, type WebNode } from "./web-node.ts";

const screenshots = new URL("../../test-results/screenshots/", import.meta.url).pathname;

let node: WebNode;
/** A city that follows this one: what the staff publish must reach it. */
let follower: WebNode;
let browser: Browser;
beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [node, follower, browser] = await Promise.all([startWebNode(), startWebNode({ handle: "bochum", name: "Stadt Bochum", seedDemo: false }), launchChromium()]);
  expect(await follower.node.following.followCity(node.node.actorUrl)).toMatchObject({ ok: true });
});
// Fail fast: every page here answers in well under a second.
const newPage = async (options: Parameters<Browser["newContext"]>[0] = {}) => {
  const page = await (await browser.newContext(options)).newPage();
  page.setDefaultTimeout(10_000);
  return page;
};
afterAll(async () => {
  await browser?.close();
  await Promise.all([node?.close(), follower?.close()]);
});

async function expectAccessible(page: Page) {
  expect(await wcagViolations(page)).toEqual([]);
}

const shoot = (page: Page, name: string) => page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });

describe("a citizen", () => {
  it("opens the city page, searches, opens a record and switches language", async () => {
    const page = await newPage({ locale: "de-DE", extraHTTPHeaders: { "accept-language": "de-DE,de;q=0.9" } });
    const context = page.context();
    try {
      await page.goto(node.url);
      expect(await page.locator("h1").textContent()).toContain("Stadt Dortmund");
      expect(await page.getByRole("heading", { name: "Aktuelle Leitlinie" }).count()).toBe(1);
      await expectAccessible(page);
      await shoot(page, "city-page");

      // Keyboard: the skip link is the first stop and leads to the content.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Zum Inhalt springen");

      await page.getByRole("link", { name: "Suche", exact: true }).click();
      await page.getByLabel("Suchbegriff").fill("Straßenschäden");
      await page.getByRole("button", { name: "Suchen" }).click();
      await page.waitForURL(/\/search\?q=/);
      expect(await page.getByRole("link", { name: "Erkennung von Straßenschäden" }).count()).toBe(1);
      expect(await page.getByRole("link", { name: receivedUseCaseName }).count()).toBe(1);
      await expectAccessible(page);
      await shoot(page, "search");

      await page.getByRole("link", { name: receivedUseCaseName }).click();
      expect(await page.locator("h1").textContent()).toBe(receivedUseCaseName);
      expect(await page.getByText("ki.muenster.example").count()).toBeGreaterThan(0);
      await expectAccessible(page);

      await page.goto(`${node.url}/use-cases/buergerservice-chatbot`);
      expect(await page.locator("h1").textContent()).toBe("Chatbot für Fragen zum Bürgerservice");
      await expectAccessible(page);
      await shoot(page, "use-case");

      await page.getByRole("link", { name: "Switch to English" }).click();
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      expect(await page.locator("h1").textContent()).toBe("Chatbot for citizen service questions");
      await expectAccessible(page);
      // The choice holds on the next page.
      await page.getByRole("link", { name: "Register", exact: true }).click();
      expect(await page.getByRole("heading", { name: "Current guideline" }).count()).toBe(1);

      await page
        .getByRole("link", { name: /Guideline for the responsible use of AI/ })
        .first()
        .click();
      expect(await page.getByRole("heading", { name: "Principles" }).count()).toBe(1);
      await expectAccessible(page);
      await shoot(page, "guideline");

      await page.goto(node.url);
      await page.locator(".cards a[href^='/models/']").first().click();
      expect(await page.getByRole("heading", { name: "Sovereignty" }).count()).toBe(1);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  it("sends an error report from a record page, with the keyboard, and is thanked", async () => {
    const page = await newPage({ extraHTTPHeaders: { "accept-language": "de" } });
    const context = page.context();
    try {
      await page.goto(`${node.url}/use-cases/buergerservice-chatbot`);
      const form = page.getByRole("region", { name: "Fehler melden" });
      expect(await form.count()).toBe(1);
      await expectAccessible(page);
      await page.getByLabel("Art des Fehlers").focus();
      await page.getByLabel("Art des Fehlers").selectOption("OUTDATED");
      await page.keyboard.press("Tab");
      await page.keyboard.type("Die Öffnungszeiten im Chatbot sind veraltet.");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Meldung senden");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/report$/);
      expect(await page.locator("h1").textContent()).toBe("Danke für Ihre Meldung");
      expect(await page.getByRole("status").textContent()).toContain("Moderation");
      await expectAccessible(page);
      await shoot(page, "report-thanks");
      await page.getByRole("link", { name: "Zurück zum Eintrag" }).click();
      expect(await page.locator("h1").textContent()).toBe("Chatbot für Fragen zum Bürgerservice");
    } finally {
      await context.close();
    }
  });

  it("reads what peer cities published, filters it with the keyboard, and finds the Atom feed", async () => {
    const page = await newPage({ extraHTTPHeaders: { "accept-language": "de" } });
    const context = page.context();
    try {
      await page.goto(node.url);
      await page.getByRole("link", { name: "Aus dem Netzwerk" }).click();
      expect(await page.locator("h1").textContent()).toBe("Was andere Kommunen veröffentlicht haben");
      expect(await page.getByRole("link", { name: `KI-Einsatzfall: ${receivedUseCaseName}` }).count()).toBe(1);
      await expectAccessible(page);
      await shoot(page, "peers");
      // Keyboard only: choose a kind and submit the filter form.
      await page.getByLabel("Art des Eintrags").focus();
      await page.keyboard.press("ArrowDown"); // "Leitlinie"
      await page.getByRole("button", { name: "Anzeigen" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/kind=guideline/);
      expect(await page.getByRole("link", { name: /^Leitlinie: KI-Leitlinie der Stadt Münster/ }).count()).toBe(1);
      expect(await page.getByRole("link", { name: `KI-Einsatzfall: ${receivedUseCaseName}` }).count()).toBe(0);
      expect(await page.getByRole("link", { name: "Diese Auswahl als Atom-Feed abonnieren" }).getAttribute("href")).toBe("/feed.atom?kind=guideline");
    } finally {
      await context.close();
    }
  });

  it("reads the network statistics: charts with a table of figures beside each", async () => {
    const page = await newPage({ extraHTTPHeaders: { "accept-language": "de" } });
    const context = page.context();
    try {
      await page.goto(node.url);
      await page.getByRole("link", { name: "Zahlen", exact: true }).click();
      expect(await page.locator("h1").textContent()).toBe("Zahlen aus dem Netzwerk");
      const chart = page.getByRole("img", { name: /Einsatzfälle nach Risikoklasse/ });
      expect(await chart.count()).toBe(1);
      expect(await page.getByRole("table", { name: "Einsatzfälle nach Risikoklasse" }).getByRole("row").count()).toBeGreaterThan(1);
      await expectAccessible(page);
      await shoot(page, "statistics");
    } finally {
      await context.close();
    }
  });

  it("gets complete public pages with JavaScript disabled", async () => {
    const page = await newPage({ javaScriptEnabled: false, extraHTTPHeaders: { "accept-language": "de" } });
    const context = page.context();
    try {
      await page.goto(node.url);
      expect(await page.locator(".principles li").count()).toBe(7);
      expect(await page.locator("#use-cases-heading + .cards > li").count()).toBe(4);
      await page.goto(`${node.url}/search?q=Chatbot`);
      expect(await page.getByRole("link", { name: "Chatbot für Fragen zum Bürgerservice" }).count()).toBe(1);
      await page.goto(`${node.url}/use-cases/buergerservice-chatbot`);
      expect(await page.getByRole("table", { name: "Prüfung gegen die Leitlinie" }).count()).toBe(1);
      // The error report works without a script too.
      await page.getByLabel("Was ist falsch? (freiwillig)").fill("Ohne JavaScript gemeldet.");
      await page.getByRole("button", { name: "Meldung senden" }).click();
      expect(await page.locator("h1").textContent()).toBe("Danke für Ihre Meldung");
    } finally {
      await context.close();
    }
  });

  it("finds the GraphQL explorer at /graphql, served by the node itself", async () => {
    const page = await newPage();
    const context = page.context();
    const outside: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(node.url)) outside.push(request.url());
    });
    try {
      // GraphiQL asks the API for its schema (introspection) over the node's own endpoint.
      const introspection = page.waitForResponse(
        (response) => response.url() === `${node.url}/graphql` && response.request().method() === "POST" && response.status() === 200,
      );
      await page.goto(`${node.url}/graphql`);
      await page.locator(".graphiql-container").waitFor();
      expect(JSON.stringify(await (await introspection).json())).toContain("__schema");
      // Our script names GraphiQL's editors once they render; the result viewer comes last.
      await page.getByRole("textbox", { name: "API response" }).waitFor({ state: "attached" });
      expect(await page.getByRole("textbox", { name: "Query (GraphQL)" }).count()).toBe(1);
      expect(await page.getByRole("group", { name: "Query (GraphQL)" }).getAttribute("tabindex")).toBe("0");
      await expectAccessible(page);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("a staff member", () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage({ extraHTTPHeaders: { "accept-language": "de" } });
  });
  afterAll(async () => {
    await page?.context().close();
  });

  const row = (name: string) => page.locator("tr", { hasText: name });
  /** Another person at the same browser: sign out, sign in with their token. */
  const signInAs = async (token: string) => {
    await page.getByRole("button", { name: "Abmelden" }).click();
    await page.goto(`${node.url}/staff/sign-in`);
    await page.getByLabel("API-Token").fill(token);
    await page.getByRole("button", { name: "Anmelden" }).click();
    expect(new URL(page.url()).pathname).toBe("/staff");
  };

  it("is sent to sign-in, and signs in with an API token", async () => {
    await page.goto(`${node.url}/staff`);
    expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
    await expectAccessible(page);
    await page.getByLabel("API-Token").fill("wrong");
    await page.getByRole("button", { name: "Anmelden" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("Dieses Token ist ungültig.");
    await page.getByLabel("API-Token").fill(staffToken);
    await page.getByRole("button", { name: "Anmelden" }).click();
    expect(new URL(page.url()).pathname).toBe("/staff");
    await expectAccessible(page);
    await shoot(page, "staff-dashboard");
  });

  it("sees the cities it follows and a refused follow request, accessibly", async () => {
    await page.getByRole("link", { name: "Gefolgte Kommunen verwalten" }).click();
    expect(await page.getByText("Diese Kommune folgt noch keiner anderen.").count()).toBe(1);
    await page.getByLabel("Adresse oder Handle der Kommune").fill("keine Adresse");
    await page.keyboard.press("Enter");
    expect(await page.getByRole("alert").textContent()).toContain("„keine Adresse“");
    expect(await page.getByLabel("Adresse oder Handle der Kommune").inputValue()).toBe("keine Adresse");
    await expectAccessible(page);
    await page.goto(`${node.url}/staff`);
  });

  it("drafts and publishes a new guideline version", async () => {
    await row("Leitlinie für den verantwortlichen Einsatz von KI").getByRole("link", { name: "Neue Version entwerfen" }).click();
    await expectAccessible(page);
    // The next version's label is suggested (the published 1.0 would be refused as taken).
    expect(await page.getByRole("textbox", { name: /^Version \(Pflichtfeld\)/ }).inputValue()).toBe("1.1");
    await page.getByLabel("Was hat sich geändert? (Deutsch)").fill("Energiebedarf genauer beschrieben.");
    await page.getByLabel("Was hat sich geändert? (Englisch)").fill("Energy use described more precisely.");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    const draft = page.locator("tr", { hasText: "Entwurf" }).filter({ hasText: "1.1" });
    await draft.getByRole("link", { name: "Veröffentlichen" }).click();
    await page.getByRole("button", { name: "Jetzt veröffentlichen" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");

    await page.goto(node.url);
    expect(await page.getByText("Version 1.1 ·").count()).toBe(1);
    const history = page.getByRole("table", { name: "Versionsgeschichte" });
    expect(await history.getByRole("row").count()).toBe(3);
    expect(await history.textContent()).toContain("Energiebedarf genauer beschrieben.");
  });

  it("registers a use case that affects citizens: refused on the page while the AI acts alone, saved with a human confirming and an appeal path, vetted by a second person, published, and reaches a follower", async () => {
    const name = "Terminvorschläge im Bürgeramt";
    await page.goto(`${node.url}/staff`);
    await page.getByRole("link", { name: "Einsatzfall erfassen" }).click();
    await expectAccessible(page);
    await page.getByLabel("Name (Deutsch)").fill(name);
    await page.getByLabel("Name (Englisch)").fill("Appointment suggestions at the citizens' office");
    await page.getByLabel("Kurzbeschreibung (Deutsch)").fill("Schlägt freie Termine vor und bucht sie.");
    await page.getByLabel("Zweck und Nutzen (Deutsch)").fill("Kürzere Wartezeiten.");
    await page.getByLabel("Fachbereich").fill("Bürgeramt");
    await page.getByLabel("Verantwortliche Rolle (Deutsch)").fill("Leitung Bürgeramt");
    await page.getByLabel("Dienststelle (Deutsch)").fill("Bürgeramt Mitte");
    await page.getByLabel("E-Mail").fill("buergeramt@example.org");
    await page.getByLabel("Einbindung in den Prozess (Deutsch)").fill("Bucht Termine für Bürgerinnen und Bürger.");
    await page.getByLabel("Automatisierte Aktion").check();
    await page
      .getByRole("group", { name: /^Betrifft Bürgerinnen und Bürger unmittelbar/ })
      .getByLabel("ja")
      .check();
    await page.getByLabel("Menschliche Prüfung (Deutsch)").fill("Stichproben.");
    await page.getByLabel("Risikoklasse").selectOption("MINIMAL");
    await page.getByLabel("kWh pro Jahr").fill("1.234,5");
    await shoot(page, "use-case-form");
    await page.getByRole("button", { name: "Speichern" }).click();

    // Refused on the page: the principle's text at the labels of the two fields, nothing stored.
    const problems = page.getByRole("alert");
    expect(await problems.textContent()).toContain("darf eine KI auch vordefinierte Aktionen nicht selbsttätig auslösen");
    expect(await problems.getByRole("link", { name: "Grad der Automatisierung" }).count()).toBe(1);
    expect(await problems.getByRole("link", { name: "Betrifft Bürgerinnen und Bürger unmittelbar" }).count()).toBe(1);
    expect(await page.getByLabel("Name (Deutsch)").inputValue()).toBe(name);
    await expectAccessible(page);
    await shoot(page, "use-case-form-refused");

    // A human confirms every action, and citizens get an appeal path: saved, and the check says it passes.
    await page.getByLabel("Mensch bestätigt jede Aktion").check();
    await page.getByLabel("Widerspruchsweg für Bürgerinnen und Bürger (Deutsch)").fill("Widerspruch beim Bürgeramt, schriftlich oder online.");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    expect(await page.getByText("Alle zwingenden Regeln sind erfüllt").count()).toBe(1);
    await expectAccessible(page);
    await shoot(page, "use-case-saved-with-check");
    await page.getByRole("button", { name: "Zur Prüfung einreichen" }).click();
    expect(await row(name).textContent()).toContain("Eingereicht");

    // Four-eyes principle: a second person vets.
    await signInAs(vetterToken);
    await row(name).getByRole("link", { name: "Prüfen und freigeben" }).click();
    const results = page.getByRole("table", { name: "Prüfung gegen die Leitlinie" });
    expect(await results.textContent()).toContain("Die Verantwortung für Entscheidungen liegt immer bei Menschen");
    expect(await page.getByRole("status").textContent()).toContain("Alle zwingenden Regeln sind erfüllt.");
    await expectAccessible(page);
    await shoot(page, "vetting");
    await page.getByRole("button", { name: "Freigeben" }).click();
    expect(await row(name).textContent()).toContain("Freigegeben");
    await signInAs(staffToken);
    await row(name).getByRole("button", { name: "Veröffentlichen" }).click();
    // The row's buttons name the record too ("In Katalog einreichen: …"): the record's own link is the exact name.
    await row(name).getByRole("link", { name, exact: true }).click();
    expect(await page.getByText("Viktor Prüfer (Prüfstelle)").count()).toBe(1);
    expect(await page.getByText("Widerspruch beim Bürgeramt, schriftlich oder online.").count()).toBeGreaterThan(0);

    // It reaches the city that follows Dortmund: its API serves the published use case (bounded wait on delivery).
    const id = page.url();
    const received = await eventually(async () => {
      const response = await fetch(`${follower.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `query ($id: ID!) { useCase(id: $id) { name { text } workflow { state } provenance { local } } }`, variables: { id } }),
      });
      return ((await response.json()) as { data: { useCase: Record<string, unknown> | null } }).data.useCase;
    });
    expect(received).toEqual({ name: { text: name }, workflow: { state: "PUBLISHED" }, provenance: { local: false } });
  });

  it("sees the Dortmund rule refuse the automated parking warnings", async () => {
    await page.goto(`${node.url}/staff`);
    const parking = "Automatische Verwarnungen aus Parkraumkameras";
    await row(parking).getByRole("button", { name: "Zur Prüfung einreichen" }).click();
    await signInAs(vetterToken);
    await row(parking).getByRole("link", { name: "Prüfen und freigeben" }).click();
    expect(await page.getByText("Mindestens eine zwingende Regel ist nicht erfüllt").count()).toBe(1);
    // Approving is not offered while a binding rule fails; the page says to send it back.
    expect(await page.getByRole("button", { name: "Freigeben" }).count()).toBe(0);
    expect(await page.getByText("Freigeben lässt sich der Einsatzfall erst, wenn alle zwingenden Regeln erfüllt sind.").count()).toBe(1);
    // An approval posted all the same (a page from before a change) is refused by the API, and the page says why.
    const sendBack = page.locator("form[action='/staff/use-cases/send-back']");
    const forced = await page.request.post(`${node.url}/staff/use-cases/vet`, {
      form: {
        _csrf: await sendBack.locator("[name=_csrf]").inputValue(),
        id: await sendBack.locator("[name=id]").inputValue(),
        lockVersion: await sendBack.locator("[name=lockVersion]").inputValue(),
        guidelineVersionId: await page.getByLabel("Prüfen gegen").inputValue(),
      },
    });
    expect(forced.status()).toBe(422);
    expect(await forced.text()).toContain("Die Freigabe wurde verweigert");
    const dortmundRule = page.getByRole("row", { name: /no-automated-action-on-citizens/ });
    expect(await dortmundRule.textContent()).toContain("nicht erfüllt");
    expect(await dortmundRule.textContent()).toContain("löst KI auch keine vordefinierten Aktionen selbst aus");
    await expectAccessible(page);
    await shoot(page, "vetting-refused");

    await page.goto(`${node.url}/staff`);
    expect(await row(parking).textContent()).toContain("Eingereicht");
    await signInAs(staffToken);
  });

  it("forks a peer's guideline, edits and publishes it, and compares it with its origin", async () => {
    const forkTitle = "KI-Leitlinie Dortmund, nach Münster";
    await page.goto(`${node.url}/records/guideline?id=${encodeURIComponent(receivedGuidelineId)}`);
    expect(await page.locator("h1").textContent()).toBe(receivedGuidelineTitle);
    await page.getByRole("link", { name: "Als eigenen Entwurf übernehmen (Fork)" }).click();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Als eigenen Entwurf übernehmen (Fork)" }).click();
    expect(await page.locator("h1").textContent()).toBe("Entwurf bearbeiten");
    await page.getByLabel("Titel (Deutsch)").fill(forkTitle);
    await page.getByLabel("Text (Markdown) (Deutsch)").first().fill("Die Stadt Dortmund nutzt KI, wo sie Menschen spürbar entlastet, und nennt die Grenzen.");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await row(forkTitle).getByRole("link", { name: "Veröffentlichen" }).click();
    await page.getByRole("button", { name: "Jetzt veröffentlichen" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");

    await row(forkTitle).getByRole("link", { name: forkTitle, exact: true }).click();
    expect(await page.getByRole("link", { name: receivedGuidelineId }).count()).toBe(1); // "Forked from"
    await page.getByRole("link", { name: "Mit einer anderen Leitlinie vergleichen" }).click();
    await page.getByLabel("Zweite Fassung").selectOption(receivedGuidelineId);
    await page.getByRole("button", { name: "Vergleichen" }).click();
    expect(await page.getByRole("table", { name: "Grundsätze nebeneinander" }).count()).toBe(1);
    expect(await page.locator("del").count()).toBeGreaterThan(0);
    expect(await page.locator("ins").first().textContent()).toContain("eingefügt");
    await expectAccessible(page);
    await shoot(page, "comparison");

    await page.goto(`${node.url}/lineage?id=${encodeURIComponent(receivedGuidelineId)}`);
    const tree = page.locator(".tree");
    expect(await tree.textContent()).toContain(receivedGuidelineTitle);
    expect(await tree.locator("ul").textContent()).toContain(forkTitle);
    await expectAccessible(page);
    await shoot(page, "lineage");
    await page.goto(`${node.url}/staff`);
  });

  it("sees the citizens' reports in the moderation queue and resolves one with a reason", async () => {
    await page.goto(`${node.url}/staff`);
    await page.getByRole("navigation", { name: "Bereiche der Verwaltung" }).getByRole("link", { name: "Moderation" }).click();
    const reports = page.getByRole("table", { name: "Offene Meldungen" });
    expect(await reports.textContent()).toContain("Die Öffnungszeiten im Chatbot sind veraltet.");
    await expectAccessible(page);
    await shoot(page, "moderation-queue");
    const report = reports.locator("tr", { hasText: "Die Öffnungszeiten im Chatbot sind veraltet." });
    await report.getByLabel("Begründung").first().fill("Öffnungszeiten berichtigt.");
    await report.getByRole("button", { name: /^Als erledigt schließen/ }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    expect(await page.getByText("Die Öffnungszeiten im Chatbot sind veraltet.").count()).toBe(0);
    // The queue links the public log, and so does the footer of every page.
    await page.getByRole("main").getByRole("link", { name: "Moderationsprotokoll" }).click();
    expect(await page.locator("h1").textContent()).toBe("Moderationsprotokoll");
    await expectAccessible(page);
    await page.goto(`${node.url}/staff`);
  });

  it("signs out", async () => {
    await page.getByRole("button", { name: "Abmelden" }).click();
    await page.goto(`${node.url}/staff`);
    expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
  });
});

it("reported no unexpected errors on any page", () => {
  expect(node.unexpectedErrors).toEqual([]);
  expect(follower.unexpectedErrors).toEqual([]);
});
