import { createHash } from "node:crypto";
import canonicalizeModule from "canonicalize";
import { encodeMultibase, fetchKeyDetailed, verifyProof, type Context, type KeyCache } from "@fedify/fedify";
import { DataIntegrityProof, Multikey } from "@fedify/vocab";
import { classifyFetchFailure, classifyHttpStatus, TransientFetchError } from "./fetch-failure.ts";
import type { FederationContextData } from "./federation.deps.ts";
import type { CityFederation } from "./federation.ts";

export type JsonDocument = Record<string, unknown>;

// A CommonJS module whose typings declare an ES default export: at runtime the import is the function.
const canonicalize = canonicalizeModule as unknown as typeof canonicalizeModule.default;

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/**
 * Signs a raw record document with a FEP-8b32 `DataIntegrityProof` (`eddsa-jcs-2022`) made
 * with the city's Ed25519 key. Fedify's own signer takes only vocabulary objects, and records
 * are not ActivityStreams types, hence this small signer (verify with Fedify's `verifyProof`).
 */
export async function signRecord(
  federation: CityFederation,
  data: FederationContextData & { origin: string },
  document: JsonDocument,
  created: Date = new Date(),
): Promise<JsonDocument> {
  const ctx = federation.createContext(new URL(data.origin), data);
  const keys = await ctx.getActorKeyPairs(data.city.handle);
  const ed25519 = keys.find((key) => key.privateKey.algorithm.name === "Ed25519");
  if (!ed25519?.multikey.id) throw new Error("the city has no Ed25519 key to sign records with");
  const { proof: _previous, ...unsigned } = document;
  const proofOptions = {
    "@context": unsigned["@context"],
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-jcs-2022",
    verificationMethod: ed25519.multikey.id.href,
    proofPurpose: "assertionMethod",
    // Fedify reparses `created` with Temporal; whole seconds keep both sides identical.
    created: created.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  const hashData = Buffer.concat([sha256(canonicalize(proofOptions)!), sha256(canonicalize(unsigned)!)]);
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", ed25519.privateKey, hashData));
  const { "@context": _context, ...proof } = proofOptions;
  return { ...unsigned, proof: { ...proof, proofValue: new TextDecoder().decode(encodeMultibase("base58btc", signature)) } };
}

/**
 * Verifies a record's FEP-8b32 proof with Fedify, fetching the signer's key (with the block
 * list in front); returns the verifying Multikey, or null when the proof is missing or wrong.
 */
export async function verifyRecordProof(
  federation: CityFederation,
  data: FederationContextData & { origin: string },
  document: JsonDocument,
): Promise<Multikey | null> {
  return verifyRecordProofIn(federation.createContext(new URL(data.origin), data), document);
}

/**
 * `verifyRecordProof` inside a running Fedify context (an inbox handler). The signer's key is
 * fetched first: when that fails for a reason that may pass (network, 5xx), it throws
 * `TransientFetchError` (the activity is retried), because a key that could not be fetched is
 * not a forged proof. A key that is not there (404, 410, not the actor's) is: null.
 */
export async function verifyRecordProofIn(ctx: Context<FederationContextData>, document: JsonDocument): Promise<Multikey | null> {
  if (typeof document.proof !== "object" || document.proof === null) return null;
  const loaders = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
  let proof: DataIntegrityProof;
  try {
    proof = await DataIntegrityProof.fromJsonLd({ "@context": "https://w3id.org/security/data-integrity/v1", ...document.proof }, loaders);
  } catch {
    return null;
  }
  const keyId = proof.verificationMethodId;
  if (!keyId) return null;
  const fetched = await fetchKeyDetailed(keyId, Multikey, loaders);
  if (!fetched.key) {
    const failure =
      fetched.fetchError && ("status" in fetched.fetchError ? classifyHttpStatus(fetched.fetchError.status) : classifyFetchFailure(fetched.fetchError.error));
    if (failure?.kind === "transient") throw new TransientFetchError(keyId.href, failure.reason);
    return null;
  }
  // Verified with the key just fetched (Fedify would otherwise fetch it again).
  const key = fetched.key;
  const keyCache: KeyCache = { get: async (id) => (id.href === keyId.href ? key : undefined), set: async () => {} };
  try {
    return await verifyProof(document, proof, { ...loaders, keyCache });
  } catch {
    return null;
  }
}
