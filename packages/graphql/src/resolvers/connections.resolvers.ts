import { createHash } from "node:crypto";
import { InvalidCursorError, type Page, type PageRequest } from "@leitplanken/core";
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

const shortHash = (text: string, length: number) => createHash("sha256").update(text).digest("base64url").slice(0, length);

/**
 * A page of a list the store hands over whole (cities, catalogs, follows, members, a document's
 * versions, the moderation log, a ranking), in the list's order. A cursor names the list (`list`)
 * and its item (by `keyOf`), not a position, so a page resumes at the same item when items were
 * added before it; a cursor whose item left the list is refused (`InvalidCursorError`).
 */
export function pageOfList<T>(list: string, items: readonly T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  const tag = shortHash(list, 8);
  const itemTag = (item: T) => shortHash(keyOf(item), 16);
  const cursorOf = (item: T) => Buffer.from(`l:${tag}:${itemTag(item)}`).toString("base64url");
  const indexOf = (cursor: string, name: "after" | "before") => {
    const text = Buffer.from(cursor.slice(0, 4000), "base64url").toString("utf8");
    const match = /^l:([\w-]{8}):([\w-]{16})$/.exec(text);
    // The stores' cursors (db `listPage`'s `c:`, the city list's `k:`) belong to other lists.
    if (!match)
      throw new InvalidCursorError(
        `invalid cursor in \`${name}\`: ${/^[ck]:[\w-]{8}:/.test(text) ? "a cursor of another list" : "not one this store handed out"}`,
      );
    if (match[1] !== tag) throw new InvalidCursorError(`invalid cursor in \`${name}\`: a cursor of another list`);
    const index = items.findIndex((item) => itemTag(item) === match[2]);
    if (index < 0) throw new InvalidCursorError(`invalid cursor in \`${name}\`: its item is no longer in the list`);
    return index;
  };
  const start = request.after ? indexOf(request.after, "after") + 1 : 0;
  const end = Math.max(start, request.before ? indexOf(request.before, "before") : items.length);
  const [from, to] = request.fromEnd ? [Math.max(start, end - request.first), end] : [start, Math.min(end, start + request.first)];
  const page = items.slice(from, to);
  const cursors = page.map(cursorOf);
  return { items: page, cursors, endCursor: cursors.at(-1) ?? null, hasNextPage: to < items.length, hasPreviousPage: from > 0, totalCount: items.length };
}

/** `nodes`, `edges` and `pageInfo` of a connection over a page of items that are their own views. */
const connectionOf = { nodes: <T>(page: Page<T>) => page.items, edges: <T>(page: Page<T>) => edgesOf(page, same), pageInfo: pageInfoOf };

export const connectionResolvers: Resolvers = {
  UseCaseConnection: { edges: (page) => edgesOf(page, same) },
  GuidelineVersionConnection: { edges: (page) => edgesOf(page, same) },
  ModelConnection: { edges: (page) => edgesOf(page, same) },
  CatalogEntryConnection: { edges: (page) => edgesOf(page, catalogEntryView) },
  ReportConnection: { edges: (page) => edgesOf(page, reportView) },
  CityConnection: connectionOf,
  CatalogConnection: connectionOf,
  FollowedCityConnection: connectionOf,
  FollowerConnection: connectionOf,
  ModerationLogEntryConnection: connectionOf,
  CatalogMemberConnection: connectionOf,
  AdoptionConnection: connectionOf,
  ApiTokenConnection: connectionOf,
  DomainBlockConnection: connectionOf,
  JoinedCatalogConnection: connectionOf,
  CatalogViewEntryConnection: connectionOf,
  TrustListEntryConnection: connectionOf,
  GuidelineHistoryEntryConnection: connectionOf,
  LineageNodeConnection: connectionOf,
  FailingUseCaseConnection: connectionOf,
};
