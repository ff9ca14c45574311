import { Group, Organization, PropertyValue, isActor } from "@fedify/vocab";
import type { ActorDirectory, ActorProfile, ActorProfileStore } from "@leitplanken/core";
import { MUNICIPALITY_ID_FIELD } from "./city.actor.ts";
import { isBlockedHost } from "./domain-block.ts";
import type { FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";

export interface ActorDirectoryOptions {
  store: ActorProfileStore;
  /** A profile older than this is read again in the background (default a day). */
  refreshAfterMs?: number;
  /** An actor that could not be read is asked again after this long (default an hour). */
  retryFailedAfterMs?: number;
  /** How long a page may wait for actors it has never read (default 3 s); the rest comes later. */
  fetchTimeoutMs?: number;
  /** At most this many actors are read per call; the others come later (default 20). */
  maxFetchesPerCall?: number;
  now?: () => Date;
}

export interface NodeActorDirectory extends ActorDirectory {
  /** Reads actors the node holds records from, follows or has as catalog members, whose profile is missing or old; returns how many it read. */
  refresh(limit?: number): Promise<number>;
}

const day = 24 * 3600 * 1000;

/**
 * The names of other cities and catalogs, from their ActivityPub actors. A profile read once is
 * served from the store; an actor never read is read when a page first asks for it (signed GET,
 * through the block list, bounded in time), an old one is read again in the background. A failure
 * is remembered, so a node that is down is not asked on every page view.
 */
export function createActorDirectory(federation: CityFederation, deps: FederationDeps, options: ActorDirectoryOptions): NodeActorDirectory {
  const { store } = options;
  const refreshAfterMs = options.refreshAfterMs ?? day;
  const retryFailedAfterMs = options.retryFailedAfterMs ?? 3600 * 1000;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 3_000;
  const maxFetches = options.maxFetchesPerCall ?? 20;
  const now = options.now ?? (() => new Date());
  const inFlight = new Map<string, Promise<ActorProfile | null>>();

  async function read(id: string): Promise<ActorProfile | null> {
    const ctx = federation.createContext(new URL(deps.origin), deps);
    try {
      // Fedify's loaders refuse blocked domains too; asking first keeps the reason plain.
      if (await isBlockedHost(deps, new URL(id).hostname)) throw new Error("domain blocked");
      const documentLoader = await ctx.getDocumentLoader({ identifier: deps.city.handle });
      const actor = await ctx.lookupObject(id, { documentLoader, contextLoader: ctx.contextLoader });
      if (!isActor(actor) || actor.id?.href !== id) throw new Error("not an actor");
      let municipalityId: string | null = null;
      for await (const attachment of actor.getAttachments({ documentLoader, contextLoader: ctx.contextLoader })) {
        if (attachment instanceof PropertyValue && attachment.name?.toString() === MUNICIPALITY_ID_FIELD) municipalityId = attachment.value?.toString() ?? null;
      }
      const url = actor.url instanceof URL ? actor.url.href : (actor.url?.href?.href ?? null);
      const profile: ActorProfile = {
        id,
        kind: actor instanceof Organization ? "city" : actor instanceof Group ? "catalog" : "other",
        name: actor.name?.toString().trim().slice(0, 500) || null,
        municipalityId: municipalityId?.slice(0, 100) || null,
        website: url && /^https?:\/\//.test(url) ? url.slice(0, 2048) : null,
        fetchedAt: now().toISOString(),
      };
      await store.saveActorProfile(profile);
      return profile;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.logger.info({ actorId: id, reason }, "actor profile could not be read");
      await store.saveActorFetchFailure({ id, failedAt: now().toISOString(), reason }).catch(() => {});
      return null;
    }
  }

  /** One read per actor at a time, however many pages ask. */
  const readOnce = (id: string) => {
    let pending = inFlight.get(id);
    if (!pending) {
      pending = read(id).finally(() => inFlight.delete(id));
      inFlight.set(id, pending);
    }
    return pending;
  };

  const withinTime = <T>(work: Promise<T>): Promise<T | null> =>
    Promise.race([work, new Promise<null>((resolve) => setTimeout(() => resolve(null), fetchTimeoutMs).unref())]);

  return {
    async profiles(ids) {
      const wanted = [...new Set(ids)].filter((id) => URL.canParse(id));
      const { profiles, failures } = await store.findActorProfiles(wanted);
      const result = new Map(profiles.map((profile) => [profile.id, profile]));
      const current = now().getTime();
      // Old profiles are served as they are and read again behind the page.
      for (const profile of profiles) if (current - Date.parse(profile.fetchedAt) > refreshAfterMs) void readOnce(profile.id);
      const failedRecently = new Set(failures.filter((failure) => current - Date.parse(failure.failedAt) < retryFailedAfterMs).map((failure) => failure.id));
      const missing = wanted.filter((id) => !result.has(id) && !failedRecently.has(id)).slice(0, maxFetches);
      const fetched = await Promise.all(missing.map((id) => withinTime(readOnce(id))));
      for (const profile of fetched) if (profile) result.set(profile.id, profile);
      return result;
    },
    async refresh(limit = 200) {
      const ids = await store.actorsToRefresh(new Date(now().getTime() - refreshAfterMs), limit);
      let read = 0;
      // One at a time: a background job, not a burst against other cities' nodes.
      for (const id of ids) if (await readOnce(id)) read += 1;
      return read;
    },
  };
}
