import type { GuidelineContent } from "../guideline.entity.ts";

/**
 * A demo guideline written in our own words after the principles of the City of Dortmund.
 * Not the original text: see `attribution`.
 */
export const demoGuidelineContent: GuidelineContent = {
  kind: "guideline",
  title: { de: "Leitlinie für den verantwortlichen Einsatz von KI (Demo)", en: "Guideline for the responsible use of AI (demo)" },
  summary: {
    de: "KI unterstützt die Beschäftigten der Stadtverwaltung, ersetzt sie aber nicht. Entscheidungen verantworten immer Menschen.",
    en: "AI supports the city's staff but does not replace them. Humans are always responsible for decisions.",
  },
  issuingBody: { name: { de: "Stadt Dortmund (Demo)", en: "City of Dortmund (demo)" }, organisationId: { scheme: "AGS", value: "05913000" } },
  adoptingBody: { name: { de: "Verwaltungsvorstand (Demo)", en: "Executive board (demo)" } },
  version: "1.0",
  validFrom: "2025-01-01",
  relatedDocuments: [],
  audience: { de: "Alle Beschäftigten der Stadtverwaltung, die KI planen, beschaffen oder nutzen.", en: "All city staff who plan, procure or use AI." },
  consulted: [{ party: "data-protection-officer" }, { party: "staff-council" }, { party: "information-security-officer" }],
  licence: "CC-BY-4.0",
  attribution: {
    de: "In eigenen Worten nach: Stadt Dortmund, Leitlinie „Künstliche Intelligenz verantwortlich gestalten“.",
    en: "In our own words after: Stadt Dortmund, Leitlinie 'Künstliche Intelligenz verantwortlich gestalten'.",
  },
  sections: [
    {
      heading: { de: "Wozu diese Leitlinie da ist", en: "What this guideline is for" },
      body: {
        de: "Die Verwaltung nutzt KI dort, wo sie Menschen spürbar entlastet. Diese Leitlinie sagt, **welche Grenzen** dabei gelten und **wer** wofür einsteht.",
        en: "The administration uses AI where it noticeably relieves people. This guideline states **which limits** apply and **who** answers for what.",
      },
    },
    {
      heading: { de: "Wie ein Anwendungsfall geprüft wird", en: "How a use case is vetted" },
      body: {
        de: "Jeder Anwendungsfall wird vor dem Einsatz von einer benannten Person geprüft und im KI-Register veröffentlicht.",
        en: "Every use case is vetted by a named person before it goes live and is published in the AI register.",
      },
    },
  ],
  principles: [
    {
      key: "ai-supports-people",
      statement: {
        de: "KI unterstützt Menschen, ersetzt sie aber nicht. Wo Entscheidungen Bürgerinnen und Bürger unmittelbar betreffen, löst KI auch keine vordefinierten Aktionen selbst aus.",
        en: "AI supports people but does not replace them. Where decisions directly affect citizens, AI does not trigger even predefined actions by itself.",
      },
      level: "MUST",
      category: "human-oversight",
      ruleIds: ["no-automated-action-on-citizens", "appeal-path-for-citizens"],
    },
    {
      key: "humans-are-responsible",
      statement: {
        de: "Die Verantwortung für Entscheidungen liegt immer bei Menschen, die namentlich oder als Rolle benannt sind.",
        en: "Responsibility for decisions always lies with humans, named in person or by role.",
      },
      level: "MUST",
      category: "accountability",
      ruleIds: ["named-responsible-human"],
    },
    {
      key: "ethics-and-law",
      statement: {
        de: "Ethische und rechtliche Pflichten werden eingehalten: Risikoeinstufung nach KI-Verordnung, Datenschutz-Folgenabschätzung, Grundrechte-Folgenabschätzung bei Hochrisiko-KI.",
        en: "Ethical and legal obligations are met: risk classification under the AI Act, data protection impact assessment, fundamental-rights assessment for high-risk AI.",
      },
      level: "MUST",
      category: "legal",
      ruleIds: ["risk-class-stated", "dpia-for-personal-data", "high-risk-needs-fria"],
    },
    {
      key: "energy-in-mind",
      statement: { de: "Der Energiebedarf von KI wird immer mitbedacht und geschätzt.", en: "The energy use of AI is always considered and estimated." },
      level: "MUST",
      category: "energy",
      ruleIds: ["energy-considered"],
    },
    {
      key: "ai-sovereignty",
      statement: {
        de: "Die Stadt baut KI-Souveränität auf: Betrieb möglichst in der EU, offene Modelle, ein Ausstiegsplan für jeden Anbieter.",
        en: "The city builds AI sovereignty: hosting in the EU where possible, open models, an exit plan for every vendor.",
      },
      level: "SHOULD",
      category: "sovereignty",
      ruleIds: ["sovereign-hosting"],
    },
    {
      key: "together-with-other-cities",
      statement: {
        de: "Interkommunale Lösungen haben Vorrang vor Eigenentwicklungen.",
        en: "Inter-municipal solutions take precedence over building our own.",
      },
      level: "SHOULD",
      category: "inter-municipal",
    },
    {
      key: "open-register",
      statement: { de: "Alle KI-Anwendungsfälle stehen öffentlich im KI-Register.", en: "All AI use cases are listed publicly in the AI register." },
      level: "MUST",
      category: "transparency",
    },
  ],
};
