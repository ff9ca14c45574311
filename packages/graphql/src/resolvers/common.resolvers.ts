import { InvalidCursorError, type PageRequest, textIn } from "@leitplanken/core";
import { badUserInput } from "../context.ts";
import { enumValues } from "../enum-values.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import { DateScalar, DateTimeScalar } from "../scalars.ts";

export const maxPageSize = 100;

/** Validates `first`/`after` of a connection field. */
export function pageRequest(first: number, after: string | null | undefined): PageRequest {
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) throw badUserInput(`first must be between 1 and ${maxPageSize}.`);
  return { first, after };
}

/** Runs a repository list; a cursor the store cannot read is the client's mistake, not ours. */
export async function listing<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badUserInput("`after` is not a cursor this API handed out.");
    throw error;
  }
}

/** `local: true` means this node's own records, `false` the received ones, null both. */
export function sourceFilter(local: boolean | null | undefined) {
  if (local === null || local === undefined) return undefined;
  return local ? ("local" as const) : ("received" as const);
}

export const commonResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  // The core's own value lists as the enums' internal values (see enum-values.ts).
  ...(enumValues as unknown as Resolvers),
  LocalizedText: {
    de: (map) => map.de ?? null,
    en: (map) => map.en ?? null,
    text: (map, { lang }) => textIn(Object.fromEntries(Object.entries(map)), lang),
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
