import { openDataBox } from "./open-data.views.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout, type PageContext } from "./layout.ts";
import { peerRecordKinds, type FollowedCityEntry, type PeerActivityEntry, type PeerActivityFilter, type PeerRecordKind } from "./peers.queries.ts";
import { recordHref } from "./register.views.ts";
import type { MessageKey, Translator } from "./i18n.ts";

export const kindLabelKey: Record<PeerRecordKind, MessageKey> = { guideline: "guideline", "use-case": "useCase", model: "model" };

export const eventLabelKey: Record<PeerActivityEntry["event"], MessageKey> = {
  published: "eventPublished",
  "new-version": "eventNewVersion",
  retired: "eventRetired",
};

import { cityLabel, type ActorNames } from "./names.ts";

export { cityLabel };

/** The query string of a filter, for links to the same selection (the feed, the next language). */
export function filterQuery(filter: PeerActivityFilter): string {
  const params = new URLSearchParams();
  if (filter.kind) params.set("kind", filter.kind);
  if (filter.city) params.set("city", filter.city);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** A headline of an entry, the same on the page and in the feed. */
export function entryHeadline(t: Translator, entry: PeerActivityEntry): string {
  return `${t.t(kindLabelKey[entry.kind])}: ${entry.title}${entry.kind === "guideline" && entry.version ? ` ${entry.version}` : ""}`;
}

function select(id: string, name: string, label: string, options: readonly (readonly [string, string])[], chosen: string, any: string): SafeHtml {
  return html`<div>
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}">
      <option value="">${any}</option>
      ${options.map(([value, text]) => html`<option value="${value}" ${chosen === value ? html` selected` : null}>${text}</option>`)}
    </select>
  </div>`;
}

export interface PeersView {
  filter: PeerActivityFilter;
  entries: PeerActivityEntry[];
  cities: string[];
  following: FollowedCityEntry[];
  /** Names of the cities by actor IRI. */
  names: ActorNames;
}

export function peersPage(context: PageContext, origin: string, view: PeersView): SafeHtml {
  const { t } = context;
  const feedHref = `/feed.atom${filterQuery(view.filter)}`;
  return layout(
    context,
    t.t("peersTitle"),
    html`<h1>${t.t("peersTitle")}</h1>
      <p class="lead">${t.t("peersIntro")}</p>
      <p><a href="${feedHref}" type="application/atom+xml">${t.t("atomFeedLink")}</a></p>
      <form method="get" action="/peers" class="stack">
        <fieldset>
          <legend>${t.t("filters")}</legend>
          <div class="filters">
            ${select(
              "peers-kind",
              "kind",
              t.t("recordKind"),
              peerRecordKinds.map((kind) => [kind, t.t(kindLabelKey[kind])] as const),
              view.filter.kind,
              t.t("any"),
            )}
            ${select(
              "peers-city",
              "city",
              t.t("city"),
              view.cities.map((city) => [city, cityLabel(city, view.names)] as const),
              view.filter.city,
              t.t("any"),
            )}
          </div>
        </fieldset>
        <div><button type="submit">${t.t("showFiltered")}</button></div>
      </form>
      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading">${t.t("peerActivity")}: ${t.resultCount(view.entries.length)}</h2>
        ${
          view.entries.length === 0
            ? html`<p>${t.t("noPeerActivity")}</p>`
            : html`<ol class="activity">
                ${view.entries.map(
                  (entry) =>
                    html`<li class="card">
                      <p class="muted">
                        <time datetime="${entry.receivedAt}">${t.dateTime(entry.receivedAt)}</time> · ${t.t(eventLabelKey[entry.event])} ·
                        ${cityLabel(entry.provenance.city.id, view.names, entry.provenance.originCityName)}
                      </p>
                      <h3><a href="${recordHref(origin, entry.kind, entry.id)}">${entryHeadline(t, entry)}</a></h3>
                      ${entry.summary ? html`<p>${entry.summary}</p>` : null}
                    </li>`,
                )}
              </ol>`
        }
      </section>
      <section aria-labelledby="following-heading">
        <h2 id="following-heading">${t.t("followedCities")}</h2>
        ${
          view.following.length === 0
            ? html`<p>${t.t("followsNobody")}</p>`
            : html`<ul>
                ${view.following.map((city) => html`<li><a href="/peers${filterQuery({ kind: "", city: city.actor })}">${cityLabel(city.actor, view.names)}</a> – ${t.label(city.state)}</li>`)}
              </ul>`
        }
      </section>
      ${openDataBox(context)}`,
  );
}
