// pnpm bench:inbox — signed activities into a real node (`assembleNode`, the server's composition):
// POSTed to its inbox over HTTP, `concurrency` at a time; the node verifies each signature, handles
// the activity in the request (ADR 0190: the activity id stored for replay protection in the
// handler's transaction; queued only when the handler fails or too many are in hand) and answers
// 202. The activities are Undos of Follows the node does not hold, so the handler changes nothing
// else. Figures: each request's latency, activities handled per second, and the statements the
// node sent per activity outside transactions (the handler's transaction adds BEGIN, the id's
// INSERT, its one write and COMMIT).
//
// The honest bound, measured in the same run and interleaved round by round: the same kind of
// signed requests (signed beforehand, as the product's) POSTed with the same concurrency to a bare
// `node:http` route in the same process that verifies each signature with Fedify's verifyRequest
// (keys cached, as the node caches them) and inserts one row into the node's own database before it
// answers 202. So the bound does the essential work (HTTP, verification, a durable write) and
// nothing the product adds (JSON-LD, the handler's checks and transaction, logs and metrics).
//
// PGlite always, PostgreSQL too when DATABASE_URL is set. BENCH_ACTIVITIES (1000), BENCH_CONCURRENCY (8), BENCH_ROUNDS (4).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { getDocumentLoader } from "@fedify/fedify";
import { signRequest, verifyRequest, type KeyCache } from "@fedify/fedify/sig";
import { startFollowerSink, type FollowerSink } from "../../../activitypub/src/testing/follower-sink.ts";
import { benchBackends, inParallel, ms, percentile, printTable, startBenchNode, type Backend } from "./bench-node.ts";

const activities = Number(process.env.BENCH_ACTIVITIES ?? 1_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const perRound = Math.ceil(activities / rounds);

interface Signed {
  url: string;
  headers: [string, string][];
  body: string;
}

/** Signed Undos for `target`, made before any clock runs: signing is the senders' work. */
function signedUndos(senders: FollowerSink, target: string, count: number, tag: string): Promise<Signed[]> {
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
        new Request(target, { method: "POST", headers: { "content-type": "application/activity+json" }, body }),
        sender.privateKey!,
        new URL(sender.keyId),
      );
      return { url: target, headers: [...signed.headers], body };
    }),
  );
}

/** POSTs each request, `concurrency` at a time; returns each one's latency (ms). */
async function send(requests: readonly Signed[]): Promise<{ latencies: number[]; elapsed: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await inParallel(requests.length, concurrency, async (index) => {
    const request = requests[index]!;
    const sent = performance.now();
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    await response.body?.cancel();
    if (response.status !== 202) throw new Error(`a signed activity was answered ${response.status}`);
    latencies.push(performance.now() - sent);
  });
  return { latencies, elapsed: performance.now() - started };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Figures {
  accepted: number[];
  bound: number[];
  handledMs: number;
  boundMs: number;
  statements: number;
}

async function runOn(backend: Backend): Promise<Figures> {
  const bench = await startBenchNode("bochum", backend);
  const senders = await startFollowerSink({ followers: 10, servers: 1 });
  const db = bench.node.db;
  const inbox = `${bench.url}/actors/bochum/inbox`;

  // The bound's route: verify, insert, answer.
  const keys = new Map<string, Awaited<ReturnType<KeyCache["get"]>>>();
  const keyCache: KeyCache = { get: async (keyId) => keys.get(keyId.href), set: async (keyId, key) => void keys.set(keyId.href, key) };
  const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
  await db.query("CREATE TABLE bench_inbound (activity_id text PRIMARY KEY, actor_id text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())");
  const bare = createServer({ keepAlive: true }, (req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(new URL(req.url ?? "/", boundOrigin), { method: "POST", headers, body: new Uint8Array(body) });
      const key = await verifyRequest(request, { documentLoader, contextLoader: documentLoader, keyCache });
      if (!key) return void res.writeHead(401).end();
      const activity = JSON.parse(body.toString("utf8")) as { id: string };
      await db.query("INSERT INTO bench_inbound (activity_id, actor_id) VALUES ($1, $2)", [activity.id, key.id?.href ?? ""]);
      res.writeHead(202).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const boundOrigin = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const boundInbox = `${boundOrigin}/inbox`;

  const handled = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM federation_inbound_activities")).rows[0]!.n;
  // Checked every 20 ms, not at every turn of the timers: on PGlite the count shares the node's one
  // connection, and checking every 2 ms took a sizeable share of it from the product being measured.
  const handledReach = async (count: number, what: string) => {
    const deadline = Date.now() + 600_000;
    while ((await handled()) !== count) {
      if (Date.now() > deadline) throw new Error(`benchmark: ${what} did not happen within 600000 ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    // Warm-up: both fetch and cache each sender's key once, as in steady traffic.
    await send(await signedUndos(senders, inbox, senders.followers.length * 2, "warm"));
    await send(await signedUndos(senders, boundInbox, senders.followers.length * 2, "warm"));
    const base = senders.followers.length * 2;
    await handledReach(base, "the warm-up activities being handled");

    const figures: Figures = { accepted: [], bound: [], handledMs: 0, boundMs: 0, statements: 0 };
    for (let round = 0; round < rounds; round++) {
      const [product, bound] = await Promise.all([
        signedUndos(senders, inbox, perRound, `run${round}`),
        signedUndos(senders, boundInbox, perRound, `run${round}`),
      ]);
      bench.resetStatements();
      const started = performance.now();
      const accepted = await send(product);
      await handledReach(base + (round + 1) * perRound, "every activity being handled");
      figures.handledMs += performance.now() - started;
      figures.statements += bench.statements();
      figures.accepted.push(...accepted.latencies);
      const boundRun = await send(bound);
      figures.boundMs += boundRun.elapsed;
      figures.bound.push(...boundRun.latencies);
      console.log(
        `  ${backend} round ${round + 1}: handled ${perRound} in ${ms(performance.now() - started - boundRun.elapsed)}, bound ${ms(boundRun.elapsed)}`,
      );
    }
    return figures;
  } finally {
    bare.closeAllConnections();
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    await bench.close();
    await senders.close();
  }
}

const results: [Backend, Figures][] = [];
for (const backend of benchBackends()) results.push([backend, await runOn(backend)]);
for (const [backend, f] of results) {
  const total = perRound * rounds;
  const rate = (milliseconds: number) => (total * 1000) / milliseconds;
  printTable(`inbox on ${backend}: ${total} signed activities from 10 actors, ${concurrency} at a time, ${rounds} interleaved rounds`, [
    ["", "p50", "p95", "rate"],
    [
      `product: request answered 202 (verified, handled; ${(f.statements / total).toFixed(1)} statements outside transactions each)`,
      ms(percentile(f.accepted, 50)),
      ms(percentile(f.accepted, 95)),
      `handled ${rate(f.handledMs).toFixed(0)}/s`,
    ],
    ["bound: bare HTTP, verify + insert, answered 202", ms(percentile(f.bound, 50)), ms(percentile(f.bound, 95)), `${rate(f.boundMs).toFixed(0)}/s`],
    [
      "product / bound",
      `${(percentile(f.accepted, 50) / percentile(f.bound, 50)).toFixed(2)}×`,
      `${(percentile(f.accepted, 95) / percentile(f.bound, 95)).toFixed(2)}×`,
      `${(rate(f.handledMs) / rate(f.boundMs)).toFixed(2)} of the bound's rate`,
    ],
  ]);
}
