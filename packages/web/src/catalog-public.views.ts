import { Feed } from "feed";
import { escape } from "html-escaper";
import { html, type SafeHtml } from "./html.ts";
import { inLanguage } from "./localized.ts";
import { facts, layout, type PageContext } from "./layout.ts";
import { renderMarkdown } from "./markdown.ts";
import { cityLabel, registerOf } from "./names.ts";
import { openDataBox } from "./open-data.views.ts";
import {
  entryPageKind,
  entryRecordHref,
  entryRecordTitle,
  type PublicCatalog,
  type PublicCatalogEntry,
  type PublicCatalogSummary,
} from "./catalog-public.queries.ts";
import type { Translator } from "./i18n.ts";

const kindKey = { USE_CASE: "useCase", GUIDELINE: "guideline", MODEL: "model" } as const;

export const catalogPath = (handle: string) => `/catalogs/${encodeURIComponent(handle)}`;

/** The catalogs a coordinator's hub runs, as cards (the home page and /catalogs). */
export function catalogCards(context: PageContext, catalogs: readonly PublicCatalogSummary[]): SafeHtml {
  const { t } = context;
  return html`<ul class="cards">
    ${catalogs.map(
      (catalog) =>
        html`<li class="card">
          <h3><a href="${catalogPath(catalog.handle)}">${inLanguage(t.language, catalog.name)}</a></h3>
          <p>${inLanguage(t.language, catalog.description)}</p>
          <ul class="tags">
            <li class="tag">${t.number(catalog.entries.totalCount)} ${t.t("catalogEntriesShort")}</li>
            <li class="tag">${t.number(catalog.memberships.totalCount)} ${t.t("catalogMembersShort")}</li>
          </ul>
        </li>`,
    )}
  </ul>`;
}

/** On the hub's home page: the coordination office and its catalogs, before the city's own records. */
export function hubSection(context: PageContext, catalogs: readonly PublicCatalogSummary[], withIntro = true): SafeHtml | null {
  if (catalogs.length === 0) return null;
  const { t } = context;
  return html`<section aria-labelledby="hub-heading">
    <h2 id="hub-heading">${t.t("hubHeading")}</h2>
    ${withIntro ? html`<p>${t.t("hubIntro").replaceAll("{name}", context.cityName)}</p>` : null} ${catalogCards(context, catalogs)}
    <p><a href="/moderation-log">${t.t("moderationLogLink")}</a></p>
  </section>`;
}

export function catalogsPage(context: PageContext, catalogs: readonly PublicCatalogSummary[] | null): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("catalogsTitle"),
    html`<h1>${t.t("catalogsTitle")}</h1>
      <p class="lead">${t.t("hubIntro").replaceAll("{name}", context.cityName)}</p>
      ${catalogs && catalogs.length > 0 ? catalogCards(context, catalogs) : html`<p>${t.t("noPublicCatalogs")}</p>`}
      <p><a href="/moderation-log">${t.t("moderationLogLink")}</a></p>`,
  );
}

function entryTitleCell(context: PageContext, origin: string, entry: PublicCatalogEntry): SafeHtml {
  const title = entryRecordTitle(entry);
  return html`<a href="${entryRecordHref(origin, entry.recordId)}">${title ?? html`<span class="muted">${context.t.t("titleNotYetKnown")}</span>`}</a>`;
}

const entryCity = (entry: PublicCatalogEntry) => cityLabel(entry.originCity, null, entry.originCityName);

export function catalogPage(
  context: PageContext,
  origin: string,
  catalog: PublicCatalog,
  nextHref: string | undefined,
  memberNames: ReadonlyMap<string, string>,
): SafeHtml {
  const { t } = context;
  const feedHref = `${catalogPath(catalog.handle)}/feed.atom`;
  return layout(
    context,
    catalog.name.text,
    html`<p class="muted">${t.t("catalog")} · ${context.cityName}</p>
      <h1>${inLanguage(t.language, catalog.name)}</h1>
      <p class="lead">${inLanguage(t.language, catalog.description)}</p>
      <ul class="record-actions">
        <li><a href="${feedHref}" type="application/atom+xml">${t.t("catalogFeed")}</a></li>
        <li><a href="/moderation-log#log-${catalog.handle}">${t.t("catalogLog")}</a></li>
      </ul>
      ${facts([
        [t.t("acceptedKinds"), catalog.policy.acceptedKinds.map((kind) => t.t(kindKey[kind as keyof typeof kindKey] ?? "record")).join(", ")],
        [t.t("whoMaySubmit"), t.t(catalog.policy.openTo === "MEMBERS" ? "openToMembers" : "openToAnyone")],
        [t.t("catalogSince"), t.date(catalog.createdAt)],
      ])}
      ${
        catalog.rules
          ? html`<details>
              <summary>${t.t("catalogRules")}</summary>
              ${renderMarkdown(catalog.rules.text)}
            </details>`
          : null
      }
      <section aria-labelledby="entries-heading">
        <h2 id="entries-heading">${t.t("catalogEntries")} (${t.number(catalog.entries.totalCount)})</h2>
        ${
          catalog.entries.nodes.length === 0
            ? html`<p>${t.t("noCatalogEntries")}</p>`
            : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("catalogEntries")}">
                <table class="responsive">
                  <caption class="visually-hidden">
                    ${t.t("catalogEntries")}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t.t("record")}</th>
                      <th scope="col">${t.t("city")}</th>
                      <th scope="col">${t.t("approvedOn")}</th>
                      <th scope="col">${t.t("lastChanged")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${catalog.entries.nodes.map(
                      (entry) =>
                        html`<tr>
                          <td><span class="muted">${t.t(kindKey[entry.recordKind])}:</span> ${entryTitleCell(context, origin, entry)}</td>
                          <td><a href="${registerOf(entry.originCity)}">${entryCity(entry)}</a></td>
                          <td>${entry.approvedAt ? t.date(entry.approvedAt) : "–"}</td>
                          <td>${entry.recordUpdatedAt ? t.date(entry.recordUpdatedAt) : "–"}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
        ${nextHref ? html`<p><a href="${nextHref}" rel="next">${t.t("nextPage")}</a></p>` : null}
      </section>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">${t.t("catalogMembers")} (${t.number(catalog.memberships.totalCount)})</h2>
        ${
          catalog.memberships.nodes.length === 0
            ? html`<p>${t.t("noCatalogMembers")}</p>`
            : html`<ul>
                ${catalog.memberships.nodes.map(
                  (member) =>
                    html`<li>
                      <a href="${registerOf(member.actor)}">${cityLabel(member.actor, memberNames)}</a
                      >${member.joinedAt ? html` – ${t.t("memberSince")} ${t.date(member.joinedAt)}` : null}
                    </li>`,
                )}
              </ul>`
        }
      </section>
      ${openDataBox(context)}`,
  );
}

/** A catalog's approved entries as an Atom 1.0 feed, newest approval first; an entry's id is the record's IRI. */
export function catalogFeed(t: Translator, origin: string, cityName: string, catalog: PublicCatalog): string {
  const base = origin.replace(/\/$/, "");
  const page = `${base}${catalogPath(catalog.handle)}`;
  const entries = [...catalog.entries.nodes].sort((a, b) => (b.approvedAt ?? "").localeCompare(a.approvedAt ?? ""));
  const feed = new Feed({
    id: `${page}/feed.atom`,
    title: `${catalog.name.text} – ${cityName}`,
    description: catalog.description.text,
    link: page,
    feed: `${page}/feed.atom`,
    language: t.language,
    updated: new Date(entries[0]?.approvedAt ?? catalog.updatedAt),
    author: { name: cityName, link: base },
    generator: "Leitplanken",
    copyright: "",
  });
  for (const entry of entries) {
    const title = entryRecordTitle(entry) ?? entry.recordId;
    feed.addItem({
      id: entry.recordId,
      title: escape(title),
      link: new URL(entryRecordHref(origin, entry.recordId), base).href,
      date: new Date(entry.recordUpdatedAt ?? entry.approvedAt ?? catalog.updatedAt),
      ...(entry.approvedAt ? { published: new Date(entry.approvedAt) } : {}),
      description: escape(`${t.t(kindKey[entry.recordKind])} · ${entryCity(entry)}`),
      author: [{ name: entryCity(entry), link: entry.originCity }],
      category: [{ term: entryPageKind[entry.recordKind], name: t.t(kindKey[entry.recordKind]) }],
    });
  }
  return feed.atom1();
}
