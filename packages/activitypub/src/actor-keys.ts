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

/** The stored key pairs as CryptoKeys, RSA first; the private keys stay in memory only. */
export async function loadActorKeyPairs(store: ActorKeyPairStore): Promise<CryptoKeyPair[]> {
  const stored = await store.listKeyPairs();
  const ordered = ALGORITHMS.flatMap((algorithm) => stored.filter((pair) => pair.algorithm === algorithm));
  return Promise.all(
    ordered.map(async (pair) => ({
      publicKey: await importJwk(pair.publicKeyJwk, "public"),
      privateKey: await importJwk(pair.privateKeyJwk, "private"),
    })),
  );
}
