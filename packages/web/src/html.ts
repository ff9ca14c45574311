import { escape } from "html-escaper";

/** Markup that is already safe to send: built by `html`, or trusted through `trustedHtml`. */
export class SafeHtml {
  readonly #markup: string;
  constructor(markup: string) {
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

/** A value that can stand in a template: text is escaped, SafeHtml is kept, lists are joined, nothing renders as nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join("");
  return escape(String(value));
}

/**
 * Tagged template for HTML: every interpolated value is escaped for text and (quoted)
 * attribute context, unless it is SafeHtml. Attribute values must be quoted in the template.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(markup);
}

/** Markup from a source that escapes on its own (the markdown renderer, our own constants). */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
