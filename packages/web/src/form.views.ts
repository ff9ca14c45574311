import { html, type HtmlValue, type SafeHtml } from "./html.ts";
import type { Language } from "./i18n.ts";

/**
 * Form fields the way a good e-government back office shows them: a label, a visible
 * "required" or "optional" mark, a hint with the limits, the error next to the field (and in a
 * summary at the top that links to it), and `aria-describedby` tying hint and error to the input.
 * Works without JavaScript; the limits are shown because there is no live counter.
 */

const marks = {
  de: { required: "Pflichtfeld", optional: "freiwillig", atMost: (n: number) => `höchstens ${n} Zeichen`, problem: "Bitte prüfen Sie Ihre Eingaben" },
  en: { required: "required", optional: "optional", atMost: (n: number) => `at most ${n} characters`, problem: "Please check what you entered" },
} as const;

/** A field's id from its form name (`sovereignty.hosting` → `field-sovereignty-hosting`). */
export const fieldId = (name: string) => `field-${name.replace(/[^a-zA-Z0-9]/g, "-")}`;

export interface FieldOptions {
  required?: boolean;
  /** A sentence that helps fill it in; the limit is added to it. */
  hint?: string;
  maxLength?: number;
  /** The error to show at the field. */
  error?: string | undefined;
  multiline?: boolean;
  type?: "text" | "email" | "url" | "number" | "date" | "password";
  lang?: Language;
  /** For numbers. */
  min?: number;
  step?: string;
  autocomplete?: string;
  /** Shown instead of the input's own value (e.g. a readonly secret). */
  readonly?: boolean;
  inputMode?: string;
}

function described(name: string, hint: string | undefined, error: string | undefined): { ids: string; markup: SafeHtml } {
  const id = fieldId(name);
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return {
    ids,
    markup: html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : null}${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : null}`,
  };
}

function mark(language: Language, required: boolean | undefined): SafeHtml {
  return html` <span class="${required ? "required-mark" : "optional-mark"}">(${marks[language][required ? "required" : "optional"]})</span>`;
}

/** A labelled text input or textarea. */
export function field(language: Language, name: string, label: string, value: string | number | null | undefined, options: FieldOptions = {}): SafeHtml {
  const id = fieldId(name);
  const hint = [options.hint, options.maxLength ? marks[language].atMost(options.maxLength) : undefined].filter(Boolean).join(" · ") || undefined;
  const { ids, markup } = described(name, hint, options.error);
  const attributes = html`${options.required ? html` required` : null}${options.maxLength ? html` maxlength="${options.maxLength}"` : null}${options.lang ? html` lang="${options.lang}"` : null}${ids ? html` aria-describedby="${ids}"` : null}${options.error ? html` aria-invalid="true"` : null}${options.readonly ? html` readonly` : null}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : null}${options.inputMode ? html` inputmode="${options.inputMode}"` : null}`;
  const input = options.multiline
    ? html`<textarea id="${id}" name="${name}" ${attributes}>${value ?? ""}</textarea>`
    : html`<input
        type="${options.type ?? "text"}"
        id="${id}"
        name="${name}"
        value="${value ?? ""}"
        ${attributes}${options.min !== undefined ? html` min="${options.min}"` : null}${options.step ? html` step="${options.step}"` : null}
      />`;
  return html`<div class="field${options.error ? " has-error" : ""}">
    <label for="${id}">${label}${options.readonly ? null : mark(language, options.required)}</label>${markup}${input}
  </div>`;
}

export interface Choice {
  value: string;
  label: string;
  /** Explains the choice under its label. */
  hint?: string;
}

/** Radio buttons in a fieldset; one must be chosen when `required`. */
export function choiceField(
  language: Language,
  name: string,
  legend: string,
  choices: readonly Choice[],
  chosen: string | undefined,
  options: { required?: boolean; hint?: string; error?: string | undefined } = {},
): SafeHtml {
  const { ids, markup } = described(name, options.hint, options.error);
  return html`<fieldset class="choices${options.error ? " has-error" : ""}" ${ids ? html` aria-describedby="${ids}"` : null}>
    <legend>${legend}${mark(language, options.required)}</legend>
    ${markup}
    ${choices.map((choice, index) => {
      const id = `${fieldId(name)}-${index}`;
      return html`<div class="choice-row">
        <input
          type="radio"
          id="${id}"
          name="${name}"
          value="${choice.value}"
          ${chosen === choice.value ? html` checked` : null}${options.required ? html` required` : null}${choice.hint ? html` aria-describedby="${id}-hint"` : null}
        />
        <label for="${id}">${choice.label}</label>${choice.hint ? html`<p class="hint" id="${id}-hint">${choice.hint}</p>` : null}
      </div>`;
    })}
  </fieldset>`;
}

/** A single checkbox (`value` "yes" when ticked). */
export function checkboxField(name: string, label: string, checked: boolean, hint?: string): SafeHtml {
  const id = fieldId(name);
  return html`<div class="field checkbox-row">
    <input type="checkbox" id="${id}" name="${name}" value="yes" ${checked ? html` checked` : null}${hint ? html` aria-describedby="${id}-hint"` : null} />
    <label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : null}
  </div>`;
}

/** A labelled select; `choices` with an empty value stand for "not stated". */
export function selectField(
  language: Language,
  name: string,
  label: string,
  choices: readonly Choice[],
  chosen: string | undefined,
  options: { required?: boolean; hint?: string; error?: string | undefined } = {},
): SafeHtml {
  const id = fieldId(name);
  const { ids, markup } = described(name, options.hint, options.error);
  return html`<div class="field${options.error ? " has-error" : ""}">
    <label for="${id}">${label}${mark(language, options.required)}</label>${markup}<select
      id="${id}"
      name="${name}"
      ${options.required ? html` required` : null}${ids ? html` aria-describedby="${ids}"` : null}${options.error ? html` aria-invalid="true"` : null}
    >
      ${choices.map((choice) => html`<option value="${choice.value}" ${chosen === choice.value ? html` selected` : null}>${choice.label}</option>`)}
    </select>
  </div>`;
}

/** One problem of a refused form, with the label of its field (and where it is, for the summary's link). */
export interface FormProblem {
  /** The form field's name; null when it concerns the form as a whole. */
  name: string | null;
  label: string;
  message: string;
}

/** The summary at the top of a refused form: what is wrong, each linked to its field. */
export function problemSummary(language: Language, intro: HtmlValue, problems: readonly FormProblem[]): SafeHtml | null {
  if (problems.length === 0 && !intro) return null;
  return html`<div class="notice error problem-summary" role="alert" aria-labelledby="problem-summary-title">
    <h2 id="problem-summary-title">${marks[language].problem}</h2>
    ${intro ? html`<p>${intro}</p>` : null}
    ${
      problems.length > 0
        ? html`<ul>
            ${problems.map((problem) =>
              problem.name
                ? html`<li><a href="#${fieldId(problem.name)}">${problem.label}</a>: ${problem.message}</li>`
                : html`<li>${problem.label}: ${problem.message}</li>`,
            )}
          </ul>`
        : null
    }
  </div>`;
}

/**
 * The API's field errors on a form: each path goes to the form field whose API path is the
 * longest prefix of it (`name.de` → the German name field, `languages[2]` → the languages field).
 */
export function problemsForFields(
  fieldErrors: readonly { path: string; message: { text: string } }[],
  fields: readonly { path: string; name: string; label: string }[],
): FormProblem[] {
  return fieldErrors.map((error) => {
    const matching = fields
      .filter((candidate) => error.path === candidate.path || error.path.startsWith(`${candidate.path}.`) || error.path.startsWith(`${candidate.path}[`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    return matching
      ? { name: matching.name, label: matching.label, message: error.message.text }
      : { name: null, label: error.path, message: error.message.text };
  });
}

/** The first problem's message for a field, to show at the field. */
export const problemAt = (problems: readonly FormProblem[], name: string): string | undefined =>
  problems
    .filter((problem) => problem.name === name)
    .map((problem) => problem.message)
    .join(" ") || undefined;
