import { micromark } from "micromark";
import { trustedHtml, type SafeHtml } from "./html.ts";

/**
 * Guideline sections and legal texts are markdown written by editors and admins (and received
 * from peers). micromark escapes raw HTML and drops dangerous link protocols (javascript:, data:)
 * by default. `headingOffset` moves headings down under the page's own (a legal text's "# Impressum"
 * under the page title becomes an h2), so the outline stays one h1 per page.
 */
export function renderMarkdown(source: string, options: { headingOffset?: number } = {}): SafeHtml {
  const markup = micromark(source);
  const offset = options.headingOffset ?? 0;
  if (offset === 0) return trustedHtml(markup);
  // Raw HTML in the source is escaped, so every heading tag in the output is micromark's own.
  return trustedHtml(markup.replace(/<(\/?)h([1-6])>/g, (_tag, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + offset)}>`));
}
