import { type ActorRef, type Catalog, isCatalogModerator, normalizeIri } from "./catalog/catalog.entity.ts";
import { type NewModerationLogEntry, performedAction, refusedAction } from "./catalog/moderation-log.entity.ts";
import { type Action, rolesFor } from "./permissions.ts";
import type { Role } from "./principal.ts";
import type { BilingualMessage } from "./validation.ts";

/**
 * Whom a node, or one of its catalogs, federates with. `open`: everyone but the blocked;
 * `allowlist`: only the listed domains and actors (a network of verified municipalities), and
 * even then never the blocked. A listed domain covers its subdomains; an entry with a port
 * (`127.0.0.1:8001`) covers only that port, so loopback test networks can be told apart.
 */
export const trustModes = ["open", "allowlist"] as const;
export type TrustMode = (typeof trustModes)[number];

export interface TrustLists {
  blockedDomains: readonly string[];
  blockedActors: readonly string[];
  allowedDomains: readonly string[];
  allowedActors: readonly string[];
}

export const emptyTrustLists: TrustLists = { blockedDomains: [], blockedActors: [], allowedDomains: [], allowedActors: [] };

export type TrustRefusal =
  | { type: "invalid-actor"; actor: string }
  | { type: "actor-blocked"; actor: string }
  /** `entry` is the list entry that matched (a parent domain of the actor's host, say). */
  | { type: "domain-blocked"; host: string; entry: string }
  | { type: "not-allowlisted"; actor: string; host: string };

export type TrustDecision = "allow" | { refuse: TrustRefusal };

/** A lower-case host name, optionally with a port; null when the input is not one. */
export function normalizeDomain(input: string): string | null {
  const candidate = input
    .trim()
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/\.(:\d+)$/, "$1");
  if (candidate === "" || /[/?#@\s\\]/.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(`http://${candidate}`);
  } catch {
    return null;
  }
  if (url.hostname === "" || url.username !== "" || !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(url.hostname)) return null;
  if (url.hostname.split(".").some((label) => label === "" || label.startsWith("-") || label.endsWith("-"))) return null;
  // URL drops the port 80 as the default; keep what was written.
  const port = /:(\d+)$/.exec(candidate)?.[1];
  return port ? `${url.hostname}:${Number(port)}` : url.hostname;
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "");
}

/** Whether a list entry (`example.org`, `example.org:8443`) covers the actor's URL. */
export function domainEntryCovers(entry: string, url: URL): boolean {
  const normalized = normalizeDomain(entry);
  if (normalized === null) return false;
  const portMatch = /^(.*):(\d+)$/.exec(normalized);
  const domain = portMatch?.[1] ?? normalized;
  if (portMatch && portMatch[2] !== effectivePort(url)) return false;
  const host = url.hostname;
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * May this actor federate with us? Blocks come first in both modes (an actor block, then a
 * block of its domain or a parent domain); in allowlist mode the actor or its domain must be listed.
 */
export function trustDecision(mode: TrustMode, lists: TrustLists, actorIri: string): TrustDecision {
  let url: URL;
  try {
    url = new URL(actorIri);
  } catch {
    return { refuse: { type: "invalid-actor", actor: actorIri } };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { refuse: { type: "invalid-actor", actor: actorIri } };
  const actor = url.href;
  if (lists.blockedActors.some((blocked) => normalizeIri(blocked) === actor)) return { refuse: { type: "actor-blocked", actor } };
  const blockedDomain = lists.blockedDomains.find((entry) => domainEntryCovers(entry, url));
  if (blockedDomain !== undefined) return { refuse: { type: "domain-blocked", host: url.host, entry: blockedDomain } };
  if (mode === "open") return "allow";
  const listed = lists.allowedActors.some((allowed) => normalizeIri(allowed) === actor) || lists.allowedDomains.some((entry) => domainEntryCovers(entry, url));
  return listed ? "allow" : { refuse: { type: "not-allowlisted", actor, host: url.host } };
}

export function describeTrustRefusal(refusal: TrustRefusal): BilingualMessage {
  switch (refusal.type) {
    case "invalid-actor":
      return { de: `„${refusal.actor}“ ist keine gültige Actor-Adresse.`, en: `"${refusal.actor}" is not a valid actor address.` };
    case "actor-blocked":
      return { de: `${refusal.actor} ist gesperrt.`, en: `${refusal.actor} is blocked.` };
    case "domain-blocked":
      return { de: `Die Domain ${refusal.entry} ist gesperrt (${refusal.host}).`, en: `The domain ${refusal.entry} is blocked (${refusal.host}).` };
    case "not-allowlisted":
      return {
        de: `${refusal.host} steht nicht auf der Liste der zugelassenen Knoten; dieser Knoten föderiert nur mit zugelassenen.`,
        en: `${refusal.host} is not on the allowlist; this node federates only with listed nodes.`,
      };
  }
}

// ── Changing the lists and the mode ─────────────────────────────────────────

/** The node itself, or one of its catalogs. */
export type TrustScope = { type: "node" } | { type: "catalog"; catalogId: string };

export const trustListKinds = ["blocked-domain", "blocked-actor", "allowed-domain", "allowed-actor"] as const;
export type TrustListKind = (typeof trustListKinds)[number];

export type TrustChange = { type: "set-mode"; mode: TrustMode } | { type: "add" | "remove"; list: TrustListKind; value: string };

export type TrustChangeError =
  | { type: "not-permitted"; actor: ActorRef }
  | { type: "invalid-domain"; value: string }
  | { type: "invalid-actor"; value: string }
  | { type: "wrong-catalog"; catalogId: string; actualCatalogId: string };

export type TrustChangeResult =
  { ok: true; change: TrustChange; log: NewModerationLogEntry } | { ok: false; error: TrustChangeError; log: NewModerationLogEntry | null };

export function describeTrustChangeError(error: TrustChangeError): BilingualMessage {
  switch (error.type) {
    case "not-permitted":
      return {
        de: "Das darf diese Person nicht ändern: Domain-Sperren, Zulassungslisten und den Modus des Knotens ändert die Administration, einzelne Actors sperrt auch die Moderation; die Listen eines Katalogs ändert seine Moderation.",
        en: "Not permitted: the node's domain blocks, allowlists and mode are changed by admins, single actors are blocked by admins or moderators; a catalog's lists by its moderators.",
      };
    case "invalid-domain":
      return { de: `„${error.value}“ ist kein Domainname (z. B. ki.stadt.de).`, en: `"${error.value}" is not a domain name (e.g. ki.city.example).` };
    case "invalid-actor":
      return { de: `„${error.value}“ ist keine Actor-Adresse (https://…).`, en: `"${error.value}" is not an actor address (https://…).` };
    case "wrong-catalog":
      return { de: "Die Änderung betrifft einen anderen Katalog.", en: "The change concerns another catalog." };
  }
}

/**
 * Checks and normalises a change of a trust list or mode and yields its log entry. On the node,
 * local admins and moderators may change trust; on a catalog, its moderators. The log of a
 * mode change names the new mode as its target.
 */
export function changeTrust(
  scope: TrustScope,
  change: TrustChange,
  by: { actor: ActorRef; role: Role | null },
  catalog: Catalog | null,
  now: Date,
  reason: string | null = null,
): TrustChangeResult {
  const catalogId = scope.type === "catalog" ? scope.catalogId : null;
  const log = { catalogId, actor: by.actor, at: now.toISOString(), reason: reason?.trim() || null, ...logShape(scope, change) };
  if (scope.type === "catalog" && catalog !== null && catalog.id !== scope.catalogId) {
    return { ok: false, error: { type: "wrong-catalog", catalogId: scope.catalogId, actualCatalogId: catalog.id }, log: refusedAction(log, "wrong-catalog") };
  }
  const permitted =
    scope.type === "node"
      ? by.actor.type === "local" && by.role !== null && rolesFor(nodeTrustAction(change)).includes(by.role)
      : catalog !== null && isCatalogModerator(catalog, by.actor);
  if (!permitted) return { ok: false, error: { type: "not-permitted", actor: by.actor }, log: refusedAction(log, "not-permitted") };
  if (change.type === "set-mode") return { ok: true, change, log: performedAction(log) };
  const value = change.list.endsWith("-domain") ? normalizeDomain(change.value) : normalizeActorIri(change.value);
  if (value === null) {
    const type = change.list.endsWith("-domain") ? "invalid-domain" : "invalid-actor";
    return { ok: false, error: { type, value: change.value }, log: null };
  }
  return { ok: true, change: { ...change, value }, log: performedAction({ ...log, target: value }) };
}

/** On the node, blocking one actor is everyday moderation; domains, allowlists and the mode are the operator's policy. */
export function nodeTrustAction(change: TrustChange): Action {
  return change.type !== "set-mode" && change.list === "blocked-actor" ? "node-trust.actors" : "node-trust.domains";
}

function normalizeActorIri(value: string): string | null {
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function logShape(scope: TrustScope, change: TrustChange): Pick<NewModerationLogEntry, "kind" | "targetType" | "target"> {
  if (change.type === "set-mode") return { kind: "mode-change", targetType: scope.type === "node" ? "node" : "catalog", target: change.mode };
  const blocking = change.list.startsWith("blocked-");
  const kind = change.type === "add" ? (blocking ? "block" : "allow") : blocking ? "unblock" : "disallow";
  return { kind, targetType: change.list.endsWith("-domain") ? "domain" : "actor", target: change.value };
}
