// The use-case form: every field of the record, named by the API's input paths (`decisionProcess.appealPath.de`,
// list rows as `datasets.0.name.de`), with its label in German and English. The form turns into
// UseCaseInput and back from a stored use case; the API's field errors and the rule check's
// offending fields find their field (and label) by path.
import type { Language } from "./i18n.ts";
import { parseNumber } from "./models.form.ts";

export type UseCaseForm = Record<string, string>;

type Labels = Record<Language, string>;
const l = (de: string, en: string): Labels => ({ de, en });

export type FieldKind = "text" | "texts" | "multiline" | "email" | "url" | "number" | "date" | "choice" | "yesno";

export interface FieldSpec {
  /** The API path; a `texts`/`multiline` field is a language map (`.de`, `.en`). */
  path: string;
  label: Labels;
  kind: FieldKind;
  required?: boolean;
  maxLength?: number;
  hint?: Labels;
  /** For `choice`: the API's enum values ("" = not stated). */
  choices?: readonly string[];
}

export interface SectionSpec {
  id: string;
  legend: Labels;
  intro?: Labels;
  fields: FieldSpec[];
  /** A list of rows (`path.N.field`): how many rows the form shows at least. */
  rows?: { path: string; label: Labels; min: number };
}

export const automationLevels = ["INFORMATION_ONLY", "DECISION_SUPPORT", "HUMAN_APPROVES_EACH_ACTION", "AUTOMATED_ACTION"] as const;
export const annexIIIAreas = [
  "",
  "BIOMETRICS",
  "CRITICAL_INFRASTRUCTURE",
  "EDUCATION",
  "EMPLOYMENT",
  "ESSENTIAL_SERVICES",
  "LAW_ENFORCEMENT",
  "MIGRATION_ASYLUM_BORDER",
  "JUSTICE_DEMOCRACY",
] as const;

/** The form's sections, in the order of the page. */
export const useCaseSections: SectionSpec[] = [
  {
    id: "basics",
    legend: l("Der Einsatzfall", "The use case"),
    fields: [
      { path: "name", label: l("Name", "Name"), kind: "texts", required: true, maxLength: 100 },
      { path: "shortDescription", label: l("Kurzbeschreibung", "Short description"), kind: "multiline", required: true, maxLength: 350 },
      { path: "purpose", label: l("Zweck und Nutzen", "Purpose and benefit"), kind: "multiline", required: true },
      { path: "department", label: l("Fachbereich", "Department"), kind: "text", required: true, maxLength: 200 },
      { path: "status", label: l("Stand", "Status"), kind: "choice", required: true, choices: ["IDEA", "PILOT", "IN_USE", "RETIRED"] },
      { path: "technique", label: l("Art der KI", "Kind of AI"), kind: "choice", required: true, choices: ["RULE_BASED", "ML", "GENERATIVE"] },
      { path: "selfLearning", label: l("Lernt im Betrieb weiter", "Keeps learning in use"), kind: "yesno", required: true },
    ],
  },
  {
    id: "dates",
    legend: l("Zeitpunkte", "Dates"),
    fields: [
      { path: "statusDates.idea", label: l("Idee seit", "Idea since"), kind: "date" },
      { path: "statusDates.pilot", label: l("Pilot seit", "Pilot since"), kind: "date" },
      { path: "statusDates.inUse", label: l("Im Einsatz seit", "In use since"), kind: "date" },
      { path: "statusDates.retired", label: l("Eingestellt am", "Retired on"), kind: "date" },
    ],
  },
  {
    id: "responsible",
    legend: l("Verantwortung und Kontakt", "Responsibility and contact"),
    intro: l(
      "Ein Mensch trägt die Verantwortung: nennen Sie Rolle und Dienststelle, nicht eine Person. Bei einem übernommenen Einsatzfall füllen Sie diese Angaben für Ihre Stadt aus.",
      "A human is responsible: name the role and office, not a person. For an adopted use case, fill these in for your city.",
    ),
    fields: [
      { path: "responsible.role", label: l("Verantwortliche Rolle", "Responsible role"), kind: "texts", required: true, maxLength: 200 },
      { path: "responsible.office", label: l("Dienststelle", "Office"), kind: "texts", required: true, maxLength: 200 },
      {
        path: "contact.email",
        label: l("E-Mail", "E-mail"),
        kind: "email",
        hint: l("E-Mail, Telefon oder Kontaktseite: mindestens eines.", "E-mail, phone or contact page: at least one."),
      },
      { path: "contact.phone", label: l("Telefon", "Phone"), kind: "text", maxLength: 50 },
      { path: "contact.url", label: l("Kontaktseite", "Contact page"), kind: "url" },
    ],
  },
  {
    id: "decision",
    legend: l("Entscheidungsprozess", "Decision process"),
    fields: [
      { path: "decisionProcess.processFit", label: l("Einbindung in den Prozess", "Place in the process"), kind: "multiline", required: true },
      {
        path: "decisionProcess.automationLevel",
        label: l("Grad der Automatisierung", "Level of automation"),
        kind: "choice",
        required: true,
        choices: automationLevels,
        hint: l(
          "Betrifft das Ergebnis Bürgerinnen und Bürger unmittelbar, darf die KI keine Aktion selbst auslösen: wählen Sie dann höchstens „Mensch bestätigt jede Aktion“.",
          "When the outcome directly affects citizens, the AI must not trigger actions itself: choose at most “A human approves each action”.",
        ),
      },
      {
        path: "decisionProcess.directlyAffectsCitizens",
        label: l("Betrifft Bürgerinnen und Bürger unmittelbar", "Directly affects citizens"),
        kind: "yesno",
        required: true,
      },
      { path: "decisionProcess.humanReview", label: l("Menschliche Prüfung", "Human review"), kind: "multiline", required: true },
      {
        path: "decisionProcess.appealPath",
        label: l("Widerspruchsweg für Bürgerinnen und Bürger", "How citizens can appeal"),
        kind: "multiline",
        hint: l("Pflicht, wenn der Einsatzfall Bürgerinnen und Bürger unmittelbar betrifft.", "Required when the use case directly affects citizens."),
      },
    ],
  },
  {
    id: "models",
    legend: l("Modelle und Anbieter", "Models and suppliers"),
    rows: { path: "models", label: l("Modell", "Model"), min: 1 },
    fields: [
      { path: "models.N.model", label: l("Geteiltes Modell", "Shared model"), kind: "choice" },
      {
        path: "models.N.version",
        label: l("Version des Modells", "Model version"),
        kind: "text",
        maxLength: 50,
        hint: l("Leer: die aktuelle Version.", "Empty: the current version."),
      },
    ],
  },
  {
    id: "suppliers",
    legend: l("Anbieter", "Suppliers"),
    rows: { path: "suppliers", label: l("Anbieter", "Supplier"), min: 1 },
    fields: [
      { path: "suppliers.N.name", label: l("Name des Anbieters", "Supplier's name"), kind: "text", maxLength: 200 },
      { path: "suppliers.N.role", label: l("Was er liefert", "What it supplies"), kind: "texts", maxLength: 200 },
      { path: "suppliers.N.country", label: l("Land (ISO-Code, z. B. DE)", "Country (ISO code, e.g. DE)"), kind: "text", maxLength: 2 },
    ],
  },
  {
    id: "datasets",
    legend: l("Daten", "Data"),
    rows: { path: "datasets", label: l("Datenbestand", "Dataset"), min: 1 },
    fields: [
      { path: "datasets.N.name", label: l("Name des Datenbestands", "Dataset name"), kind: "texts", maxLength: 200 },
      { path: "datasets.N.source", label: l("Herkunft der Daten", "Where the data comes from"), kind: "texts", maxLength: 500 },
      { path: "datasets.N.personalData", label: l("Enthält personenbezogene Daten", "Holds personal data"), kind: "yesno" },
      { path: "datasets.N.specialCategories", label: l("Besondere Kategorien (Art. 9 DSGVO)", "Special categories (GDPR Art. 9)"), kind: "yesno" },
      {
        path: "datasets.N.legalBasis",
        label: l("Rechtsgrundlage", "Legal basis"),
        kind: "text",
        maxLength: 200,
        hint: l("z. B. Art. 6 Abs. 1 lit. e DSGVO", "e.g. Art. 6(1)(e) GDPR"),
      },
      { path: "datasets.N.retention", label: l("Speicherdauer", "Retention"), kind: "texts", maxLength: 200 },
    ],
  },
  {
    id: "risk",
    legend: l("Risiko (EU-KI-Verordnung)", "Risk (EU AI Act)"),
    fields: [
      { path: "risk.aiActClass", label: l("Risikoklasse", "Risk class"), kind: "choice", choices: ["", "PROHIBITED", "HIGH", "LIMITED", "MINIMAL"] },
      {
        path: "risk.annexIIIArea",
        label: l("Bereich nach Anhang III", "Annex III area"),
        kind: "choice",
        choices: annexIIIAreas,
        hint: l("Pflicht bei hohem Risiko.", "Required for high risk."),
      },
      { path: "risk.article6_3Reason", label: l("Warum kein hohes Risiko (Art. 6 Abs. 3)", "Why not high-risk (Art. 6(3))"), kind: "multiline" },
    ],
  },
  {
    id: "risks",
    legend: l("Risiken und Gegenmaßnahmen", "Risks and mitigations"),
    rows: { path: "risk.risks", label: l("Risiko", "Risk"), min: 1 },
    fields: [
      { path: "risk.risks.N.risk", label: l("Risiko", "Risk"), kind: "texts", maxLength: 500 },
      { path: "risk.risks.N.mitigation", label: l("Gegenmaßnahme", "Mitigation"), kind: "texts", maxLength: 500 },
    ],
  },
  ...(["dpia", "fria"] as const).map((kind): SectionSpec => ({
    id: kind,
    legend:
      kind === "dpia"
        ? l("Datenschutz-Folgenabschätzung (DSFA)", "Data protection impact assessment (DPIA)")
        : l("Grundrechte-Folgenabschätzung", "Fundamental-rights impact assessment"),
    fields: [
      {
        path: `assessments.${kind}.performed`,
        label: l("Durchgeführt", "Performed"),
        kind: "choice",
        choices: ["", "yes", "no"],
        hint: l("Ja: mit Datum und Ergebnis. Nein: mit Begründung.", "Yes: with its date and result. No: with the reason."),
      },
      { path: `assessments.${kind}.date`, label: l("Datum", "Date"), kind: "date" },
      { path: `assessments.${kind}.link`, label: l("Link zum Dokument", "Link to the document"), kind: "url" },
      { path: `assessments.${kind}.summary`, label: l("Ergebnis in Kürze", "Result in short"), kind: "multiline" },
      { path: `assessments.${kind}.reason`, label: l("Warum keine", "Why none"), kind: "multiline" },
    ],
  })),
  {
    id: "energy",
    legend: l("Energie", "Energy"),
    fields: [
      { path: "energy.kwhPerYear", label: l("kWh pro Jahr", "kWh per year"), kind: "number" },
      { path: "energy.kwhPer1000Requests", label: l("kWh pro 1.000 Anfragen", "kWh per 1,000 requests"), kind: "number" },
      { path: "energy.hostingRegion", label: l("Stromnetz-Region des Betriebs", "Grid region where it runs"), kind: "text", maxLength: 100 },
      { path: "energy.compensation", label: l("Ausgleichsmaßnahmen", "Compensation"), kind: "multiline" },
    ],
  },
  {
    id: "sovereignty",
    legend: l("Digitale Souveränität", "Digital sovereignty"),
    intro: l(
      "Wer betreibt den Dienst, unter welchem Recht, und wie kommt die Stadt wieder heraus?",
      "Who runs the service, under which law, and how does the city get out again?",
    ),
    fields: [
      { path: "sovereignty.operator", label: l("Betreiber", "Operator"), kind: "text", maxLength: 200 },
      {
        path: "sovereignty.jurisdiction",
        label: l("Rechtsraum des Betreibers (ISO-Code, z. B. DE)", "Operator's jurisdiction (ISO code, e.g. DE)"),
        kind: "text",
        maxLength: 2,
      },
      {
        path: "sovereignty.hosting",
        label: l("Betrieb", "Hosting"),
        kind: "choice",
        choices: ["", "ON_PREMISES", "MUNICIPAL_DATA_CENTRE", "EU_CLOUD", "NON_EU_CLOUD"],
      },
      { path: "sovereignty.openWeights", label: l("Modelle mit offenen Gewichten", "Models with open weights"), kind: "yesno" },
      { path: "sovereignty.exitPlan", label: l("Ausstiegsplan", "Exit plan"), kind: "multiline" },
    ],
  },
  {
    id: "reuse",
    legend: l("Nachnutzung", "Reuse"),
    fields: [
      { path: "reuse.potential", label: l("Eignung zur Nachnutzung", "Reuse potential"), kind: "choice", choices: ["", "NONE", "LOW", "MEDIUM", "HIGH"] },
      { path: "reuse.wishToCooperate", label: l("Wir möchten mit anderen Kommunen zusammenarbeiten", "We wish to cooperate with other cities"), kind: "yesno" },
      { path: "reuse.note", label: l("Hinweis für andere Kommunen", "Note for other cities"), kind: "multiline" },
    ],
  },
];

/** Labels of choices the general label table does not have. */
export const choiceLabels: Record<string, Labels> = {
  "": l("nicht angegeben", "not stated"),
  yes: l("ja", "yes"),
  no: l("nein", "no"),
  BIOMETRICS: l("Biometrie", "Biometrics"),
  CRITICAL_INFRASTRUCTURE: l("Kritische Infrastruktur", "Critical infrastructure"),
  EDUCATION: l("Bildung", "Education"),
  EMPLOYMENT: l("Beschäftigung und Personal", "Employment"),
  ESSENTIAL_SERVICES: l("Grundlegende öffentliche Leistungen", "Essential public services"),
  LAW_ENFORCEMENT: l("Strafverfolgung", "Law enforcement"),
  MIGRATION_ASYLUM_BORDER: l("Migration, Asyl, Grenzkontrolle", "Migration, asylum, border control"),
  JUSTICE_DEMOCRACY: l("Justiz und demokratische Prozesse", "Justice and democratic processes"),
  NONE: l("keine", "none"),
  LOW: l("gering", "low"),
  MEDIUM: l("mittel", "medium"),
  HIGH: l("hoch", "high"),
};

/** How many rows of a list the form shows: the filled ones and one empty row more (no script adds rows). */
export function rowCount(form: UseCaseForm, section: SectionSpec): number {
  if (!section.rows) return 1;
  const prefix = `${section.rows.path}.`;
  let filled = 0;
  for (const [name, value] of Object.entries(form)) {
    if (!name.startsWith(prefix) || !value.trim()) continue;
    const index = Number(name.slice(prefix.length).split(".")[0]);
    if (Number.isInteger(index) && index < 20) filled = Math.max(filled, index + 1);
  }
  return Math.max(section.rows.min, filled + 1);
}

/** The form's field names, each with its label (row fields numbered), for the rows the form shows. */
export function useCaseFields(form: UseCaseForm, language: Language): { name: string; path: string; label: string; spec: FieldSpec }[] {
  const fields: { name: string; path: string; label: string; spec: FieldSpec }[] = [];
  for (const section of useCaseSections) {
    for (let row = 0; row < rowCount(form, section); row++) {
      for (const spec of section.fields) {
        const path = spec.path.replace(".N.", `.${row}.`);
        const label = section.rows ? `${spec.label[language]} (${section.rows.label[language]} ${row + 1})` : spec.label[language];
        if (spec.kind === "texts" || spec.kind === "multiline") {
          fields.push({ name: `${path}.de`, path, label: `${label} (${language === "de" ? "Deutsch" : "German"})`, spec });
          fields.push({ name: `${path}.en`, path, label: `${label} (${language === "de" ? "Englisch" : "English"})`, spec });
        } else fields.push({ name: path, path, label, spec });
      }
    }
  }
  return fields;
}

/** The label of the field at an API path (`decisionProcess.appealPath`, `datasets[0].legalBasis`): as the form names it. */
export function labelOfPath(form: UseCaseForm, language: Language, path: string): string {
  const dotted = path.replace(/\[(\d+)\]/g, ".$1");
  const field = useCaseFields(form, language)
    .filter((candidate) => dotted === candidate.path || dotted === candidate.name || dotted.startsWith(`${candidate.path}.`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!field) {
    // A whole group (`assessments.fria`): the section that holds it, or its first field.
    const section = useCaseSections.find((candidate) => candidate.fields.every((spec) => spec.path.startsWith(`${dotted}.`)));
    if (section) return section.legend[language];
    const first = useCaseFields(form, language).find((candidate) => candidate.path.startsWith(`${dotted}.`));
    return first ? first.label.replace(/ \((Deutsch|German)\)$/, "") : path;
  }
  // A language map names the field without its language, unless the path names the language.
  return field.name === field.path || dotted === field.name ? field.label : field.label.replace(/ \((Deutsch|German)\)$/, "");
}

/** The form field an API path belongs to (the German one of a language map). */
export function fieldNameOfPath(form: UseCaseForm, path: string): string | null {
  const dotted = path.replace(/\[(\d+)\]/g, ".$1");
  const fields = useCaseFields(form, "de");
  const field = fields
    .filter((candidate) => dotted === candidate.name || dotted === candidate.path || dotted.startsWith(`${candidate.path}.`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  // A whole group refused: its first field answers for it.
  return field?.name ?? fields.find((candidate) => candidate.path.startsWith(`${dotted}.`))?.name ?? null;
}

// --- form → UseCaseInput -------------------------------------------------------------------

const value = (form: UseCaseForm, name: string) => (form[name] ?? "").trim();

function texts(form: UseCaseForm, path: string): { de?: string; en?: string } | undefined {
  const map: { de?: string; en?: string } = {};
  if (value(form, `${path}.de`)) map.de = value(form, `${path}.de`);
  if (value(form, `${path}.en`)) map.en = value(form, `${path}.en`);
  return map.de || map.en ? map : undefined;
}
const filled = (form: UseCaseForm, prefix: string) => Object.entries(form).some(([name, entry]) => name.startsWith(prefix) && entry.trim() !== "");
const yesNo = (form: UseCaseForm, name: string) => (value(form, name) === "yes" ? true : value(form, name) === "no" ? false : undefined);

export interface UseCaseInputResult {
  input: Record<string, unknown>;
  /** What the API could not read at all (a number that is none): named here, at its field. */
  problems: { name: string; kind: "number" | "date" }[];
}

/**
 * The form as UseCaseInput. Required texts go as empty maps when empty and required choices as
 * typed, so that the API names the missing field; an optional group goes only when something in
 * it was filled in, and then as typed, so that the API names what is missing in it.
 */
export function useCaseInputOf(form: UseCaseForm, models: readonly { id: string; version: string }[]): UseCaseInputResult {
  const problems: UseCaseInputResult["problems"] = [];
  const number = (name: string) => {
    const parsed = parseNumber(value(form, name));
    if (parsed !== undefined && Number.isNaN(parsed)) problems.push({ name, kind: "number" });
    return parsed === undefined || Number.isNaN(parsed) ? undefined : parsed;
  };
  const rows = (path: string) => {
    const section = useCaseSections.find((candidate) => candidate.rows?.path === path)!;
    return Array.from({ length: rowCount(form, section) }, (_, index) => `${path}.${index}`).filter((prefix) => filled(form, `${prefix}.`));
  };
  const optional = (name: string) => value(form, name) || undefined;
  // The API cannot even read a date in another form: named here, at its field.
  for (const spec of useCaseSections.flatMap((section) => section.fields).filter((candidate) => candidate.kind === "date")) {
    const pattern = new RegExp(`^${spec.path.replaceAll(".", "\\.").replace("\\.N\\.", "\\.\\d+\\.")}$`);
    for (const name of Object.keys(form).filter((candidate) => pattern.test(candidate))) {
      if (value(form, name) && !/^\d{4}-\d{2}-\d{2}$/.test(value(form, name))) problems.push({ name, kind: "date" });
    }
  }
  const date = (name: string) => (problems.some((problem) => problem.name === name) ? undefined : optional(name));
  const contact = { email: optional("contact.email"), phone: optional("contact.phone"), url: optional("contact.url") };
  const assessment = (kind: "dpia" | "fria") => {
    const prefix = `assessments.${kind}`;
    if (!filled(form, `${prefix}.`)) return undefined;
    return {
      performed: yesNo(form, `${prefix}.performed`) ?? false,
      date: date(`${prefix}.date`),
      link: optional(`${prefix}.link`),
      summary: texts(form, `${prefix}.summary`),
      reason: texts(form, `${prefix}.reason`),
    };
  };
  const dpia = assessment("dpia");
  const fria = assessment("fria");
  const riskRows = rows("risk.risks").map((row) => ({ risk: texts(form, `${row}.risk`) ?? {}, mitigation: texts(form, `${row}.mitigation`) ?? {} }));
  const riskFilled = ["risk.aiActClass", "risk.annexIIIArea"].some((name) => value(form, name)) || texts(form, "risk.article6_3Reason") || riskRows.length > 0;
  const energy = {
    kwhPerYear: number("energy.kwhPerYear"),
    kwhPer1000Requests: number("energy.kwhPer1000Requests"),
    hostingRegion: optional("energy.hostingRegion"),
    compensation: texts(form, "energy.compensation"),
  };
  const input: Record<string, unknown> = {
    name: texts(form, "name") ?? {},
    shortDescription: texts(form, "shortDescription") ?? {},
    purpose: texts(form, "purpose") ?? {},
    department: value(form, "department"),
    status: value(form, "status") || "PILOT",
    statusDates: filled(form, "statusDates.")
      ? { idea: date("statusDates.idea"), pilot: date("statusDates.pilot"), inUse: date("statusDates.inUse"), retired: date("statusDates.retired") }
      : undefined,
    responsible: { role: texts(form, "responsible.role") ?? {}, office: texts(form, "responsible.office") ?? {} },
    contact,
    decisionProcess: {
      processFit: texts(form, "decisionProcess.processFit") ?? {},
      automationLevel: value(form, "decisionProcess.automationLevel") || "DECISION_SUPPORT",
      directlyAffectsCitizens: yesNo(form, "decisionProcess.directlyAffectsCitizens") ?? false,
      humanReview: texts(form, "decisionProcess.humanReview") ?? {},
      appealPath: texts(form, "decisionProcess.appealPath"),
    },
    technique: value(form, "technique") || "ML",
    selfLearning: yesNo(form, "selfLearning") ?? false,
    models: rows("models")
      .filter((row) => value(form, `${row}.model`))
      .map((row) => ({
        model: value(form, `${row}.model`),
        version: value(form, `${row}.version`) || (models.find((model) => model.id === value(form, `${row}.model`))?.version ?? ""),
      })),
    suppliers: rows("suppliers").map((row) => ({
      name: value(form, `${row}.name`),
      role: texts(form, `${row}.role`),
      country: optional(`${row}.country`)?.toUpperCase(),
    })),
    datasets: rows("datasets").map((row) => ({
      name: texts(form, `${row}.name`) ?? {},
      source: texts(form, `${row}.source`) ?? {},
      personalData: yesNo(form, `${row}.personalData`) ?? false,
      specialCategories: yesNo(form, `${row}.specialCategories`) ?? false,
      legalBasis: optional(`${row}.legalBasis`),
      retention: texts(form, `${row}.retention`),
    })),
    risk: riskFilled
      ? {
          aiActClass: optional("risk.aiActClass"),
          annexIIIArea: optional("risk.annexIIIArea"),
          article6_3Reason: texts(form, "risk.article6_3Reason"),
          risks: riskRows,
        }
      : undefined,
    assessments: dpia || fria ? { dpia, fria } : undefined,
    energy: Object.values(energy).some((entry) => entry !== undefined) ? energy : undefined,
    sovereignty: filled(form, "sovereignty.")
      ? {
          operator: value(form, "sovereignty.operator"),
          jurisdiction: value(form, "sovereignty.jurisdiction").toUpperCase(),
          hosting: value(form, "sovereignty.hosting") || "EU_CLOUD",
          openWeights: yesNo(form, "sovereignty.openWeights") ?? false,
          exitPlan: texts(form, "sovereignty.exitPlan"),
        }
      : undefined,
    reuse:
      value(form, "reuse.potential") || texts(form, "reuse.note") || value(form, "reuse.wishToCooperate") === "yes"
        ? {
            potential: value(form, "reuse.potential") || "NONE",
            wishToCooperate: yesNo(form, "reuse.wishToCooperate") ?? false,
            note: texts(form, "reuse.note"),
          }
        : undefined,
    adoptedFrom: optional("adoptedFrom"),
  };
  return { input: withoutUndefined(input) as Record<string, unknown>, problems };
}

function withoutUndefined(entry: unknown): unknown {
  if (Array.isArray(entry)) return entry.map(withoutUndefined);
  if (entry && typeof entry === "object") {
    return Object.fromEntries(
      Object.entries(entry)
        .filter(([, item]) => item !== undefined && item !== null)
        .map(([key, item]) => [key, withoutUndefined(item)]),
    );
  }
  return entry;
}

// --- stored use case → form ----------------------------------------------------------------

/**
 * A stored use case (as `useCaseContentQuery` selects it) as the form's fields: language maps as
 * `.de`/`.en`, booleans as yes/no, lists as numbered rows, a model reference's `modelId` as `model`.
 */
export function useCaseFormOf(stored: Record<string, unknown>): UseCaseForm {
  const form: UseCaseForm = {};
  const walk = (entry: unknown, path: string) => {
    if (entry === null || entry === undefined) return;
    if (typeof entry === "boolean") form[path] = entry ? "yes" : "no";
    else if (typeof entry === "number" || typeof entry === "string") form[path] = String(entry);
    else if (Array.isArray(entry)) entry.forEach((item, index) => walk(item, `${path}.${index}`));
    else if (typeof entry === "object") {
      for (const [key, item] of Object.entries(entry)) walk(item, path ? `${path}.${key === "modelId" ? "model" : key}` : key);
    }
  };
  const { id: _id, lockVersion: _lockVersion, workflow: _workflow, ...content } = stored;
  walk(content, "");
  return form;
}

/** What the content query selects of a use case: every field of UseCaseInput, both languages. */
const map = "{ de en }";
export const useCaseContentFields = `
  name ${map} shortDescription ${map} purpose ${map} department status statusDates { idea pilot inUse retired } technique selfLearning
  responsible { role ${map} office ${map} } contact { email phone url }
  decisionProcess { processFit ${map} automationLevel directlyAffectsCitizens humanReview ${map} appealPath ${map} }
  models { modelId version } suppliers { name role ${map} country }
  datasets { name ${map} source ${map} personalData specialCategories legalBasis retention ${map} }
  risk { aiActClass annexIIIArea article6_3Reason ${map} risks { risk ${map} mitigation ${map} } }
  assessments { dpia { performed date link summary ${map} reason ${map} } fria { performed date link summary ${map} reason ${map} } }
  energy { kwhPerYear kwhPer1000Requests hostingRegion compensation ${map} }
  sovereignty { operator jurisdiction hosting openWeights exitPlan ${map} }
  reuse { potential wishToCooperate note ${map} }
  adoptedFrom`;
