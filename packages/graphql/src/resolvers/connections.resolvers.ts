import type { Page } from "@leitplanken/core";
import type { Resolvers } from "../generated/resolvers.ts";
import { catalogEntryView, reportView, type PageInfoView } from "../mappers.ts";

/** `pageInfo` of a page: forward paging, with the first item's cursor where the store gives per-item cursors. */
export function pageInfoOf(page: Page<unknown>): PageInfoView {
  return { hasNextPage: page.hasNextPage, endCursor: page.endCursor, hasPreviousPage: page.hasPreviousPage ?? false, startCursor: page.cursors?.[0] ?? null };
}

/** The items of a page with their cursors; a store that gives none cannot have edges (an error, not a silent gap). */
export function edgesOf<T, N>(page: Page<T>, view: (item: T) => N): { cursor: string; node: N }[] {
  return page.items.map((item, index) => {
    const cursor = page.cursors?.[index];
    if (cursor === undefined) throw new Error("a page without per-item cursors was asked for edges");
    return { cursor, node: view(item) };
  });
}

const same = <T>(item: T) => item;

export const connectionResolvers: Resolvers = {
  UseCaseConnection: { edges: (page) => edgesOf(page, same) },
  GuidelineVersionConnection: { edges: (page) => edgesOf(page, same) },
  ModelConnection: { edges: (page) => edgesOf(page, same) },
  CatalogEntryConnection: { edges: (page) => edgesOf(page, catalogEntryView) },
  ReportConnection: { edges: (page) => edgesOf(page, reportView) },
};
