import { describe, expect, it } from "@jest/globals";
import { compareGuidelines, describeCompareError } from "./compare-guidelines.ts";
import { guidelineVersion, principle } from "./guideline.fixture.ts";

const a = guidelineVersion({
  host: "a.example",
  principles: [
    principle("human-first", "human-oversight", "AI supports people but does not replace them.", ["no-automated-action-on-citizens"]),
    principle("responsibility", "accountability", "Responsibility for decisions always lies with humans."),
    principle("energy", "energy", "The energy use of AI is always considered."),
    principle("register", "transparency", "All AI use cases are listed publicly in the AI register."),
    principle("together", "inter-municipal", "Inter-municipal solutions take precedence over building our own."),
  ],
});
const b = guidelineVersion({
  host: "b.example",
  principles: [
    principle("people", "human-oversight", "Humans decide; AI only assists.", ["no-automated-action-on-citizens", "appeal-path-for-citizens"]),
    principle("humans", "ethics", "Humans are always responsible for decisions."),
    principle("electricity", "energy", "We estimate how much electricity each system needs.", ["energy-considered"]),
    principle("public", "transparency", "Every system is published in the public register."),
    principle("sovereign", "sovereignty", "Hosting stays inside the EU."),
  ],
});
const c = guidelineVersion({
  host: "c.example",
  principles: [
    principle("appeal", "human-oversight", "Citizens can always appeal to a human.", ["appeal-path-for-citizens"]),
    principle("listed", "transparency", "All AI use cases are listed publicly in the AI register."),
    principle("explain", "transparency", "Citizens may ask how a decision was made."),
  ],
});

/** The matrix as [key or null per version, how it was aligned] for readable assertions. */
function shape(rows: { cells: ({ principle: { key: string }; alignedBy: string } | null)[] }[]) {
  return rows.map((row) => row.cells.map((cell) => (cell === null ? null : `${cell.principle.key}:${cell.alignedBy}`)));
}

describe("compareGuidelines", () => {
  it("aligns principles by rule id, then by a lone category, then by statement similarity", () => {
    const result = compareGuidelines([a, b, c], { language: "en" });
    if (!result.ok) throw new Error(result.error.type);
    const { principles, versions, diff } = result.comparison;
    expect(versions.map((version) => version.city)).toEqual(["https://a.example/actor", "https://b.example/actor", "https://c.example/actor"]);
    expect(diff).toBeNull();
    expect(principles.similarityThreshold).toBe(0.5);
    expect(shape(principles.rows)).toEqual([
      // C's principle shares only the rule B brought into the row.
      ["human-first:first", "people:rule-id", "appeal:rule-id"],
      // Different categories, similar statements.
      ["responsibility:first", "humans:text", null],
      // The only energy principle on both sides, although the words differ.
      ["energy:first", "electricity:category", null],
      // C has two transparency principles: the category does not decide, the text does.
      ["register:first", "public:category", "listed:text"],
      ["together:first", null, null],
      [null, "sovereign:first", null],
      [null, null, "explain:first"],
    ]);
    expect(principles.rows[0]?.ruleIds).toEqual(["no-automated-action-on-citizens", "appeal-path-for-citizens"]);
    // {respon, decisi, always, lies, humans} against {humans, always, respon, decisi}
    expect(principles.rows[1]?.cells[1]?.similarity).toBeCloseTo(8 / 9);
    expect(principles.rows[2]?.cells[1]?.similarity).toBe(0);
    expect(principles.rows[3]?.cells[2]?.similarity).toBe(1);
  });

  it("leaves statements below the threshold in rows of their own", () => {
    const result = compareGuidelines([a, b], { language: "en", similarityThreshold: 0.95 });
    if (!result.ok) throw new Error(result.error.type);
    const rows = shape(result.comparison.principles.rows);
    expect(rows).toContainEqual(["responsibility:first", null]);
    expect(rows).toContainEqual([null, "humans:first"]);
  });

  it("gives the diff for exactly two versions", () => {
    const result = compareGuidelines([a, b], { language: "en" });
    if (!result.ok) throw new Error(result.error.type);
    expect(result.comparison.diff).toMatchObject({ from: a.id, to: b.id, hasChanges: true });
  });

  it("refuses fewer than two versions and a threshold outside 0–1, in German and English", () => {
    const single = compareGuidelines([a], { language: "en" });
    expect(single).toEqual({ ok: false, error: { type: "too-few-versions", count: 1 } });
    if (!single.ok) expect(describeCompareError(single.error).de).toContain("mindestens zwei");
    expect(compareGuidelines([a, b], { language: "en", similarityThreshold: 1.5 })).toEqual({
      ok: false,
      error: { type: "invalid-similarity-threshold", value: 1.5 },
    });
    expect(compareGuidelines([a, b], { language: "en", similarityThreshold: Number.NaN })).toMatchObject({
      ok: false,
      error: { type: "invalid-similarity-threshold" },
    });
  });
});
