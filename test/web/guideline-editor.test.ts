// The guideline editor over plain HTTP: a new version from the published one suggests the next free
// label (saving it works at once), a taken or huge label is refused at the field, and the editor is
// the staff's only; a city without a guideline creates its first one from the dashboard (German and
// English); principles and sections are added and removed without JavaScript, their rules ticked
// from the rule catalog, and a rule not in the catalog is refused at its principle's field.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { nextVersionLabel } from "../../packages/web/src/staff.queries.ts";
import { getPage, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, vetterToken, type WebNode } from "./web-node.ts";

let node: WebNode;
let fresh: WebNode;
let editor: string;
let freshEditor: string;
beforeAll(async () => {
  [node, fresh] = await Promise.all([startWebNode(), startWebNode({ handle: "unna", name: "Stadt Unna", seedDemo: false })]);
  editor = (await signIn(node.url, editorToken)).cookie;
  freshEditor = (await signIn(fresh.url, editorToken)).cookie;
});
afterAll(async () => {
  await node?.close();
  await fresh?.close();
});

/** Posts a form as a browser does: repeated names for ticked checkboxes. */
const send = (base: string, path: string, cookie: string, pairs: [string, string][]) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams(pairs),
    redirect: "manual",
  });
/** Every field a browser would send unchanged, ticked checkboxes included (by name, repeated). */
const pairsOf = (page: string): [string, string][] => {
  // Only the editor's form: the page's other forms (signing out) carry their own fields.
  const form = /<form method="post" action="\/staff\/guidelines\/save"[\s\S]*?<\/form>/.exec(page)?.[0] ?? "";
  const unescape = (value: string) =>
    value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  const pairs: [string, string][] = [];
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? "";
    if (!name) continue;
    if (/type="checkbox"/.test(tag) && !/\schecked/.test(tag)) continue;
    pairs.push([name, unescape(value)]);
  }
  for (const [, name, body] of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) pairs.push([name!, unescape(body!)]);
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    pairs.push([name!, /<option value="([^"]*)"\s*selected/.exec(options!)?.[1] ?? ""]);
  return pairs;
};
const withField = (pairs: [string, string][], name: string, value: string): [string, string][] => [...pairs.filter(([key]) => key !== name), [name, value]];
/** The text shown as the error of the field `name` (form.views: `<p class="field-error" id="field-…-error">`). */
const errorAt = (page: string, name: string) => new RegExp(`id="field-${name.replace(/[^a-zA-Z0-9]/g, "-")}-error">([^<]*)<`).exec(page)?.[1]?.trim();
const rowsIn = (page: string, list: string) => new Set([...page.matchAll(new RegExp(`name="${list}\\.(\\d+)\\.`, "g"))].map((match) => match[1])).size;

const page = async (path: string, cookie = editor) => {
  const response = await getPage(`${node.url}${path}`, { cookie });
  return { status: response.status, text: await response.text(), location: response.headers.get("location") };
};
const versionValue = (form: string) => /name="version"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="version"/.exec(form)?.slice(1).find(Boolean);

describe("the next version's label", () => {
  it("counts the last number up and skips labels already used", () => {
    expect(nextVersionLabel("1.0", ["1.0"])).toBe("1.1");
    expect(nextVersionLabel("1.9", ["1.9"])).toBe("1.10");
    expect(nextVersionLabel("2", ["1", "2"])).toBe("3");
    expect(nextVersionLabel("2026-01", ["2026-01"])).toBe("2026-02");
    expect(nextVersionLabel("1.0", ["1.0", "1.1", "1.2"])).toBe("1.3");
    expect(nextVersionLabel("Fassung A", ["Fassung A"])).toBe("Fassung A.1");
  });
});

describe("drafting a new version of the published guideline", () => {
  it("suggests 1.1 (not the published 1.0), and saving the form unchanged stores the draft", async () => {
    const dashboard = (await page("/staff")).text;
    const href = /<a class="button" href="(\/staff\/guidelines\/edit\?id=[^"]+)">Neue Version entwerfen<\/a>/.exec(dashboard)?.[1];
    expect(href).toBeDefined();
    const form = (await page(href!.replace(/&amp;/g, "&"))).text;
    expect(versionValue(form)).toBe("1.1");

    // A label already used is refused at the version field, the form keeping what was typed.
    const taken = await send(node.url, "/staff/guidelines/save", editor, withField(pairsOf(form), "version", "1.0"));
    expect(taken.status).toBe(422);
    const takenPage = await taken.text();
    expect(takenPage).toContain('role="alert"');
    expect(takenPage).toMatch(/„1\.0“|"1\.0"|&quot;1\.0&quot;/);
    expect(versionValue(takenPage)).toBe("1.0");

    // A huge label: a 4xx with a message, not a crash.
    const huge = await send(node.url, "/staff/guidelines/save", editor, withField(pairsOf(form), "version", "9".repeat(100_000)));
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);

    // Without a session the editor is not reachable at all.
    const anonymous = await page(href!.replace(/&amp;/g, "&"), "");
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe("/staff/sign-in");

    const saved = await send(node.url, "/staff/guidelines/save", editor, pairsOf(form));
    expect(saved.status).toBe(303);
    const after = (await page("/staff")).text;
    expect(after).toMatch(/1\.1[\s\S]{0,400}Entwurf/);
    expect(node.unexpectedErrors).toEqual([]);
  });
});

describe("a city's first guideline", () => {
  const freshPage = async (path: string, cookie = freshEditor) => {
    const response = await getPage(`${fresh.url}${path}`, { cookie });
    return { status: response.status, text: await response.text(), location: response.headers.get("location") };
  };

  it("is created from the dashboard: a button, an empty form that says what a guideline is, in German and English", async () => {
    const dashboard = (await freshPage("/staff")).text;
    expect(dashboard).toContain("Ihre Kommune hat hier noch keine Leitlinie.");
    expect(dashboard).toMatch(/<a class="button" href="\/staff\/guidelines\/new"\s*>Erste Leitlinie anlegen<\/a/);
    const english = (await freshPage("/staff?lang=en")).text;
    expect(english).toContain("Your municipality has no guideline here yet.");
    expect(english).toMatch(/>Create the first guideline<\/a/);
    expect((await freshPage("/staff/guidelines/new?lang=en")).text).toContain("A guideline states the principles by which your municipality uses AI");

    const form = (await freshPage("/staff/guidelines/new?lang=de")).text;
    expect(form).toContain("<h1>Neue Leitlinie anlegen</h1>");
    expect(form).toContain("Eine Leitlinie hält fest, nach welchen Grundsätzen Ihre Kommune KI einsetzt");
    expect(versionValue(form)).toBe("1.0");
    const rule = /name="principles\.0\.ruleIds" value="([^"]+)"/.exec(form)?.[1];
    expect(rule).toBeDefined();
    const filled: [string, string][] = [
      ...pairsOf(form).filter(([name]) => !["title.de", "issuingBody.name.de", "audience.de", "principles.0.statement.de"].includes(name)),
      ["title.de", "KI-Leitlinie der Stadt Unna"],
      ["issuingBody.name.de", "Stadt Unna"],
      ["audience.de", "Alle Beschäftigten der Stadtverwaltung"],
      ["principles.0.statement.de", "Ein Mensch entscheidet über jeden Bescheid."],
      ["principles.0.ruleIds", rule!],
    ];

    // Without a title: refused at the title's field, what was typed kept.
    const untitled = await send(fresh.url, "/staff/guidelines/save", freshEditor, withField(filled, "title.de", ""));
    expect(untitled.status).toBe(422);
    const untitledPage = await untitled.text();
    expect(untitledPage).toContain('role="alert"');
    expect(errorAt(untitledPage, "title.de")).toBeTruthy();
    expect(untitledPage).toContain("Ein Mensch entscheidet über jeden Bescheid.");

    // A huge title: 4xx with a message, not a crash.
    const huge = await send(fresh.url, "/staff/guidelines/save", freshEditor, withField(filled, "title.de", "L".repeat(150_000)));
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);

    // A vetter may not write guidelines.
    const vetter = (await signIn(fresh.url, vetterToken)).cookie;
    const vetterForm = (await freshPage("/staff/guidelines/new", vetter)).text;
    const byVetter = await send(
      fresh.url,
      "/staff/guidelines/save",
      vetter,
      withField(filled, "_csrf", /name="_csrf" value="([^"]+)"/.exec(vetterForm)?.[1] ?? ""),
    );
    expect(byVetter.status).toBe(403);

    const saved = await send(fresh.url, "/staff/guidelines/save", freshEditor, filled);
    expect(saved.status).toBe(303);
    const after = (await freshPage("/staff")).text;
    expect(after).not.toContain("noch keine Leitlinie");
    expect(after).toMatch(/KI-Leitlinie der Stadt Unna[\s\S]{0,200}1\.0[\s\S]{0,200}Entwurf/);
    // The draft opens with what was saved, the key made from the statement.
    const draftHref = /href="(\/staff\/guidelines\/edit\?id=[^"]+)">Entwurf bearbeiten/.exec(after)?.[1];
    const draft = (await freshPage(draftHref!.replace(/&amp;/g, "&"))).text;
    expect(draft).toMatch(/name="principles\.0\.key"[^>]*value="ein-mensch-entscheidet-ueber-jeden"/);
    expect(draft).toMatch(new RegExp(`name="principles\\.0\\.ruleIds" value="${rule!}"\\s+checked`));
    expect(fresh.unexpectedErrors).toEqual([]);
  });
});

describe("principles and sections without JavaScript", () => {
  it("adds and removes rows, ticks rules from the catalog and refuses a rule not in it at the principle's field", async () => {
    const dashboard = (await page("/staff")).text;
    const href = /href="(\/staff\/guidelines\/edit\?id=[^"]+)">(?:Neue Version entwerfen|Entwurf bearbeiten)/.exec(dashboard)?.[1];
    const form = (await page(href!.replace(/&amp;/g, "&"))).text;
    const principles = rowsIn(form, "principles");
    const sections = rowsIn(form, "sections");
    expect(principles).toBeGreaterThan(0);
    // Each principle offers the whole rule catalog; the demo's rules are ticked.
    const catalog = [...form.matchAll(/name="principles\.0\.ruleIds" value="([^"]+)"/g)].map((match) => match[1]);
    expect(catalog.length).toBeGreaterThan(3);
    expect(form).toMatch(/name="principles\.\d+\.ruleIds" value="[^"]+"\s+checked/);

    const added = await send(node.url, "/staff/guidelines/save", editor, [...pairsOf(form), ["add", "principle"]]);
    expect(added.status).toBe(200);
    const addedPage = await added.text();
    expect(rowsIn(addedPage, "principles")).toBe(principles + 1);
    expect(addedPage).toMatch(new RegExp(`name="principles\\.${principles}\\.key"[^>]*value=""`));

    // Fill the new row, add a section, and remove the first principle: all in one round without saving.
    const second = await send(node.url, "/staff/guidelines/save", editor, [
      ...pairsOf(addedPage).filter(([name]) => name !== `principles.${principles}.statement.de`),
      [`principles.${principles}.statement.de`, "Jede KI-Anwendung hat eine verantwortliche Stelle."],
      [`principles.${principles}.key`, "verantwortliche-stelle"],
      ["principles.0.remove", "yes"],
      ["add", "section"],
    ]);
    expect(second.status).toBe(200);
    const secondPage = await second.text();
    expect(rowsIn(secondPage, "principles")).toBe(principles);
    expect(rowsIn(secondPage, "sections")).toBe(sections + 1);
    expect(secondPage).toContain("Jede KI-Anwendung hat eine verantwortliche Stelle.");

    // A rule not in the catalog (a made-up id, a huge one): refused at the principle's rules, nothing saved.
    const last = principles - 1;
    for (const unknown of ["erfundene-regel", "x".repeat(20_000)]) {
      const refused = await send(node.url, "/staff/guidelines/save", editor, [...pairsOf(secondPage), [`principles.${last}.ruleIds`, unknown]]);
      expect(refused.status).toBe(422);
      const refusedPage = await refused.text();
      expect(errorAt(refusedPage, `principles.${last}.ruleIds`)).toContain("nicht im Regelkatalog");
      expect(refusedPage).toMatch(new RegExp(`href="#field-principles-${last}-ruleIds">Grundsatz ${last + 1}: Geprüft durch die Regeln</a>`));
    }
    // A key that is not one (spaces, capitals, 5,000 characters): refused at the key's field with what a key may contain.
    for (const key of ["Mensch Entscheidet", "k".repeat(5_000)]) {
      const badKey = await send(node.url, "/staff/guidelines/save", editor, withField(pairsOf(secondPage), "principles.0.key", key));
      expect(badKey.status).toBe(422);
      const message = errorAt(await badKey.text(), "principles.0.key");
      expect(message).toMatch(key.length > 100 ? /höchstens 100 Zeichen/i : /Nur Kleinbuchstaben, Ziffern/);
    }
    // A level that is not offered: refused at its field.
    const badLevel = await send(node.url, "/staff/guidelines/save", editor, withField(pairsOf(secondPage), "principles.0.level", "MAYBE"));
    expect(badLevel.status).toBe(422);
    expect(errorAt(await badLevel.text(), "principles.0.level")).toBe("Bitte wählen Sie einen Wert aus der Liste.");

    // Saved: the empty new section is dropped, the removed principle gone, the new one stored.
    const saved = await send(node.url, "/staff/guidelines/save", editor, withField(pairsOf(secondPage), "changeSummary.de", "Verantwortliche Stelle ergänzt."));
    expect(saved.status).toBe(303);
    const after = (await page("/staff")).text;
    const draftHref = /href="(\/staff\/guidelines\/edit\?id=[^"]+)">Entwurf bearbeiten/.exec(after)?.[1];
    const draft = (await page(draftHref!.replace(/&amp;/g, "&"))).text;
    expect(rowsIn(draft, "principles")).toBe(principles);
    expect(rowsIn(draft, "sections")).toBe(sections);
    expect(draft).toContain("Jede KI-Anwendung hat eine verantwortliche Stelle.");
    expect(node.unexpectedErrors).toEqual([]);
  });
});

describe("reordering rows and publishing through a preview", () => {
  const keysIn = (form: string) => [...form.matchAll(/name="principles\.(\d+)\.key"[^>]*value="([^"]*)"/g)].map((match) => match[2]);
  it("moves a principle and a section up and down without JavaScript, keeping what was typed; the buttons name their row", async () => {
    const dashboard = (await page("/staff")).text;
    const href = /href="(\/staff\/guidelines\/edit\?id=[^"]+)">(?:Neue Version entwerfen|Entwurf bearbeiten)/.exec(dashboard)?.[1];
    const form = (await page(href!.replace(/&amp;/g, "&"))).text;
    const keys = keysIn(form);
    expect(keys.length).toBeGreaterThan(1);
    // The first row cannot move up, the last not down; each button's accessible name names its row.
    expect(form).not.toContain('value="principles.0.up"');
    expect(form).not.toContain(`value="principles.${keys.length - 1}.down"`);
    expect(form).toMatch(/value="principles\.1\.up"[^>]*aria-label="Grundsatz 2: nach oben"\s*>\s*Nach oben\s*</);
    expect(form).toMatch(/value="principles\.0\.down"[^>]*aria-label="Grundsatz 1: nach unten"\s*>\s*Nach unten\s*</);

    // Move principle 2 up, with an unsaved change to principle 1 and a new section: nothing typed is lost.
    const withSection = await (await send(node.url, "/staff/guidelines/save", editor, [...pairsOf(form), ["add", "section"]])).text();
    const sectionRows = rowsIn(withSection, "sections");
    const typed: [string, string][] = [
      ...pairsOf(withSection).filter(
        ([name]) => name !== "principles.0.statement.de" && name !== `sections.${sectionRows - 1}.heading.de` && name !== `sections.${sectionRows - 1}.body.de`,
      ),
      ["principles.0.statement.de", "Ungespeicherte Änderung am ersten Grundsatz."],
      [`sections.${sectionRows - 1}.heading.de`, "Neuer Abschnitt, nach oben verschoben"],
      [`sections.${sectionRows - 1}.body.de`, "Text des neuen Abschnitts."],
    ];
    const moved = await send(node.url, "/staff/guidelines/save", editor, [...typed, ["move", "principles.1.up"]]);
    expect(moved.status).toBe(200);
    const movedPage = await moved.text();
    expect(keysIn(movedPage)).toEqual([keys[1], keys[0], ...keys.slice(2)]);
    expect(movedPage).toMatch(/name="principles\.1\.statement\.de"[^>]*>Ungespeicherte Änderung am ersten Grundsatz\.</);
    // Moving the first row up or a made-up row changes nothing.
    for (const move of ["principles.0.up", "principles.999.down", "nonsense"]) {
      const same = await send(node.url, "/staff/guidelines/save", editor, [...pairsOf(movedPage), ["move", move]]);
      expect(same.status).toBe(200);
      expect(keysIn(await same.text())).toEqual(keysIn(movedPage));
    }
    if (sectionRows > 1) {
      const sectionUp = await (
        await send(node.url, "/staff/guidelines/save", editor, [...pairsOf(movedPage), ["move", `sections.${sectionRows - 1}.up`]])
      ).text();
      expect(sectionUp).toMatch(new RegExp(`name="sections\\.${sectionRows - 2}\\.heading\\.de"[^>]*value="Neuer Abschnitt, nach oben verschoben"`));
    }

    // Saved: the draft keeps the new order.
    const saved = await send(node.url, "/staff/guidelines/save", editor, withField(pairsOf(movedPage), "changeSummary.de", "Reihenfolge geändert."));
    expect(saved.status).toBe(303);
    const after = (await page("/staff")).text;
    const draftHref = /href="(\/staff\/guidelines\/edit\?id=[^"]+)">Entwurf bearbeiten/.exec(after)?.[1];
    const draft = (await page(draftHref!.replace(/&amp;/g, "&"))).text;
    expect(keysIn(draft)).toEqual([keys[1], keys[0], ...keys.slice(2)]);
    expect(node.unexpectedErrors).toEqual([]);
  });

  it("publishes a draft only through a preview as the public page will show it; the publication stays CSRF- and lockVersion-checked", async () => {
    const dashboard = (await page("/staff")).text;
    const previewHref = /href="(\/staff\/guidelines\/publish\?id=[^"]+)">Veröffentlichen</.exec(dashboard)?.[1]?.replace(/&amp;/g, "&");
    expect(previewHref).toBeDefined();
    const id = decodeURIComponent(previewHref!.split("id=")[1]!);
    const preview = await page(previewHref!);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("<h1>Vorschau vor dem Veröffentlichen</h1>");
    // What will be published: version, valid from, issuer, principles with their rules, and the way back.
    expect(preview.text).toMatch(/<dt>Version<\/dt>\s*<dd>1\.1<\/dd>/);
    expect(preview.text).toContain("Gültig ab");
    expect(preview.text).toContain("Stadt Dortmund");
    expect(preview.text).toContain('<ol class="principles">');
    expect(preview.text).toContain("Regel:");
    expect(preview.text).toContain(`href="/staff/guidelines/edit?id=${encodeURIComponent(id).replace(/&/g, "&amp;")}">Zurück zum Entwurf</a>`);
    expect(preview.text).toMatch(/<button[^>]*>\s*Jetzt veröffentlichen\s*<\/button>/);
    const lockVersion = /name="lockVersion" value="(\d+)"/.exec(preview.text)![1]!;
    const english = await getPage(`${node.url}${previewHref}`, { cookie: editor, "accept-language": "en" });
    const englishText = await english.text();
    expect(englishText).toContain("Preview before publishing");
    expect(englishText).toContain("Publish now");
    expect(englishText).toContain("Back to the draft");

    // Without the form's CSRF token, or with a stale lockVersion: refused, nothing published.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.text)![1]!;
    expect(
      (
        await send(node.url, "/staff/guidelines/publish", editor, [
          ["id", id],
          ["lockVersion", lockVersion],
        ])
      ).status,
    ).toBe(403);
    const stale = await send(node.url, "/staff/guidelines/publish", editor, [
      ["_csrf", csrf],
      ["id", id],
      ["lockVersion", String(Number(lockVersion) - 1)],
    ]);
    expect(stale.status).toBeGreaterThanOrEqual(400);
    expect(stale.status).toBeLessThan(500);
    expect((await page(previewHref!)).status).toBe(200);

    const published = await send(node.url, "/staff/guidelines/publish", editor, [
      ["_csrf", csrf],
      ["id", id],
      ["lockVersion", lockVersion],
    ]);
    expect(published.status).toBe(303);
    // Published: the preview says it is no draft any more and offers no button; an unknown id is 404.
    const again = await page(previewHref!);
    expect(again.status).toBe(409);
    expect(again.text).toContain("kein Entwurf");
    expect(again.text).not.toContain("Jetzt veröffentlichen");
    expect((await page("/staff/guidelines/publish?id=urn%3Anot-there")).status).toBe(404);
    expect((await page("/staff/guidelines/publish")).status).toBe(404);
    expect(node.unexpectedErrors).toEqual([]);
  });
});
