import type { BilingualMessage } from "../validation.ts";
import type { FollowRecord, FollowState } from "./federation.ts";

/**
 * Following other cities, as the API and the CLI ask for it; implemented by the
 * activitypub package's `createFollowingService` (which satisfies this port structurally).
 */

export const followStates = ["pending", "accepted", "rejected"] as const satisfies readonly FollowState[];

export type FollowError =
  | { type: "invalid-target"; target: string }
  | { type: "domain-blocked"; domain: string }
  | { type: "actor-not-found"; target: string }
  | { type: "cannot-follow-self" };

/** Unfollowing refuses only a city this node does not follow (an unresolvable or blocked target is not followed either). */
export type UnfollowError = { type: "not-following"; target: string };

export type FollowResult = { ok: true; following: FollowRecord } | { ok: false; error: FollowError };
export type UnfollowResult = { ok: true } | { ok: false; error: UnfollowError };

export interface FollowingPort {
  /** Sends a Follow to another city: `target` is an actor URL or a handle `@name@host`. */
  followCity(target: string): Promise<FollowResult>;
  /** Sends Undo(Follow) and forgets the relation. */
  unfollowCity(target: string): Promise<UnfollowResult>;
  listFollowers(filter?: { state?: FollowState }): Promise<FollowRecord[]>;
  listFollowing(filter?: { state?: FollowState }): Promise<FollowRecord[]>;
}

/** Editor-facing text for a refused follow or unfollow, in German and English. */
export function describeFollowError(error: FollowError | UnfollowError): BilingualMessage {
  switch (error.type) {
    case "invalid-target":
      return {
        de: `„${error.target}“ ist weder eine Actor-URL noch ein Handle wie @stadt@host.`,
        en: `"${error.target}" is neither an actor URL nor a handle like @city@host.`,
      };
    case "domain-blocked":
      return { de: `Die Domain ${error.domain} ist gesperrt.`, en: `The domain ${error.domain} is blocked.` };
    case "actor-not-found":
      return { de: `Unter „${error.target}“ wurde keine Stadt gefunden.`, en: `No city was found at "${error.target}".` };
    case "cannot-follow-self":
      return { de: "Eine Stadt kann sich nicht selbst folgen.", en: "A city cannot follow itself." };
    case "not-following":
      return { de: `Dieser Knoten folgt „${error.target}“ nicht.`, en: `This node does not follow "${error.target}".` };
  }
}
