import {
  getAuthenticatedDocumentLoader,
  getDocumentLoader,
  kvCache,
  type AuthenticatedDocumentLoaderFactory,
  type DocumentLoader,
  type DocumentLoaderFactory,
  type KvStore,
} from "@fedify/fedify";
import type { FederationContextData } from "./federation.deps.ts";

/** A host is blocked when it or one of its parent domains is on the configured or stored block list. */
export async function isBlockedHost(data: Pick<FederationContextData, "blockedDomains" | "store">, host: string): Promise<boolean> {
  const hostname = host.toLowerCase().replace(/:\d+$/, "");
  const stored = await data.store.listBlockedDomains();
  const blocked = [...data.blockedDomains.map((domain) => domain.toLowerCase()), ...stored.map((block) => block.domain)];
  return blocked.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
}

export class BlockedDomainError extends Error {
  override name = "BlockedDomainError";
}

function refuseBlocked(data: Pick<FederationContextData, "blockedDomains" | "store">, loader: DocumentLoader): DocumentLoader {
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
  data: Pick<FederationContextData, "blockedDomains" | "store">,
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
    authenticatedDocumentLoaderFactory: (identity) =>
      refuseBlocked(data, getAuthenticatedDocumentLoader(identity, { allowPrivateAddress })),
  };
}
