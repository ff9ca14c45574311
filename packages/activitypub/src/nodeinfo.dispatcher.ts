import type { NodeInfoDispatcher } from "@fedify/fedify";
import type { FederationContextData } from "./federation.deps.ts";
import { WIRE_VERSION } from "./record-document.ts";

/** NodeInfo 2.1: one actor (the city), ActivityPub only, no sign-ups. */
export function createNodeInfoDispatcher(softwareVersion: string): NodeInfoDispatcher<FederationContextData> {
  return (ctx) => ({
    software: { name: "leitplanken", version: softwareVersion },
    protocols: ["activitypub"],
    openRegistrations: false,
    usage: { users: { total: 1, activeMonth: 1, activeHalfyear: 1 }, localPosts: 0, localComments: 0 },
    // The wire format it writes (FEDERATION.md, "Compatibility"), so that peers and operators see who runs what.
    metadata: { nodeName: ctx.data.city.name, municipalityId: ctx.data.city.municipalityId, wireVersion: `${WIRE_VERSION.major}.${WIRE_VERSION.minor}` },
  });
}
