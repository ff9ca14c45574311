import { describe, expect, it } from "@jest/globals";
import { diffGuidelineVersions, wordDiff } from "./guideline-diff.ts";
import { guidelineVersion, principle } from "./guideline.fixture.ts";

const section = (heading: string, body: string) => ({ heading: { en: heading, de: heading }, body: { en: body, de: body } });

const v1 = guidelineVersion({
  host: "a.example",
  version: "1.0",
  sections: [
    section("Purpose", "AI relieves staff."),
    section("Vetting", "Every use case is vetted by a named person."),
    section("Energy", "We estimate energy."),
  ],
  principles: [
    principle("human-first", "human-oversight", "AI supports people.", ["no-automated-action-on-citizens"]),
    principle("energy", "energy", "Energy use is considered."),
    principle("register", "transparency", "Use cases are public."),
  ],
});
const v2 = guidelineVersion({
  host: "a.example",
  version: "2.0",
  licence: "CC-BY-SA-4.0",
  sections: [
    section("Energy", "We estimate energy."),
    section("Purpose", "AI relieves staff."),
    section("  VETTING ", "Every use case is vetted by two named people."),
    section("Sovereignty", "We host in the EU."),
  ],
  principles: [
    principle("human-first", "human-oversight", "AI supports people.", ["no-automated-action-on-citizens"]),
    { ...principle("energy", "energy", "Energy use is always considered.", ["energy-considered"]), level: "SHOULD" },
    principle("sovereignty", "sovereignty", "Hosting stays in the EU."),
  ],
});

describe("diffGuidelineVersions", () => {
  it("lists added, removed, changed and moved sections with a word diff of changed bodies", () => {
    const diff = diffGuidelineVersions(v1, v2, { language: "en" });
    expect(diff.sections).toEqual([
      { kind: "unchanged", heading: "Energy", moved: true },
      { kind: "unchanged", heading: "Purpose", moved: false },
      {
        kind: "changed",
        heading: "VETTING",
        moved: false,
        bodyDiff: [
          { kind: "same", text: "Every use case is vetted by " },
          { kind: "removed", text: "a" },
          { kind: "added", text: "two" },
          { kind: "same", text: " named " },
          { kind: "removed", text: "person" },
          { kind: "added", text: "people" },
          { kind: "same", text: "." },
        ],
      },
      { kind: "added", heading: "Sovereignty", body: "We host in the EU." },
    ]);
  });

  it("lists principle changes by key, with the fields that changed", () => {
    const diff = diffGuidelineVersions(v1, v2, { language: "en" });
    expect(
      diff.principles.map((change) =>
        change.kind === "added" || change.kind === "removed" ? `${change.kind}:${change.principle.key}` : `${change.kind}:${change.key}`,
      ),
    ).toEqual(["unchanged:human-first", "changed:energy", "removed:register", "added:sovereignty"]);
    const energy = diff.principles[1];
    if (energy?.kind !== "changed") throw new Error("energy should have changed");
    expect(energy.fields).toEqual(["statement", "level", "ruleIds"]);
    expect(energy.statementDiff.filter((part) => part.kind !== "same")).toEqual([{ kind: "added", text: "always " }]);
    expect(diff.changedFields).toEqual(["licence"]);
    expect(diff.hasChanges).toBe(true);
  });

  it("finds nothing between a version and itself", () => {
    const diff = diffGuidelineVersions(v1, v1, { language: "de" });
    expect(diff.hasChanges).toBe(false);
    expect(diff.sections.every((change) => change.kind === "unchanged")).toBe(true);
    expect(diff.changedFields).toEqual([]);
  });

  it("word-diffs German text", () => {
    expect(wordDiff("Ein Mensch entscheidet.", "Ein Mensch entscheidet immer.")).toEqual([
      { kind: "same", text: "Ein Mensch entscheidet " },
      { kind: "added", text: "immer" },
      { kind: "same", text: "." },
    ]);
  });
});
