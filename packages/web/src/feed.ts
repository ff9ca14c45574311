import { Feed } from "feed";
import { escape } from "html-escaper";
import type { Translator } from "./i18n.ts";
import { cityLabel, entryHeadline, eventLabelKey, kindLabelKey, filterQuery } from "./peers.views.ts";
import type { PeerActivityEntry, PeerActivityFilter } from "./peers.queries.ts";
import { recordHref } from "./register.views.ts";

export interface PeerFeedInput {
  t: Translator;
  origin: string;
  cityName: string;
  filter: PeerActivityFilter;
  entries: readonly PeerActivityEntry[];
}

/**
 * What peers published as an Atom 1.0 feed. An entry is a record (its IRI is the entry id); a copy
 * received again after an Update is the same entry with a newer `updated`. The feed library writes
 * titles and summaries as `type="html"`, so our plain texts go in escaped.
 */
export function peerActivityFeed({ t, origin, cityName, filter, entries }: PeerFeedInput): string {
  const base = origin.replace(/\/$/, "");
  const query = filterQuery(filter);
  const feed = new Feed({
    id: `${base}/feed.atom${query}`,
    title: `${t.t("peersTitle")} – ${t.t("registerOf")} ${cityName}`,
    description: t.t("peersIntro"),
    link: `${base}/peers${query}`,
    feed: `${base}/feed.atom${query}`,
    language: t.language,
    updated: new Date(entries[0]?.receivedAt ?? 0),
    author: { name: cityName, link: base },
    generator: "Leitplanken",
  });
  for (const entry of entries) {
    feed.addItem({
      id: entry.id,
      title: escape(entryHeadline(t, entry)),
      link: new URL(recordHref(origin, entry.kind, entry.id), base).href,
      date: new Date(entry.receivedAt),
      ...(entry.publishedAt ? { published: new Date(entry.publishedAt) } : {}),
      description: escape(
        `${t.t(eventLabelKey[entry.event])} · ${cityLabel(entry.provenance.city.id, null, entry.provenance.originCityName)}${entry.summary ? ` – ${entry.summary}` : ""}`,
      ),
      author: [{ name: cityLabel(entry.provenance.city.id, null, entry.provenance.originCityName), link: entry.provenance.city.id }],
      category: [{ term: entry.kind, name: t.t(kindLabelKey[entry.kind]) }],
    });
  }
  return feed.atom1();
}
