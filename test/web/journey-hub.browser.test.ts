// The coordinator's and the moderator's journeys on a hub, with a member city, in a real browser
// (Debian's chromium via playwright-core): axe-core checks WCAG 2.1 A/AA on every page visited and
// each step leaves a screenshot under test-results/screenshots/ (journey-<role>-<nn>-<step>.png).
// Two nodes on loopback: a fresh coordination hub and Dortmund with the demo records. The
// coordinator creates a catalog that reviews who joins; Dortmund's admin finds it by its address
// and joins; the moderator takes Dortmund in; Dortmund submits three published use cases from
// their pages; the moderator sees titles, the city and the rule check, approves one, rejects one
// with a reason, approves and then removes one with a reason; Dortmund reads the decisions.
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { launchChromium, wcagViolations, type Browser, type Page } from "../../packages/web/src/testing/browser.ts";
import { startWebNode, staffToken, type WebNode } from "./web-node.ts";

const screenshots = new URL("../../test-results/screenshots/", import.meta.url).pathname;

let hub: WebNode;
let city: WebNode;
let browser: Browser;
/** The hub's staff (coordinator and moderator: the admin "Ada Admin") and Dortmund's admin, each in their own browser. */
let coordinator: Page;
let dortmund: Page;
beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [hub, city, browser] = await Promise.all([
    startWebNode({ handle: "koordination", name: "KI-Koordinierungsstelle NRW", seedDemo: false }),
    startWebNode({ handle: "dortmund" }),
    launchChromium(),
  ]);
  const signedIn = async (node: WebNode) => {
    const page = await (await browser.newContext({ locale: "de-DE", extraHTTPHeaders: { "accept-language": "de" } })).newPage();
    // Every page answers in well under a second; a busy machine still gets ten.
    page.setDefaultTimeout(10_000);
    await page.goto(`${node.url}/staff/sign-in`);
    await page.getByLabel("API-Token").fill(staffToken);
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page.waitForURL(`${node.url}/staff`);
    return page;
  };
  [coordinator, dortmund] = await Promise.all([signedIn(hub), signedIn(city)]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([hub?.close(), city?.close()]);
});

const counters: Record<string, number> = {};
/** axe on the page, then a screenshot of the whole page as the role's next step. */
async function step(page: Page, role: "coordinator" | "moderator" | "city", name: string): Promise<void> {
  expect(await wcagViolations(page)).toEqual([]);
  counters[role] = (counters[role] ?? 0) + 1;
  await page.screenshot({ path: `${screenshots}journey-${role}-${String(counters[role]).padStart(2, "0")}-${name}.png`, fullPage: true });
}

/** Reloads `path` until `done` holds for the page (a federation round trip), at most a minute. */
async function reloadUntil(page: Page, url: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.goto(url);
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`${url} did not show what was expected in time`);
  }
}

const chatbot = "Chatbot für Fragen zum Bürgerservice";
const roadDamage = "Erkennung von Straßenschäden";
const mail = "Zuordnung des digitalen Posteingangs";
let catalogAddress: string;

describe("the coordinator", () => {
  it("creates a catalog that reviews who joins, and is told its address and what happens next", async () => {
    await coordinator.getByRole("navigation", { name: "Bereiche der Verwaltung" }).getByRole("link", { name: "Kataloge" }).click();
    await step(coordinator, "coordinator", "catalogs");
    await coordinator.getByRole("link", { name: "Neuen Katalog anlegen" }).click();
    const field = (name: string) => coordinator.locator(`[name="${name}"]`);
    await field("handle").fill("ki-katalog-nrw");
    await field("name.de").fill("KI-Katalog NRW");
    await field("description.de").fill("Geprüfte KI-Einsatzfälle der Kommunen in Nordrhein-Westfalen.");
    await field("rules.de").fill("Nur veröffentlichte, geprüfte Einsatzfälle.");
    await field("kind-USE_CASE").check();
    await coordinator.locator('[name="openTo"][value="MEMBERS"]').check();
    await coordinator.locator('[name="memberApproval"][value="yes"]').check();
    await field("moderators").fill("Ada Admin");
    await step(coordinator, "coordinator", "catalog-form");
    await coordinator.getByRole("button", { name: "Katalog anlegen" }).click();
    expect(await coordinator.locator("h1").textContent()).toBe("Katalog angelegt");
    expect(await coordinator.getByRole("heading", { name: "Wie geht es weiter?" }).count()).toBe(1);
    catalogAddress = `${hub.url}/actors/ki-katalog-nrw`;
    expect(await coordinator.getByText(catalogAddress).count()).toBeGreaterThan(0);
    await step(coordinator, "coordinator", "catalog-created");
  });
});

describe("a city joins and submits; the moderator decides", () => {
  it("Dortmund's admin finds the catalog by its address and asks to join", async () => {
    await dortmund.goto(`${city.url}/staff/catalogs`);
    await dortmund.getByLabel(/^Adresse des Katalogs/).fill(catalogAddress);
    await dortmund.getByRole("button", { name: "Katalog suchen" }).click();
    expect(await dortmund.getByText("Die Moderation des Katalogs prüft jeden Beitritt").count()).toBe(1);
    await step(dortmund, "city", "catalog-found");
    await dortmund.getByRole("button", { name: "Diesem Katalog beitreten" }).click();
    expect(await dortmund.getByRole("status").textContent()).toContain("Beitritt angefragt.");
    expect(await dortmund.getByText("wartet auf die Moderation des Katalogs").count()).toBe(1);
    await step(dortmund, "city", "join-pending");
  });

  it("the moderator takes Dortmund in", async () => {
    const queue = `${hub.url}/staff/moderation`;
    await reloadUntil(coordinator, queue, async () => (await coordinator.getByRole("button", { name: /^Aufnehmen: / }).count()) > 0);
    expect(await coordinator.getByRole("table", { name: "Beitrittsanfragen" }).textContent()).toContain(city.node.actorUrl);
    await step(coordinator, "moderator", "join-request");
    await coordinator.getByRole("button", { name: /^Aufnehmen: / }).click();
    await reloadUntil(dortmund, `${city.url}/staff/catalogs`, async () => (await dortmund.getByRole("cell", { name: "Mitglied", exact: true }).count()) > 0);
    await step(dortmund, "city", "member");
  });

  it("Dortmund submits three published use cases from their rows on the dashboard", async () => {
    for (const name of [chatbot, roadDamage, mail]) {
      await dortmund.goto(`${city.url}/staff`);
      await dortmund.getByRole("link", { name: `In Katalog einreichen: ${name}` }).click();
      if (name === chatbot) await step(dortmund, "city", "submit");
      await dortmund.getByRole("button", { name: "Einreichen" }).click();
      expect(await dortmund.getByRole("status").textContent()).toContain("Eingereicht.");
    }
    await step(dortmund, "city", "submitted");
  });

  it("the moderator sees each submission's title, city and rule check; approves one, rejects one with a reason, approves and removes one with a reason", async () => {
    const queue = `${hub.url}/staff/moderation`;
    const submitted = () => coordinator.getByRole("table", { name: "Warteschlange: eingereichte Einträge" });
    await reloadUntil(coordinator, queue, async () => {
      const text = await coordinator.locator("main").textContent();
      return [chatbot, roadDamage, mail].every((name) => text?.includes(name));
    });
    const main = coordinator.locator("main");
    expect(await main.textContent()).toContain(`Stadt Dortmund (${new URL(city.url).host})`);
    expect(await main.textContent()).toContain("no-automated-action-on-citizens");
    expect(await submitted().count()).toBeGreaterThan(0);
    await step(coordinator, "moderator", "queue");

    const row = (name: string) => coordinator.locator("tr", { hasText: name });
    await row(chatbot)
      .getByRole("button", { name: `Aufnehmen: ${chatbot}` })
      .click();
    expect(await coordinator.getByRole("status").textContent()).toContain("Gespeichert.");
    await row(roadDamage).getByLabel("Begründung").fill("Bitte die Energieangaben ergänzen.");
    await row(roadDamage)
      .getByRole("button", { name: `Ablehnen: ${roadDamage}` })
      .click();
    expect(await coordinator.getByRole("status").textContent()).toContain("Gespeichert.");
    await row(mail)
      .getByRole("button", { name: `Aufnehmen: ${mail}` })
      .click();
    await step(coordinator, "moderator", "decided");
    await row(mail).getByLabel("Begründung").fill("Doppelt eingereicht; der Eintrag aus Unna gilt.");
    await row(mail)
      .getByRole("button", { name: `Entfernen: ${mail}` })
      .click();
    expect(await coordinator.getByRole("status").textContent()).toContain("Gespeichert.");
    expect(await row(mail).count()).toBe(0);
    await step(coordinator, "moderator", "removed");

    // The catalog's public page lists what it took in, and the moderation log says why the others are not.
    await coordinator.goto(`${hub.url}/catalogs/ki-katalog-nrw`);
    expect(await coordinator.locator("main").textContent()).toContain(chatbot);
    expect(await coordinator.locator("main").textContent()).not.toContain(mail);
    await step(coordinator, "moderator", "catalog-public");
  });

  it("Dortmund reads the decisions and the reasons", async () => {
    const view = `${city.url}/staff/catalogs/view?catalog=${encodeURIComponent(catalogAddress)}`;
    await reloadUntil(dortmund, view, async () => {
      const text = (await dortmund.locator("main").textContent()) ?? "";
      return text.includes("Bitte die Energieangaben ergänzen.") && text.includes("Doppelt eingereicht; der Eintrag aus Unna gilt.");
    });
    expect(await dortmund.locator("main").textContent()).toContain("aufgenommen");
    await step(dortmund, "city", "decisions");
  });
});

it("reported no unexpected errors on either node", () => {
  expect(hub.unexpectedErrors).toEqual([]);
  expect(city.unexpectedErrors).toEqual([]);
});
