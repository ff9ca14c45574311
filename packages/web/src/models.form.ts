// The shared-model form: what the editor typed (flat names that follow the API's input paths,
// list rows as `.N.`), turned into ModelInput and back from a stored model.
import { licenceOf } from "./register.queries.ts";
import { hostingKinds, licences } from "@leitplanken/core";
import type { FormProblem } from "./form.views.ts";
import type { ModelContent } from "./models.queries.ts";

export type ModelForm = Record<string, string>;

export const modelLicences = Object.keys(licences);
export const baseModelRelations = ["FINE_TUNE", "QUANTISATION", "ADAPTER", "DISTILLATION", "MERGE"] as const;
export const osiStatuses = ["COMPLIANT", "NOT_COMPLIANT", "NOT_ASSESSED"] as const;
export const hostings = hostingKinds.map((kind) => kind.toUpperCase().replaceAll("-", "_"));

/** Rows of the repeating groups shown: the stored ones and some empty ones (no script adds rows). */
export const evaluationRows = (form: ModelForm) => Math.max(2, countRows(form, "evaluation") + 1);
export const maintainerRows = (form: ModelForm) => Math.max(2, countRows(form, "maintainers") + 1);

function countRows(form: ModelForm, group: string): number {
  let count = 0;
  for (const name of Object.keys(form)) {
    const match = new RegExp(`^${group}\\.(\\d+)\\.`).exec(name);
    if (match && Object.values(pick(form, `${group}.${match[1]}.`)).some((value) => value.trim())) count = Math.max(count, Number(match[1]) + 1);
  }
  return count;
}

function pick(form: ModelForm, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(form).filter(([name]) => name.startsWith(prefix)));
}

const value = (form: ModelForm, name: string) => (form[name] ?? "").trim();
const filled = (form: ModelForm, ...names: string[]) => names.some((name) => value(form, name) !== "");

function textMap(form: ModelForm, name: string): { de?: string; en?: string } {
  const map: { de?: string; en?: string } = {};
  if (value(form, `${name}.de`)) map.de = value(form, `${name}.de`);
  if (value(form, `${name}.en`)) map.en = value(form, `${name}.en`);
  return map;
}

const optionalMap = (form: ModelForm, name: string) => (filled(form, `${name}.de`, `${name}.en`) ? textMap(form, name) : undefined);

/**
 * A number as people type it here: `1.234,5` (German), `1,234.5` (English), `8.000.000.000`,
 * `0,87`, `7e9`. With both signs the last one is the decimal sign; a sign that appears more than
 * once groups thousands; a single comma or dot is the decimal sign. Undefined when empty, NaN when
 * it is not a number.
 */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/[\s\u00a0\u202f']/g, "");
  if (!trimmed) return undefined;
  const lastComma = trimmed.lastIndexOf(",");
  const lastDot = trimmed.lastIndexOf(".");
  const count = (sign: string) => trimmed.split(sign).length - 1;
  let normalised = trimmed;
  if (lastComma >= 0 && lastDot >= 0) {
    const [group, decimal] = lastComma > lastDot ? [".", ","] : [",", "."];
    normalised = trimmed.replaceAll(group, "").replace(decimal, ".");
  } else if (lastComma >= 0) {
    normalised = count(",") > 1 ? trimmed.replaceAll(",", "") : trimmed.replace(",", ".");
  } else if (count(".") > 1) {
    normalised = trimmed.replaceAll(".", "");
  }
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(normalised) ? Number(normalised) : Number.NaN;
}

export interface ModelInputResult {
  input: Record<string, unknown>;
  /**
   * What the API could not even read (a number that is none, a missing number or date in a group
   * that was started, a date in another form): found here, since the API refuses such variables
   * before it can name the field.
   */
  problems: { name: string; kind: "number" | "required" | "date" }[];
}

/** The form as the API's ModelInput. Empty optional groups are left out; a started group goes as typed, so the API names what is missing in it. */
export function modelInput(form: ModelForm): ModelInputResult {
  const problems: ModelInputResult["problems"] = [];
  const number = (name: string) => {
    const parsed = parseNumber(value(form, name));
    if (parsed !== undefined && Number.isNaN(parsed)) problems.push({ name, kind: "number" });
    return parsed === undefined || Number.isNaN(parsed) ? undefined : parsed;
  };
  /** A number the API requires in a group that was started. */
  const requiredNumber = (name: string) => {
    const parsed = number(name);
    if (parsed === undefined && !problems.some((problem) => problem.name === name)) problems.push({ name, kind: "required" });
    return parsed ?? 0;
  };
  const rows = (group: string, count: number) =>
    Array.from({ length: count }, (_, index) => `${group}.${index}.`).filter((prefix) => Object.values(pick(form, prefix)).some((entry) => entry.trim()));
  const input: Record<string, unknown> = {
    name: textMap(form, "name"),
    version: value(form, "version"),
    licence: value(form, "licence"),
    architecture: value(form, "architecture"),
    languages: value(form, "languages")
      .split(/[,;\s]+/)
      .filter(Boolean),
    intendedUse: textMap(form, "intendedUse"),
    outOfScopeUse: textMap(form, "outOfScopeUse"),
    trainingData: textMap(form, "trainingData"),
    limitations: textMap(form, "limitations"),
    evaluation: rows("evaluation", evaluationRows(form) + 5).map((prefix) => ({
      benchmark: value(form, `${prefix}benchmark`),
      metric: value(form, `${prefix}metric`),
      value: requiredNumber(`${prefix}value`),
      ...(optionalMap(form, `${prefix}note`) ? { note: optionalMap(form, `${prefix}note`) } : {}),
    })),
    sovereignty: {
      openWeights: value(form, "sovereignty.openWeights") === "yes",
      osiOpenSourceAi: value(form, "sovereignty.osiOpenSourceAi"),
      weightsLocation: value(form, "sovereignty.weightsLocation"),
      hosting: value(form, "sovereignty.hosting"),
      operatorJurisdiction: value(form, "sovereignty.operatorJurisdiction").toUpperCase(),
      ...(optionalMap(form, "sovereignty.exitStrategy") ? { exitStrategy: optionalMap(form, "sovereignty.exitStrategy") } : {}),
    },
    servedBy: value(form, "servedBy").split(/\s+/).filter(Boolean),
    maintainers: rows("maintainers", maintainerRows(form) + 5).map((prefix) => ({
      name: value(form, `${prefix}name`),
      ...(value(form, `${prefix}organisation`) ? { organisation: value(form, `${prefix}organisation`) } : {}),
      ...(value(form, `${prefix}contact`) ? { contact: value(form, `${prefix}contact`) } : {}),
    })),
  };
  if (value(form, "revision")) input.revision = value(form, "revision");
  const parameterCount = number("parameterCount");
  if (parameterCount !== undefined) input.parameterCount = parameterCount;
  if (filled(form, "baseModel.name", "baseModel.iri")) {
    input.baseModel = {
      name: value(form, "baseModel.name"),
      relation: value(form, "baseModel.relation") || "FINE_TUNE",
      ...(value(form, "baseModel.iri") ? { iri: value(form, "baseModel.iri") } : {}),
    };
  }
  if (filled(form, "trainingEmissions.co2eGrams", "trainingEmissions.hardware", "trainingEmissions.region")) {
    input.trainingEmissions = {
      co2eGrams: requiredNumber("trainingEmissions.co2eGrams"),
      hardware: value(form, "trainingEmissions.hardware"),
      region: value(form, "trainingEmissions.region"),
    };
  }
  if (filled(form, "inferenceEnergy.whPer1000Requests", "inferenceEnergy.hardware", "inferenceEnergy.testDate")) {
    const testDate = value(form, "inferenceEnergy.testDate");
    if (!testDate) problems.push({ name: "inferenceEnergy.testDate", kind: "required" });
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(testDate) || Number.isNaN(Date.parse(testDate))) problems.push({ name: "inferenceEnergy.testDate", kind: "date" });
    input.inferenceEnergy = {
      whPer1000Requests: requiredNumber("inferenceEnergy.whPer1000Requests"),
      hardware: value(form, "inferenceEnergy.hardware"),
      testDate,
    };
  }
  const useTerms = optionalMap(form, "useTerms");
  if (useTerms) input.useTerms = useTerms;
  return { input, problems };
}

/** A value the API's enum or list does not have never reaches it: a problem at the field instead. */
export function choiceProblems(form: ModelForm): string[] {
  const invalid: string[] = [];
  if (!modelLicences.includes(value(form, "licence"))) invalid.push("licence");
  if (!(osiStatuses as readonly string[]).includes(value(form, "sovereignty.osiOpenSourceAi"))) invalid.push("sovereignty.osiOpenSourceAi");
  if (!hostings.includes(value(form, "sovereignty.hosting"))) invalid.push("sovereignty.hosting");
  if (filled(form, "baseModel.name", "baseModel.iri") && !(baseModelRelations as readonly string[]).includes(value(form, "baseModel.relation")))
    invalid.push("baseModel.relation");
  return invalid;
}

/** A stored model as the form shows it. */
export function modelFormOf(model: ModelContent): ModelForm {
  const form: ModelForm = { lockVersion: String(model.lockVersion) };
  const set = (name: string, entry: string | number | null | undefined) => {
    if (entry !== null && entry !== undefined && entry !== "") form[name] = String(entry);
  };
  const setMap = (name: string, map: { de: string | null; en: string | null } | null) => {
    set(`${name}.de`, map?.de);
    set(`${name}.en`, map?.en);
  };
  setMap("name", model.name);
  set("version", model.version);
  set("revision", model.revision);
  set("licence", licenceOf(model.licenceId));
  set("architecture", model.architecture);
  set("parameterCount", model.parameterCount);
  set("languages", model.languages.join(", "));
  if (model.baseModel) {
    set("baseModel.name", model.baseModel.name);
    set("baseModel.iri", model.baseModel.iri);
    set("baseModel.relation", model.baseModel.relation);
  }
  for (const name of ["intendedUse", "outOfScopeUse", "trainingData", "limitations"] as const) setMap(name, model[name]);
  setMap("useTerms", model.useTerms);
  model.evaluation.forEach((entry, index) => {
    set(`evaluation.${index}.benchmark`, entry.benchmark);
    set(`evaluation.${index}.metric`, entry.metric);
    set(`evaluation.${index}.value`, entry.value);
    setMap(`evaluation.${index}.note`, entry.note);
  });
  if (model.trainingEmissions) {
    set("trainingEmissions.co2eGrams", model.trainingEmissions.co2eGrams);
    set("trainingEmissions.hardware", model.trainingEmissions.hardware);
    set("trainingEmissions.region", model.trainingEmissions.region);
  }
  if (model.inferenceEnergy) {
    set("inferenceEnergy.whPer1000Requests", model.inferenceEnergy.whPer1000Requests);
    set("inferenceEnergy.hardware", model.inferenceEnergy.hardware);
    set("inferenceEnergy.testDate", model.inferenceEnergy.testDate);
  }
  form["sovereignty.openWeights"] = model.sovereignty.openWeights ? "yes" : "no";
  set("sovereignty.osiOpenSourceAi", model.sovereignty.osiOpenSourceAi);
  set("sovereignty.weightsLocation", model.sovereignty.weightsLocation);
  set("sovereignty.hosting", model.sovereignty.hosting);
  set("sovereignty.operatorJurisdiction", model.sovereignty.operatorJurisdiction);
  setMap("sovereignty.exitStrategy", model.sovereignty.exitStrategy);
  set("servedBy", model.servedBy.join("\n"));
  model.maintainers.forEach((maintainer, index) => {
    set(`maintainers.${index}.name`, maintainer.name);
    set(`maintainers.${index}.organisation`, maintainer.organisation);
    set(`maintainers.${index}.contact`, maintainer.contact);
  });
  return form;
}

/** What was posted, as the form's fields (strings only; nothing else is kept). */
export function modelFormOfBody(body: Record<string, unknown>): ModelForm {
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "_csrf"));
}

/** An API path (`maintainers[0].name`) as the form's field name (`maintainers.0.name`). */
export const fieldNameOf = (path: string) => path.replace(/\[(\d+)\]/g, ".$1");

/** The problems of a refused form, at the fields: each API path goes to the longest field name it starts with. */
export function problemsAtFields(
  errors: readonly { path: string; message: { text: string } }[],
  fieldNames: readonly string[],
  labelOf: (name: string) => string,
): FormProblem[] {
  return errors.map((error) => {
    const path = fieldNameOf(error.path);
    const name = [...fieldNames].filter((candidate) => path === candidate || path.startsWith(`${candidate}.`)).sort((a, b) => b.length - a.length)[0];
    // A whole group refused (a language map without text, a list without rows): its first field answers for it.
    const target = name ?? fieldNames.find((candidate) => candidate.startsWith(`${path}.`));
    return target ? { name: target, label: labelOf(target), message: error.message.text } : { name: null, label: error.path, message: error.message.text };
  });
}
