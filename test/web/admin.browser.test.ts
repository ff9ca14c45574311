// The journeys of the admin, the model editor, the catalog coordinator and a member city in a
// real browser (Debian's chromium via playwright-core), each on a fresh node, with axe-core
// checking WCAG 2.1 A/AA on every page visited. Screenshots of each step go to
// test-results/screenshots/ (journey-admin-<nn>-<step>.png).
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { launchChromium, wcagViolations, type Browser, type Page } from "../../packages/web/src/testing/browser.ts";
import { reserveIssuer, startOpenIdProvider, testClientId, testClientSecret } from "./openid-provider.ts";
import { startWebNode, staffToken, type WebNode } from "./web-node.ts";

const screenshots = new URL("../../test-results/screenshots/", import.meta.url).pathname;

let browser: Browser;
const nodes: WebNode[] = [];
beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(nodes.map((node) => node.close()));
});

async function freshNode(options: Parameters<typeof startWebNode>[0] = {}): Promise<WebNode> {
  const node = await startWebNode(options);
  nodes.push(node);
  return node;
}

async function newPage(language: "de" | "en" = "de"): Promise<Page> {
  const context = await browser.newContext({ locale: language === "de" ? "de-DE" : "en-GB", extraHTTPHeaders: { "accept-language": language } });
  const page = await context.newPage();
  // Every page answers in well under a second; a slow machine still gets ten.
  page.setDefaultTimeout(10_000);
  return page;
}

let steps = 0;
/** axe on the page, then a screenshot of the whole page as the admin's next step. */
async function step(page: Page, name: string): Promise<void> {
  expect(await wcagViolations(page)).toEqual([]);
  steps += 1;
  await page.screenshot({ path: `${screenshots}journey-admin-${String(steps).padStart(2, "0")}-${name}.png`, fullPage: true });
}

async function signInWithToken(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/staff/sign-in`);
  await page.getByLabel(/API-Token|API token/).fill(token);
  await page.getByRole("button", { name: /Anmelden|Sign in/ }).click();
  await page.waitForURL(/\/staff$/);
}

describe("the admin", () => {
  it("hands out an API token, which works at once, and revokes it", async () => {
    const node = await freshNode({ seedDemo: false });
    const page = await newPage();
    try {
      await signInWithToken(page, node.url, staffToken);
      await page.getByRole("navigation", { name: "Bereiche der Verwaltung" }).getByRole("link", { name: "Knoten verwalten" }).click();
      expect(await page.locator("h1").textContent()).toBe("Knoten verwalten");
      await step(page, "node-admin");

      await page.getByRole("link", { name: "API-Tokens" }).click();
      expect(await page.locator("h1").textContent()).toBe("API-Tokens");
      await step(page, "tokens");

      // A mistake first: no role chosen. The form says what is wrong, at the field and on top.
      await page.getByLabel(/Name der Person oder des Programms/).fill("Erika Beispiel, Digitalisierung");
      await page.getByRole("button", { name: "Token anlegen" }).click();
      expect(await page.getByRole("alert").textContent()).toContain("Bitte wählen Sie eine Rolle");
      expect(await page.getByLabel(/Name der Person oder des Programms/).inputValue()).toBe("Erika Beispiel, Digitalisierung");
      await step(page, "tokens-refused");

      await page.getByLabel("Redaktion").check();
      await page.getByRole("button", { name: "Token anlegen" }).click();
      expect(await page.locator("h1").textContent()).toBe("Token angelegt");
      const secret = await page.getByLabel("Der Token (nur jetzt sichtbar)").inputValue();
      expect(secret).toMatch(/^lp_/);
      expect(await page.getByRole("heading", { name: "Wie geht es weiter?" }).count()).toBe(1);
      await step(page, "token-created");

      // The person signs in with it in their own browser.
      const editor = await newPage();
      try {
        await signInWithToken(editor, node.url, secret);
        expect(await editor.getByText("Angemeldet als").textContent()).toContain("Erika Beispiel, Digitalisierung");
      } finally {
        await editor.context().close();
      }

      await page.getByRole("link", { name: "Zurück zu den API-Tokens" }).click();
      expect(await page.getByRole("cell", { name: /^Erika Beispiel, Digitalisierung/ }).count()).toBe(1);
      expect(await page.content()).not.toContain(secret);
      await page.getByRole("link", { name: "Widerrufen: Erika Beispiel, Digitalisierung" }).click();
      expect(await page.locator("h1").textContent()).toBe("Token widerrufen");
      await step(page, "token-revoke");
      await page.getByRole("button", { name: "Ja, Token widerrufen" }).click();
      expect(await page.getByRole("status").textContent()).toContain("Der Token wurde widerrufen");
      expect(await page.getByRole("cell", { name: /^Erika Beispiel, Digitalisierung/ }).count()).toBe(0);
      await step(page, "token-revoked");
    } finally {
      await page.context().close();
    }
  });
});

describe("the admin's settings", () => {
  it("sets the city's name, issuing body and legal notice; the public pages show them", async () => {
    const node = await freshNode({ seedDemo: false });
    const page = await newPage();
    try {
      await signInWithToken(page, node.url, staffToken);
      await page.getByRole("navigation", { name: "Bereiche der Verwaltung" }).getByRole("link", { name: "Knoten verwalten" }).click();
      await page.getByRole("main").getByRole("link", { name: "Einstellungen" }).click();
      expect(await page.locator("h1").textContent()).toBe("Einstellungen des Registers");
      await step(page, "settings");
      await page.getByLabel("Name der Kommune").fill("Stadt Dortmund am Phoenixsee");
      await page.getByLabel("Herausgeber der Leitlinien (deutsch)").fill("Stadt Dortmund, Dezernat für Digitalisierung");
      await page.getByLabel("Amtlicher Gemeindeschlüssel (AGS)").fill("05913000");
      await page.getByLabel("Impressum (deutsch)").fill("Stadt Dortmund, Friedensplatz 1, 44135 Dortmund.");
      await page.getByRole("button", { name: "Speichern" }).click();
      expect(await page.getByRole("status").textContent()).toContain("Die Einstellungen sind gespeichert.");
      expect(await page.getByText("Ada Admin").count()).toBeGreaterThan(0); // who saved them last
      await step(page, "settings-saved");
      await page.getByRole("contentinfo").getByRole("link", { name: "Impressum" }).click();
      expect(await page.locator("main").textContent()).toContain("Friedensplatz 1, 44135 Dortmund.");
      expect(await page.locator("main").textContent()).toContain("Stadt Dortmund, Dezernat für Digitalisierung");
      await step(page, "imprint");
    } finally {
      await page.context().close();
    }
  });
});

describe("a staff member with the city's identity provider", () => {
  it("signs in there and lands in the staff area with the role from the claim", async () => {
    const issuer = await reserveIssuer();
    const node = await freshNode({
      seedDemo: false,
      oidc: {
        issuer: new URL(issuer),
        clientId: testClientId,
        clientSecret: testClientSecret,
        roleClaim: "roles",
        roleMap: { "KI-Redaktion": "editor", "KI-Pruefung": "vetter" },
        nameClaim: "name",
        scope: "openid profile roles",
        providerName: "Dortmund-Login",
      },
    });
    const provider = await startOpenIdProvider(issuer, [`${node.url}/staff/sign-in/callback`], {
      "m.mustermann": { name: "Max Mustermann", roles: ["KI-Pruefung", "Intranet"] },
    });
    const page = await newPage();
    try {
      await page.goto(`${node.url}/staff`);
      expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
      await step(page, "oidc-sign-in");
      await page.getByRole("link", { name: "Anmelden mit Dortmund-Login" }).click();
      // The provider's own login page (oidc-provider's development page: any password).
      await page.waitForURL((url) => url.href.startsWith(issuer));
      await page.locator("input[name=login]").fill("m.mustermann");
      await page.locator("input[name=password]").fill("geheim");
      await page.locator("button[type=submit]").click();
      await page.waitForURL(`${node.url}/staff`);
      expect(await page.getByText("Angemeldet als").textContent()).toContain("Max Mustermann (Prüfung)");
      await step(page, "oidc-signed-in");
    } finally {
      await page.context().close();
      await provider.close();
    }
  });
});
