import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createFederation, MAX_INBOUND_BODY_BYTES } from "../../packages/activitypub/src/index.ts";
import { startNode, type TestNode } from "./harness.ts";

const AP = { accept: "application/activity+json" };

describe("a single node", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ handle: "dortmund" });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("serves the city as an Organization with its RSA key and its Ed25519 key as assertion method", async () => {
    const response = await fetch(node.actorUrl, { headers: AP });
    expect(response.status).toBe(200);
    const text = await response.text();
    const actor = JSON.parse(text);
    expect(actor).toMatchObject({
      id: node.actorUrl,
      type: "Organization",
      preferredUsername: "dortmund",
      name: "Stadt dortmund",
      url: "https://dortmund.example/",
      inbox: `${node.actorUrl}/inbox`,
      outbox: `${node.actorUrl}/outbox`,
      followers: `${node.actorUrl}/followers`,
      following: `${node.actorUrl}/following`,
      endpoints: { sharedInbox: `${node.origin}/inbox` },
    });
    expect(actor.attachment).toContainEqual({ type: "PropertyValue", name: "municipalityId", value: "id-dortmund" });
    expect(actor.publicKey.publicKeyPem).toContain("BEGIN PUBLIC KEY");
    const assertionMethods = [actor.assertionMethod].flat();
    expect(assertionMethods).toHaveLength(1);
    expect(assertionMethods[0]).toMatchObject({ type: "Multikey", controller: node.actorUrl });
    expect(assertionMethods[0].publicKeyMultibase).toMatch(/^z6Mk/); // Ed25519 multicodec prefix
    // The private halves stay in the database: nothing secret in the public document.
    const stored = await node.deps.store.listKeyPairs();
    for (const pair of stored) expect(text).not.toContain(String(pair.privateKeyJwk.d));
  });

  it("keeps its key pairs across restarts", async () => {
    const before = await node.deps.store.listKeyPairs();
    await createFederation(node.deps);
    const after = await node.deps.store.listKeyPairs();
    expect(after.map((pair) => pair.algorithm).sort()).toEqual(["Ed25519", "RSASSA-PKCS1-v1_5"]);
    expect(after.map((pair) => pair.publicKeyJwk)).toEqual(before.map((pair) => pair.publicKeyJwk));
  });

  it("answers WebFinger for its handle and NodeInfo 2.1", async () => {
    const host = new URL(node.origin).host;
    const webfinger = await fetch(`${node.origin}/.well-known/webfinger?resource=acct:dortmund@${host}`);
    expect(webfinger.status).toBe(200);
    const jrd = await webfinger.json();
    expect(jrd.links).toContainEqual(expect.objectContaining({ rel: "self", type: "application/activity+json", href: node.actorUrl }));
    expect((await fetch(`${node.origin}/.well-known/webfinger?resource=acct:nobody@${host}`)).status).toBe(404);

    const links = await (await fetch(`${node.origin}/.well-known/nodeinfo`)).json();
    expect(links.links[0].href).toBe(`${node.origin}/nodeinfo/2.1`);
    const nodeinfo = await (await fetch(`${node.origin}/nodeinfo/2.1`)).json();
    expect(nodeinfo).toMatchObject({
      version: "2.1",
      software: { name: "leitplanken" },
      protocols: ["activitypub"],
      metadata: { municipalityId: "id-dortmund" },
    });
  });

  it("passes requests it does not own to the next handler with their body untouched", async () => {
    // The API behind the federation reads the whole body (its padding included)…
    const query = JSON.stringify({ query: "{ __typename }", extensions: { pad: "x".repeat(MAX_INBOUND_BODY_BYTES / 2) } });
    const answered = await fetch(`${node.origin}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: query });
    expect(await answered.json()).toMatchObject({ data: { __typename: "Query" } });
    // …and answers a body over its own limit itself.
    const response = await fetch(`${node.origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(2 * MAX_INBOUND_BODY_BYTES),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: "PAYLOAD_TOO_LARGE" } }] });
    expect((await fetch(`${node.origin}/actors/somebody-else`, { headers: AP })).status).toBe(404);
  });

  it("refuses inbox bodies over 1 MB with 413 and stores nothing", async () => {
    const huge = JSON.stringify({ type: "Follow", actor: "http://127.0.0.1:1/a", object: node.actorUrl, pad: "x".repeat(MAX_INBOUND_BODY_BYTES) });
    const response = await fetch(`${node.actorUrl}/inbox`, { method: "POST", headers: { "content-type": "application/activity+json" }, body: huge });
    expect(response.status).toBe(413);
    // Without a Content-Length (chunked), the limit is enforced while reading.
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(huge));
        c.close();
      },
    });
    const streamed = await fetch(`${node.actorUrl}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: chunked,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await node.deps.store.listFollowers()).toEqual([]);
  });

  it("refuses an unsigned Follow and stores nothing", async () => {
    const response = await fetch(`${node.actorUrl}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify({
        "@context": "https://www.w3.org/ns/activitystreams",
        id: "http://127.0.0.1:1/f",
        type: "Follow",
        actor: "http://127.0.0.1:1/a",
        object: node.actorUrl,
      }),
    });
    expect(response.status).toBe(401);
    expect(await node.deps.store.listFollowers()).toEqual([]);
  });
});
