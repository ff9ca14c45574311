// The GraphQL operations of the public catalog pages (a coordinator's hub) and the shapes they select.
import type { Connection, Text } from "./register.queries.ts";

export interface PublicCatalogSummary {
  id: string;
  handle: string;
  name: Text;
  description: Text;
  updatedAt: string;
  memberships: { totalCount: number };
  entries: { totalCount: number };
}

/** The catalogs a hub runs (a node hosts a few: the first 100). */
export const publicCatalogsQuery = `query PublicCatalogs($lang: String!) {
  hostedCatalogs(first: 100) { nodes { id handle name { text(lang: $lang) language: lang(lang: $lang) } description { text(lang: $lang) language: lang(lang: $lang) } updatedAt memberships(first: 1) { totalCount } entries(first: 1) { totalCount } } }
}`;

export interface PublicCatalogEntry {
  id: string;
  recordId: string;
  recordKind: "USE_CASE" | "GUIDELINE" | "MODEL";
  originCity: string;
  originCityName: string | null;
  approvedAt: string | null;
  recordUpdatedAt: string | null;
  record: { __typename: string; name?: Text; title?: Text; version?: string } | null;
}

export interface PublicCatalog extends Omit<PublicCatalogSummary, "memberships"> {
  rules: Text | null;
  createdAt: string;
  policy: { acceptedKinds: string[]; openTo: string; memberApprovalRequired: boolean };
  /** The first 100 members (`totalCount`: all of them). */
  memberships: { totalCount: number; nodes: { actor: string; joinedAt: string | null }[] };
  entries: Connection<PublicCatalogEntry>;
}

const entryFields = `id recordId recordKind originCity originCityName approvedAt recordUpdatedAt
  record { __typename ... on UseCase { name { text(lang: $lang) language: lang(lang: $lang) } } ... on GuidelineVersion { title { text(lang: $lang) language: lang(lang: $lang) } version } ... on Model { name { text(lang: $lang) language: lang(lang: $lang) } version } }`;

export const publicCatalogQuery = `query PublicCatalog($lang: String!, $id: ID!, $first: Int!, $after: String) {
  catalog(id: $id) {
    id handle name { text(lang: $lang) language: lang(lang: $lang) } description { text(lang: $lang) language: lang(lang: $lang) } rules { text(lang: $lang) language: lang(lang: $lang) } createdAt updatedAt
    policy { acceptedKinds openTo memberApprovalRequired }
    memberships(first: 100) { totalCount nodes { actor joinedAt } }
    entries(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${entryFields} } }
  }
}`;

/** The record's title as the catalog's copy names it (with its version); null until the catalog has the document. */
export function entryRecordTitle(entry: PublicCatalogEntry): string | null {
  const record = entry.record;
  if (!record) return null;
  const title = record.name?.text ?? record.title?.text;
  if (!title) return null;
  return record.version ? `${title} ${record.version}` : title;
}

/** The record kind of a catalog entry as the page routes name it. */
export const entryPageKind = { USE_CASE: "use-case", GUIDELINE: "guideline", MODEL: "model" } as const;

/**
 * Where a catalog entry's record can be read: its IRI, which the publishing city serves as a page
 * (the hub keeps the signed document, not a copy in its own register); a path for our own records.
 */
export function entryRecordHref(origin: string, recordId: string): string {
  const base = origin.replace(/\/$/, "");
  return recordId.startsWith(`${base}/`) ? recordId.slice(base.length) : recordId;
}
