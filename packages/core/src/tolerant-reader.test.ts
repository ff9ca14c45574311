import { describe, expect, it } from "@jest/globals";
import { demoRecords } from "./demo/demo-records.ts";
import { readGuideline, readSharedModel, readUseCase } from "./tolerant-reader.ts";
import { validateUseCase } from "./validation.ts";

const demo = demoRecords({
  actor: "https://ki.example.org/actors/stadt",
  iri: (kind, slug) => `https://ki.example.org/${kind}/${slug}`,
  now: new Date("2025-10-01T00:00:00Z"),
});
const useCase = demo.useCases.find((candidate) => candidate.assessments.dpia !== undefined && candidate.datasets.length > 0)!;
const [model] = demo.models;
const [guideline] = demo.guidelines;

describe("the tolerant reader", () => {
  it("sets aside fields it does not know, at any depth, and names them; what it knows is read unchanged", () => {
    const newer = {
      ...structuredClone(useCase),
      carbonLabel: "A+",
      decisionProcess: { ...useCase.decisionProcess, explainability: { de: "Jede Empfehlung nennt ihre Gründe." } },
      datasets: useCase.datasets.map((dataset, index) => (index === 0 ? { ...dataset, dataSteward: "Amt 62" } : dataset)),
      assessments: { ...useCase.assessments, dpia: { ...useCase.assessments.dpia!, reviewer: "DSB" } },
    };
    const read = readUseCase(newer);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value).toEqual(useCase);
    expect(read.ignored.sort()).toEqual(["assessments.dpia.reviewer", "carbonLabel", "datasets[0].dataSteward", "decisionProcess.explainability"]);
    // Local input stays strict: there an unknown field is a typo.
    expect(validateUseCase(newer).ok).toBe(false);
  });

  it("still refuses what it knows and finds wrong, with the field's path", () => {
    const read = readUseCase({ ...structuredClone(useCase), newField: 1, decisionProcess: { ...useCase.decisionProcess, automationLevel: "fully-automatic" } });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((error) => error.path)).toEqual(["decisionProcess.automationLevel"]);
    expect(read.ignored).toEqual(["newField"]);
  });

  it("reads an older record (fewer fields) as before, and every record kind", () => {
    const { energy: _energy, sovereignty: _sovereignty, ...older } = structuredClone(useCase);
    expect(readUseCase(older)).toMatchObject({ ok: true, ignored: [] });
    expect(readSharedModel({ ...structuredClone(model), finetunedOn: "Ratsprotokolle" })).toMatchObject({ ok: true, ignored: ["finetunedOn"] });
    const principles = guideline!.principles.map((principle, index) => (index === 0 ? { ...principle, weight: 3 } : principle));
    expect(readGuideline({ ...structuredClone(guideline), principles })).toMatchObject({ ok: true, value: guideline, ignored: ["principles[0].weight"] });
  });

  it("keeps members where a schema allows any (language maps) and leaves non-objects to the validator", () => {
    const read = readUseCase({ ...structuredClone(useCase), name: { ...useCase.name, fr: "Chatbot" } });
    expect(read).toMatchObject({ ok: true, ignored: [] });
    if (read.ok) expect(read.value.name.fr).toBe("Chatbot");
    expect(readUseCase("not a record")).toMatchObject({ ok: false, ignored: [] });
    expect(readUseCase({ ...structuredClone(useCase), datasets: "none" }).ok).toBe(false);
  });
});
