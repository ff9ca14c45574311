/**
 * What a node knows about other actors in the network: the name a city or catalog gives itself
 * in its ActivityPub actor, so that lists and record pages say "Stadt Münster", not a host name.
 * Federation fetches the actors (signed, through the block list) and keeps what it read; pages and
 * the API read it through the `ActorDirectory`.
 */

/** A city (ActivityPub Organization), a catalog (Group), or anything else (a person, a service). */
export type ActorKind = "city" | "catalog" | "other";

export interface ActorProfile {
  /** The actor's IRI. */
  id: string;
  kind: ActorKind;
  /** The actor's `name`; null when it gives none. */
  name: string | null;
  /** A city's municipality id (its `municipalityId` profile field), e.g. an AGS. */
  municipalityId: string | null;
  /** The website the actor names (`url`). */
  website: string | null;
  /** When the actor document was read. */
  fetchedAt: string;
}

/** A remembered failure to read an actor, so a dead node is not asked on every page view. */
export interface ActorFetchFailure {
  id: string;
  failedAt: string;
  reason: string;
}

/** Where a node keeps the actors it read (implemented in @leitplanken/db). */
export interface ActorProfileStore {
  saveActorProfile(profile: ActorProfile): Promise<void>;
  saveActorFetchFailure(failure: ActorFetchFailure): Promise<void>;
  /** The stored profiles of these actors (any order; unknown ids are left out), with the failures of those never read. */
  findActorProfiles(ids: readonly string[]): Promise<{ profiles: ActorProfile[]; failures: ActorFetchFailure[] }>;
  /** Actors the node holds records, follows or catalog members of, without a profile read since `before`; at most `limit`. */
  actorsToRefresh(before: Date, limit: number): Promise<string[]>;
}

/** The profiles of actors, read from the store and fetched where missing (implemented by federation). */
export interface ActorDirectory {
  /** The profiles of these actors; one never read is fetched now (bounded in time), one that cannot be read is left out. */
  profiles(ids: readonly string[]): Promise<Map<string, ActorProfile>>;
}
