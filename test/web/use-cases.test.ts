// The use-case form over plain HTTP: every field of the record, the Dortmund rule refused at the
// form's labels with the rule's text, the rule check on the page after each save, editing with
// every stored field back in the form, a sent-back use case showing the vetter's reason, and
// hostile input (huge, malformed, wrong role, made-up ids) answered with 4xx at the fields.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { csrfOf, getPage, postForm, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, vetterToken, type WebNode } from "./web-node.ts";

let node: WebNode;
let editor: string;
let vetter: string;
beforeAll(async () => {
  node = await startWebNode();
  editor = (await signIn(node.url, editorToken)).cookie;
  vetter = (await signIn(node.url, vetterToken)).cookie;
});
afterAll(() => node?.close());

const page = async (path: string, cookie = editor) => {
  const response = await getPage(`${node.url}${path}`, { cookie });
  return { status: response.status, text: await response.text(), location: response.headers.get("location") };
};
/** The page's text without tags and the formatter's white space. */
const plain = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

async function post(formPath: string, action: string, fields: Record<string, string>, cookie = editor) {
  const form = (await page(formPath, cookie)).text;
  const lockVersion = /name="lockVersion" value="(\d+)"/.exec(form)?.[1];
  const response = await postForm(`${node.url}${action}`, cookie, { _csrf: csrfOf(form), ...(lockVersion ? { lockVersion } : {}), ...fields });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}
const idOf = (location: string | null) => decodeURIComponent(/[?&]id=([^&]+)/.exec(location ?? "")![1]!);

/** A use case that affects citizens, as a municipal editor fills it in (German and English). */
const parking: Record<string, string> = {
  "name.de": "Hinweise aus Parkraumkameras",
  "name.en": "Notices from parking cameras",
  "shortDescription.de": "Erkennt Falschparker und schlägt Verwarnungen vor.",
  "shortDescription.en": "Spots illegal parking and suggests warnings.",
  "purpose.de": "Weniger zugeparkte Rettungswege.",
  department: "Ordnungsamt",
  status: "PILOT",
  technique: "ML",
  selfLearning: "no",
  "statusDates.pilot": "2026-09-01",
  "responsible.role.de": "Leitung Ordnungsamt",
  "responsible.office.de": "Ordnungsamt",
  "contact.email": "ordnungsamt@example.org",
  "decisionProcess.processFit.de": "Vorschlag an den Außendienst.",
  "decisionProcess.automationLevel": "AUTOMATED_ACTION",
  "decisionProcess.directlyAffectsCitizens": "yes",
  "decisionProcess.humanReview.de": "Stichproben.",
  "datasets.0.name.de": "Kamerabilder",
  "datasets.0.source.de": "Parkraumkameras der Stadt",
  "datasets.0.personalData": "yes",
  "datasets.0.specialCategories": "no",
  "datasets.0.legalBasis": "Art. 6 Abs. 1 lit. e DSGVO",
  "datasets.0.retention.de": "72 Stunden",
  "suppliers.0.name": "Kamera GmbH",
  "suppliers.0.country": "de",
  "risk.aiActClass": "HIGH",
  "risk.annexIIIArea": "ESSENTIAL_SERVICES",
  "risk.risks.0.risk.de": "Falsche Kennzeichen",
  "risk.risks.0.mitigation.de": "Ein Mensch prüft jedes Foto.",
  "assessments.dpia.performed": "yes",
  "assessments.dpia.date": "2026-08-01",
  "assessments.dpia.summary.de": "Vertretbar mit Löschfristen.",
  "assessments.fria.performed": "yes",
  "assessments.fria.date": "2026-08-15",
  "assessments.fria.summary.de": "Mit Widerspruchsweg vertretbar.",
  "energy.kwhPerYear": "1.234,5",
  "energy.compensation.de": "Ökostrom",
  "sovereignty.operator": "Stadtwerke",
  "sovereignty.jurisdiction": "de",
  "sovereignty.hosting": "MUNICIPAL_DATA_CENTRE",
  "sovereignty.openWeights": "yes",
  "sovereignty.exitPlan.de": "Modell liegt bei der Stadt.",
  "reuse.potential": "HIGH",
  "reuse.wishToCooperate": "yes",
};

describe("the use-case form", () => {
  let parkingId: string;

  it("offers every field of the record, with required marks and limits", async () => {
    const form = await page("/staff/use-cases/new");
    expect(form.status).toBe(200);
    const text = plain(form.text);
    for (const label of [
      "Widerspruchsweg für Bürgerinnen und Bürger (Deutsch)",
      "Bereich nach Anhang III",
      "Rechtsgrundlage",
      "Datenschutz-Folgenabschätzung (DSFA)",
      "Ausgleichsmaßnahmen (Deutsch)",
      "Ausstiegsplan (Englisch)",
      "Geteiltes Modell",
      "Name des Anbieters",
      "Name (Englisch)",
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toContain("Name (Deutsch) (Pflichtfeld)");
    expect(text).toContain("höchstens 350 Zeichen");
    expect(form.text).toContain('maxlength="100"');
    // Optional yes/no questions start unanswered (a preset answer would start an empty dataset row or sovereignty group).
    expect(form.text).not.toMatch(/name="datasets\.0\.personalData"[^>]*checked/);
    expect(form.text).not.toMatch(/name="sovereignty\.openWeights"[^>]*checked/);
    expect(form.text).toMatch(/name="selfLearning"\s+value="no"\s+checked/);
    // The city's shared models to choose from.
    expect(text).toContain("Straßenschaden-Detektor");
  });

  it("refuses the Dortmund rule at the labels of the two fields, with the rule's text, and keeps what was typed", async () => {
    const refused = await post("/staff/use-cases/new", "/staff/use-cases", parking);
    expect(refused.status).toBe(422);
    const text = plain(refused.text);
    expect(text).toMatch(/Grad der Automatisierung : Wo Entscheidungen Menschen als Bürgerinnen und Bürger unmittelbar betreffen, darf eine KI/);
    expect(text).toMatch(/Betrifft Bürgerinnen und Bürger unmittelbar : Wo Entscheidungen/);
    expect(text).toContain("löst KI auch keine vordefinierten Aktionen selbst aus");
    expect(text).not.toContain("decisionProcess.");
    expect(refused.text).toContain('value="Hinweise aus Parkraumkameras"');
    expect(refused.text).toContain('value="Kamera GmbH"');
    // Nothing was stored.
    expect(plain((await page("/staff")).text)).not.toContain("Hinweise aus Parkraumkameras");
  });

  it("saves it once a human confirms every action, and shows the rule check with the field to fix", async () => {
    const saved = await post("/staff/use-cases/new", "/staff/use-cases", { ...parking, "decisionProcess.automationLevel": "HUMAN_APPROVES_EACH_ACTION" });
    expect(saved.status).toBe(303);
    expect(saved.location).toMatch(/^\/staff\/use-cases\/edit\?id=.+&saved=1$/);
    parkingId = idOf(saved.location);
    const edit = await page(saved.location!);
    const text = plain(edit.text);
    expect(text).toContain("Gespeichert.");
    expect(text).toContain("Mindestens eine zwingende Regel ist nicht erfüllt");
    // The appeal path is missing: the check names the principle and the form's label.
    expect(edit.text).toMatch(
      /appeal-path-for-citizens<\/code>\s*<\/td>\s*<td class="result-failed">\s*nicht erfüllt\s*<\/td>\s*<td>\s*Widerspruchsweg für Bürgerinnen und Bürger\s*<\/td>/,
    );

    const fixed = await post(saved.location!, "/staff/use-cases/edit", {
      ...parking,
      id: parkingId,
      "decisionProcess.automationLevel": "HUMAN_APPROVES_EACH_ACTION",
      "decisionProcess.appealPath.de": "Widerspruch beim Ordnungsamt, schriftlich oder online.",
      "decisionProcess.appealPath.en": "Appeal to the public order office, in writing or online.",
    });
    expect(fixed.status).toBe(303);
    const after = plain((await page(fixed.location!)).text);
    expect(after).toContain("Alle zwingenden Regeln sind erfüllt");
    expect(after).toContain("Zur Prüfung einreichen");
  });

  it("shows every stored field back in the edit form, and refuses a change made on a stale form", async () => {
    const path = `/staff/use-cases/edit?id=${encodeURIComponent(parkingId)}`;
    const form = await page(path);
    for (const [name, value] of Object.entries(parking)) {
      if (name === "decisionProcess.automationLevel") continue;
      const stored = name === "energy.kwhPerYear" ? "1234.5" : name.endsWith("country") || name.endsWith("jurisdiction") ? value.toUpperCase() : value;
      const shown = new RegExp(
        `name="${name.replaceAll(".", "\\.")}"[^>]*(value="${stored}"|>${stored}<)|value="${stored}"[^>]*\\s(checked|selected)|<option value="${stored}"\\s+selected`,
      );
      expect([name, shown.test(form.text)]).toEqual([name, true]);
    }
    expect(form.text).toContain("Widerspruch beim Ordnungsamt, schriftlich oder online.");
    const lockVersion = /name="lockVersion" value="(\d+)"/.exec(form.text)![1]!;
    const changed = await post(path, "/staff/use-cases/edit", {
      ...parking,
      id: parkingId,
      "decisionProcess.automationLevel": "HUMAN_APPROVES_EACH_ACTION",
      department: "Ordnung",
    });
    expect(changed.status).toBe(303);
    const stale = await postForm(`${node.url}/staff/use-cases/edit`, editor, {
      _csrf: csrfOf(form.text),
      ...parking,
      "decisionProcess.automationLevel": "HUMAN_APPROVES_EACH_ACTION",
      id: parkingId,
      lockVersion,
      department: "Alt",
    });
    expect(stale.status).toBe(422);
    expect(plain(await stale.text())).toContain("inzwischen von jemand anderem geändert");
    expect((await page(path)).text).toContain('value="Ordnung"');
  });

  it("shows a sent-back use case with the vetter's reason, open for editing", async () => {
    const path = `/staff/use-cases/edit?id=${encodeURIComponent(parkingId)}`;
    const form = (await page(path)).text;
    const lockVersion = /name="lockVersion" value="(\d+)"/.exec(form)![1]!;
    const submitted = await postForm(`${node.url}/staff/use-cases/submit`, editor, { _csrf: csrfOf(form), id: parkingId, lockVersion });
    expect(submitted.status).toBe(303);
    const vetPage = await page(`/staff/use-cases/vet?id=${encodeURIComponent(parkingId)}`, vetter);
    const vetLock = /name="lockVersion" value="(\d+)"/.exec(vetPage.text)![1]!;
    const sentBack = await postForm(`${node.url}/staff/use-cases/send-back`, vetter, {
      _csrf: csrfOf(vetPage.text),
      id: parkingId,
      lockVersion: vetLock,
      reason: "Bitte die Löschfrist begründen.",
    });
    expect(sentBack.status).toBe(303);
    const edit = plain((await page(path)).text);
    expect(edit).toContain("Zurückgegeben zur Überarbeitung");
    expect(edit).toContain("von Viktor Prüfer");
    expect(edit).toContain("Bitte die Löschfrist begründen.");
    expect(edit).toContain("Stand der Bearbeitung: Entwurf");
    // The dashboard row says it was sent back, not only "draft"; an editor is not offered the moderation queue (a vetter neither).
    const dashboard = (await page("/staff")).text;
    const row = dashboard.split("<tr>").find((entry) => entry.includes(`/staff/use-cases/edit?id=${encodeURIComponent(parkingId)}`));
    expect(row).toMatch(/<td>\s*Zurückgegeben\s*<\/td>/);
    expect(dashboard).not.toContain('href="/staff/moderation"');
    expect((await page("/staff", vetter)).text).not.toContain('href="/staff/moderation"');
    const admin = (await signIn(node.url, "web-test-admin-token")).cookie;
    expect((await page("/staff", admin)).text).toMatch(/<a class="button" href="\/staff\/moderation">Moderation<\/a>/);
    // Read in English, the German reason is marked as German (for screen readers too).
    const english = (await page(`${path}&lang=en`)).text;
    expect(english).toMatch(/<blockquote lang="de">\s*Bitte die Löschfrist begründen.\s*<\/blockquote>/);
    expect(plain(english)).toContain("(written in German)");
  });

  it("names the fields of failed rules as the form labels them on the staff pages that check use cases", async () => {
    const check = await page(`/staff/guidelines/check?id=${encodeURIComponent(`${node.url}/guidelines/ki-leitlinie-1.0`)}`);
    expect(check.status).toBe(200);
    expect(plain(check.text)).toContain("nicht erfüllt (Grad der Automatisierung, Betrifft Bürgerinnen und Bürger unmittelbar)");
    expect(check.text).not.toContain("decisionProcess.");
  });

  it("opens every use case of the city in the form, the demo's and adopted ones too", async () => {
    const dashboard = (await page("/staff")).text;
    const ids = [...dashboard.matchAll(/href="\/staff\/use-cases\/edit\?id=([^"]+)"/g)].map((match) => match[1]!);
    expect(new Set(ids).size).toBeGreaterThanOrEqual(4);
    for (const id of new Set(ids)) {
      const edit = await page(`/staff/use-cases/edit?id=${id}`);
      expect([decodeURIComponent(id), edit.status]).toEqual([decodeURIComponent(id), 200]);
      expect(edit.text).toContain("Prüfung gegen die Leitlinie");
    }
  });

  it("answers every staff page of a use case with every optional field absent (no 500)", async () => {
    const minimal: Record<string, string> = {
      "name.de": "Nur Pflichtangaben",
      "shortDescription.de": "Ein Einsatzfall mit nichts als den Pflichtfeldern.",
      "purpose.de": "Prüfen, dass jede Seite ihn zeigt.",
      department: "Hauptamt",
      status: "IDEA",
      technique: "RULE_BASED",
      selfLearning: "no",
      "responsible.role.de": "Leitung Hauptamt",
      "responsible.office.de": "Hauptamt",
      "contact.email": "hauptamt@example.org",
      "decisionProcess.processFit.de": "Keine.",
      "decisionProcess.automationLevel": "INFORMATION_ONLY",
      "decisionProcess.directlyAffectsCitizens": "no",
      "decisionProcess.humanReview.de": "Immer.",
    };
    const saved = await post("/staff/use-cases/new", "/staff/use-cases", minimal);
    expect(saved.status).toBe(303);
    const id = idOf(saved.location);
    const edit = await page(`/staff/use-cases/edit?id=${encodeURIComponent(id)}`);
    expect(edit.status).toBe(200);
    // Saved again unchanged, it stays as it was: no optional group appears from the form.
    const again = await post(`/staff/use-cases/edit?id=${encodeURIComponent(id)}`, "/staff/use-cases/edit", { ...minimal, id });
    expect(again.status).toBe(303);
    const form = (await page(`/staff/use-cases/edit?id=${encodeURIComponent(id)}`)).text;
    const lockVersion = /name="lockVersion" value="(\d+)"/.exec(form)![1]!;
    expect((await postForm(`${node.url}/staff/use-cases/submit`, editor, { _csrf: csrfOf(form), id, lockVersion })).status).toBe(303);
    const admin = (await signIn(node.url, "web-test-admin-token")).cookie;
    for (const [path, cookie] of [
      ["/staff", editor],
      [`/staff/use-cases/edit?id=${encodeURIComponent(id)}`, editor],
      [`/staff/use-cases/vet?id=${encodeURIComponent(id)}`, vetter],
      ["/staff/models", editor],
      ["/staff/catalogs", admin],
      ["/staff/moderation", admin],
      ["/staff/following", admin],
      ["/staff/tokens", admin],
      ["/staff/settings", admin],
    ] as const) {
      const answer = await page(path, cookie);
      expect([path, answer.status]).toEqual([path, 200]);
    }
    expect(node.unexpectedErrors).toEqual([]);
  });

  describe("hostile input", () => {
    it("refuses a huge name at its label, and a number and a date it cannot read", async () => {
      const refused = await post("/staff/use-cases/new", "/staff/use-cases", {
        ...parking,
        "decisionProcess.automationLevel": "HUMAN_APPROVES_EACH_ACTION",
        "name.de": "N".repeat(5_000),
        "energy.kwhPerYear": "viele",
        "statusDates.pilot": "gestern",
      });
      expect(refused.status).toBe(422);
      const text = plain(refused.text);
      expect(text).toContain("kWh pro Jahr : Bitte eine Zahl eingeben");
      expect(text).toContain("Pilot seit : Bitte ein Datum als JJJJ-MM-TT eingeben");
      expect(refused.text).toContain('value="viele"');
      const huge = await post("/staff/use-cases/new", "/staff/use-cases", {
        ...parking,
        "decisionProcess.automationLevel": "HUMAN_APPROVES_EACH_ACTION",
        "name.de": "N".repeat(5_000),
      });
      expect(huge.status).toBe(422);
      expect(plain(huge.text)).toMatch(/Name \(Deutsch\) : Höchstens 100 Zeichen/);
    });

    it("answers a made-up choice, an oversized body and a foreign record with 4xx, never 500", async () => {
      const madeUp = await post("/staff/use-cases/new", "/staff/use-cases", {
        ...parking,
        "decisionProcess.automationLevel": "SKYNET",
        "risk.annexIIIArea": "MOON",
      });
      expect(madeUp.status).toBeGreaterThanOrEqual(400);
      expect(madeUp.status).toBeLessThan(500);
      const form = (await page("/staff/use-cases/new")).text;
      const oversized = await postForm(`${node.url}/staff/use-cases`, editor, { _csrf: csrfOf(form), "purpose.de": "x".repeat(300_000) });
      expect(oversized.status).toBe(413);
      expect(plain(await oversized.text())).toContain("Das Formular ist zu groß");
      for (const id of ["nope", "https://ki.muenster.example/use-cases/x", `${node.url}/use-cases/does-not-exist`]) {
        expect((await page(`/staff/use-cases/edit?id=${encodeURIComponent(id)}`)).status).toBe(404);
      }
      expect(node.unexpectedErrors).toEqual([]);
    });

    it("refuses a role that may not write use cases", async () => {
      const refused = await post(
        "/staff/use-cases/new",
        "/staff/use-cases",
        { ...parking, "decisionProcess.automationLevel": "HUMAN_APPROVES_EACH_ACTION" },
        vetter,
      );
      expect(refused.status).toBe(403);
    });
  });
});
