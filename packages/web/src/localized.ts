import { html, type SafeHtml } from "./html.ts";
import type { Language } from "./i18n.ts";

/** A text with the language it is written in (BCP 47), as the API's `LocalizedText` gives it. */
export interface LocalizedText {
  text: string;
  language: string;
}

/** The GraphQL selection of a `LocalizedText` for a page in `$lang`. */
export const localizedFields = "{ text(lang: $lang) language(lang: $lang) }";

/** The text of a German/English pair in the page's language, else in the other one; null when there is none. */
export function pickText(pair: { de?: string | null; en?: string | null } | null | undefined, language: Language): LocalizedText | null {
  if (!pair) return null;
  const order: Language[] = language === "de" ? ["de", "en"] : ["en", "de"];
  for (const candidate of order) {
    const text = pair[candidate];
    if (text) return { text, language: candidate };
  }
  return null;
}

/** ` lang="xx"` when a text is in another language than the page (WCAG 3.1.2), else nothing. */
export function langAttribute(pageLanguage: Language, text: { language?: string | null } | null | undefined): SafeHtml {
  const language = text?.language;
  return language && language !== pageLanguage ? html` lang="${language}"` : html``;
}

/** The text, inside a `<span lang>` when it is in another language than the page. */
export function inLanguage(pageLanguage: Language, text: { text: string; language?: string | null } | null | undefined): SafeHtml | string {
  if (!text) return "";
  const language = text.language;
  return language && language !== pageLanguage ? html`<span lang="${language}">${text.text}</span>` : text.text;
}
