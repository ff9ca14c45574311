import { adminTexts, type AdminTextKey } from "./admin.i18n.ts";
import { html, type HtmlValue, type SafeHtml } from "./html.ts";
import { layout } from "./layout.ts";
import type { StaffView } from "./staff.views.ts";

/** What only the node's admins do. */
const adminAreas: readonly { href: string; title: AdminTextKey; text: AdminTextKey }[] = [
  { href: "/staff/tokens", title: "navTokens", text: "navTokensText" },
  { href: "/staff/settings", title: "navSettings", text: "navSettingsText" },
];

/** The node's administration (role admin): API tokens and the node's settings. */
export function adminPage(view: StaffView): SafeHtml {
  const a = adminTexts(view.context.t.language);
  return areaPage(
    view,
    [],
    a.adminTitle,
    html`<p class="lead">${a.adminIntro}</p>
      <ul class="cards">
        ${adminAreas.map(
          (area) =>
            html`<li class="card">
              <h2 class="card-title"><a href="${area.href}">${a[area.title]}</a></h2>
              <p>${a[area.text]}</p>
            </li>`,
        )}
      </ul>
      <p><a href="/staff">${a.backToStaff}</a></p>`,
  );
}

/** A page of a staff area: the trail back to where it belongs, its heading, its content. */
export function areaPage(view: StaffView, trail: readonly { href: string; label: string }[], title: string, content: HtmlValue): SafeHtml {
  return layout(
    view.context,
    title,
    html`${
        trail.length > 0
          ? html`<nav aria-label="${adminTexts(view.context.t.language).trail}">
              <p class="breadcrumbs">${trail.map((step, index) => html`${index > 0 ? " › " : ""}<a href="${step.href}">${step.label}</a>`)}</p>
            </nav>`
          : null
      }
      <h1>${title}</h1>
      ${content}`,
  );
}

/** A table with a caption (hidden when the heading above says the same) and column headers. */
export function dataTable(caption: string, headers: readonly string[], rows: readonly SafeHtml[], captionHidden = true): SafeHtml {
  return html`<div class="table-scroll">
    <table>
      <caption ${captionHidden ? html` class="visually-hidden"` : null}>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${headers.map((header) => html`<th scope="col">${header}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
