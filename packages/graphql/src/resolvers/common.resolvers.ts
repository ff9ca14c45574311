import { InvalidCursorError, type ListOrder, type PageRequest } from "@leitplanken/core";
import { badUserInput } from "../context.ts";
import { enumValues } from "../enum-values.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { DateScalar, DateTimeScalar } from "../scalars.ts";

export const maxPageSize = 100;
/** The page size when neither `first` nor `last` is given. */
const defaultPageSize = 20;

/** The paging arguments every connection field takes. */
export interface PageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}

/** Validates the paging arguments of a connection field (and its `orderBy`, already the store's values). */
export function pageRequest(
  { first, after, last, before }: PageArgs,
  order?: { field: string; direction?: ListOrder<string>["direction"] | null } | null,
): PageRequest {
  if (typeof first === "number" && typeof last === "number") throw badUserInput("Pass either `first` or `last`, not both.");
  const size = last ?? first ?? defaultPageSize;
  const name = typeof last === "number" ? "last" : "first";
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) throw badUserInput(`${name} must be between 1 and ${maxPageSize}.`);
  const listOrder = order ? { field: order.field, direction: order.direction ?? "asc" } : undefined;
  return { first: size, after, before, fromEnd: typeof last === "number", order: listOrder };
}

/** Runs a repository list; a cursor the store cannot read is the client's mistake, not ours. */
export async function listing<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      const argument = error.message.includes("`before`") ? "before" : "after";
      throw badUserInput(
        error.message.includes("another list")
          ? `\`${argument}\` is a cursor of another list; pass a cursor of this list (\`pageInfo.endCursor\`, \`pageInfo.startCursor\` or an edge's \`cursor\`).`
          : error.message.includes("no longer in the list")
            ? `\`${argument}\` names an item that is no longer in this list; ask for the first page again.`
            : error.message.includes("another order")
              ? `\`${argument}\` is a cursor of this list in another order; pass the same \`orderBy\` as for the page it came from.`
              : `\`${argument}\` is not a cursor this API handed out.`,
      );
    }
    throw error;
  }
}

/** `local: true` means this node's own records, `false` the received ones, null both. */
export function sourceFilter(local: boolean | null | undefined) {
  if (local === null || local === undefined) return undefined;
  return local ? ("local" as const) : ("received" as const);
}

/** A BCP 47 language tag as `LocalizedText` takes it (`de`, `en-GB`, `de-CH-1996`), at most 35 characters. */
const languageTagPattern = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}$/;

/** Validates a language argument; anything else is the client's mistake (never echoed at length). */
export function languageTag(lang: string): string {
  if (lang.length > 35 || !languageTagPattern.test(lang)) {
    throw badUserInput(`\`lang\` must be a BCP 47 language tag such as \`de\` or \`en-GB\` (got ${JSON.stringify(lang.slice(0, 40))}).`);
  }
  return lang;
}

/** Which language of `texts` serves `lang`: the tag itself, its primary language (`en` for `en-GB`), German, English, then any; null when there is no text. */
export function servedLanguage(texts: Record<string, string | undefined>, lang: string): string | null {
  const has = (key: string) => typeof texts[key] === "string";
  const primary = lang.split("-")[0]!.toLowerCase();
  const exact = Object.keys(texts).find((key) => key.toLowerCase() === lang.toLowerCase() && has(key));
  return exact ?? [primary, "de", "en"].find(has) ?? Object.keys(texts).find(has) ?? null;
}

export const commonResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  // The core's own value lists as the enums' internal values (see enum-values.ts).
  ...(enumValues as unknown as Resolvers),
  LocalizedText: {
    de: (map) => map.de ?? null,
    en: (map) => map.en ?? null,
    text: (map, { lang }) => {
      const texts: Record<string, string | undefined> = Object.fromEntries(Object.entries(map));
      const served = servedLanguage(texts, languageTag(lang));
      return served === null ? "" : (texts[served] ?? "");
    },
    lang: (map, { lang }) => servedLanguage(Object.fromEntries(Object.entries(map)), languageTag(lang)),
  },
  Provenance: {
    originCity: (provenance) => provenance.originActor,
    node: (provenance) => provenance.originHost,
    local: (provenance) => provenance.source === "local",
    receivedAt: (provenance) => (provenance.source === "received" ? provenance.receivedAt : null),
    proofVerified: (provenance) => (provenance.source === "received" ? provenance.proofVerified : null),
  },
  RegisterRecord: {
    __resolveType: (record) => ("documentId" in record ? "GuidelineVersion" : "workflow" in record ? "UseCase" : "Model"),
  },
};
