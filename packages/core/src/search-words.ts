import { deu, eng } from "stopword";
import { checkSearchText, searchLimits } from "./input-limits.ts";

/**
 * The words a register search looks for: what a citizen types ("KI-Chatbot für Bürger"), split
 * into words of letters and digits, lower case, German and English stop words left out (unless
 * nothing else is left), each once, at most `searchLimits.maxTerms`. Each word is then matched
 * by stem and prefix (text search) or inside compound words (`foldForSearch`, substring).
 */
export function searchWords(text: string): string[] {
  const checked = checkSearchText(text);
  const input = checked.ok ? checked.value : text.slice(0, searchLimits.maxCharacters);
  const words = [...new Set(input.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
  const content = words.filter((word) => !stopWords.has(word));
  return (content.length > 0 ? content : words).slice(0, searchLimits.maxTerms);
}

const stopWords: ReadonlySet<string> = new Set([...deu, ...eng].map((word) => word.toLowerCase()));

/**
 * Letters folded the way the database folds the texts it searches inside (`search_text`):
 * lower case, umlauts and accents to their base letter, ß to ss. "Straße" and "Strasse" fold alike.
 * The table is shared with the SQL of the database package (`searchFoldSql`).
 */
export const searchFoldFrom = "äöüàáâãåéèêëíìîïóòôõúùûçñ";
export const searchFoldTo = "aouaaaaaeeeeiiiioooouuucn";

export function foldForSearch(text: string): string {
  let folded = "";
  for (const character of text.toLowerCase()) {
    const index = searchFoldFrom.indexOf(character);
    folded += character === "ß" ? "ss" : index >= 0 ? searchFoldTo[index] : character;
  }
  return folded;
}
