import { Follow, Undo, isActor } from "@fedify/vocab";
import type { FollowingPort } from "@leitplanken/core";
import { cityActorUri } from "./city.actor.ts";
import { isBlockedHost } from "./domain-block.ts";
import type { FederationDeps } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";
import { deliverableInboxes } from "./public-url.ts";

/** Parses an actor URL or an `@handle@host` / `acct:handle@host`; null when it is neither. */
function parseTarget(target: string): URL | string | null {
  const trimmed = target.trim();
  if (/^https?:\/\//i.test(trimmed)) return URL.canParse(trimmed) ? new URL(trimmed) : null;
  const handle = /^(?:acct:|@)?([^@\s/]+)@([^@\s/]+)$/.exec(trimmed);
  return handle ? `@${handle[1]}@${handle[2]}` : null;
}

const targetHost = (target: URL | string) => (typeof target === "string" ? target.split("@")[2]! : target.host);

/**
 * The actor a follow target names, with the checks every follow makes: a valid address, no
 * blocked domain (before and after the lookup), not this city, an inbox at a public address.
 */
export async function resolveFollowTarget(federation: CityFederation, deps: FederationDeps, target: string) {
  const parsed = parseTarget(target);
  if (!parsed) return { ok: false as const, error: { type: "invalid-target" as const, target } };
  const host = targetHost(parsed);
  if (await isBlockedHost(deps, host)) return { ok: false as const, error: { type: "domain-blocked" as const, domain: host } };
  const ctx = federation.createContext(new URL(deps.origin), deps);
  const actor = await ctx.lookupObject(parsed).catch(() => null);
  const notFound = { ok: false as const, error: { type: "actor-not-found" as const, target } };
  if (!isActor(actor) || !actor.id || !actor.inboxId) return notFound;
  if (await isBlockedHost(deps, actor.id.host)) {
    return { ok: false as const, error: { type: "domain-blocked" as const, domain: actor.id.host } };
  }
  if (actor.id.href === cityActorUri(ctx).href) return { ok: false as const, error: { type: "cannot-follow-self" as const } };
  const inboxes = await deliverableInboxes(actor, deps.allowPrivateAddress);
  if (!inboxes) {
    deps.logger.warn({ actorId: actor.id.href }, "actor whose inbox is not a public address not followed");
    return notFound;
  }
  return { ok: true as const, actor, inboxes, ctx };
}

/** What the GraphQL layer and the CLI call to follow other cities (core's `FollowingPort`). */
export function createFollowingService(federation: CityFederation, deps: FederationDeps): FollowingPort {
  const context = () => federation.createContext(new URL(deps.origin), deps);
  const resolveActor = (target: string) => resolveFollowTarget(federation, deps, target);

  return {
    async followCity(target) {
      const resolved = await resolveActor(target);
      if (!resolved.ok) return resolved;
      const { actor, inboxes, ctx } = resolved;
      const me = cityActorUri(ctx);
      const followId = new URL(`#follows/${crypto.randomUUID()}`, me);
      const following = await deps.store.saveFollowing({
        actorId: actor.id!.href,
        inboxUrl: inboxes.inbox.href,
        sharedInboxUrl: inboxes.sharedInbox?.href ?? null,
        followActivityId: followId.href,
        state: "pending",
      });
      await ctx.sendActivity({ identifier: deps.city.handle }, actor, new Follow({ id: followId, actor: me, object: actor.id }));
      deps.logger.info({ actorId: following.actorId }, "Follow sent");
      return { ok: true, following };
    },

    async unfollowCity(target) {
      const parsed = parseTarget(target);
      const stored = parsed instanceof URL ? await deps.store.findFollowing(parsed.href) : null;
      const following = stored ?? (await resolveActor(target).then((r) => (r.ok ? deps.store.findFollowing(r.actor.id!.href) : null)));
      if (!following) return { ok: false, error: { type: "not-following", target } };
      const ctx = context();
      const me = cityActorUri(ctx);
      await deps.store.removeFollowing(following.actorId);
      if (!(await isBlockedHost(deps, new URL(following.actorId).host))) {
        const recipient = { id: new URL(following.actorId), inboxId: new URL(following.inboxUrl) };
        await ctx.sendActivity(
          { identifier: deps.city.handle },
          recipient,
          new Undo({
            id: new URL(`#undo/${crypto.randomUUID()}`, me),
            actor: me,
            object: new Follow({ id: new URL(following.followActivityId), actor: me, object: recipient.id }),
          }),
        );
      }
      deps.logger.info({ actorId: following.actorId }, "Follow undone");
      return { ok: true };
    },

    listFollowers: (filter) => deps.store.listFollowers(filter),
    listFollowing: (filter) => deps.store.listFollowing(filter),
  };
}
