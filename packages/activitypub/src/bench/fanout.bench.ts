// pnpm bench:fanout — one publication to 1,000 follower inboxes on loopback sink servers that
// verify every signature: the time until all are delivered, against a lower bound measured in
// the same run: 1,000 signatures plus 1,000 bare POSTs with the same concurrency (one queue
// worker delivers one message at a time, so: one after the other). BENCH_FOLLOWERS changes the count.
import { signRequest } from "@fedify/fedify/sig";
import { importJwk } from "@fedify/fedify";
import { demoRecords, recordIri } from "@leitplanken/core";
import { startBenchNode } from "../testing/bench-node.ts";
import { startFollowerSink, storeAcceptedFollowers } from "../testing/follower-sink.ts";
import { inParallel, printTable, seconds, until } from "./bench-table.ts";

const followers = Number(process.env.BENCH_FOLLOWERS ?? 1_000);
const node = await startBenchNode("attendorn");
const sink = await startFollowerSink({ followers, servers: 4, keys: false });
try {
  await storeAcceptedFollowers(node.deps.store, sink.followers);
  const [model] = demoRecords({ actor: node.actorUrl, iri: (kind, slug) => recordIri(node.origin, kind, slug.replace("/", ".")), now: new Date() }).models;
  // Registered as a draft; publishing it is what the benchmark times.
  await node.app.records.seedRecords({ guidelines: [], useCases: [], models: [{ ...model!, state: "draft" }] });

  const delivered = (type: "record" | "note") =>
    new Set(
      sink.receipts
        .filter((receipt) => receipt.type === "Create" && receipt.activityId.includes("#note-") === (type === "note"))
        .map((receipt) => receipt.follower),
    ).size;
  const started = performance.now();
  const published = await node.app.models.publish({ id: model!.id }, { name: "Bench Editor", role: "editor" });
  if (!published.ok) throw new Error(`the model was not published: ${published.error.type}`);
  await until(() => delivered("record") === followers, 300_000, "the record's Create reaching every follower");
  const recordMs = performance.now() - started;
  await until(() => delivered("note") === followers, 300_000, "the Note's Create reaching every follower");
  const allMs = performance.now() - started;

  // The lower bound: the node's own RSA key signs (RFC 9421, what the deliveries used) a body of
  // the same kind, and each signed request is POSTed to a sink route that checks nothing.
  const rsa = (await node.deps.store.listKeyPairs()).find((pair) => pair.algorithm === "RSASSA-PKCS1-v1_5")!;
  const privateKey = await importJwk(rsa.privateKeyJwk, "private");
  const keyId = new URL(`${node.actorUrl}#main-key`);
  const body = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${node.actorUrl}#create/${crypto.randomUUID()}`,
    type: "Create",
    actor: node.actorUrl,
    object: model!.id,
    to: "https://www.w3.org/ns/activitystreams#Public",
    cc: `${node.actorUrl}/followers`,
  });
  const boundStarted = performance.now();
  await inParallel(followers, 1, async (index) => {
    const url = sink.bareUrls[index % sink.bareUrls.length]!;
    const request = new Request(url, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
    const response = await fetch(await signRequest(request, privateKey, keyId, { spec: "rfc9421" }));
    await response.body?.cancel();
  });
  const boundMs = performance.now() - boundStarted;
  if (sink.bareReceived !== followers) throw new Error(`the sink counted ${sink.bareReceived} bare POSTs, expected ${followers}`);

  printTable(`fanout: one publication to ${followers} follower inboxes (4 loopback sinks verifying every signature; one queue worker)`, [
    ["", "time", "per inbox"],
    [`record Create at all ${followers}`, seconds(recordMs), `${(recordMs / followers).toFixed(2)} ms`],
    [`+ Note Create at all ${followers}`, seconds(allMs), `${(allMs / (2 * followers)).toFixed(2)} ms per delivery`],
    [`lower bound: ${followers} signatures + bare POSTs`, seconds(boundMs), `${(boundMs / followers).toFixed(2)} ms`],
    ["ratio (record Create / lower bound)", `${(recordMs / boundMs).toFixed(2)}×`, ""],
  ]);
  if (sink.refused > 0) throw new Error(`${sink.refused} deliveries did not verify`);
} finally {
  await node.stop();
  await sink.close();
}
