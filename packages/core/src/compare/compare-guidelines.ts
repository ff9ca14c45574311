import type { LanguageMap } from "../common.schema.ts";
import type { Guideline } from "../guideline.entity.ts";
import type { LicenceId } from "../licence.ts";
import { diffGuidelineVersions, type GuidelineDiff } from "./guideline-diff.ts";
import { buildPrincipleMatrix, type PrincipleMatrix } from "./principle-matrix.ts";

/** Statements whose content words overlap at least this much (Sørensen–Dice) count as the same principle. */
export const defaultSimilarityThreshold = 0.5;

export interface ComparedVersion {
  id: string;
  documentId: string;
  version: string;
  title: LanguageMap;
  /** The city that publishes it (its actor IRI). */
  city: string;
  licence: LicenceId;
}

export interface GuidelineComparison {
  versions: ComparedVersion[];
  principles: PrincipleMatrix;
  /** For exactly two versions: what changed from the first to the second; null otherwise. */
  diff: GuidelineDiff | null;
}

export interface CompareOptions {
  /** The language statements and sections are read in (falling back to German, English, any). */
  language: string;
  similarityThreshold?: number | undefined;
}

export type CompareError = { type: "too-few-versions"; count: number } | { type: "invalid-similarity-threshold"; value: number };

export type CompareResult = { ok: true; comparison: GuidelineComparison } | { ok: false; error: CompareError };

export function describeCompareError(error: CompareError): { de: string; en: string } {
  switch (error.type) {
    case "too-few-versions":
      return {
        de: `Zum Vergleichen braucht es mindestens zwei Fassungen (angegeben: ${error.count}).`,
        en: `Comparing needs at least two versions (given: ${error.count}).`,
      };
    case "invalid-similarity-threshold":
      return {
        de: `Die Ähnlichkeitsschwelle muss zwischen 0 und 1 liegen (angegeben: ${error.value}).`,
        en: `The similarity threshold must be between 0 and 1 (given: ${error.value}).`,
      };
  }
}

/**
 * Compares two or more guideline versions (of several cities, or of one guideline over time): a
 * principle matrix and, for two versions, the diff of sections, principles and other fields.
 */
export function compareGuidelines(versions: readonly Guideline[], options: CompareOptions): CompareResult {
  const similarityThreshold = options.similarityThreshold ?? defaultSimilarityThreshold;
  if (versions.length < 2) return { ok: false, error: { type: "too-few-versions", count: versions.length } };
  if (!(similarityThreshold >= 0 && similarityThreshold <= 1))
    return { ok: false, error: { type: "invalid-similarity-threshold", value: similarityThreshold } };
  const [first, second] = versions;
  return {
    ok: true,
    comparison: {
      versions: versions.map((guideline) => ({
        id: guideline.id,
        documentId: guideline.documentId,
        version: guideline.version,
        title: guideline.title,
        city: guideline.provenance.originActor,
        licence: guideline.licence,
      })),
      principles: buildPrincipleMatrix(
        versions.map((guideline) => guideline.principles),
        { language: options.language, similarityThreshold },
      ),
      diff: versions.length === 2 && first !== undefined && second !== undefined ? diffGuidelineVersions(first, second, { language: options.language }) : null,
    },
  };
}
