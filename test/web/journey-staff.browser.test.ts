// The editor's and the vetter's journeys on a FRESH node (a city with no records yet), in a real
// browser (Debian's chromium via playwright-core), with axe-core checking WCAG 2.1 A/AA on every
// page visited and a screenshot of each step under test-results/screenshots/
// (journey-<role>-<nn>-<step>.png). One node and one browser for the file; the roles take turns
// at the same browser (sign out, sign in), as colleagues at a shared desk would.
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { launchChromium, wcagViolations, type Browser, type Page } from "../../packages/web/src/testing/browser.ts";
import { editorToken, startWebNode, vetterToken, type WebNode } from "./web-node.ts";

const screenshots = new URL("../../test-results/screenshots/", import.meta.url).pathname;

let node: WebNode;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  [node, browser] = await Promise.all([startWebNode({ handle: "unna", name: "Stadt Unna", seedDemo: false }), launchChromium()]);
  page = await (await browser.newContext({ locale: "de-DE", extraHTTPHeaders: { "accept-language": "de" } })).newPage();
  // Every page answers in well under a second; a busy machine still gets ten.
  page.setDefaultTimeout(10_000);
});
afterAll(async () => {
  await browser?.close();
  await node?.close();
});

const counters: Record<string, number> = {};
/** axe on the page, then a screenshot of the whole page as the role's next step. */
async function step(role: "editor" | "vetter", name: string): Promise<void> {
  expect(await wcagViolations(page)).toEqual([]);
  counters[role] = (counters[role] ?? 0) + 1;
  await page.screenshot({ path: `${screenshots}journey-${role}-${String(counters[role]).padStart(2, "0")}-${name}.png`, fullPage: true });
}

async function signInAs(token: string): Promise<void> {
  await page.goto(`${node.url}/staff`);
  const signOut = page.getByRole("button", { name: "Abmelden" });
  if ((await signOut.count()) > 0) await signOut.click();
  await page.goto(`${node.url}/staff/sign-in`);
  await page.getByLabel("API-Token").fill(token);
  await page.getByRole("button", { name: "Anmelden" }).click();
  await page.waitForURL(`${node.url}/staff`);
}

const row = (name: string) => page.locator("tr", { hasText: name });
const principle = (n: number) => page.getByRole("group", { name: new RegExp(`^Grundsatz ${n}`) });
const guidelineTitle = "KI-Leitlinie der Stadt Unna";
const useCaseName = "Zuordnung des Posteingangs";

describe("the editor sets up the city's guideline", () => {
  it("creates the first guideline: the issuer comes from the city's settings; adds a principle and a section; publishes it", async () => {
    await signInAs(editorToken);
    expect(await page.getByText("Ihre Kommune hat hier noch keine Leitlinie.").count()).toBe(1);
    await step("editor", "dashboard-empty");
    await page.getByRole("link", { name: "Erste Leitlinie anlegen" }).click();
    expect(await page.getByLabel(/^Herausgeber \(Deutsch\)/).inputValue()).toBe("Stadt Unna");
    await page.getByLabel(/^Titel \(Deutsch\)/).fill(guidelineTitle);
    await page.getByLabel(/^Für wen sie gilt \(Deutsch\)/).fill("Alle Beschäftigten der Stadtverwaltung");
    await principle(1)
      .getByLabel(/^Schlüssel/)
      .fill("mensch-entscheidet");
    await principle(1)
      .getByLabel(/^Aussage \(Deutsch\)/)
      .fill("Ein Mensch trägt die Verantwortung; KI löst gegenüber Bürgerinnen und Bürgern nichts allein aus.");
    await principle(1)
      .getByLabel(/no-automated-action-on-citizens/)
      .check();
    await principle(1)
      .getByLabel(/named-responsible-human/)
      .check();
    await step("editor", "first-guideline");

    // "Add a principle" shows the form again with one more empty principle; nothing typed is lost.
    await page.getByRole("button", { name: "Grundsatz hinzufügen" }).click();
    expect(
      await principle(1)
        .getByLabel(/^Schlüssel/)
        .inputValue(),
    ).toBe("mensch-entscheidet");
    await principle(2)
      .getByLabel(/^Aussage \(Deutsch\)/)
      .fill("Der Energiebedarf jeder KI wird geschätzt.");
    await principle(2)
      .getByLabel(/^Thema/)
      .selectOption("ENERGY");
    await principle(2)
      .getByLabel(/energy-considered/)
      .check();
    // "Nach oben" / "Nach unten" swap a principle with its neighbour, keeping what was typed; each button names its row.
    await page.getByRole("button", { name: "Grundsatz 2: nach oben" }).click();
    expect(
      await principle(1)
        .getByLabel(/^Aussage \(Deutsch\)/)
        .inputValue(),
    ).toBe("Der Energiebedarf jeder KI wird geschätzt.");
    expect(
      await principle(2)
        .getByLabel(/^Schlüssel/)
        .inputValue(),
    ).toBe("mensch-entscheidet");
    expect(await page.getByRole("button", { name: "Grundsatz 1: nach oben" }).count()).toBe(0);
    await step("editor", "first-guideline-principle-moved");
    await page.getByRole("button", { name: "Grundsatz 1: nach unten" }).click();
    expect(
      await principle(1)
        .getByLabel(/^Schlüssel/)
        .inputValue(),
    ).toBe("mensch-entscheidet");
    expect(
      await principle(2)
        .getByLabel(/energy-considered/)
        .isChecked(),
    ).toBe(true);
    await page.getByRole("button", { name: "Abschnitt hinzufügen" }).click();
    await page.getByLabel(/^Überschrift \(Deutsch\)/).fill("Wozu diese Leitlinie dient");
    await page.getByLabel(/^Text \(Markdown\) \(Deutsch\)/).fill("Sie sagt, wie die Stadt Unna KI einsetzt und wo die Grenzen liegen.");
    await step("editor", "first-guideline-principles-sections");
    await page.getByRole("button", { name: "Speichern", exact: true }).click();
    await page.waitForURL(/\/staff\?saved=1$/);
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");

    // Publishing shows the version first as its public page will: title, version, issuer, principles with their rules, sections.
    await row(guidelineTitle).getByRole("link", { name: "Veröffentlichen" }).click();
    expect(await page.locator("h1").textContent()).toBe("Vorschau vor dem Veröffentlichen");
    expect(await page.locator("#preview-title").textContent()).toBe(guidelineTitle);
    expect(await page.locator(".preview .facts").textContent()).toMatch(/Version\s*1\.0[\s\S]*Herausgeber\s*Stadt Unna/);
    expect(await page.locator(".principles li").count()).toBe(2);
    expect(await page.locator(".principles li").first().textContent()).toContain("Ein Mensch trägt die Verantwortung");
    expect(await page.getByRole("heading", { name: "Wozu diese Leitlinie dient" }).count()).toBe(1);
    await step("editor", "first-guideline-preview");
    // "Back to the draft" opens the editor; nothing was published.
    await page.getByRole("link", { name: "Zurück zum Entwurf" }).click();
    expect(await page.locator("h1").textContent()).toBe("Entwurf bearbeiten");
    await page.goto(`${node.url}/staff`);
    await row(guidelineTitle).getByRole("link", { name: "Veröffentlichen" }).click();
    await page.getByRole("button", { name: "Jetzt veröffentlichen" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await row(guidelineTitle).getByRole("link", { name: guidelineTitle, exact: true }).click();
    expect(await page.locator(".principles li").count()).toBe(2);
    expect(await page.getByRole("heading", { name: "Wozu diese Leitlinie dient" }).count()).toBe(1);
    await step("editor", "first-guideline-published");
  });

  it("drafts version 1.1 (the next label suggested), removes a principle and publishes it", async () => {
    await page.goto(`${node.url}/staff`);
    await row(guidelineTitle).getByRole("link", { name: "Neue Version entwerfen" }).click();
    expect(await page.getByLabel(/^Version/).inputValue()).toBe("1.1");
    await principle(2).getByLabel("Grundsatz 2 beim Speichern entfernen").check();
    await page.getByLabel(/^Was hat sich geändert\? \(Deutsch\)/).fill("Der Grundsatz zum Energiebedarf entfällt vorerst.");
    await step("editor", "new-version");
    await page.getByRole("button", { name: "Speichern", exact: true }).click();
    const draft = page.locator("tr", { hasText: "Entwurf" }).filter({ hasText: "1.1" });
    await draft.getByRole("link", { name: "Veröffentlichen" }).click();
    expect(await page.locator(".preview .facts").textContent()).toMatch(/Version\s*1\.1/);
    expect(await page.locator(".principles li").count()).toBe(1);
    await step("editor", "new-version-preview");
    await page.getByRole("button", { name: "Jetzt veröffentlichen" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await page.goto(node.url);
    expect(await page.getByText("Version 1.1 ·").count()).toBe(1);
    expect(await page.locator(".principles li").count()).toBe(1);
    await step("editor", "new-version-published");
  });
});

describe("a use case goes from the editor to the vetter and back", () => {
  it("the editor registers a use case; the page shows the rule check as it saves", async () => {
    await page.goto(`${node.url}/staff`);
    await page.getByRole("link", { name: "Einsatzfall erfassen" }).click();
    await page.getByLabel("Name (Deutsch)").fill(useCaseName);
    await page.getByLabel("Kurzbeschreibung (Deutsch)").fill("Ordnet eingehende Briefe dem zuständigen Fachbereich zu.");
    await page.getByLabel("Zweck und Nutzen (Deutsch)").fill("Briefe kommen schneller an.");
    await page.getByLabel("Fachbereich").fill("Zentrale Dienste");
    await page.getByLabel("Verantwortliche Rolle (Deutsch)").fill("Leitung Poststelle");
    await page.getByLabel("Dienststelle (Deutsch)").fill("Poststelle");
    await page.getByLabel("E-Mail").fill("poststelle@unna.example");
    await page.getByLabel("Einbindung in den Prozess (Deutsch)").fill("Schlägt einen Fachbereich vor; die Poststelle leitet weiter.");
    await page.getByLabel("Menschliche Prüfung (Deutsch)").fill("Jeder Vorschlag wird angesehen.");
    await page.getByLabel("Risikoklasse").selectOption("MINIMAL");
    await step("editor", "use-case-form");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    expect(await page.locator("section[aria-labelledby=check-title]").textContent()).toContain("Alle zwingenden Regeln sind erfüllt");
    await step("editor", "use-case-saved");

    // Editing the draft: what was stored is in the form; a change is saved.
    await page.goto(`${node.url}/staff`);
    await row(useCaseName)
      .getByRole("link", { name: `Bearbeiten: ${useCaseName}` })
      .click();
    expect(await page.getByLabel("Fachbereich").inputValue()).toBe("Zentrale Dienste");
    await page.getByLabel("Fachbereich").fill("Zentrale Dienste und Poststelle");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await step("editor", "use-case-draft-edited");
    await page.getByRole("button", { name: "Zur Prüfung einreichen" }).click();
    expect(await row(useCaseName).textContent()).toContain("Eingereicht");
  });

  it("the vetter finds it in the queue and sends it back with a reason", async () => {
    await signInAs(vetterToken);
    await step("vetter", "queue");
    await row(useCaseName).getByRole("link", { name: "Prüfen und freigeben" }).click();
    expect(await page.getByRole("table", { name: "Prüfung gegen die Leitlinie" }).textContent()).toContain("Ein Mensch trägt die Verantwortung");
    await step("vetter", "vet");
    await page.getByLabel(/^Begründung/).fill("Bitte den Energiebedarf schätzen und die Aufbewahrung der Briefe nennen.");
    await page.getByRole("button", { name: "Zurückgeben" }).click();
    // The dashboard row says it was sent back, not only "draft".
    expect(await row(useCaseName).textContent()).toContain("Zurückgegeben");
    await step("vetter", "sent-back");
  });

  it("the editor sees the vetter's reason on the use case, edits it and submits it again", async () => {
    await signInAs(editorToken);
    // An editor is not offered the moderation queue they cannot use.
    expect(await page.getByRole("link", { name: "Moderation", exact: true }).count()).toBe(0);
    expect(await row(useCaseName).textContent()).toContain("Zurückgegeben");
    await row(useCaseName)
      .getByRole("link", { name: `Bearbeiten: ${useCaseName}` })
      .click();
    const sentBack = page.getByRole("note", { name: "Zurückgegeben zur Überarbeitung" });
    expect(await sentBack.textContent()).toContain("Viktor Prüfer");
    expect(await sentBack.textContent()).toContain("Bitte den Energiebedarf schätzen und die Aufbewahrung der Briefe nennen.");
    await step("editor", "sent-back-reason");
    await page.getByLabel("kWh pro Jahr").fill("120");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await page.getByRole("button", { name: "Zur Prüfung einreichen" }).click();
    expect(await row(useCaseName).textContent()).toContain("Eingereicht");
  });

  it("the vetter approves it (every binding rule holds); the editor publishes it and revises the published use case", async () => {
    await signInAs(vetterToken);
    await row(useCaseName).getByRole("link", { name: "Prüfen und freigeben" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Alle zwingenden Regeln sind erfüllt.");
    await page.getByRole("button", { name: "Freigeben" }).click();
    expect(await row(useCaseName).textContent()).toContain("Freigegeben");
    await step("vetter", "approved");

    await signInAs(editorToken);
    await row(useCaseName).getByRole("button", { name: "Veröffentlichen" }).click();
    await row(useCaseName).getByRole("link", { name: useCaseName, exact: true }).click();
    expect(await page.getByText("Viktor Prüfer (Prüfstelle)").count()).toBe(1);
    await step("editor", "use-case-published");

    await page.goto(`${node.url}/staff`);
    await row(useCaseName)
      .getByRole("link", { name: `Überarbeiten: ${useCaseName}` })
      .click();
    await page.getByLabel("Kurzbeschreibung (Deutsch)").fill("Ordnet eingehende Briefe und E-Mails dem zuständigen Fachbereich zu.");
    await page.getByRole("button", { name: "Speichern" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert.");
    await step("editor", "use-case-revised");
    // The revision is a draft again: it goes through vetting before the public record changes.
    await page.goto(`${node.url}/staff`);
    expect(await row(useCaseName).textContent()).toContain("Entwurf");
  });
});

describe("the editor shares a model", () => {
  const modelName = "Posteingangs-Klassifikator";
  it("registers a model with its card, energy and sovereignty (saving publishes it), edits it and retires it", async () => {
    await signInAs(editorToken);
    await page.getByRole("navigation", { name: "Bereiche der Verwaltung" }).getByRole("link", { name: "Geteilte Modelle" }).click();
    await step("editor", "models");
    await page.getByRole("link", { name: "Modell eintragen" }).click();
    const fill = (name: string, value: string) => page.locator(`[name="${name}"]`).fill(value);
    await fill("name.de", modelName);
    await fill("version", "1.0");
    await page.locator('[name="licence"]').selectOption("Apache-2.0");
    await fill("architecture", "Feinabgestimmter Encoder");
    await fill("languages", "de");
    await fill("intendedUse.de", "Briefe einem Fachbereich zuordnen.");
    await fill("outOfScopeUse.de", "Entscheidungen über Anträge.");
    await fill("limitations.de", "Irrt bei handschriftlichen Briefen.");
    await fill("trainingData.de", "Zehntausend Briefe der Stadt, geschwärzt.");
    await fill("inferenceEnergy.whPer1000Requests", "3,5");
    await fill("inferenceEnergy.hardware", "1× NVIDIA L4");
    await fill("inferenceEnergy.testDate", "2026-11-02");
    await fill("sovereignty.weightsLocation", "Rechenzentrum der Stadt Unna");
    await page.locator('[name="sovereignty.hosting"]').selectOption("MUNICIPAL_DATA_CENTRE");
    await fill("sovereignty.operatorJurisdiction", "DE");
    await fill("maintainers.0.name", "IT der Stadt Unna");
    await step("editor", "model-form");
    await page.getByRole("button", { name: "Speichern und veröffentlichen" }).click();
    expect(await page.getByRole("alert").allTextContents()).toEqual([]);
    await page.waitForURL(/\/staff\/models\/view\?id=.+&done=published$/);
    expect(await page.getByRole("status").textContent()).toContain("Gespeichert und veröffentlicht");
    await step("editor", "model-published");

    await page.getByRole("link", { name: "Modell bearbeiten" }).click();
    await fill("version", "1.1");
    await page.getByRole("button", { name: "Änderungen speichern" }).click();
    await page.waitForURL(/done=updated$/);
    expect(await page.getByText("1.1").count()).toBeGreaterThan(0);
    await step("editor", "model-edited");

    await page.getByRole("link", { name: "Zurückziehen" }).click();
    await step("editor", "model-retire-confirm");
    await page.getByRole("button", { name: "Ja, Modell zurückziehen" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Das Modell wurde zurückgezogen.");
    await step("editor", "model-retired");
  });
});

it("reported no unexpected errors on any page", () => {
  expect(node.unexpectedErrors).toEqual([]);
});
