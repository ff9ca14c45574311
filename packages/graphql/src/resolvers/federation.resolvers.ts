import { catchUpBehind, deliveryStalled, type DomainBlockRecord, fieldError, type FieldError } from "@leitplanken/core";
import { type GraphQLContext, requireFederation } from "../context.ts";
import { listing, pageRequest } from "./common.resolvers.ts";
import { pageOfList } from "./connections.resolvers.ts";
import { actingPrincipal, requirePermission } from "../permissions.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import type { DomainBlockEntry } from "../mappers.ts";
import { followError, unexpected, unfollowError, validationError } from "../payload-errors.ts";

const maxReasonLength = 500;

// A DNS name of labels (letters, digits, inner hyphens), as a block list entry: no scheme, port or path.
const hostName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** The domain as the block list keeps it (lower case, IDN as punycode), or why it cannot be one. */
function parseDomain(input: string, ownHost: string): { ok: true; domain: string } | { ok: false; error: FieldError } {
  const trimmed = input.trim().replace(/\.$/, "");
  const domain = /^[^/:@?#\s]+$/.test(trimmed) && URL.canParse(`https://${trimmed}`) ? new URL(`https://${trimmed}`).hostname : "";
  if (!hostName.test(domain)) {
    return {
      ok: false,
      error: fieldError(
        "domain",
        "invalid-domain",
        `„${input}“ ist kein Domainname wie spam.example (ohne https://, Port oder Pfad).`,
        `"${input}" is not a domain name like spam.example (without https://, port or path).`,
      ),
    };
  }
  if (ownHost === domain || ownHost.endsWith(`.${domain}`)) {
    return {
      ok: false,
      error: fieldError("domain", "own-domain", `${domain} ist die Domain dieses Knotens.`, `${domain} is this node's own domain.`),
    };
  }
  return { ok: true, domain };
}

function storedBlock(block: DomainBlockRecord): DomainBlockEntry {
  return { ...block, fromConfiguration: false };
}

function configuredDomains(context: GraphQLContext): string[] {
  return (requireFederation(context).configuredBlockedDomains ?? []).map((domain) => domain.toLowerCase());
}

/** The domain block list by domain: configured domains and those admins added. Role: admin or moderator. */
async function blockedDomains(context: GraphQLContext): Promise<DomainBlockEntry[]> {
  requirePermission(context, "node-trust.read");
  const stored = (await requireFederation(context).store.listBlockedDomains()).map(storedBlock);
  const configured = configuredDomains(context)
    .filter((domain) => !stored.some((block) => block.domain === domain))
    .map((domain): DomainBlockEntry => ({ domain, reason: null, createdAt: null, fromConfiguration: true }));
  return [...configured, ...stored].sort((a, b) => a.domain.localeCompare(b.domain));
}

/** The origin's signed document of a received record, as a JSON string; null for our own records and without federation. */
async function signedDocument(record: { id: string; provenance: { source: string } }, context: GraphQLContext): Promise<string | null> {
  if (record.provenance.source !== "received" || context.federation === undefined) return null;
  const kept = await context.federation.store.findReceivedDocument(record.id);
  return kept ? JSON.stringify(kept.document) : null;
}

export const federationResolvers: Resolvers = {
  GuidelineVersion: { signedDocument: (record, _args, context) => signedDocument(record, context) },
  UseCase: { signedDocument: (record, _args, context) => signedDocument(record, context) },
  Model: { signedDocument: (record, _args, context) => signedDocument(record, context) },
  Query: {
    following: (_parent, { state }, context) => requireFederation(context).following.listFollowing(state ? { state } : undefined),
    followers: (_parent, { state }, context) => requireFederation(context).following.listFollowers(state ? { state } : undefined),
    followedCities: (_parent, { state, ...page }, context) =>
      listing(async () =>
        pageOfList(
          "following",
          await requireFederation(context).following.listFollowing(state ? { state } : undefined),
          (follow) => follow.actorId,
          pageRequest(page),
        ),
      ),
    cityFollowers: (_parent, { state, ...page }, context) =>
      listing(async () =>
        pageOfList(
          "followers",
          await requireFederation(context).following.listFollowers(state ? { state } : undefined),
          (follow) => follow.actorId,
          pageRequest(page),
        ),
      ),
    blockedDomains: (_parent, _args, context) => blockedDomains(context),
    domainBlocks: (_parent, page, context) =>
      listing(async () => pageOfList("blocked-domains", await blockedDomains(context), (block) => block.domain, pageRequest(page))),
  },
  FollowedCity: {
    actor: (relation) => relation.actorId,
    inbox: (relation) => relation.inboxUrl,
    since: (relation) => relation.createdAt.toISOString(),
    updatedAt: (relation) => relation.updatedAt.toISOString(),
    catchUp: (relation, _args, context) => {
      requirePermission(context, "federation.read-delivery");
      return requireFederation(context).store.findSync(relation.actorId);
    },
  },
  CatchUpState: {
    syncedAt: (sync) => sync.syncedAt?.toISOString() ?? null,
    nextAt: (sync) => sync.dueAt?.toISOString() ?? null,
    failedAttempts: (sync) => sync.attempts,
    behind: (sync) => catchUpBehind(sync),
  },
  Follower: {
    actor: (relation) => relation.actorId,
    inbox: (relation) => relation.inboxUrl,
    sharedInbox: (relation) => relation.sharedInboxUrl,
    since: (relation) => relation.createdAt.toISOString(),
    updatedAt: (relation) => relation.updatedAt.toISOString(),
    delivery: async (relation, _args, context) => {
      requirePermission(context, "federation.read-delivery");
      // Fan-outs go to the shared inbox where the follower's server has one.
      const [failures, status] = await Promise.all([
        context.loaders.deliveryFailures.load(relation.actorId),
        context.loaders.deliveryStatus.load(relation.sharedInboxUrl ?? relation.inboxUrl),
      ]);
      return { failures, status, circuit: status?.circuit ?? "closed" };
    },
  },
  DeliveryState: {
    healthy: ({ failures }) => failures.length === 0,
    permanentFailureCount: ({ failures }) => failures.length,
    permanentFailures: ({ failures }, { first }) => failures.slice(0, Math.max(0, first)),
    stalled: ({ status }) => status !== null && deliveryStalled(status),
    waiting: ({ status }) => status?.waiting ?? 0,
    waitingSince: ({ status }) => status?.waitingSince?.toISOString() ?? null,
    failedAttempts: ({ status }) => status?.failedAttempts ?? 0,
  },
  DeliveryFailure: {
    inbox: (failure) => failure.inboxUrl,
    failedAt: (failure) => failure.failedAt.toISOString(),
  },
  DomainBlock: {
    createdAt: (block) => block.createdAt?.toISOString() ?? null,
  },
  Mutation: {
    followCity: async (_parent, { target }, context) => {
      const result = await requireFederation(context).following.followCity(target);
      return result.ok ? { __typename: "FollowCitySuccess" as const, following: result.following } : followError(result.error);
    },
    unfollowCity: async (_parent, { target }, context) => {
      const result = await requireFederation(context).following.unfollowCity(target);
      return result.ok ? { __typename: "UnfollowCitySuccess" as const, target } : unfollowError(result.error);
    },
    blockDomain: async (_parent, { domain: input, reason }, context) => {
      const federation = requireFederation(context);
      const parsed = parseDomain(input, new URL(context.identity.origin).hostname);
      if (!parsed.ok) return validationError([parsed.error]);
      const trimmedReason = reason?.trim() || null;
      if (trimmedReason !== null && trimmedReason.length > maxReasonLength) {
        return validationError([
          fieldError("reason", "too-long", `Höchstens ${maxReasonLength} Zeichen erlaubt.`, `At most ${maxReasonLength} characters allowed.`),
        ]);
      }
      // With catalogs the change goes through the node's trust list, which writes the moderation log.
      if (context.catalogs) {
        const by = actingPrincipal(context);
        const result = await context.catalogs.hub.block({ scope: { type: "node" }, kind: "domain", value: parsed.domain, by, reason: trimmedReason });
        if (!result.ok) throw unexpected(result.error); // the role was checked and the domain parsed
        const block = (await federation.store.listBlockedDomains()).find((entry) => entry.domain === parsed.domain);
        if (!block) throw new Error(`the block of ${parsed.domain} was not stored`);
        return { __typename: "BlockDomainSuccess" as const, domainBlock: storedBlock(block) };
      }
      const block = await federation.store.blockDomain(parsed.domain, trimmedReason);
      return { __typename: "BlockDomainSuccess" as const, domainBlock: storedBlock(block) };
    },
    unblockDomain: async (_parent, { domain: input }, context) => {
      const federation = requireFederation(context);
      const parsed = parseDomain(input, new URL(context.identity.origin).hostname);
      if (!parsed.ok) return validationError([parsed.error]);
      const { domain } = parsed;
      // Removing a stored duplicate of a configured block would look like an unblock that did nothing.
      if (configuredDomains(context).includes(domain)) {
        return {
          __typename: "DomainBlockConfiguredError" as const,
          message: {
            de: `${domain} ist in der Konfiguration des Knotens gesperrt (LEITPLANKEN_BLOCKED_DOMAINS); nur der Betrieb kann das ändern.`,
            en: `${domain} is blocked by the node's configuration (LEITPLANKEN_BLOCKED_DOMAINS); only its operator can change that.`,
          },
          domain,
        };
      }
      if (context.catalogs && (await federation.store.listBlockedDomains()).some((entry) => entry.domain === domain)) {
        const result = await context.catalogs.hub.unblock({
          scope: { type: "node" },
          kind: "domain",
          value: domain,
          by: actingPrincipal(context),
          reason: null,
        });
        if (!result.ok) throw unexpected(result.error); // the role was checked and the domain parsed
        return { __typename: "UnblockDomainSuccess" as const, domain };
      }
      if (!context.catalogs && (await federation.store.unblockDomain(domain))) return { __typename: "UnblockDomainSuccess" as const, domain };
      return {
        __typename: "DomainNotBlockedError" as const,
        message: { de: `${domain} steht nicht auf der Sperrliste.`, en: `${domain} is not on the block list.` },
        domain,
      };
    },
  },
};
