import { describe, expect, it } from "@jest/globals";
import { foldForSearch, searchFoldFrom, searchFoldTo, searchWords } from "./search-words.ts";
import { searchLimits } from "./input-limits.ts";

describe("search words", () => {
  it("are the letters and digits of what was typed, lower case, each once, without stop words", () => {
    expect(searchWords("Die KI-Chatbots für den Bürgerservice, 2026!")).toEqual(["ki", "chatbots", "bürgerservice", "2026"]);
    expect(searchWords("the decisions of the council")).toEqual(["decisions", "council"]);
    expect(searchWords("Straße straße STRASSE")).toEqual(["straße", "strasse"]);
  });

  it("keep stop words when nothing else is left, and drop everything that is no word", () => {
    expect(searchWords("die")).toEqual(["die"]);
    expect(searchWords("'; DROP TABLE nutzer; -- %_ :* & | ! ( )")).toEqual(["drop", "table", "nutzer"]);
    expect(searchWords("  ")).toEqual([]);
  });

  it("are at most searchLimits.maxTerms, also for input the API would refuse", () => {
    expect(searchWords(Array.from({ length: 40 }, (_, index) => `wort${index}`).join(" "))).toHaveLength(searchLimits.maxTerms);
    expect(searchWords(`${"x".repeat(500)} y`).length).toBeLessThanOrEqual(1);
  });

  it("fold as the database folds: umlauts and accents to the base letter, ß to ss", () => {
    expect(searchFoldFrom.length).toBe(searchFoldTo.length);
    expect(foldForSearch("Straßenschäden")).toBe("strassenschaden");
    expect(foldForSearch("Bürger Öffnung Café")).toBe("burger offnung cafe");
  });
});
