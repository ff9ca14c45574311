import { describe, expect, it } from "@jest/globals";
import { demoGuidelineContent } from "../demo/demo-guideline.ts";
import { demoUseCaseContents } from "../demo/demo-use-cases.ts";
import type { Principle } from "../guideline.entity.ts";
import { localProvenance } from "../provenance.ts";
import { createUseCaseDraft } from "../use-case.workflow.ts";
import { checkUseCase, unknownRuleIds } from "./check-use-case.ts";
import { noAutomatedActionOnCitizens } from "./rule-catalog.ts";

const contents = demoUseCaseContents((slug) => `https://ki.example.org/models/${slug}`);
const useCase = (slug: string) => {
  const content = contents[slug];
  if (!content) throw new Error(`no demo use case ${slug}`);
  return createUseCaseDraft(structuredClone(content), {
    id: `https://ki.example.org/use-cases/${slug}`,
    provenance: localProvenance("https://ki.example.org/actor"),
  });
};
const principle = (overrides: Partial<Principle>): Principle => ({
  key: "p",
  statement: { de: "Grundsatz", en: "Principle" },
  level: "MUST",
  category: "ethics",
  ...overrides,
});

describe("checkUseCase", () => {
  it("names rule, version, principle key and statement for each rule a principle points to", () => {
    const results = checkUseCase(useCase("automatische-verwarnungen"), demoGuidelineContent);
    const dortmund = results.find((result) => result.rule.id === "no-automated-action-on-citizens");
    expect(dortmund).toEqual({
      rule: { id: "no-automated-action-on-citizens", version: 1 },
      principle: { key: "ai-supports-people", statement: demoGuidelineContent.principles[0]?.statement },
      severity: "error",
      passed: false,
      offendingFields: ["decisionProcess.automationLevel", "decisionProcess.directlyAffectsCitizens"],
    });
    expect(results.find((result) => result.rule.id === "sovereign-hosting")).toMatchObject({
      principle: { key: "ai-sovereignty" },
      severity: "warning",
      passed: false,
    });
  });

  it("principles without rule ids produce no result", () => {
    const results = checkUseCase(useCase("strassenschaeden-erkennung"), { principles: [principle({ key: "no-rules" })] });
    expect(results.map((result) => result.principle.key)).not.toContain("no-rules");
  });

  it("applies the Dortmund rule even when the guideline does not name it, with the rule's own text as principle", () => {
    const results = checkUseCase(useCase("automatische-verwarnungen"), { principles: [principle({ ruleIds: ["energy-considered"] })] });
    expect(results.find((result) => result.rule.id === "no-automated-action-on-citizens")).toMatchObject({
      principle: { key: null, statement: noAutomatedActionOnCitizens.description },
      severity: "error",
      passed: false,
    });
  });

  it("a SHOULD principle softens an ordinary rule to a warning but never the Dortmund rule", () => {
    const results = checkUseCase(useCase("automatische-verwarnungen"), {
      principles: [principle({ level: "SHOULD", ruleIds: ["no-automated-action-on-citizens", "dpia-for-personal-data"] })],
    });
    expect(results.find((result) => result.rule.id === "no-automated-action-on-citizens")).toMatchObject({
      severity: "error",
      passed: false,
      principle: { key: "p" },
    });
    expect(results.find((result) => result.rule.id === "dpia-for-personal-data")).toMatchObject({ severity: "warning", passed: false });
    expect(results.filter((result) => result.rule.id === "no-automated-action-on-citizens")).toHaveLength(1);
  });

  it("skips rule ids this node does not know and reports them", () => {
    const guideline = { principles: [principle({ ruleIds: ["rule-from-the-future", "energy-considered"] })] };
    expect(checkUseCase(useCase("strassenschaeden-erkennung"), guideline).map((result) => result.rule.id)).toEqual([
      "energy-considered",
      "no-automated-action-on-citizens",
      "no-prohibited-practice",
    ]);
    expect(unknownRuleIds(guideline)).toEqual(["rule-from-the-future"]);
  });
});
