import type { SharedModelContent } from "../shared-model.entity.ts";

export const demoModelSlugs = { assistant: "kommunal-assistent", roadDamage: "strassenschaden-detektor" } as const;

export const demoModelContents: Record<keyof typeof demoModelSlugs, SharedModelContent> = {
  assistant: {
    name: { de: "Kommunal-Assistent 7B", en: "Municipal assistant 7B" },
    version: "1.2.0",
    revision: "sha256:3f1c9a7e0b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e",
    licence: "Apache-2.0",
    baseModel: { name: "Mistral-7B-Instruct-v0.3", relation: "fine-tune" },
    architecture: "Decoder-only transformer",
    parameterCount: 7_200_000_000,
    languages: ["de", "en", "tr", "ar"],
    intendedUse: {
      de: "Antworten auf Fragen zu Verwaltungsleistungen auf Grundlage geprüfter Texte der Stadt.",
      en: "Answers to questions about municipal services based on vetted city texts.",
    },
    outOfScopeUse: {
      de: "Rechtsberatung, Entscheidungen über Anträge, Auskünfte zu Einzelfällen.",
      en: "Legal advice, decisions on applications, information on individual cases.",
    },
    trainingData: {
      de: "Öffentliche Leistungsbeschreibungen (FIM/LeiKa) und freigegebene FAQ-Texte von drei Städten.",
      en: "Public service descriptions (FIM/LeiKa) and released FAQ texts of three cities.",
    },
    evaluation: [{ benchmark: "Kommunale FAQ (intern, 600 Fragen)", metric: "answer accuracy", value: 0.91 }],
    limitations: {
      de: "Kann veraltete Informationen wiedergeben; keine Kenntnis von Einzelfällen.",
      en: "May repeat outdated information; no knowledge of individual cases.",
    },
    trainingEmissions: { co2eGrams: 41_000, hardware: "8× NVIDIA A100 80GB, 6 h", region: "DE" },
    inferenceEnergy: { whPer1000Requests: 180, hardware: "1× NVIDIA L40S", testDate: "2025-03-12" },
    sovereignty: {
      openWeights: true,
      osiOpenSourceAi: "not-compliant",
      weightsLocation: "Kommunales Rechenzentrum (Demo)",
      hosting: "municipal-data-centre",
      operatorJurisdiction: "DE",
      exitStrategy: {
        de: "Gewichte liegen lokal; jedes Open-Weights-Modell mit gleicher Schnittstelle kann es ersetzen.",
        en: "Weights are held locally; any open-weights model with the same interface can replace it.",
      },
    },
    servedBy: [],
    useTerms: {
      de: "Nutzung durch Kommunen kostenfrei; Betriebskosten werden anteilig geteilt.",
      en: "Free for municipalities; running costs are shared pro rata.",
    },
    maintainers: [{ name: "KI-Kompetenzzentrum (Demo)", contact: "ki@example.org" }],
  },
  roadDamage: {
    name: { de: "Straßenschaden-Detektor", en: "Road damage detector" },
    version: "0.4.1",
    licence: "AGPL-3.0-or-later",
    baseModel: { name: "YOLOv8n", relation: "fine-tune" },
    architecture: "Convolutional object detector",
    parameterCount: 3_200_000,
    languages: ["de"],
    intendedUse: {
      de: "Erkennen von Schlaglöchern und Rissen auf Fotos aus Kehrfahrzeugen.",
      en: "Detecting potholes and cracks on photos taken from street sweepers.",
    },
    outOfScopeUse: { de: "Erkennen von Personen oder Kennzeichen.", en: "Detecting people or number plates." },
    trainingData: {
      de: "12.000 annotierte Straßenfotos; Personen und Kennzeichen vorab unkenntlich gemacht.",
      en: "12,000 annotated street photos; people and number plates blurred beforehand.",
    },
    evaluation: [{ benchmark: "Straßenfotos Testsatz 2024", metric: "mAP@0.5", value: 0.78 }],
    limitations: { de: "Schwächer bei Nässe und Dunkelheit.", en: "Weaker in wet conditions and darkness." },
    inferenceEnergy: { whPer1000Requests: 4, hardware: "Intel Xeon, CPU only", testDate: "2025-02-03" },
    sovereignty: {
      openWeights: true,
      osiOpenSourceAi: "not-assessed",
      weightsLocation: "Kommunales Rechenzentrum (Demo)",
      hosting: "on-premises",
      operatorJurisdiction: "DE",
    },
    servedBy: [],
    maintainers: [{ name: "Tiefbauamt, Team Straßenzustand (Demo)" }],
  },
};
