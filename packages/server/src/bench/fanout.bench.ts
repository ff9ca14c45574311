// pnpm bench:fanout — one publication to 1,000 followers: a real node (`assembleNode`, the server's
// composition) registers and publishes a model through its GraphQL API over HTTP, and its queue
// delivers the record's Create to 1,000 follower inboxes on 50 loopback servers (hosts) that verify
// every signature. The figure per inbox: publish request sent → that inbox verified the Create.
// Fedify orders deliveries about one object per receiving host (its ordering key: the object and the
// inbox's origin), so deliveries to one host go one after the other: 1,000 inboxes on four hosts
// allowed four deliveries at a time whatever the node's concurrency; 20 inboxes per host (small
// servers without a shared inbox) leave the node's concurrency to decide.
//
// The honest bound, measured in the same run and interleaved round by round (same machine load):
// the same bytes (a body the product delivered, byte for byte), signed per inbox with the node's
// own RSA key (RFC 9421, as the deliveries are), POSTed to the same verifying inboxes with the
// node's delivery concurrency; the figure per inbox: bound started → that inbox answered. So the
// bound does what a delivery must (sign, send, the receiver verifies), and nothing the product
// adds (queueing, the outbox, building the activity, retries' bookkeeping).
//
// PGlite always, PostgreSQL too when DATABASE_URL is set. BENCH_FOLLOWERS (1000), BENCH_HOSTS (50), BENCH_ROUNDS (3).
import { importJwk } from "@fedify/fedify";
import { signRequest } from "@fedify/fedify/sig";
import { createFederationRepository, defaultQueueConcurrency } from "@leitplanken/db";
import { startFollowerSink, storeAcceptedFollowers } from "../../../activitypub/src/testing/follower-sink.ts";
import { benchBackends, inParallel, ms, percentile, printTable, startBenchNode, until, type Backend } from "./bench-node.ts";

const followers = Number(process.env.BENCH_FOLLOWERS ?? 1_000);
const hosts = Number(process.env.BENCH_HOSTS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const register = `mutation ($input: ModelInput!) { registerModel(input: $input) { __typename ... on ModelSuccess { model { id state } } } }`;
const modelInput = (name: string) => ({
  name: { de: name, en: name },
  version: "1.0.0",
  licence: "Apache-2.0",
  architecture: "Decoder-only transformer",
  parameterCount: 7_200_000_000,
  languages: ["de", "en"],
  intendedUse: { de: "Antworten auf Fragen zu Verwaltungsleistungen." },
  outOfScopeUse: { de: "Entscheidungen über Anträge." },
  trainingData: { de: "Öffentliche Texte der Verwaltung." },
  limitations: { de: "Kann irren; Antworten werden geprüft." },
  sovereignty: {
    openWeights: true,
    osiOpenSourceAi: "NOT_ASSESSED",
    weightsLocation: "Rechenzentrum",
    hosting: "MUNICIPAL_DATA_CENTRE",
    operatorJurisdiction: "DE",
  },
  maintainers: [{ name: "KI-Team" }],
});

interface Figures {
  product: number[];
  bound: number[];
  publishRequest: number[];
  bodyBytes: number;
  concurrency: number;
  productAll: number[];
  boundAll: number[];
}

async function runOn(backend: Backend): Promise<Figures> {
  const bench = await startBenchNode("attendorn", backend);
  const sink = await startFollowerSink({ followers, servers: hosts, keys: false, bodies: true });
  try {
    const store = createFederationRepository(bench.node.db);
    await storeAcceptedFollowers(store, sink.followers);
    const concurrency = bench.node.config.queueConcurrency.outbox ?? defaultQueueConcurrency().outbox;
    const rsa = (await store.listKeyPairs()).find((pair) => pair.algorithm === "RSASSA-PKCS1-v1_5")!;
    const privateKey = await importJwk(rsa.privateKeyJwk, "private");
    const actor = `${bench.url}/actors/attendorn`;
    const keyId = new URL(`${actor}#main-key`);
    const figures: Figures = { product: [], bound: [], publishRequest: [], bodyBytes: 0, concurrency, productAll: [], boundAll: [] };

    for (let round = 0; round <= rounds; round++) {
      // Round 0 warms up (keys imported, connections opened, code compiled) and is not counted.
      const counted = round > 0;
      const from = sink.receipts.length;
      const started = Date.now();
      const published = await bench.graphql<{ registerModel: { __typename: string; model?: { id: string } } }>(register, {
        input: modelInput(`Bench-Modell ${round}`),
      });
      const requestMs = Date.now() - started;
      if (published.registerModel.__typename !== "ModelSuccess") throw new Error(`registerModel answered ${published.registerModel.__typename}`);
      const modelId = published.registerModel.model!.id;
      // Receipts are read once each, as they arrive: rescanning all of them (3.5 KB bodies) on every
      // check cost the node's thread seconds per round, which the product's figures then carried.
      const firstPerFollower = new Map<number, number>();
      const notes = new Set<number>();
      let body: string | undefined;
      let scanned = from;
      const scan = () => {
        for (; scanned < sink.receipts.length; scanned++) {
          const receipt = sink.receipts[scanned]!;
          if (receipt.type !== "Create") continue;
          if (receipt.activityId.includes("#note-")) notes.add(receipt.follower);
          else if (!firstPerFollower.has(receipt.follower) && receipt.body?.includes(`"${modelId}"`)) {
            firstPerFollower.set(receipt.follower, receipt.at - started);
            body ??= receipt.body;
          }
        }
      };
      await until(() => (scan(), firstPerFollower.size === followers), 600_000, `the record's Create reaching all ${followers} followers`);
      // Everything else the publication sends (the Note) is delivered before the bound runs.
      await until(() => (scan(), notes.size === followers), 600_000, `the Note reaching all ${followers} followers`);
      await until(
        async () => (await bench.node.db.query<{ n: number }>("SELECT count(*)::int AS n FROM fedify_queue")).rows[0]!.n === 0,
        600_000,
        "the queue emptying",
      );
      const productSamples = [...firstPerFollower.values()];

      // The bound: the same body to every inbox, signed for each, verified by each.
      const boundSamples: number[] = [];
      const boundStarted = Date.now();
      await inParallel(followers, concurrency, async (index) => {
        const inbox = sink.followers[index]!.inboxUrl;
        const request = new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body: body! });
        const response = await fetch(await signRequest(request, privateKey, keyId, { spec: "rfc9421" }));
        await response.body?.cancel();
        if (response.status !== 202) throw new Error(`the bound's delivery answered ${response.status}`);
        boundSamples.push(Date.now() - boundStarted);
      });
      if (counted) {
        figures.product.push(...productSamples);
        figures.bound.push(...boundSamples);
        figures.productAll.push(Math.max(...productSamples));
        figures.boundAll.push(Math.max(...boundSamples));
        figures.publishRequest.push(requestMs);
        figures.bodyBytes = Buffer.byteLength(body!);
      }
      console.log(
        `  ${backend} round ${round}${counted ? "" : " (warm-up)"}: product all delivered ${ms(Math.max(...productSamples))}, bound ${ms(Math.max(...boundSamples))}, publish request ${ms(requestMs)}`,
      );
    }
    if (sink.refused > 0) throw new Error(`${sink.refused} deliveries did not verify`);
    return figures;
  } finally {
    await bench.close();
    await sink.close();
  }
}

const results: [Backend, Figures][] = [];
for (const backend of benchBackends()) results.push([backend, await runOn(backend)]);
for (const [backend, f] of results) {
  const [p50, p95, b50, b95] = [percentile(f.product, 50), percentile(f.product, 95), percentile(f.bound, 50), percentile(f.bound, 95)];
  printTable(
    `fanout on ${backend}: a model published over GraphQL to ${followers} verifying inboxes on ${hosts} hosts, ${rounds} rounds (${f.product.length} deliveries each side), ` +
      `${f.bodyBytes} B per delivery, ${f.concurrency} deliveries at a time`,
    [
      ["", "p50", "p95", "max"],
      ["publish → inbox verified the Create (product)", ms(p50), ms(p95), ms(Math.max(...f.product))],
      ["bound: same bytes, signed, verified, same concurrency", ms(b50), ms(b95), ms(Math.max(...f.bound))],
      ["ratio product / bound", `${(p50 / b50).toFixed(2)}×`, `${(p95 / b95).toFixed(2)}×`, `${(Math.max(...f.product) / Math.max(...f.bound)).toFixed(2)}×`],
      [
        "registerModel request (answers before fan-out)",
        ms(percentile(f.publishRequest, 50)),
        ms(percentile(f.publishRequest, 95)),
        ms(Math.max(...f.publishRequest)),
      ],
    ],
  );
}
