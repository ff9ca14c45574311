// Feed-test support: parses a feed with feedsmith and lists where it breaks what RFC 4287 requires.
import { detectAtomFeed, parseFeed, type Atom } from "feedsmith";

export type ParsedAtomFeed = Atom.Feed<string>;

const isIri = (value: unknown) => typeof value === "string" && URL.canParse(value);
const isTimestamp = (value: unknown) => typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value);

/** The parsed feed and what makes it not Atom 1.0 (empty when it is). */
export function checkAtom10(xml: string): { feed: ParsedAtomFeed; problems: string[] } {
  const problems: string[] = [];
  if (!xml.includes('xmlns="http://www.w3.org/2005/Atom"')) problems.push("no Atom 1.0 namespace");
  if (!detectAtomFeed(xml)) problems.push("not detected as Atom");
  const parsed = parseFeed(xml);
  if (parsed.format !== "atom") return { feed: {} as ParsedAtomFeed, problems: [...problems, `parsed as ${parsed.format}`] };
  const feed = parsed.feed as ParsedAtomFeed;
  if (!isIri(feed.id)) problems.push("feed id is not an IRI");
  if (!feed.title) problems.push("feed has no title");
  if (!isTimestamp(feed.updated)) problems.push("feed updated is not an RFC 3339 timestamp");
  if (!feed.links?.some((link) => link.rel === "self")) problems.push("feed has no self link");
  const feedHasAuthor = (feed.authors?.length ?? 0) > 0;
  const entries = feed.entries ?? [];
  entries.forEach((entry, index) => {
    if (!isIri(entry.id)) problems.push(`entry ${index}: id is not an IRI`);
    if (!entry.title) problems.push(`entry ${index}: no title`);
    if (!isTimestamp(entry.updated)) problems.push(`entry ${index}: updated is not an RFC 3339 timestamp`);
    if (!feedHasAuthor && (entry.authors?.length ?? 0) === 0) problems.push(`entry ${index}: no author`);
  });
  if (new Set(entries.map((entry) => entry.id)).size !== entries.length) problems.push("two entries share an id");
  return { feed, problems };
}

/** A parsed Atom text construct as text: our titles are `type="html"` with the plain text escaped. */
export const atomText = (text: unknown) => (typeof text === "object" && text !== null && "value" in text ? String(text.value) : String(text ?? ""));
