import { describe, expect, it } from "@jest/globals";
import { demoGuidelineContent } from "./demo/demo-guideline.ts";
import { demoRecords } from "./demo/demo-records.ts";
import { validateGuidelineContent, validateSharedModel, validateUseCase, validateUseCaseCandidate, validateUseCaseContent } from "./validation.ts";

const demo = demoRecords({
  actor: "https://ki.example.org/actor",
  iri: (kind, slug) => `https://ki.example.org/${kind}/${slug}`,
  now: new Date("2025-10-01T00:00:00Z"),
});
const useCase = demo.useCases[0];
if (!useCase) throw new Error("no demo use case");

describe("validation", () => {
  it("reports the path of a nested language-map error with a German and English message", () => {
    const input = structuredClone(demoGuidelineContent) as unknown as { principles: { statement: Record<string, unknown> }[] };
    input.principles[2]!.statement = { de: "" };
    const result = validateGuidelineContent(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ path: "principles[2].statement.de", code: "empty", message: { de: "Darf nicht leer sein.", en: "Must not be empty." } }]);
  });

  it("requires de or en in a language map", () => {
    const result = validateUseCaseContent({ ...useCase, name: { fr: "Chatbot" } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual(expect.objectContaining({ path: "name", code: "language-missing" }));
  });

  it("collects all problems at once: too long, missing, wrong option, unknown field, bad date", () => {
    const { id: _id, provenance: _provenance, workflow: _workflow, conformance: _conformance, vetting: _vetting, adoptedBy: _adoptedBy, ...content } = useCase;
    const result = validateUseCaseContent({
      ...content,
      name: { de: "x".repeat(101) },
      purpose: undefined,
      decisionProcess: { ...content.decisionProcess, automationLevel: "fully-automatic" },
      statusDates: { pilot: "01.02.2025" },
      colour: "blue",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.errors.map((error) => [error.path, error]));
    expect(byPath["name.de"]).toMatchObject({ code: "too-long", message: { de: "Höchstens 100 Zeichen erlaubt.", en: "At most 100 characters allowed." } });
    expect(byPath["purpose"]).toMatchObject({ code: "required", message: { de: "Dieses Feld fehlt, es ist ein Pflichtfeld." } });
    expect(byPath["decisionProcess.automationLevel"]?.code).toBe("invalid-option");
    expect(byPath["decisionProcess.automationLevel"]?.message.en).toContain('"decision-support"');
    expect(byPath["statusDates.pilot"]).toMatchObject({ code: "invalid-format", message: { de: "Hier wird ein Datum im Format JJJJ-MM-TT erwartet." } });
    expect(byPath["colour"]).toMatchObject({ code: "unknown-field" });
    expect(result.errors).toHaveLength(5);
  });

  it("refuses content that breaks a rule no guideline can weaken, at both fields and with the principle's text; received records and candidates pass", () => {
    const automated = demo.useCases.find(
      (entry) => entry.decisionProcess.automationLevel === "automated-action" && entry.decisionProcess.directlyAffectsCitizens,
    );
    if (!automated) throw new Error("the demo has no automated use case");
    const {
      id: _id,
      provenance: _provenance,
      workflow: _workflow,
      conformance: _conformance,
      vetting: _vetting,
      adoptedBy: _adoptedBy,
      ...content
    } = automated;
    const result = validateUseCaseContent(content);
    expect(result.ok ? [] : result.errors.map((error) => [error.path, error.code, error.ruleId])).toEqual([
      ["decisionProcess.automationLevel", "always-applied-rule", "no-automated-action-on-citizens"],
      ["decisionProcess.directlyAffectsCitizens", "always-applied-rule", "no-automated-action-on-citizens"],
    ]);
    if (!result.ok) expect(result.errors[0]?.message.de).toContain("darf eine KI auch vordefinierte Aktionen nicht selbsttätig auslösen");
    const prohibited = validateUseCaseContent({
      ...content,
      decisionProcess: { ...content.decisionProcess, automationLevel: "decision-support" },
      risk: { aiActClass: "prohibited", risks: [] },
    });
    expect(prohibited.ok ? [] : prohibited.errors.map((error) => [error.path, error.code, error.ruleId])).toEqual([
      ["risk.aiActClass", "always-applied-rule", "no-prohibited-practice"],
    ]);
    expect(validateUseCase(automated).ok).toBe(true);
    expect(validateUseCaseCandidate(content).ok).toBe(true);
  });

  it("checks cross-field consistency with bilingual messages", () => {
    const result = validateUseCase({ ...useCase, risk: { aiActClass: "high", risks: [] }, contact: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => [error.path, error.code])).toEqual([
      ["risk.annexIIIArea", "annex-iii-area-missing"],
      ["contact", "contact-missing"],
    ]);
    expect(result.errors[0]?.message.de).toContain("Anhang III");
  });

  it("requires an id and provenance on stored records", () => {
    const { id: _id, ...withoutId } = demo.models[0]!;
    const result = validateSharedModel(withoutId);
    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual(["id"]);
  });

  it("a principle key may appear only once", () => {
    const principles = [...demoGuidelineContent.principles, demoGuidelineContent.principles[0]!];
    const result = validateGuidelineContent({ ...demoGuidelineContent, principles });
    expect(result.ok ? [] : result.errors.map((error) => [error.path, error.code])).toEqual([[`principles[${principles.length - 1}].key`, "duplicate-key"]]);
  });
});
