import type { GraphQLExecutor } from "./graphql-client.ts";

/** Names of cities and catalogs by actor IRI, as the page shows them. */
export type ActorNames = ReadonlyMap<string, string>;

export const profilesQuery = "query ActorNames($ids: [String!]!) { actorProfiles(ids: $ids) { id name } }";
const maxPerQuery = 200;

/**
 * The names these actors give themselves (the API's `actorProfiles`; an actor never read before is
 * read from its node, a few seconds at most). Actors without a known name are left out: `cityLabel`
 * then shows their host. A failing API leaves names out rather than failing the page.
 */
export async function fetchActorNames(graphql: GraphQLExecutor, ids: Iterable<string | null | undefined>): Promise<ActorNames> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === "string" && URL.canParse(id)))];
  const names = new Map<string, string>();
  for (let start = 0; start < wanted.length; start += maxPerQuery) {
    const result = await graphql(profilesQuery, { ids: wanted.slice(start, start + maxPerQuery) });
    const profiles = (result.data?.actorProfiles ?? []) as { id: string; name: string | null }[];
    for (const profile of profiles) if (profile.name) names.set(profile.id, profile.name);
  }
  return names;
}

/**
 * A city or catalog as people read it: its name when known, else the last part of its actor IRI
 * with the host ("muenster (ki.muenster.de)"), never only an IRI.
 */
export function cityLabel(actor: string, names?: ActorNames | null, knownName?: string | null): string {
  const name = knownName ?? names?.get(actor);
  if (name) return name;
  try {
    const url = new URL(actor);
    return `${url.pathname.split("/").at(-1)} (${url.host})`;
  } catch {
    return actor;
  }
}

/** The start page of the register of the node an actor lives on. */
export const registerOf = (actor: string): string => {
  try {
    return `${new URL(actor).origin}/`;
  } catch {
    return actor;
  }
};
