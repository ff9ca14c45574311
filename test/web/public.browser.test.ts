// Every page type a citizen can reach, in Chromium with axe-core (WCAG 2.1 A/AA), on a desktop
// and on a 390 px phone (no sideways scrolling either), in German and English: the register of a
// city (its own and received records, open data, archive, legal pages, errors) and the pages of a
// coordinator's hub (catalogs). Screenshots go to test-results/screenshots/public-*.png.
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { launchChromium, wcagViolations, type Browser, type Page } from "../../packages/web/src/testing/browser.ts";
import { peerCityName, receivedGuidelineId, receivedUseCaseName, startWebNode, staffName, staffToken, type WebNode } from "./web-node.ts";

const screenshots = new URL("../../test-results/screenshots/", import.meta.url).pathname;

let city: WebNode;
let hub: WebNode;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [city, hub, browser] = await Promise.all([
    startWebNode(),
    startWebNode({ handle: "koordination", name: "KI-Koordinierungsstelle NRW", seedDemo: false }),
    launchChromium(),
  ]);
  const response = await fetch(`${hub.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${staffToken}` },
    body: JSON.stringify({
      query: `mutation ($input: CatalogSettingsInput!) { createCatalog(input: $input) { __typename } }`,
      variables: {
        input: {
          handle: "ki-katalog-nrw",
          name: { de: "KI-Katalog NRW", en: "AI catalogue NRW" },
          description: { de: "Geprüfte Einsatzfälle aus NRW", en: "Vetted use cases from NRW" },
          moderators: [{ name: staffName }],
          policy: { acceptedKinds: ["USE_CASE"], openTo: "ANYONE", memberApprovalRequired: false },
        },
      },
    }),
  });
  expect(response.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([city?.close(), hub?.close()]);
});

const receivedUseCase = async () => {
  const response = await fetch(`${city.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ useCases(filter: { local: false }) { nodes { id } } }" }),
  });
  const body = (await response.json()) as { data: { useCases: { nodes: { id: string }[] } } };
  return body.data.useCases.nodes[0]!.id;
};

const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

async function check(page: Page, url: string, status: number) {
  const response = await page.goto(url);
  expect({ url, status: response?.status() }).toEqual({ url, status });
  expect({ url, violations: await wcagViolations(page) }).toEqual({ url, violations: [] });
  // Nothing wider than the screen: the page never scrolls sideways (tables scroll in their own box).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect({ url, overflow }).toEqual({ url, overflow: 0 });
}

describe("every public page type passes axe (WCAG 2.1 AA) on a desktop and on a 390 px phone", () => {
  // The desktop in German; the phone, where more goes wrong, in both languages.
  const variants = [
    [viewports[0], "de"],
    [viewports[1], "de"],
    [viewports[1], "en"],
  ] as const;
  for (const [viewport, language] of variants) {
    {
      it(`${viewport.name}, ${language}`, async () => {
        const context = await browser.newContext({ viewport, locale: language === "de" ? "de-DE" : "en-GB" });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const received = await receivedUseCase();
        const pages: [string, string, number][] = [
          ["home", `${city.url}/`, 200],
          ["search", `${city.url}/search?q=Stra%C3%9Fe`, 200],
          ["use-case", `${city.url}/use-cases/buergerservice-chatbot`, 200],
          ["received-use-case", `${city.url}/records/use-case?id=${encodeURIComponent(received)}`, 200],
          ["received-guideline", `${city.url}/records/guideline?id=${encodeURIComponent(receivedGuidelineId)}`, 200],
          ["model", `${city.url}/models/kommunal-assistent`, 200],
          ["peers", `${city.url}/peers`, 200],
          ["statistics", `${city.url}/statistics`, 200],
          ["moderation-log", `${hub.url}/moderation-log`, 200],
          ["open-data", `${city.url}/open-data`, 200],
          ["archive", `${city.url}/archive`, 200],
          ["imprint", `${city.url}/impressum`, 200],
          ["privacy", `${city.url}/datenschutz`, 200],
          ["accessibility", `${city.url}/barrierefreiheit`, 200],
          ["hub-home", `${hub.url}/`, 200],
          ["catalogs", `${hub.url}/catalogs`, 200],
          ["catalog", `${hub.url}/catalogs/ki-katalog-nrw`, 200],
          ["not-found", `${city.url}/records/use-case?id=${encodeURIComponent("https://nirgendwo.example/use-cases/x")}`, 404],
          ["catalog-not-found", `${hub.url}/catalogs/unbekannt`, 404],
          ["bad-request", `${city.url}/open-data/register.json?after=nonsense`, 400],
        ];
        for (const [name, url, status] of pages) {
          await check(page, `${url}${url.includes("?") ? "&" : "?"}lang=${language}`, status);
          await page.screenshot({ path: `${screenshots}public-${name}-${viewport.name}-${language}.png`, fullPage: true });
        }
        await context.close();
      }, 600_000);
    }
  }
});

describe("a citizen on a phone", () => {
  it("sees who published a received record at its top, and what a use case means for them first", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "de-DE" });
    const page = await context.newPage();
    await page.goto(`${city.url}/records/use-case?id=${encodeURIComponent(await receivedUseCase())}&lang=de`);
    const banner = page.locator(".provenance-banner");
    expect(await banner.textContent()).toContain(peerCityName);
    // The banner is the first thing in the content, above the heading.
    const [bannerTop, headingTop] = await Promise.all([banner.boundingBox(), page.locator("h1").boundingBox()]);
    expect(bannerTop!.y).toBeLessThan(headingTop!.y);
    expect(await page.locator("h1").textContent()).toBe(receivedUseCaseName);
    const glance = page.getByRole("region", { name: "Auf einen Blick" });
    expect(await glance.count()).toBe(1);
    for (const question of ["Was macht die KI?", "Betrifft mich das?", "Wer entscheidet?", "Wie kann ich widersprechen?"]) {
      expect(await glance.getByText(question).count()).toBe(1);
    }
    await context.close();
  });
});
