import { diffArrays, diffWords } from "diff";
import { textIn } from "../common.schema.ts";
import type { Guideline, GuidelineContent, GuidelineSection, Principle } from "../guideline.entity.ts";
import { guidelineContent } from "../guideline.workflow.ts";

/** One run of words in a word diff, in reading order. */
export interface WordChange {
  kind: "same" | "added" | "removed";
  text: string;
}

export type SectionChange =
  | { kind: "added"; heading: string; body: string }
  | { kind: "removed"; heading: string; body: string }
  /** `moved`: the section stands at another place among the others. */
  | { kind: "changed"; heading: string; moved: boolean; bodyDiff: WordChange[] }
  | { kind: "unchanged"; heading: string; moved: boolean };

export const principleFields = ["statement", "level", "category", "ruleIds"] as const;
export type PrincipleField = (typeof principleFields)[number];

export type PrincipleChange =
  | { kind: "added"; principle: Principle }
  | { kind: "removed"; principle: Principle }
  | { kind: "changed"; key: string; moved: boolean; before: Principle; after: Principle; fields: PrincipleField[]; statementDiff: WordChange[] }
  | { kind: "unchanged"; key: string; moved: boolean };

/** What changed from one guideline version to another, read in one language. */
export interface GuidelineDiff {
  from: string;
  to: string;
  language: string;
  /** Other content fields that differ (title, licence, audience, …); the version label and change summary always do and are left out. */
  changedFields: (keyof GuidelineContent)[];
  /** Sections matched by heading. */
  sections: SectionChange[];
  /** Principles matched by key (stable across the versions of one document). */
  principles: PrincipleChange[];
  hasChanges: boolean;
}

type Aligned<T> = { kind: "both"; before: T; after: T; moved: boolean } | { kind: "added"; after: T } | { kind: "removed"; before: T };

/**
 * Pairs the items of two lists by a key unique within each list, in the newer list's order with
 * removed items where they stood. An item found at another place counts as moved, not removed and added.
 */
function alignByKey<T>(before: readonly T[], after: readonly T[], keyOf: (item: T) => string): Aligned<T>[] {
  const beforeByKey = new Map(before.map((item) => [keyOf(item), item]));
  const afterByKey = new Map(after.map((item) => [keyOf(item), item]));
  const aligned: Aligned<T>[] = [];
  for (const change of diffArrays([...beforeByKey.keys()], [...afterByKey.keys()])) {
    for (const key of change.value) {
      const old = beforeByKey.get(key);
      const current = afterByKey.get(key);
      if (change.added && current !== undefined) {
        aligned.push(old === undefined ? { kind: "added", after: current } : { kind: "both", before: old, after: current, moved: true });
      } else if (change.removed && old !== undefined) {
        if (current === undefined) aligned.push({ kind: "removed", before: old });
      } else if (old !== undefined && current !== undefined) {
        aligned.push({ kind: "both", before: old, after: current, moved: false });
      }
    }
  }
  return aligned;
}

/** Word diff of two texts (the `diff` package's `diffWords`). */
export function wordDiff(before: string, after: string): WordChange[] {
  return diffWords(before, after).map((change) => ({ kind: change.added ? "added" : change.removed ? "removed" : "same", text: change.value }));
}

/** Headings as keys: case and spacing do not matter; the n-th repeat of a heading matches the n-th. */
function sectionKeys(sections: readonly GuidelineSection[], language: string): { key: string; section: GuidelineSection }[] {
  const seen = new Map<string, number>();
  return sections.map((section) => {
    const heading = textIn(section.heading, language).trim().toLowerCase().replace(/\s+/g, " ");
    const occurrence = (seen.get(heading) ?? 0) + 1;
    seen.set(heading, occurrence);
    return { key: `${heading}#${occurrence}`, section };
  });
}

export function diffSections(before: readonly GuidelineSection[], after: readonly GuidelineSection[], language: string): SectionChange[] {
  return alignByKey(sectionKeys(before, language), sectionKeys(after, language), (entry) => entry.key).map((entry): SectionChange => {
    if (entry.kind === "added")
      return { kind: "added", heading: textIn(entry.after.section.heading, language), body: textIn(entry.after.section.body, language) };
    if (entry.kind === "removed")
      return { kind: "removed", heading: textIn(entry.before.section.heading, language), body: textIn(entry.before.section.body, language) };
    const heading = textIn(entry.after.section.heading, language);
    const oldBody = textIn(entry.before.section.body, language);
    const newBody = textIn(entry.after.section.body, language);
    if (oldBody === newBody) return { kind: "unchanged", heading, moved: entry.moved };
    return { kind: "changed", heading, moved: entry.moved, bodyDiff: wordDiff(oldBody, newBody) };
  });
}

/** Structural equality of JSON values, whatever the key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function changedPrincipleFields(before: Principle, after: Principle): PrincipleField[] {
  return principleFields.filter((field) => !sameJson(before[field] ?? [], after[field] ?? []));
}

export function diffPrinciples(before: readonly Principle[], after: readonly Principle[], language: string): PrincipleChange[] {
  return alignByKey(before, after, (principle) => principle.key).map((entry): PrincipleChange => {
    if (entry.kind === "added") return { kind: "added", principle: entry.after };
    if (entry.kind === "removed") return { kind: "removed", principle: entry.before };
    const fields = changedPrincipleFields(entry.before, entry.after);
    if (fields.length === 0) return { kind: "unchanged", key: entry.after.key, moved: entry.moved };
    return {
      kind: "changed",
      key: entry.after.key,
      moved: entry.moved,
      before: entry.before,
      after: entry.after,
      fields,
      statementDiff: wordDiff(textIn(entry.before.statement, language), textIn(entry.after.statement, language)),
    };
  });
}

const alwaysDifferent: ReadonlySet<keyof GuidelineContent> = new Set(["version", "changeSummary", "sections", "principles"]);

/** What changed from `before` to `after` (two versions of one guideline, or any two guidelines). */
export function diffGuidelineVersions(before: Guideline, after: Guideline, options: { language: string }): GuidelineDiff {
  const oldContent = guidelineContent(before);
  const newContent = guidelineContent(after);
  const fieldNames = [...new Set([...Object.keys(oldContent), ...Object.keys(newContent)])] as (keyof GuidelineContent)[];
  const changedFields = fieldNames.filter((field) => !alwaysDifferent.has(field) && !sameJson(oldContent[field], newContent[field]));
  const sections = diffSections(before.sections, after.sections, options.language);
  const principles = diffPrinciples(before.principles, after.principles, options.language);
  const hasChanges =
    changedFields.length > 0 ||
    sections.some((change) => change.kind !== "unchanged" || change.moved) ||
    principles.some((change) => change.kind !== "unchanged" || change.moved);
  return { from: before.id, to: after.id, language: options.language, changedFields, sections, principles, hasChanges };
}
