import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import { stringify } from "yaml";
import { demoRecords } from "../demo/demo-records.ts";
import { guidelineContent } from "../guideline.workflow.ts";
import { parseImportYaml } from "./import.parser.ts";
import { importJsonSchema } from "./import.schema.ts";

const demo = demoRecords({
  actor: "https://ki.example.org/actor",
  iri: (kind, slug) => `https://ki.example.org/${kind}/${slug}`,
  now: new Date("2025-10-01T00:00:00Z"),
});

const validFile = `
guidelines: []
useCases:
  - name:
      de: Chatbot
    shortDescription:
      de: Beantwortet Fragen.
    purpose:
      de: Entlastung
    department: Bürgerdienste
    status: pilot
    contact:
      email: buergerservice@example.org
    decisionProcess:
      processFit:
        de: Vorgelagert
      automationLevel: information-only
      directlyAffectsCitizens: true
      humanReview:
        de: Stichproben
    technique: generative
    selfLearning: false
`;

describe("parseImportYaml", () => {
  it("parses a valid file and fills defaults", () => {
    const result = parseImportYaml(validFile);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.models).toEqual([]);
    expect(result.value.useCases[0]).toMatchObject({ department: "Bürgerdienste", datasets: [], risk: { risks: [] } });
  });

  it("round-trips the demo records as content", () => {
    const file = stringify({
      guidelines: demo.guidelines.map(guidelineContent),
      models: demo.models.map(({ id: _id, provenance: _p, state: _s, ...model }) => model),
    });
    const result = parseImportYaml(file);
    expect(result.ok ? result.value.guidelines[0]?.principles.length : result.errors).toBe(demo.guidelines[0]?.principles.length);
  });

  it("reports all three errors, each with its line number and field path", () => {
    const broken = validFile
      .replace("department: Bürgerdienste", "department: Bürgerdienste\n    colour: blue") // line 11: unknown field
      .replace("status: pilot", "status: testing") // line 12: not an option
      .replace("      de: Stichproben", "      fr: Échantillons"); // line 20 (humanReview): neither de nor en
    const result = parseImportYaml(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ line, path, code }) => ({ line, path, code }))).toEqual([
      { line: 11, path: "useCases[0].colour", code: "unknown-field" },
      { line: 12, path: "useCases[0].status", code: "invalid-option" },
      { line: 20, path: "useCases[0].decisionProcess.humanReview", code: "language-missing" },
    ]);
    expect(result.errors[1]?.message.de).toContain('"pilot"');
  });

  it("points a missing required field at its parent", () => {
    const result = parseImportYaml(validFile.replace("    technique: generative\n", ""));
    expect(result.ok ? [] : result.errors.map(({ line, path, code }) => ({ line, path, code }))).toEqual([
      { line: 4, path: "useCases[0].technique", code: "required" },
    ]);
  });

  it("refuses a principle that names a rule the catalog does not know, with its line", () => {
    const guideline = guidelineContent(demo.guidelines[0]!);
    const typo = {
      ...guideline,
      principles: guideline.principles.map((principle, index) => (index === 0 ? { ...principle, ruleIds: ["energy-considerd"] } : principle)),
    };
    const result = parseImportYaml(stringify({ guidelines: [typo] }));
    expect(result.ok ? [] : result.errors.map(({ path, code, line }) => ({ path, code, line: typeof line }))).toEqual([
      { path: "guidelines[0].principles[0].ruleIds[0]", code: "unknown-rule", line: "number" },
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    const result = parseImportYaml("useCases:\n  - name: [unclosed\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: "yaml-syntax", line: expect.any(Number) });
    expect(result.errors[0]?.message.de).toContain("kein gültiges YAML");
  });

  it("rejects a file that is not a mapping", () => {
    const result = parseImportYaml("- just a list\n");
    expect(result.ok ? null : result.errors[0]).toMatchObject({ path: "", code: "invalid-type", line: 1 });
  });
});

describe("schema/import.schema.json", () => {
  it("is up to date with the zod schemas (rewrite: pnpm exec node packages/core/src/scripts/write-import-schema.ts)", async () => {
    const committed = JSON.parse(await readFile(new URL("../../../../schema/import.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(importJsonSchema());
  });
});
