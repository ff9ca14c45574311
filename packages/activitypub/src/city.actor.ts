import type { ActorDispatcher, ActorKeyPairsDispatcher, Context } from "@fedify/fedify";
import { Endpoints, Organization, PropertyValue } from "@fedify/vocab";
import { loadActorKeyPairs } from "./actor-keys.ts";
import type { FederationContextData } from "./federation.deps.ts";

/** The profile field that carries the municipality id (documented in FEDERATION.md). */
export const MUNICIPALITY_ID_FIELD = "municipalityId";

/** Our city's actor IRI. */
export const cityActorUri = (ctx: Context<FederationContextData>): URL => ctx.getActorUri(ctx.data.city.handle);

/** The node has exactly one actor: the city's Organization. */
export const dispatchCityActor: ActorDispatcher<FederationContextData> = async (ctx, identifier) => {
  const city = ctx.data.city;
  if (identifier !== city.handle) return null;
  const keys = await ctx.getActorKeyPairs(identifier);
  const rsaKey = keys.find((key) => key.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5");
  return new Organization({
    id: ctx.getActorUri(identifier),
    preferredUsername: city.handle,
    name: city.name,
    summary: city.summary ?? null,
    url: new URL(city.website),
    inbox: ctx.getInboxUri(identifier),
    outbox: ctx.getOutboxUri(identifier),
    followers: ctx.getFollowersUri(identifier),
    following: ctx.getFollowingUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    manuallyApprovesFollowers: false,
    // Fedify drops unknown properties on known types, so the id travels as a profile field
    // (which Mastodon also shows).
    attachments: [new PropertyValue({ name: MUNICIPALITY_ID_FIELD, value: city.municipalityId }), new PropertyValue({ name: "website", value: city.website })],
    publicKey: rsaKey?.cryptographicKey ?? null,
    // The Ed25519 key signs FEP-8b32 proofs; verifiers look it up here.
    assertionMethods: keys.filter((key) => key.privateKey.algorithm.name === "Ed25519").map((key) => key.multikey),
  });
};

export const dispatchCityKeyPairs: ActorKeyPairsDispatcher<FederationContextData> = async (ctx, identifier) =>
  identifier === ctx.data.city.handle ? loadActorKeyPairs(ctx.data.store) : [];
