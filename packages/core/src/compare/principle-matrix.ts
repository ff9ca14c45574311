import { textIn } from "../common.schema.ts";
import type { Principle, PrincipleCategory } from "../guideline.entity.ts";
import { contentWords, diceCoefficient } from "./text-similarity.ts";

/**
 * How a principle came into its row: it opened the row, shares a rule id with it, is the only
 * principle of the row's category on both sides, or its statement is similar enough.
 */
export type PrincipleAlignment = "first" | "rule-id" | "category" | "text";

export interface AlignedPrinciple {
  principle: Principle;
  alignedBy: PrincipleAlignment;
  /** Text similarity (0–1) of the statement to the closest principle already in the row; null for the first. */
  similarity: number | null;
}

export interface PrincipleMatrixRow {
  /** The category of the principle that opened the row. */
  category: PrincipleCategory;
  /** The rule ids named by any principle in the row. */
  ruleIds: string[];
  /** One cell per compared version, in the order of the versions; null where the version has no matching principle. */
  cells: (AlignedPrinciple | null)[];
}

export interface PrincipleMatrix {
  language: string;
  similarityThreshold: number;
  rows: PrincipleMatrixRow[];
}

interface Candidate {
  principle: Principle;
  row: PrincipleMatrixRow;
  similarity: number;
  ruleOverlap: number;
}

/**
 * Aligns the principles of several guidelines in rows. Each further version's principles join the
 * rows in three passes: first by shared rule ids (most shared first), then by category where the
 * category has exactly one open row and one remaining principle, then by statement similarity at or
 * above the threshold (most similar first). What is left opens a new row.
 */
export function buildPrincipleMatrix(versions: readonly (readonly Principle[])[], options: { language: string; similarityThreshold: number }): PrincipleMatrix {
  const { language, similarityThreshold } = options;
  const rows: PrincipleMatrixRow[] = [];
  const wordsOf = new Map(versions.flat().map((principle) => [principle, contentWords(textIn(principle.statement, language), language)]));
  const words = (principle: Principle) => wordsOf.get(principle) ?? new Set<string>();
  const closestSimilarity = (principle: Principle, row: PrincipleMatrixRow) =>
    Math.max(0, ...row.cells.map((cell) => (cell === null ? 0 : diceCoefficient(words(principle), words(cell.principle)))));
  versions.forEach((principles, column) => {
    const isOpen = (row: PrincipleMatrixRow) => row.cells.length === column;
    const open = rows.filter(isOpen);
    const candidates: Candidate[] = principles.flatMap((principle) =>
      open.map((row) => ({
        principle,
        row,
        similarity: closestSimilarity(principle, row),
        ruleOverlap: (principle.ruleIds ?? []).filter((id) => row.ruleIds.includes(id)).length,
      })),
    );
    const placed = new Set<Principle>();
    const place = (candidate: Candidate, alignedBy: PrincipleAlignment) => {
      candidate.row.cells.push({ principle: candidate.principle, alignedBy, similarity: candidate.similarity });
      candidate.row.ruleIds = [...new Set([...candidate.row.ruleIds, ...(candidate.principle.ruleIds ?? [])])];
      placed.add(candidate.principle);
    };
    const isFree = (candidate: Candidate) => !placed.has(candidate.principle) && isOpen(candidate.row);

    const byRule = candidates.filter((candidate) => candidate.ruleOverlap > 0);
    byRule.sort((a, b) => b.ruleOverlap - a.ruleOverlap || b.similarity - a.similarity);
    for (const candidate of byRule) if (isFree(candidate)) place(candidate, "rule-id");

    for (const category of new Set(principles.map((principle) => principle.category))) {
      const inCategory = candidates.filter(
        (candidate) => isFree(candidate) && candidate.principle.category === category && candidate.row.category === category,
      );
      const principlesLeft = principles.filter((principle) => principle.category === category && !placed.has(principle));
      const [only] = inCategory;
      if (only !== undefined && inCategory.length === 1 && principlesLeft.length === 1) place(only, "category");
    }

    const byText = candidates.filter((candidate) => candidate.similarity >= similarityThreshold);
    byText.sort((a, b) => b.similarity - a.similarity);
    for (const candidate of byText) if (isFree(candidate)) place(candidate, "text");

    for (const row of open) if (isOpen(row)) row.cells.push(null);
    for (const principle of principles) {
      if (placed.has(principle)) continue;
      const cells: (AlignedPrinciple | null)[] = Array.from({ length: column }, () => null);
      cells.push({ principle, alignedBy: "first", similarity: null });
      rows.push({ category: principle.category, ruleIds: [...(principle.ruleIds ?? [])], cells });
    }
  });
  return { language, similarityThreshold, rows };
}
