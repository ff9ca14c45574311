// The legal pages (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit) and the staff
// page where an admin fills them in, over plain HTTP.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { cookiesOf, csrfOf, getPage, postForm, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, staffToken, type WebNode } from "./web-node.ts";

let node: WebNode;
beforeAll(async () => {
  node = await startWebNode({ seedDemo: false });
});
afterAll(async () => {
  await node?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => getPage(`${node.url}${path}`, headers);
/** The page with runs of white space as one space: the templates' line breaks are the formatter's, not content. */
const squash = (page: string) => page.replace(/\s+/g, " ").replace(/ >/g, ">");
const text = async (path: string, headers: Record<string, string> = {}) => {
  const response = await get(path, headers);
  expect(response.status).toBe(200);
  return squash(await response.text());
};

describe("the legal pages", () => {
  it("are linked from the footer of every page, in German and English", async () => {
    for (const path of ["/", "/search", "/peers", "/statistics", "/moderation-log", "/impressum", "/staff/sign-in"]) {
      for (const language of ["de", "en"]) {
        const page = await text(`${path}${path.includes("?") ? "&" : "?"}lang=${language}`);
        const footer = page.slice(page.indexOf('<footer class="site-footer">'));
        for (const href of ["/impressum", "/datenschutz", "/barrierefreiheit"]) expect(footer).toContain(`href="${href}"`);
      }
    }
  });

  it("say plainly that the operator has not filled them in yet, and show what the configuration holds", async () => {
    const imprint = await text("/impressum?lang=de");
    expect(imprint).toContain("<h1>Impressum</h1>");
    expect(imprint).toContain("hat diesen Text noch nicht hinterlegt");
    expect(imprint).toContain("05913000");
    expect(imprint).toContain("https://www.dortmund.example/");
    const accessibility = await text("/accessibility?lang=en");
    expect(accessibility).toContain("<h1>Accessibility statement</h1>");
    expect(accessibility).toContain("has not provided this text yet");
    expect(accessibility).toContain("No contact details provided yet.");
  });

  it("name what the report form stores and for how long, and which cookies the register sets", async () => {
    const privacy = await text("/datenschutz?lang=de");
    expect(privacy).toContain("<h1>Datenschutzerklärung</h1>");
    for (const fact of ["Formular „Fehler melden“", "HMAC", "nach einem Tag gelöscht", "leitplanken-visitor", "keine Cookies für Statistik"])
      expect(privacy).toContain(fact);
    const english = await text("/privacy?lang=en");
    expect(english).toContain("is deleted after a day");
  });
});

describe("the settings page", () => {
  it("lets an admin fill in name, contact and legal texts, which then show on every page and on the legal pages", async () => {
    const { cookie } = await signIn(node.url, staffToken);
    const form = await get("/staff/settings?lang=de", { cookie });
    expect(form.status).toBe(200);
    const formPage = await form.text();
    expect(formPage).toContain("aus der Konfiguration: Stadt Dortmund");
    const saved = await postForm(`${node.url}/staff/settings`, cookie, {
      _csrf: csrfOf(formPage),
      cityName: "Stadt Dortmund (Einstellungen)",
      contactEmail: "ki-register@dortmund.example",
      contactAddressDe: "Friedensplatz 1\n44135 Dortmund",
      imprintDe: "# Angaben nach § 5 DDG\n\nStadt Dortmund, vertreten durch den Oberbürgermeister.",
      accessibilityEn: "This register is **partly compliant** with BITV 2.0.",
      a11yEmail: "barrierefrei@dortmund.example",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/staff/settings?saved=1");

    const home = await text("/?lang=de");
    expect(home).toContain("Stadt Dortmund (Einstellungen)");
    const imprint = await text("/impressum?lang=de");
    expect(imprint).not.toContain("noch nicht hinterlegt");
    // The operator's "# …" sits under the page's own h1.
    expect(imprint).toContain("<h2>Angaben nach § 5 DDG</h2>");
    expect(imprint).toContain('href="mailto:ki-register@dortmund.example"');
    expect(imprint).toContain("Friedensplatz 1<br />44135 Dortmund");
    // Only in English: the German page shows it, marked as English.
    const accessibility = await text("/barrierefreiheit?lang=de");
    expect(accessibility).toMatch(/<section class="legal-text" lang="en"[^>]*>/);
    expect(accessibility).toContain("<strong>partly compliant</strong>");
    expect(accessibility).toContain('href="mailto:barrierefrei@dortmund.example"');

    const again = squash(await (await get("/staff/settings?lang=de", { cookie })).text());
    expect(again).toContain('value="Stadt Dortmund (Einstellungen)"');
    expect(again).toContain("Ada Admin");
  });

  it("shows refused input beside its field and keeps what was typed", async () => {
    const { cookie } = await signIn(node.url, staffToken);
    const formPage = await (await get("/staff/settings?lang=en", { cookie })).text();
    const refused = await postForm(`${node.url}/staff/settings`, cookie, {
      _csrf: csrfOf(formPage),
      cityName: "Stadt Dortmund (Einstellungen)",
      contactEmail: "not-an-address",
      website: "javascript:alert(1)",
      privacyDe: "x".repeat(30_001),
    });
    expect(refused.status).toBe(422);
    const page = squash(await refused.text());
    expect(page).toContain('href="#settings-contactEmail"');
    expect(page).toContain('id="settings-contactEmail" name="contactEmail" aria-describedby="settings-contactEmail-error" aria-invalid="true"');
    expect(page).toContain('value="not-an-address"');
    expect(page).toContain('id="settings-website-error"');
    expect(page).toContain('id="settings-privacyDe-error"');
    // Nothing of it was stored.
    expect(await text("/impressum?lang=de")).toContain('href="mailto:ki-register@dortmund.example"');
  });

  it("refuses an editor (only admins change the settings) and a post without the session's CSRF token", async () => {
    const { cookie } = await signIn(node.url, editorToken);
    const formPage = await (await get("/staff/settings?lang=en", { cookie })).text();
    const refused = await postForm(`${node.url}/staff/settings`, cookie, { _csrf: csrfOf(formPage), cityName: "Gekapert" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Nur die Rolle Admin kann die Einstellungen ändern");
    const admin = await signIn(node.url, staffToken);
    const forged = await postForm(`${node.url}/staff/settings`, admin.cookie, { _csrf: "forged", cityName: "Gekapert" });
    expect(forged.status).toBe(403);
    expect(await text("/?lang=de")).not.toContain("Gekapert");
    const anonymous = await get("/staff/settings");
    expect(anonymous.status).toBe(303);
    expect(cookiesOf(anonymous)).not.toContain("leitplanken-session=;");
  });
});

it("reported no unexpected errors on any page", () => {
  expect(node.unexpectedErrors).toEqual([]);
});
