import { micromark } from "micromark";
import { trustedHtml, type SafeHtml } from "./html.ts";

/**
 * Guideline sections are markdown written by editors (and received from peers). micromark
 * escapes raw HTML and drops dangerous link protocols (javascript:, data:) by default.
 */
export function renderMarkdown(source: string): SafeHtml {
  return trustedHtml(micromark(source));
}
