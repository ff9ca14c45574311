import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { ActorKeyAlgorithm, ActorKeyPairStore } from "@leitplanken/core";

// RSA first: Fedify signs HTTP requests with the first key it gets, and Mastodon only verifies RSA.
const ALGORITHMS: readonly ActorKeyAlgorithm[] = ["RSASSA-PKCS1-v1_5", "Ed25519"];

/**
 * Generates the actor's missing key pairs on first start and stores them. The store keeps
 * the first pair written, so concurrent starts end with the same keys.
 */
export async function ensureActorKeyPairs(store: ActorKeyPairStore): Promise<void> {
  const existing = new Set((await store.listKeyPairs()).map((pair) => pair.algorithm));
  for (const algorithm of ALGORITHMS) {
    if (existing.has(algorithm)) continue;
    const pair = await generateCryptoKeyPair(algorithm);
    await store.saveKeyPairIfAbsent({
      algorithm,
      publicKeyJwk: await exportJwk(pair.publicKey),
      privateKeyJwk: await exportJwk(pair.privateKey),
    });
  }
}

const loadedKeyPairs = new WeakMap<ActorKeyPairStore, Promise<CryptoKeyPair[]>>();

/**
 * The stored key pairs as CryptoKeys, RSA first; the private keys stay in memory only. Loaded
 * once per store: the pairs never change once made, and Fedify asks for them several times
 * per activity (importing a 4096-bit RSA key each time cost milliseconds).
 */
export function loadActorKeyPairs(store: ActorKeyPairStore): Promise<CryptoKeyPair[]> {
  let loaded = loadedKeyPairs.get(store);
  if (!loaded) {
    loaded = importActorKeyPairs(store);
    loadedKeyPairs.set(store, loaded);
    // A failed read or one before the keys were made is not remembered: the next request reads again.
    loaded.then(
      (pairs) => pairs.length === 0 && loadedKeyPairs.delete(store),
      () => loadedKeyPairs.delete(store),
    );
  }
  return loaded;
}

async function importActorKeyPairs(store: ActorKeyPairStore): Promise<CryptoKeyPair[]> {
  const stored = await store.listKeyPairs();
  const ordered = ALGORITHMS.flatMap((algorithm) => stored.filter((pair) => pair.algorithm === algorithm));
  return Promise.all(
    ordered.map(async (pair) => ({
      publicKey: await importJwk(pair.publicKeyJwk, "public"),
      privateKey: await importJwk(pair.privateKeyJwk, "private"),
    })),
  );
}
