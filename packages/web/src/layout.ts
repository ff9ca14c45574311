import type { Principal } from "@leitplanken/core";
import { html, type HtmlValue, type SafeHtml } from "./html.ts";
import type { Language, MessageKey, Translator } from "./i18n.ts";
import { staffNavigation } from "./staff-nav.ts";

/** What every page needs to know about the request it answers. */
export interface PageContext {
  t: Translator;
  cityName: string;
  /** The request's path and query, to build the language switch. */
  requestUrl: string;
  /** Set when a staff member is signed in: the sign-out form needs the CSRF token; the staff navigation who it is. */
  staff: { csrfToken: string; principal?: Principal | undefined } | undefined;
}

/** The same page in another language: the current URL with `lang` replaced. */
export function languageHref(requestUrl: string, language: Language): string {
  const url = new URL(requestUrl, "http://page.invalid");
  url.searchParams.set("lang", language);
  return `${url.pathname}${url.search}`;
}

export function csrfField(csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}" />`;
}

/** The footer of every page: the legal pages first (a visitor looks for them there), then data and the API. */
export const footerLinks = [
  ["/impressum", "imprint"],
  ["/datenschutz", "privacy"],
  ["/barrierefreiheit", "accessibility"],
  ["/moderation-log", "moderationLogLink"],
  ["/open-data", "openData"],
  ["/graphql", "developerApi"],
] as const satisfies readonly (readonly [string, MessageKey])[];

/** A page of the site; `head` adds to the document head (e.g. a page that moves on by itself). */
export function layout(context: PageContext, title: string, content: HtmlValue, head?: HtmlValue): SafeHtml {
  const { t } = context;
  const other: Language = t.language === "de" ? "en" : "de";
  return html`<!doctype html>
    <html lang="${t.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – ${t.t("registerOf")} ${context.cityName}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="alternate" type="application/atom+xml" href="/feed.atom" title="${t.t("peersTitle")}" />
        ${head ?? null}
      </head>
      <body>
        <a class="skip-link" href="#main">${t.t("skipToContent")}</a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">${t.t("registerOf")} <span>${context.cityName}</span></a>
            <nav aria-label="${t.t("mainNavigation")}">
              <ul class="nav">
                <li><a href="/">${t.t("navRegister")}</a></li>
                <li><a href="/search">${t.t("navSearch")}</a></li>
                <li><a href="/peers">${t.t("navPeers")}</a></li>
                <li><a href="/statistics">${t.t("navStatistics")}</a></li>
                <li><a href="/staff">${t.t("navStaff")}</a></li>
                <li>
                  <a
                    class="language"
                    href="${languageHref(context.requestUrl, other)}"
                    hreflang="${other}"
                    lang="${other}"
                    aria-label="${t.t("otherLanguageLabel")}"
                    >${t.t("otherLanguage")}</a
                  >
                </li>
              </ul>
            </nav>
            ${
              context.staff
                ? html`<form class="sign-out" method="post" action="/staff/sign-out">
                    ${csrfField(context.staff.csrfToken)}<button type="submit" class="link-button">${t.t("signOut")}</button>
                  </form>`
                : null
            }
          </div>
          ${context.staff?.principal ? staffNavigation(t.language, context.staff.principal, context.requestUrl) : null}
        </header>
        <main id="main" tabindex="-1">
          <div class="wrap">${content}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <nav aria-label="${t.t("footerNavigation")}">
              <ul class="footer-links">
                ${footerLinks.map(([href, key]) => html`<li><a href="${href}">${t.t(key)}</a></li>`)}
              </ul>
            </nav>
            <p>${t.t("footer")}</p>
            <p>${t.t("poweredBy")}</p>
          </div>
        </footer>
      </body>
    </html>`;
}

/** A definition list of label/value rows; rows without a value are left out. */
export function facts(rows: readonly (readonly [string, HtmlValue])[]): SafeHtml {
  const present = rows.filter(([, value]) => value !== null && value !== undefined && value !== "" && value !== false);
  return html`<dl class="facts">
    ${present.map(
      ([label, value]) =>
        html`<div>
          <dt>${label}</dt>
          <dd>${value}</dd>
        </div>`,
    )}
  </dl>`;
}
