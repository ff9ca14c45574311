import { euCountryCodes } from "../common.schema.ts";
import type { UseCase, UseCaseContent } from "../use-case.entity.ts";

export type Severity = "error" | "warning";

/**
 * A machine-checkable rule that a guideline principle can point to by id. Rules are
 * versioned: change `version` whenever `check` changes meaning, so stored results stay honest.
 */
export interface Rule {
  id: string;
  version: number;
  severity: Severity;
  /** False for rules no guideline can weaken: they stay errors even under a SHOULD principle. */
  overridable: boolean;
  title: { de: string; en: string };
  description: { de: string; en: string };
  /** Paths of the fields that break the rule; empty when the use case passes. */
  check(useCase: UseCase): string[];
}

/** A rule that reads only what an editor writes, so it can hold for content before it is a record. */
export interface ContentRule extends Rule {
  check(content: UseCaseContent): string[];
}

export const noAutomatedActionOnCitizens: ContentRule = {
  id: "no-automated-action-on-citizens",
  version: 1,
  severity: "error",
  overridable: false,
  title: {
    de: "Keine automatischen Aktionen bei Entscheidungen über Bürgerinnen und Bürger",
    en: "No automated action where citizens are directly affected",
  },
  description: {
    de: "Wo Entscheidungen Menschen als Bürgerinnen und Bürger unmittelbar betreffen, darf eine KI auch vordefinierte Aktionen nicht selbsttätig auslösen.",
    en: "Where decisions directly affect people as citizens, an AI may not even trigger predefined actions automatically.",
  },
  check: ({ decisionProcess }) =>
    decisionProcess.directlyAffectsCitizens && decisionProcess.automationLevel === "automated-action"
      ? ["decisionProcess.automationLevel", "decisionProcess.directlyAffectsCitizens"]
      : [],
};

export const namedResponsibleHuman: Rule = {
  id: "named-responsible-human",
  version: 1,
  severity: "error",
  overridable: true,
  title: { de: "Verantwortlicher Mensch benannt", en: "A responsible human is named" },
  description: {
    de: "Eine verantwortliche Rolle und Dienststelle sind benannt; ein geprüfter Anwendungsfall nennt den Menschen, der ihn geprüft hat.",
    en: "A responsible role and office are named; a vetted use case names the human who vetted it.",
  },
  check: (useCase) => {
    const offending: string[] = [];
    if (useCase.responsible === undefined) offending.push("responsible");
    const vettedStates = ["vetted", "published", "retired"];
    if (vettedStates.includes(useCase.workflow.state) && useCase.vetting === undefined) offending.push("vetting");
    return offending;
  },
};

export const energyConsidered: Rule = {
  id: "energy-considered",
  version: 1,
  severity: "error",
  overridable: true,
  title: { de: "Energiebedarf berücksichtigt", en: "Energy use considered" },
  description: {
    de: "Der Energiebedarf der KI ist geschätzt (kWh pro Jahr oder pro 1.000 Anfragen).",
    en: "The AI's energy use is estimated (kWh per year or per 1,000 requests).",
  },
  check: ({ energy }) => (energy === undefined ? ["energy"] : []),
};

export const dpiaForPersonalData: Rule = {
  id: "dpia-for-personal-data",
  version: 1,
  severity: "error",
  overridable: true,
  title: { de: "Datenschutz-Folgenabschätzung bei personenbezogenen Daten", en: "DPIA for personal data" },
  description: {
    de: "Werden personenbezogene Daten verarbeitet, ist eine Datenschutz-Folgenabschätzung durchgeführt und dokumentiert.",
    en: "Where personal data is processed, a data protection impact assessment has been carried out and recorded.",
  },
  check: ({ datasets, assessments }) => (datasets.some((dataset) => dataset.personalData) && assessments.dpia?.performed !== true ? ["assessments.dpia"] : []),
};

export const riskClassStated: Rule = {
  id: "risk-class-stated",
  version: 1,
  severity: "error",
  overridable: true,
  title: { de: "Risikoklasse angegeben", en: "Risk class stated" },
  description: {
    de: "Die Risikoklasse nach der KI-Verordnung der EU ist angegeben.",
    en: "The risk class under the EU AI Act is stated.",
  },
  check: ({ risk }) => (risk.aiActClass === undefined ? ["risk.aiActClass"] : []),
};

export const highRiskNeedsFria: Rule = {
  id: "high-risk-needs-fria",
  version: 1,
  severity: "error",
  overridable: true,
  title: { de: "Grundrechte-Folgenabschätzung bei Hochrisiko-KI", en: "Fundamental-rights assessment for high-risk AI" },
  description: {
    de: "Eine Hochrisiko-KI hat eine Grundrechte-Folgenabschätzung (Art. 27 KI-Verordnung).",
    en: "A high-risk AI system has a fundamental-rights impact assessment (EU AI Act Art. 27).",
  },
  check: ({ risk, assessments }) => (risk.aiActClass === "high" && assessments.fria?.performed !== true ? ["assessments.fria"] : []),
};

export const noProhibitedPractice: ContentRule = {
  id: "no-prohibited-practice",
  version: 1,
  severity: "error",
  overridable: false,
  title: { de: "Keine verbotene KI-Praxis", en: "No prohibited AI practice" },
  description: {
    de: "Nach Art. 5 KI-Verordnung verbotene Praktiken werden nicht eingesetzt.",
    en: "Practices prohibited by EU AI Act Art. 5 are not used.",
  },
  check: ({ risk }) => (risk.aiActClass === "prohibited" ? ["risk.aiActClass"] : []),
};

export const appealPathForCitizens: Rule = {
  id: "appeal-path-for-citizens",
  version: 1,
  severity: "error",
  overridable: true,
  title: { de: "Widerspruchsweg für Betroffene", en: "Appeal path for those affected" },
  description: {
    de: "Betrifft die KI Bürgerinnen und Bürger unmittelbar, ist beschrieben, wie sie eine Überprüfung durch Menschen erreichen.",
    en: "Where the AI directly affects citizens, it is described how they obtain a review by a human.",
  },
  check: ({ decisionProcess }) => (decisionProcess.directlyAffectsCitizens && decisionProcess.appealPath === undefined ? ["decisionProcess.appealPath"] : []),
};

export const sovereignHosting: Rule = {
  id: "sovereign-hosting",
  version: 1,
  severity: "warning",
  overridable: true,
  title: { de: "Souveräner Betrieb in der EU", en: "Sovereign hosting in the EU" },
  description: {
    de: "Die KI wird innerhalb der EU und unter EU-Recht betrieben, mit einem Ausstiegsplan.",
    en: "The AI is hosted inside the EU, under EU jurisdiction, with an exit plan.",
  },
  check: ({ sovereignty }) => {
    if (sovereignty === undefined) return ["sovereignty"];
    const offending: string[] = [];
    if (sovereignty.hosting === "non-eu-cloud") offending.push("sovereignty.hosting");
    if (!euCountryCodes.has(sovereignty.jurisdiction)) offending.push("sovereignty.jurisdiction");
    if (sovereignty.exitPlan === undefined) offending.push("sovereignty.exitPlan");
    return offending;
  },
};

/** The shared rule catalog, by id. A new rule goes here (and in its test file). */
export const ruleCatalog: ReadonlyMap<string, Rule> = new Map(
  [
    noAutomatedActionOnCitizens,
    namedResponsibleHuman,
    energyConsidered,
    dpiaForPersonalData,
    riskClassStated,
    highRiskNeedsFria,
    noProhibitedPractice,
    appealPathForCitizens,
    sovereignHosting,
  ].map((rule) => [rule.id, rule]),
);

/**
 * Rules that apply to every use case whether or not a guideline names them. No guideline can
 * weaken them, so a use case that breaks one is not even saved (see `useCaseContentSchema`).
 */
export const alwaysAppliedRules: readonly ContentRule[] = [noAutomatedActionOnCitizens, noProhibitedPractice];
