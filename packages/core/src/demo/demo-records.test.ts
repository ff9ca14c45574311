import { describe, expect, it } from "@jest/globals";
import { validateGuideline, validateSharedModel, validateUseCase } from "../validation.ts";
import { demoRecords } from "./demo-records.ts";

describe("demo records", () => {
  const demo = demoRecords({
    actor: "https://ki.example.org/actor",
    iri: (kind, slug) => `https://ki.example.org/${kind}/${slug}`,
    now: new Date("2025-10-01T00:00:00Z"),
  });

  it("are valid records", () => {
    for (const guideline of demo.guidelines) expect(validateGuideline(guideline)).toEqual({ ok: true, value: guideline });
    for (const useCase of demo.useCases) expect(validateUseCase(useCase)).toEqual({ ok: true, value: useCase });
    for (const model of demo.models) expect(validateSharedModel(model)).toEqual({ ok: true, value: model });
  });

  it("credit the Dortmund guideline under a licence that allows derivatives", () => {
    const [guideline] = demo.guidelines;
    expect(guideline?.licence).toBe("CC-BY-4.0");
    expect(guideline?.attribution?.de).toContain("Stadt Dortmund, Leitlinie „Künstliche Intelligenz verantwortlich gestalten“");
    expect(guideline?.state).toBe("published");
  });

  it("publish four vetted use cases; the automated action on citizens stays a draft, sent back", () => {
    expect(demo.useCases).toHaveLength(5);
    const states = Object.fromEntries(demo.useCases.map((useCase) => [useCase.id.split("/").pop(), useCase.workflow.state]));
    expect(states).toEqual({
      "buergerservice-chatbot": "published",
      "posteingang-zuordnung": "published",
      "strassenschaeden-erkennung": "published",
      "bescheid-zusammenfassung": "published",
      "automatische-verwarnungen": "draft",
    });
    const refused = demo.useCases.find((useCase) => useCase.workflow.state === "draft");
    expect(refused?.workflow.sentBack?.reason.en).toContain("no-automated-action-on-citizens");
    expect(refused?.vetting).toBeUndefined();
  });

  it("pin the shared models the use cases use", () => {
    const modelIds = new Set(demo.models.map((model) => model.id));
    const references = demo.useCases.flatMap((useCase) => useCase.models);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(modelIds.has(reference.model)).toBe(true);
    expect(demo.models).toHaveLength(2);
  });
});
