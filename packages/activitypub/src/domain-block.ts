import {
  getAuthenticatedDocumentLoader,
  getDocumentLoader,
  kvCache,
  type AuthenticatedDocumentLoaderFactory,
  type DocumentLoader,
  type DocumentLoaderFactory,
  type KvStore,
} from "@fedify/fedify";
import { domainEntryCovers, emptyTrustLists, trustDecision, type TrustDecision, type TrustLists, type TrustMode } from "@leitplanken/core";
import type { FederationContextData } from "./federation.deps.ts";

/** The node's trust mode and lists: configured and stored domain blocks, plus the catalog port's mode and lists when there is one. */
export async function nodeTrust(data: TrustData): Promise<NodeTrust> {
  const stored = await data.store.listBlockedDomains();
  const settings = (await data.catalogs?.store.trustSettings({ type: "node" })) ?? { mode: "open" as const, lists: emptyTrustLists };
  const blockedDomains = [...data.blockedDomains, ...stored.map((block) => block.domain), ...settings.lists.blockedDomains];
  return { mode: settings.mode, lists: { ...settings.lists, blockedDomains } };
}

export interface NodeTrust {
  mode: TrustMode;
  lists: TrustLists;
}

type TrustData = Pick<FederationContextData, "blockedDomains" | "store" | "catalogs">;

/**
 * A host is refused when it or one of its parent domains is blocked (configured or stored;
 * `host:port` entries block one port), or when the node runs in allowlist mode and neither the
 * host nor an actor on it is listed.
 */
export function hostRefused({ mode, lists }: NodeTrust, host: string): boolean {
  if (!URL.canParse(`https://${host}`)) return true;
  const url = new URL(`https://${host}`);
  if (lists.blockedDomains.some((entry) => domainEntryCovers(entry, url))) return true;
  if (mode === "open") return false;
  const listed =
    lists.allowedDomains.some((entry) => domainEntryCovers(entry, url)) ||
    lists.allowedActors.some((actor) => URL.canParse(actor) && new URL(actor).host === url.host);
  return !listed;
}

/** `hostRefused` with the node's current trust. */
export async function isBlockedHost(data: TrustData, host: string): Promise<boolean> {
  return hostRefused(await nodeTrust(data), host);
}

/** Core's `trustDecision` for an actor with the node's mode and lists: actor blocks too, not only domains. */
export async function nodeTrustDecision(data: TrustData, actorIri: string): Promise<TrustDecision> {
  const { mode, lists } = await nodeTrust(data);
  return trustDecision(mode, lists, actorIri);
}

export class BlockedDomainError extends Error {
  override name = "BlockedDomainError";
}

function refuseBlocked(data: TrustData, loader: DocumentLoader): DocumentLoader {
  return async (url, options) => {
    const host = new URL(url).host;
    if (await isBlockedHost(data, host)) throw new BlockedDomainError(`refusing to fetch ${url}: ${host} is blocked`);
    return loader(url, options);
  };
}

/**
 * Fedify's document loaders with the block list in front, so that no request (actor, key,
 * object) reaches a blocked domain; inbound activities signed with a blocked domain's key
 * therefore fail verification. Fedify refuses custom loaders together with its own
 * `allowPrivateAddress`, so the loaders carry that flag themselves.
 */
export function createDocumentLoaderFactories(
  data: TrustData,
  kv: KvStore,
  allowPrivateAddress: boolean,
): {
  documentLoaderFactory: DocumentLoaderFactory;
  contextLoaderFactory: DocumentLoaderFactory;
  authenticatedDocumentLoaderFactory: AuthenticatedDocumentLoaderFactory;
} {
  const cachedLoader = () => kvCache({ loader: getDocumentLoader({ allowPrivateAddress }), kv });
  return {
    documentLoaderFactory: () => refuseBlocked(data, cachedLoader()),
    // JSON-LD contexts come preloaded (the machine may be offline); no block check needed for them.
    contextLoaderFactory: cachedLoader,
    authenticatedDocumentLoaderFactory: (identity) => refuseBlocked(data, getAuthenticatedDocumentLoader(identity, { allowPrivateAddress })),
  };
}
