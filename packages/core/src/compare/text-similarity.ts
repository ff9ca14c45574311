import { dan, deu, eng, fra, ita, nld, pol, removeStopwords, spa, swe } from "stopword";

/** Stop-word lists by language tag (stopword names them by ISO 639-3). */
const stopwordsByLanguage: Record<string, string[]> = { de: deu, en: eng, fr: fra, nl: nld, it: ita, es: spa, pl: pol, da: dan, sv: swe };

/** Words are cut to this many letters: a crude stem that lets "decision"/"decisions" or "Entscheidung"/"Entscheidungen" meet. */
const stemLength = 6;

/** The content words of a text: lower-cased, stop words of its language removed, accents folded, stemmed by truncation. */
export function contentWords(text: string, language: string): Set<string> {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
  const base = language.split("-")[0] ?? language;
  const stopwords = stopwordsByLanguage[base];
  const kept = stopwords === undefined ? words : removeStopwords(words, stopwords);
  return new Set(kept.map((word) => word.normalize("NFD").replace(/\p{M}/gu, "").slice(0, stemLength)).filter((word) => word.length >= 2));
}

/**
 * How alike two statements are, from 0 to 1: the Sørensen–Dice coefficient of their content-word
 * sets (2·|A∩B| / (|A|+|B|)). Two texts without content words score 0: there is nothing to match.
 */
export function textSimilarity(a: string, b: string, language: string): number {
  return diceCoefficient(contentWords(a, language), contentWords(b, language));
}

/** 2·|A∩B| / (|A|+|B|); 0 for two empty sets. */
export function diceCoefficient(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size + right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return (2 * shared) / (left.size + right.size);
}
