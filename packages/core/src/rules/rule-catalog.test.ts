import { describe, expect, it } from "@jest/globals";
import { demoUseCaseContents } from "../demo/demo-use-cases.ts";
import { localProvenance } from "../provenance.ts";
import type { UseCase } from "../use-case.entity.ts";
import { createUseCaseDraft } from "../use-case.workflow.ts";
import { ruleCatalog } from "./rule-catalog.ts";

const contents = demoUseCaseContents((slug) => `https://ki.example.org/models/${slug}`);

/** A use case that passes every rule, to be changed one field at a time. */
function compliant(): UseCase {
  const content = contents["bescheid-zusammenfassung"];
  if (!content) throw new Error("demo use case missing");
  return createUseCaseDraft(structuredClone(content), {
    id: "https://ki.example.org/use-cases/x",
    provenance: localProvenance("https://ki.example.org/actor"),
  });
}

const check = (id: string, useCase: UseCase) => {
  const rule = ruleCatalog.get(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule.check(useCase);
};

describe("rule catalog", () => {
  it("the compliant use case passes every rule", () => {
    const useCase = compliant();
    for (const rule of ruleCatalog.values()) expect([rule.id, rule.check(useCase)]).toEqual([rule.id, []]);
  });

  it("every rule has a version and bilingual title and description", () => {
    for (const rule of ruleCatalog.values()) {
      expect(rule.version).toBeGreaterThanOrEqual(1);
      expect(rule.title.de && rule.title.en && rule.description.de && rule.description.en).toBeTruthy();
    }
  });

  it("no-automated-action-on-citizens fails only for automated action that directly affects citizens", () => {
    const useCase = compliant();
    useCase.decisionProcess.automationLevel = "automated-action";
    expect(check("no-automated-action-on-citizens", useCase)).toEqual(["decisionProcess.automationLevel", "decisionProcess.directlyAffectsCitizens"]);
    useCase.decisionProcess.directlyAffectsCitizens = false;
    expect(check("no-automated-action-on-citizens", useCase)).toEqual([]);
    expect(ruleCatalog.get("no-automated-action-on-citizens")).toMatchObject({ severity: "error", overridable: false });
  });

  it("named-responsible-human needs a responsible role and, once vetted, a vetting", () => {
    const withoutResponsible = compliant();
    delete withoutResponsible.responsible;
    expect(check("named-responsible-human", withoutResponsible)).toEqual(["responsible"]);
    const vettedWithoutVetting = compliant();
    vettedWithoutVetting.workflow.state = "published";
    expect(check("named-responsible-human", vettedWithoutVetting)).toEqual(["vetting"]);
  });

  it("energy-considered needs an energy estimate", () => {
    const useCase = compliant();
    delete useCase.energy;
    expect(check("energy-considered", useCase)).toEqual(["energy"]);
  });

  it("dpia-for-personal-data needs a performed DPIA when any dataset holds personal data", () => {
    const useCase = compliant();
    useCase.assessments.dpia = { performed: false, reason: { de: "keine Zeit" } };
    expect(check("dpia-for-personal-data", useCase)).toEqual(["assessments.dpia"]);
    useCase.datasets = useCase.datasets.map((dataset) => ({ ...dataset, personalData: false }));
    expect(check("dpia-for-personal-data", useCase)).toEqual([]);
  });

  it("risk-class-stated needs the AI Act class", () => {
    const useCase = compliant();
    delete useCase.risk.aiActClass;
    expect(check("risk-class-stated", useCase)).toEqual(["risk.aiActClass"]);
  });

  it("high-risk-needs-fria needs a performed FRIA for high-risk systems only", () => {
    const useCase = compliant();
    delete useCase.assessments.fria;
    expect(check("high-risk-needs-fria", useCase)).toEqual(["assessments.fria"]);
    useCase.risk.aiActClass = "limited";
    expect(check("high-risk-needs-fria", useCase)).toEqual([]);
  });

  it("no-prohibited-practice fails for the prohibited class", () => {
    const useCase = compliant();
    useCase.risk.aiActClass = "prohibited";
    expect(check("no-prohibited-practice", useCase)).toEqual(["risk.aiActClass"]);
  });

  it("appeal-path-for-citizens needs an appeal path where citizens are affected", () => {
    const useCase = compliant();
    delete useCase.decisionProcess.appealPath;
    expect(check("appeal-path-for-citizens", useCase)).toEqual(["decisionProcess.appealPath"]);
  });

  it("sovereign-hosting warns about hosting and jurisdiction outside the EU and a missing exit plan", () => {
    const useCase = compliant();
    useCase.sovereignty = { operator: "Cloud Inc.", jurisdiction: "US", hosting: "non-eu-cloud", openWeights: false };
    expect(check("sovereign-hosting", useCase)).toEqual(["sovereignty.hosting", "sovereignty.jurisdiction", "sovereignty.exitPlan"]);
    delete useCase.sovereignty;
    expect(check("sovereign-hosting", useCase)).toEqual(["sovereignty"]);
    expect(ruleCatalog.get("sovereign-hosting")?.severity).toBe("warning");
  });
});
