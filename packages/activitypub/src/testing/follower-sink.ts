// Many fediverse followers on loopback HTTP servers, for delivery tests and benchmarks. Each
// follower is an actor with its own RSA key pair (Fedify signs requests with RSA only), an actor document
// and an inbox of its own (no shared inbox, so every follower gets its own delivery). Every POST
// to an inbox is verified with Fedify's `verifyRequest` before it counts; receipts are recorded
// raw, in arrival order, so duplicates stay visible.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportSpki, getDocumentLoader, type DocumentLoader } from "@fedify/fedify";
import { signRequest, verifyRequest, type KeyCache } from "@fedify/fedify/sig";
import type { CryptographicKey, Multikey } from "@fedify/vocab";
import type { FollowStore } from "@leitplanken/core";

export interface SinkFollower {
  index: number;
  actorId: string;
  inboxUrl: string;
  keyId: string;
  /** Null when the sink was started with `keys: false`. */
  privateKey: CryptoKey | null;
}

/** One verified POST to a follower's inbox. */
export interface SinkReceipt {
  follower: number;
  activityId: string;
  type: string;
  /** `Date.now()` when the body had been verified. */
  at: number;
  /** What the inbox answered. */
  status: number;
  /** The body as received, when the sink was started with `bodies: true`. */
  body?: string;
}

export interface FollowerSinkOptions {
  followers: number;
  /** Loopback servers the followers are spread over (round robin); default 1. */
  servers?: number;
  /** The status an inbox answers a verified delivery with; default 202. */
  respond?: (follower: SinkFollower, activity: { id?: string; type?: string }) => number;
  /** Runs after a delivery was recorded and before it is answered (the sender waits meanwhile). */
  beforeAnswer?: (receipt: SinkReceipt) => Promise<void> | void;
  /** Followers that only receive need no key pairs (making 1,000 takes seconds); default true. */
  keys?: boolean;
  /** Keep each receipt's body (a benchmark sends the same bytes in its bound); default false. */
  bodies?: boolean;
}

export interface FollowerSink {
  followers: SinkFollower[];
  /** Verified deliveries, in arrival order, duplicates included. */
  receipts: SinkReceipt[];
  /** POSTs whose signature did not verify (answered 401, not recorded as receipts). */
  refused: number;
  /** Sends a signed Follow of `targetActorId` from a follower to `targetInbox`; resolves with the response status. */
  follow(follower: SinkFollower, targetActorId: string, targetInbox: string): Promise<number>;
  /** POSTs an activity signed by the follower (draft-cavage, as Mastodon signs); resolves with the response status. */
  send(follower: SinkFollower, inbox: string, activity: Record<string, unknown>): Promise<number>;
  /** Unsigned POSTs the sink answers without any check (a benchmark's lower bound), counted here. */
  bareUrls: string[];
  bareReceived: number;
  close(): Promise<void>;
}

const ACTIVITY_JSON = "application/activity+json";

function memoryKeyCache(): KeyCache {
  const keys = new Map<string, CryptographicKey | Multikey | null>();
  return {
    get: async (keyId) => keys.get(keyId.href),
    set: async (keyId, key) => void keys.set(keyId.href, key),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

export async function startFollowerSink(options: FollowerSinkOptions): Promise<FollowerSink> {
  const serverCount = options.servers ?? 1;
  const servers = Array.from({ length: serverCount }, () => createServer({ keepAlive: true }));
  await Promise.all(servers.map(listen));
  const origins = servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  // 1024-bit keys: they only sign the followers' Follows, and 2048-bit ones take about 60 ms each to make.
  const rsa = { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
  const keyPairs = await Promise.all(
    Array.from({ length: options.followers }, () =>
      options.keys === false ? null : (crypto.subtle.generateKey(rsa, true, ["sign", "verify"]) as Promise<CryptoKeyPair>),
    ),
  );
  const publicKeyPems: (string | null)[] = [];
  const followers: SinkFollower[] = [];
  for (const [index, pair] of keyPairs.entries()) {
    const actorId = `${origins[index % serverCount]}/users/f${index}`;
    followers.push({ index, actorId, inboxUrl: `${actorId}/inbox`, keyId: `${actorId}#main-key`, privateKey: pair?.privateKey ?? null });
    publicKeyPems.push(pair ? await exportSpki(pair.publicKey) : null);
  }
  const byPath = new Map(followers.map((follower) => [new URL(follower.actorId).pathname, follower]));

  const documentLoader: DocumentLoader = getDocumentLoader({ allowPrivateAddress: true });
  const keyCache = memoryKeyCache();
  const sink: FollowerSink = {
    followers,
    receipts: [],
    refused: 0,
    bareUrls: origins.map((origin) => `${origin}/bare`),
    bareReceived: 0,
    follow(follower, targetActorId, targetInbox) {
      const id = `${follower.actorId}#follow/${crypto.randomUUID()}`;
      return sink.send(follower, targetInbox, { id, type: "Follow", actor: follower.actorId, object: targetActorId });
    },
    async send(follower, inbox, activity) {
      if (!follower.privateKey) throw new Error("this sink was started without keys");
      const body = JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", ...activity });
      const request = new Request(inbox, { method: "POST", headers: { "content-type": ACTIVITY_JSON }, body });
      const response = await fetch(await signRequest(request, follower.privateKey, new URL(follower.keyId)));
      await response.body?.cancel();
      return response.status;
    },
    async close() {
      await Promise.all(
        servers.map((server) => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
    },
  };

  const actorDocument = (follower: SinkFollower) => ({
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id: follower.actorId,
    type: "Person",
    preferredUsername: `f${follower.index}`,
    inbox: follower.inboxUrl,
    ...(publicKeyPems[follower.index]
      ? { publicKey: { id: follower.keyId, type: "CryptographicKey", owner: follower.actorId, publicKeyPem: publicKeyPems[follower.index] } }
      : {}),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, origin: string) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/bare" && req.method === "POST") {
      await readBody(req);
      sink.bareReceived++;
      return void res.writeHead(202).end();
    }
    const actorPath = url.pathname.replace(/\/inbox$/, "");
    const follower = byPath.get(actorPath);
    if (!follower) return void res.writeHead(404).end();
    if (req.method === "GET" && url.pathname === actorPath) {
      res.writeHead(200, { "content-type": ACTIVITY_JSON }).end(JSON.stringify(actorDocument(follower)));
      return;
    }
    if (req.method !== "POST" || url.pathname === actorPath) return void res.writeHead(405).end();
    const body = await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(url, { method: "POST", headers, body: new Uint8Array(body) });
    const key = await verifyRequest(request, { documentLoader, contextLoader: documentLoader, keyCache });
    if (!key) {
      sink.refused++;
      return void res.writeHead(401).end();
    }
    const activity = JSON.parse(body.toString("utf8")) as { id?: string; type?: string };
    const status = options.respond?.(follower, activity) ?? 202;
    const receipt: SinkReceipt = { follower: follower.index, activityId: String(activity.id), type: String(activity.type), at: Date.now(), status };
    if (options.bodies) receipt.body = body.toString("utf8");
    sink.receipts.push(receipt);
    await options.beforeAnswer?.(receipt);
    res.writeHead(status).end();
  };
  for (const [index, server] of servers.entries()) {
    server.on("request", (req, res) => {
      handle(req, res, origins[index]!).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  }
  return sink;
}

/**
 * Stores actors as accepted followers, as after a Follow: answering hundreds of Follows would take
 * a test seconds, and following itself is tested with real Follows elsewhere.
 */
export async function storeAcceptedFollowers(
  store: Pick<FollowStore, "saveFollower">,
  followers: readonly { actorId: string; inboxUrl: string }[],
): Promise<void> {
  for (const follower of followers) {
    await store.saveFollower({
      actorId: follower.actorId,
      inboxUrl: follower.inboxUrl,
      sharedInboxUrl: null,
      followActivityId: `${follower.actorId}#follow`,
      state: "accepted",
    });
  }
}
