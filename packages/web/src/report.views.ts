import { html, type SafeHtml } from "./html.ts";
import { csrfField, layout, type PageContext } from "./layout.ts";
import { reportCategories } from "./report.queries.ts";
import type { Text } from "./register.queries.ts";
import type { RecordPageKind } from "./register.views.ts";

/** What a record page needs to offer the report form: the visitor's form token. */
export interface ReportFormToken {
  csrfToken: string;
}

/** The "report an error" form under every record; it works without JavaScript and needs no account. */
export function reportForm(context: PageContext, target: string, kind: RecordPageKind, token: ReportFormToken): SafeHtml {
  const { t } = context;
  return html`<section aria-labelledby="report-heading">
    <h2 id="report-heading">${t.t("reportError")}</h2>
    <p>${t.t("reportErrorIntro")}</p>
    <form method="post" action="/report" class="stack">
      ${csrfField(token.csrfToken)}
      <input type="hidden" name="target" value="${target}" />
      <input type="hidden" name="kind" value="${kind}" />
      <div class="field">
        <label for="report-category">${t.t("reportCategory")}</label
        ><select id="report-category" name="category">
          ${reportCategories.map((category) => html`<option value="${category}">${t.label(category)}</option>`)}
        </select>
      </div>
      <div class="field"><label for="report-text">${t.t("reportText")}</label><textarea id="report-text" name="text" maxlength="2000"></textarea></div>
      <div><button type="submit">${t.t("sendReport")}</button></div>
    </form>
  </section>`;
}

export function reportThanksPage(context: PageContext, recordHref: string): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("reportThanksTitle"),
    html`<h1>${t.t("reportThanksTitle")}</h1>
      <div class="notice ok" role="status"><p>${t.t("reportThanks")}</p></div>
      <p><a href="${recordHref}">${t.t("backToRecord")}</a></p>`,
  );
}

/** The report was refused: too many from this address (with the wait), or invalid input. */
export function reportRefusedPage(
  context: PageContext,
  refusal: { message: string; fieldErrors?: readonly { path: string; message: Text }[] | undefined },
  recordHref: string,
): SafeHtml {
  const { t } = context;
  const fieldErrors = refusal.fieldErrors ?? [];
  return layout(
    context,
    t.t("reportRefusedTitle"),
    html`<h1>${t.t("reportRefusedTitle")}</h1>
      <div class="notice error" role="alert">
        <p>${refusal.message}</p>
        ${
          fieldErrors.length > 0
            ? html`<ul>
                ${fieldErrors.map((field) => html`<li><code>${field.path}</code>: ${field.message.text}</li>`)}
              </ul>`
            : null
        }
      </div>
      <p><a href="${recordHref}">${t.t("backToRecord")}</a></p>`,
  );
}
