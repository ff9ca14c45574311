import { describe, expect, it } from "@jest/globals";
import { contentWords, textSimilarity } from "./text-similarity.ts";

describe("text similarity", () => {
  it("drops stop words of the language, folds accents and stems by truncation", () => {
    expect([...contentWords("Die Verantwortung für Entscheidungen", "de")]).toEqual(["verant", "entsch"]);
    expect([...contentWords("The responsibility for decisions", "en")]).toEqual(["respon", "decisi"]);
    // No list for the language: every word counts.
    expect([...contentWords("the AI", "xx")]).toEqual(["the", "ai"]);
  });

  it("scores the Sørensen–Dice coefficient of the content-word sets", () => {
    // {respon, decisi, always, lies, humans} vs {humans, always, respon, decisi}: 2·4 / (5+4)
    expect(textSimilarity("Responsibility for decisions always lies with humans", "Humans are always responsible for decisions", "en")).toBeCloseTo(8 / 9);
    expect(textSimilarity("Energy use is estimated", "Energy use is estimated.", "en")).toBe(1);
    expect(textSimilarity("Energy use is estimated", "Hosting stays inside the EU", "en")).toBe(0);
    expect(textSimilarity("the", "and", "en")).toBe(0);
  });

  it("matches German inflections through the stem", () => {
    expect(textSimilarity("Entscheidungen trifft ein Mensch", "Die Entscheidung trifft immer ein Mensch", "de")).toBe(1);
  });
});
