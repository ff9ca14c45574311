// The guideline editor: a city's first guideline, a new version from the published one, a draft's
// edits. Works without JavaScript: "add principle" and "add section" are submit buttons that show
// the form again with one more empty row; "move up"/"move down" buttons show it again with the row
// swapped with its neighbour (nothing typed is lost); a ticked "remove" drops its row; each principle's rules
// are ticked from the shared rule catalog (the API's `rules`). What the form cannot be (an unknown
// rule, kind, level, category or licence) is refused at its field before the API is asked.
import { licences } from "@leitplanken/core";
import { checkboxField, field, fieldId, problemAt, problemSummary, problemsForFields, selectField, type FormProblem } from "./form.views.ts";
import { html, type SafeHtml } from "./html.ts";
import type { Language } from "./i18n.ts";
import { csrfField, layout } from "./layout.ts";
import type { GuidelineContent, LanguageMap, PayloadError } from "./staff.queries.ts";
import type { StaffView } from "./staff.views.ts";

type Form = Record<string, unknown>;
type Principle = GuidelineContent["principles"][number];
type Section = GuidelineContent["sections"][number];

/** A rule of the shared catalog, as the editor offers it. */
export interface CatalogRule {
  id: string;
  title: { text: string };
  description: { text: string };
}

export const ruleCatalogQuery = `query RuleCatalog($lang: String!) { rules { id title { text(lang: $lang) } description { text(lang: $lang) } } }`;

export const guidelineKinds = ["GUIDELINE", "BUSINESS_DIRECTIVE", "PRACTICE_HANDBOOK"] as const;
export const principleLevels = ["MUST", "SHOULD"] as const;
export const principleCategories = [
  "HUMAN_OVERSIGHT",
  "ACCOUNTABILITY",
  "LEGAL",
  "ETHICS",
  "ENERGY",
  "SOVEREIGNTY",
  "TRANSPARENCY",
  "INTER_MUNICIPAL",
] as const;
const licenceIds = Object.keys(licences);
/** More rows than the API takes (50) are not read: the API's own limit names the list. */
const maxRows = 60;

const words = {
  de: {
    newGuideline: "Neue Leitlinie anlegen",
    firstGuideline: "Erste Leitlinie anlegen",
    whatIsIt:
      "Eine Leitlinie hält fest, nach welchen Grundsätzen Ihre Kommune KI einsetzt, etwa „Ein Mensch entscheidet über Bescheide“. Jeder Grundsatz kann Regeln aus dem gemeinsamen Regelkatalog nennen; mit ihnen prüft Leitplanken Ihre Anwendungsfälle. Gespeichert wird zunächst ein Entwurf; öffentlich wird er erst, wenn Sie ihn auf der Übersicht veröffentlichen.",
    noGuideline: "Ihre Kommune hat hier noch keine Leitlinie. Legen Sie die erste an: Anwendungsfälle werden gegen sie geprüft.",
    document: "Dokument",
    kind: "Art des Dokuments",
    issuingBody: "Herausgeber",
    audience: "Für wen sie gilt",
    licence: "Lizenz",
    licenceHint: "Erlaubt die Lizenz Bearbeitungen, können andere Kommunen die Leitlinie übernehmen und anpassen.",
    key: "Schlüssel",
    keyHint: "Kleinbuchstaben, Ziffern und Bindestriche, z. B. mensch-entscheidet; bleibt über alle Versionen gleich. Leer: aus der Aussage gebildet.",
    category: "Thema",
    rules: "Geprüft durch die Regeln",
    rulesHint: "Regeln aus dem gemeinsamen Regelkatalog, mit denen Anwendungsfälle gegen diesen Grundsatz geprüft werden.",
    removePrinciple: (n: number) => `Grundsatz ${n} beim Speichern entfernen`,
    removeSection: (n: number) => `Abschnitt ${n} beim Speichern entfernen`,
    moveUp: "Nach oben",
    moveDown: "Nach unten",
    moveLabel: (row: string, up: boolean) => `${row}: ${up ? "nach oben" : "nach unten"}`,
    section: (n: number) => `Abschnitt ${n}`,
    addPrinciple: "Grundsatz hinzufügen",
    addSection: "Abschnitt hinzufügen",
    principles: "Grundsätze",
    unknownRule: (ids: string) => `Diese Regel steht nicht im Regelkatalog: ${ids}. Bitte wählen Sie aus der Liste.`,
    unknownChoice: "Bitte wählen Sie einen Wert aus der Liste.",
    badKey: "Nur Kleinbuchstaben, Ziffern und einzelne Bindestriche dazwischen, z. B. mensch-entscheidet (höchstens 100 Zeichen).",
    notChecked: "(noch keine Regel gewählt)",
  },
  en: {
    newGuideline: "Create a new guideline",
    firstGuideline: "Create the first guideline",
    whatIsIt:
      'A guideline states the principles by which your municipality uses AI, for example "a person decides on notices". Each principle can name rules from the shared rule catalog; Leitplanken checks your use cases with them. It is saved as a draft first; it becomes public only when you publish it on the overview.',
    noGuideline: "Your municipality has no guideline here yet. Create the first one: use cases are checked against it.",
    document: "Document",
    kind: "Kind of document",
    issuingBody: "Issued by",
    audience: "Who it applies to",
    licence: "Licence",
    licenceHint: "If the licence allows derivatives, other municipalities can adopt and adapt the guideline.",
    key: "Key",
    keyHint: "Lower-case letters, digits and hyphens, e.g. human-decides; stays the same across versions. Empty: made from the statement.",
    category: "Topic",
    rules: "Checked by the rules",
    rulesHint: "Rules from the shared rule catalog that check use cases against this principle.",
    removePrinciple: (n: number) => `Remove principle ${n} when saving`,
    removeSection: (n: number) => `Remove section ${n} when saving`,
    moveUp: "Move up",
    moveDown: "Move down",
    moveLabel: (row: string, up: boolean) => `${row}: ${up ? "move up" : "move down"}`,
    section: (n: number) => `Section ${n}`,
    addPrinciple: "Add a principle",
    addSection: "Add a section",
    principles: "Principles",
    unknownRule: (ids: string) => `This rule is not in the rule catalog: ${ids}. Please choose from the list.`,
    unknownChoice: "Please choose a value from the list.",
    badKey: "Only lower-case letters, digits and single hyphens between them, e.g. human-decides (at most 100 characters).",
    notChecked: "(no rule chosen yet)",
  },
} as const;
export const editorWords = (language: Language) => words[language];

const today = () => new Date().toISOString().slice(0, 10);
const blankPrinciple = (): Principle => ({ key: "", statement: {}, level: "MUST", category: "HUMAN_OVERSIGHT", ruleIds: [] });
const blankSection = (): Section => ({ heading: {}, body: {} });

/** The empty form of a city's first guideline: one empty principle, version 1.0 from today. */
export function blankGuideline(): GuidelineContent {
  return {
    id: "",
    lockVersion: 0,
    state: "NEW",
    guideline: { id: "", versions: { nodes: [] } },
    kind: "GUIDELINE",
    title: {},
    summary: null,
    changeSummary: null,
    issuingBody: { name: {} },
    audience: {},
    licence: "CC-BY-4.0",
    version: "1.0",
    validFrom: today(),
    principles: [blankPrinciple()],
    sections: [],
  };
}

function languageMap(de: unknown, en: unknown): LanguageMap | null {
  const map: LanguageMap = {};
  if (typeof de === "string" && de.trim()) map.de = de.trim();
  if (typeof en === "string" && en.trim()) map.en = en.trim();
  return map.de || map.en ? map : null;
}

/** The row numbers a form sent for a list (`principles.3.key` → 3), in order, at most `maxRows`. */
function rowsOf(form: Form, list: string): number[] {
  const pattern = new RegExp(`^${list}\\.(\\d{1,4})\\.`);
  const rows = new Set<number>();
  for (const name of Object.keys(form)) {
    const match = pattern.exec(name);
    if (match) rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b).slice(0, maxRows);
}

const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string" && item.trim() !== "").map((item) => item.trim());

/** A principle's key from its statement when the editor left it empty ("Ein Mensch entscheidet" → "ein-mensch-entscheidet"). */
export function keyFromStatement(statement: LanguageMap): string {
  const text = (statement.de ?? statement.en ?? "")
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[^a-z0-9\s-]/g, "");
  return text
    .split(/[\s-]+/)
    .filter(Boolean)
    .slice(0, 5)
    .join("-")
    .slice(0, 60)
    .replace(/-+$/, "");
}

/** The rows of a list in the form's order, with the row a pressed "move" button (`principles.3.up`) names swapped with its neighbour. */
function orderedRows(form: Form, list: string): number[] {
  const rows = rowsOf(form, list);
  const match = typeof form.move === "string" ? /^(\w+)\.(\d{1,4})\.(up|down)$/.exec(form.move) : null;
  if (!match || match[1] !== list) return rows;
  const at = rows.indexOf(Number(match[2]));
  const other = match[3] === "up" ? at - 1 : at + 1;
  if (at < 0 || other < 0 || other >= rows.length) return rows;
  [rows[at], rows[other]] = [rows[other]!, rows[at]!];
  return rows;
}

/**
 * The stored version (or the blank first one) with what the form says. Principles and sections
 * are the form's rows in its order (after a "move" button's swap), without ticked "remove" rows
 * and, when saving, without rows left empty.
 */
export function applyGuidelineForm(stored: GuidelineContent, form: Form, saving: boolean): GuidelineContent {
  const text = (name: string) => languageMap(form[`${name}.de`], form[`${name}.en`]);
  const value = (name: string, fallback: string) => (typeof form[name] === "string" ? String(form[name]).trim() : fallback);
  const kept = (list: string) => orderedRows(form, list).filter((row) => form[`${list}.${row}.remove`] !== "yes");
  const principles = kept("principles")
    .map((row): Principle => {
      const statement = text(`principles.${row}.statement`) ?? {};
      const key = value(`principles.${row}.key`, "");
      return {
        key: key || keyFromStatement(statement),
        statement,
        level: value(`principles.${row}.level`, "MUST"),
        category: value(`principles.${row}.category`, "HUMAN_OVERSIGHT"),
        ruleIds: listOf(form[`principles.${row}.ruleIds`]),
      };
    })
    .filter((principle) => !saving || principle.key || principle.statement.de || principle.statement.en || principle.ruleIds.length > 0);
  const sections = kept("sections")
    .map((row): Section => ({ heading: text(`sections.${row}.heading`) ?? {}, body: text(`sections.${row}.body`) ?? {} }))
    .filter((section) => !saving || section.heading.de || section.heading.en || section.body.de || section.body.en);
  const issuingBody = (stored.issuingBody ?? {}) as { name?: LanguageMap };
  return {
    ...stored,
    kind: value("kind", String(stored.kind ?? "GUIDELINE")),
    version: value("version", stored.version),
    validFrom: value("validFrom", stored.validFrom),
    title: text("title") ?? {},
    summary: text("summary"),
    changeSummary: text("changeSummary"),
    issuingBody: { ...issuingBody, name: text("issuingBody.name") ?? {} },
    audience: text("audience") ?? {},
    licence: value("licence", String(stored.licence ?? "")),
    principles,
    sections,
  };
}

/** With "add principle" or "add section" pressed: the same content with one more empty row. */
export function withAddedRow(content: GuidelineContent, add: unknown): GuidelineContent {
  if (add === "principle") return { ...content, principles: [...content.principles, blankPrinciple()] };
  if (add === "section") return { ...content, sections: [...content.sections, blankSection()] };
  return content;
}

/** Labels of the form's fields, by their API path (for the API's field errors) and form name. */
function editorFields(view: StaffView, content: GuidelineContent): { path: string; name: string; label: string }[] {
  const { t } = view.context;
  const w = words[t.language];
  const bilingual = (path: string, label: string) => [
    { path: `${path}.de`, name: `${path}.de`, label: `${label} (${t.t("german")})` },
    { path: `${path}.en`, name: `${path}.en`, label: `${label} (${t.t("english")})` },
    { path, name: `${path}.de`, label },
  ];
  return [
    { path: "kind", name: "kind", label: w.kind },
    { path: "version", name: "version", label: t.t("version") },
    { path: "validFrom", name: "validFrom", label: t.t("validFrom") },
    ...bilingual("changeSummary", t.t("changeSummary")),
    ...bilingual("title", t.t("title")),
    ...bilingual("summary", t.t("summary")),
    ...bilingual("issuingBody.name", w.issuingBody),
    ...bilingual("audience", w.audience),
    { path: "licence", name: "licence", label: w.licence },
    { path: "principles", name: content.principles.length > 0 ? "principles.0.key" : "add-principle", label: w.principles },
    ...content.principles.flatMap((_, index) => {
      const n = `${t.t("principle")} ${index + 1}`;
      return [
        { path: `principles[${index}]`, name: `principles.${index}.key`, label: n },
        { path: `principles[${index}].key`, name: `principles.${index}.key`, label: `${n}: ${w.key}` },
        ...bilingual(`principles.${index}.statement`, `${n}: ${t.t("statement")}`).map((entry) => ({
          ...entry,
          path: entry.path.replace(`principles.${index}`, `principles[${index}]`),
        })),
        { path: `principles[${index}].level`, name: `principles.${index}.level`, label: `${n}: ${t.t("level")}` },
        { path: `principles[${index}].category`, name: `principles.${index}.category`, label: `${n}: ${w.category}` },
        { path: `principles[${index}].ruleIds`, name: `principles.${index}.ruleIds`, label: `${n}: ${w.rules}` },
      ];
    }),
    ...content.sections.flatMap((_, index) => {
      const n = `${t.t("sections")} ${index + 1}`;
      return [...bilingual(`sections.${index}.heading`, `${n}: ${t.t("heading")}`), ...bilingual(`sections.${index}.body`, `${n}: ${t.t("body")}`)].map(
        (entry) => ({ ...entry, path: entry.path.replace(`sections.${index}`, `sections[${index}]`) }),
      );
    }),
  ];
}

/** What the form cannot be, found before the API is asked: a value not offered in a list, a rule not in the catalog. */
export function formProblems(view: StaffView, content: GuidelineContent, rules: readonly CatalogRule[]): FormProblem[] {
  const { t } = view.context;
  const w = words[t.language];
  const labels = new Map(editorFields(view, content).map((entry) => [entry.name, entry.label]));
  const problems: FormProblem[] = [];
  const choice = (name: string, value: unknown, allowed: readonly string[]) => {
    if (!allowed.includes(String(value))) problems.push({ name, label: labels.get(name) ?? name, message: w.unknownChoice });
  };
  choice("kind", content.kind, guidelineKinds);
  choice("licence", content.licence, licenceIds);
  const known = new Set(rules.map((rule) => rule.id));
  content.principles.forEach((principle, index) => {
    choice(`principles.${index}.level`, principle.level, principleLevels);
    choice(`principles.${index}.category`, principle.category, principleCategories);
    // An empty key stays empty only with an empty statement, which the API names at the statement.
    if (principle.key && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(principle.key)) {
      const name = `principles.${index}.key`;
      problems.push({ name, label: labels.get(name) ?? name, message: w.badKey });
    }
    const unknown = principle.ruleIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      const name = `principles.${index}.ruleIds`;
      problems.push({
        name,
        label: labels.get(name) ?? name,
        message: w.unknownRule(unknown.map((id) => (id.length > 80 ? `${id.slice(0, 80)}…` : id)).join(", ")),
      });
    }
  });
  return problems;
}

/** The API's refusal at the form's fields. */
export function apiProblems(view: StaffView, content: GuidelineContent, error: PayloadError | undefined): FormProblem[] {
  const problems = error?.fieldErrors ? problemsForFields(error.fieldErrors, editorFields(view, content)) : [];
  // A key left empty is made from the statement: with no statement either, the statement's problem says what to do.
  return problems.filter(
    (problem) => !/^principles\.\d+\.key$/.test(problem.name ?? "") || content.principles[Number(problem.name!.split(".")[1])]?.key !== "",
  );
}

function bilingualFields(
  language: Language,
  view: StaffView,
  name: string,
  label: string,
  value: LanguageMap | null | undefined,
  problems: readonly FormProblem[],
  options: { multiline?: boolean; required?: boolean } = {},
): SafeHtml {
  const { t } = view.context;
  return html`${field(language, `${name}.de`, `${label} (${t.t("german")})`, value?.de, { multiline: options.multiline, required: options.required, lang: "de", error: problemAt(problems, `${name}.de`) })}
  ${field(language, `${name}.en`, `${label} (${t.t("english")})`, value?.en, { multiline: options.multiline, lang: "en", error: problemAt(problems, `${name}.en`) })}`;
}

/** The rule catalog as checkboxes for one principle; a chosen id not in the catalog stays ticked, named as unknown, so that the refusal is visible at the field. */
function ruleChoices(view: StaffView, index: number, principle: Principle, rules: readonly CatalogRule[], error: string | undefined): SafeHtml {
  const w = words[view.context.t.language];
  const name = `principles.${index}.ruleIds`;
  const id = fieldId(name);
  const unknown = principle.ruleIds.filter((ruleId) => !rules.some((rule) => rule.id === ruleId));
  return html`<fieldset class="choices${error ? " has-error" : ""}" id="${id}" aria-describedby="${id}-hint${error ? ` ${id}-error` : ""}">
    <legend>${w.rules}</legend>
    <p class="hint" id="${id}-hint">${w.rulesHint}</p>
    ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : null}
    ${rules.map((rule, position) => {
      const boxId = `${id}-${position}`;
      return html`<div class="choice-row">
        <input type="checkbox" id="${boxId}" name="${name}" value="${rule.id}" ${principle.ruleIds.includes(rule.id) ? html` checked` : null} />
        <label for="${boxId}">${rule.title.text} <code>${rule.id}</code></label>
      </div>`;
    })}
    ${unknown.map(
      (ruleId, position) =>
        html`<div class="choice-row">
          <input type="checkbox" id="${id}-unknown-${position}" name="${name}" value="${ruleId}" checked aria-invalid="true" />
          <label for="${id}-unknown-${position}"><code>${ruleId.length > 80 ? `${ruleId.slice(0, 80)}…` : ruleId}</code></label>
        </div>`,
    )}
  </fieldset>`;
}

/**
 * "Move up" / "move down" for a row: submit buttons that show the form again with the row swapped
 * (nothing saved); the page opens at the moved row. The accessible name names the row.
 */
function moveButtons(view: StaffView, list: "principles" | "sections", index: number, count: number, row: string): SafeHtml | null {
  const w = words[view.context.t.language];
  const button = (up: boolean) =>
    html`<button
      type="submit"
      name="move"
      value="${list}.${String(index)}.${up ? "up" : "down"}"
      formaction="/staff/guidelines/save#${list}-${String(up ? index - 1 : index + 1)}"
      class="secondary"
      formnovalidate
      aria-label="${w.moveLabel(row, up)}"
    >
      ${up ? w.moveUp : w.moveDown}
    </button>`;
  if (count < 2) return null;
  return html`<p class="actions">${index > 0 ? button(true) : null} ${index < count - 1 ? button(false) : null}</p>`;
}

export function guidelineEditorPage(
  view: StaffView,
  content: GuidelineContent,
  rules: readonly CatalogRule[],
  error: PayloadError | undefined,
  problems: readonly FormProblem[],
): SafeHtml {
  const { t } = view.context;
  const language = t.language;
  const w = words[language];
  const isNew = !content.id;
  const heading = isNew ? w.newGuideline : content.state === "DRAFT" ? t.t("editDraft") : t.t("newVersion");
  const at = (name: string) => problemAt(problems, name);
  const choices = (values: readonly string[]) => values.map((value) => ({ value, label: t.label(value) }));
  const summary = error || problems.length > 0 ? problemSummary(language, error?.message.text ?? "", problems) : null;
  return layout(
    view.context,
    heading,
    html`<h1>${heading}</h1>
      ${isNew ? html`<p class="lead">${w.whatIsIt}</p>` : null} ${summary}
      <form method="post" action="/staff/guidelines/save" class="stack">
        ${csrfField(view.csrfToken)}
        <input type="hidden" name="id" value="${content.id}" />
        <input type="hidden" name="lockVersion" value="${String(content.lockVersion)}" />
        <!-- Enter in a field saves: the first submit button of a form is its default. -->
        <button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">${t.t("save")}</button>
        <fieldset>
          <legend>${w.document}</legend>
          ${selectField(language, "kind", w.kind, choices(guidelineKinds), String(content.kind ?? ""), { required: true, error: at("kind") })}
          ${bilingualFields(language, view, "title", t.t("title"), content.title, problems, { required: true })}
          ${bilingualFields(language, view, "summary", t.t("summary"), content.summary, problems, { multiline: true })}
          ${bilingualFields(language, view, "issuingBody.name", w.issuingBody, (content.issuingBody as { name?: LanguageMap } | undefined)?.name, problems, { required: true })}
          ${bilingualFields(language, view, "audience", w.audience, content.audience as LanguageMap | undefined, problems, { required: true })}
          ${selectField(
            language,
            "licence",
            w.licence,
            licenceIds.map((id) => ({ value: id, label: id })),
            String(content.licence ?? ""),
            { required: true, hint: w.licenceHint, error: at("licence") },
          )}
        </fieldset>
        <fieldset>
          <legend>${t.t("version")}</legend>
          ${field(language, "version", t.t("version"), content.version, { required: true, maxLength: 40, error: at("version") })}
          ${field(language, "validFrom", t.t("validFrom"), content.validFrom, { type: "date", required: true, error: at("validFrom") })}
          ${isNew ? null : bilingualFields(language, view, "changeSummary", t.t("changeSummary"), content.changeSummary, problems, { multiline: true })}
        </fieldset>
        <h2>${w.principles}</h2>
        ${content.principles.map(
          (principle, index) =>
            html`<fieldset id="principles-${String(index)}">
              <legend>${t.t("principle")} ${index + 1}${principle.key ? html`: <code>${principle.key}</code>` : null}</legend>
              ${field(language, `principles.${index}.key`, w.key, principle.key, { hint: w.keyHint, maxLength: 100, error: at(`principles.${index}.key`) })}
              ${bilingualFields(language, view, `principles.${index}.statement`, t.t("statement"), principle.statement, problems, { multiline: true })}
              ${selectField(language, `principles.${index}.level`, t.t("level"), choices(principleLevels), principle.level, { required: true, error: at(`principles.${index}.level`) })}
              ${selectField(language, `principles.${index}.category`, w.category, choices(principleCategories), principle.category, { required: true, error: at(`principles.${index}.category`) })}
              ${ruleChoices(view, index, principle, rules, at(`principles.${index}.ruleIds`))}
              ${checkboxField(`principles.${index}.remove`, w.removePrinciple(index + 1), false)}
              ${moveButtons(view, "principles", index, content.principles.length, `${t.t("principle")} ${index + 1}`)}
            </fieldset>`,
        )}
        <p><button type="submit" name="add" value="principle" id="add-principle" class="secondary" formnovalidate>${w.addPrinciple}</button></p>
        <h2>${t.t("sections")}</h2>
        ${content.sections.map(
          (section, index) =>
            html`<fieldset id="sections-${String(index)}">
              <legend>${t.t("sections")} ${index + 1}</legend>
              ${bilingualFields(language, view, `sections.${index}.heading`, t.t("heading"), section.heading, problems)}
              ${bilingualFields(language, view, `sections.${index}.body`, t.t("body"), section.body, problems, { multiline: true })}
              ${checkboxField(`sections.${index}.remove`, w.removeSection(index + 1), false)}
              ${moveButtons(view, "sections", index, content.sections.length, w.section(index + 1))}
            </fieldset>`,
        )}
        <p><button type="submit" name="add" value="section" class="secondary" formnovalidate>${w.addSection}</button></p>
        <div><button type="submit" name="add" value="">${t.t("save")}</button></div>
      </form>`,
  );
}
