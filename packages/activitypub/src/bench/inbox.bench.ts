// pnpm bench:inbox — signed activities per second that a node accepts (signature verified,
// stored in its durable queue, answered 202) and then handles (the activity id recorded for
// replay protection), against a lower bound measured in the same run: bare signature
// verification (Fedify's verifyRequest, keys cached) plus one insert per activity, with the
// same concurrency. The activities are Undos of Follows the node does not hold: the handler
// records the id and changes nothing else. BENCH_ACTIVITIES and BENCH_CONCURRENCY change the load.
import { getDocumentLoader } from "@fedify/fedify";
import { verifyRequest, type KeyCache } from "@fedify/fedify/sig";
import type { CryptographicKey, Multikey } from "@fedify/vocab";
import { signRequest } from "@fedify/fedify/sig";
import { startBenchNode } from "../testing/bench-node.ts";
import { startFollowerSink } from "../testing/follower-sink.ts";
import { inParallel, printTable, seconds, until } from "./bench-table.ts";

const activities = Number(process.env.BENCH_ACTIVITIES ?? 1_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const node = await startBenchNode("bochum");
const senders = await startFollowerSink({ followers: 10, servers: 1 });
const inbox = `${node.actorUrl}/inbox`;

/** Signed requests made before any clock runs: signing is the senders' work, not the node's. */
async function signedUndos(count: number, tag: string) {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const sender = senders.followers[index % senders.followers.length]!;
      const body = JSON.stringify({
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${sender.actorId}#undo/${tag}/${index}`,
        type: "Undo",
        actor: sender.actorId,
        object: `${sender.actorId}#follow/${tag}/${index}`,
      });
      const signed = await signRequest(
        new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body }),
        sender.privateKey!,
        new URL(sender.keyId),
      );
      return { headers: [...signed.headers], body };
    }),
  );
}

const inboundCount = async () => (await node.db.query<{ total: number }>("SELECT count(*) AS total FROM federation_inbound_activities")).rows[0]!.total;

try {
  // Warm-up: the node fetches and caches each sender's key once, as it would in steady traffic.
  for (const request of await signedUndos(senders.followers.length, "warm")) {
    const response = await fetch(inbox, { method: "POST", headers: request.headers, body: request.body });
    if (response.status !== 202) throw new Error(`warm-up delivery answered ${response.status}`);
  }
  await until(async () => (await inboundCount()) === senders.followers.length, 60_000, "the warm-up activities being handled");

  const requests = await signedUndos(activities, "run");
  const started = performance.now();
  let accepted = 0;
  await inParallel(activities, concurrency, async (index) => {
    const response = await fetch(inbox, { method: "POST", headers: requests[index]!.headers, body: requests[index]!.body });
    await response.body?.cancel();
    if (response.status === 202) accepted++;
  });
  const acceptedMs = performance.now() - started;
  if (accepted !== activities) throw new Error(`${activities - accepted} activities were not accepted`);
  await until(async () => (await inboundCount()) === senders.followers.length + activities, 600_000, "every activity being handled");
  const handledMs = performance.now() - started;

  // The lower bound on the same requests: verify each signature with the keys cached, insert one row.
  const keys = new Map<string, CryptographicKey | Multikey | null>();
  const keyCache: KeyCache = { get: async (keyId) => keys.get(keyId.href), set: async (keyId, key) => void keys.set(keyId.href, key) };
  const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
  const verify = (index: number) =>
    verifyRequest(new Request(inbox, { method: "POST", headers: requests[index]!.headers, body: requests[index]!.body }), {
      documentLoader,
      contextLoader: documentLoader,
      keyCache,
    });
  for (let index = 0; index < senders.followers.length; index++) await verify(index); // fill the key cache
  await node.db.query("CREATE TABLE bench_inbound (activity_id text PRIMARY KEY, actor_id text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())");
  const boundStarted = performance.now();
  await inParallel(activities, concurrency, async (index) => {
    const key = await verify(index);
    if (!key) throw new Error("a signature did not verify in the lower bound");
    await node.db.query("INSERT INTO bench_inbound (activity_id, actor_id) VALUES ($1, $2)", [`${index}`, key.id?.href ?? ""]);
  });
  const boundMs = performance.now() - boundStarted;

  const perSecond = (milliseconds: number) => `${Math.round((activities * 1000) / milliseconds)}/s`;
  printTable(`inbox: ${activities} signed activities from ${senders.followers.length} actors, ${concurrency} at a time, into one node (PGlite)`, [
    ["", "time", "rate"],
    ["accepted (verified, queued, 202)", seconds(acceptedMs), perSecond(acceptedMs)],
    ["handled (activity id stored)", seconds(handledMs), perSecond(handledMs)],
    ["lower bound: verification + insert", seconds(boundMs), perSecond(boundMs)],
    ["ratio (handled / lower bound)", `${(handledMs / boundMs).toFixed(2)}×`, ""],
  ]);
} finally {
  await node.stop();
  await senders.close();
}
