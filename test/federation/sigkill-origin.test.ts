// A real `leitplanken serve` process, the origin, is killed with SIGKILL around a publication and
// restarted on the same data folder (behind the same public origin); its follower, a node in this
// process, receives the record exactly once:
// (a) killed right after its GraphQL write answered 200, while the follower cannot have received
//     anything (its inbox holds every request unanswered, and those are dropped unhandled);
// (b) killed between save and delivery: the delivery has reached the follower, which handled it,
//     but the origin dies before it hears the answer, so after the restart it delivers the same
//     activity again, and the follower drops the repeat by its activity id (the handler's replay
//     check, before it fetches anything): one copy, stored once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type express from "express";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migratedDataFolder, runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { modelInput } from "../../packages/graphql/src/testing/records.fixture.ts";
import { eventually, logged, startNode, type TestNode } from "./harness.ts";
import { startOriginProxy } from "./origin-proxy.ts";

const metricsToken = "metrics-token-for-the-sigkill-test-0123456789";
const passedOn = "x-test-passed-on";

describe("SIGKILL of an origin around a publication", () => {
  let dataDir: string;
  let proxy: Awaited<ReturnType<typeof startOriginProxy>>;
  let origin: ServeProcess | undefined;
  let follower: TestNode;
  let env: Record<string, string>;
  let token: string;
  let actorUrl: string;
  /**
   * How the follower's inbox treats POSTs from the origin: handles them; holds them unanswered;
   * handles them but holds the answer; or handles them and notes the activity's id (`arrived`).
   */
  let inbox: "open" | "unanswered" | "answer-held" | "noted" = "open";
  const arrived: string[] = [];
  /** Called when a POST reached the follower's inbox while it is not open. */
  let onInboxPost: (() => void) | undefined;
  const unanswered: express.Response[] = [];

  /**
   * Reads the delivery, notes its activity's id and hands the very same request (its signature
   * covers host, date and digest) to the follower's inbox, answering with the follower's answer.
   * Fedify drops a repeated activity id before the node's handler sees it: this shows the repeat.
   */
  const noteAndPassOn = async (req: express.Request, res: express.Response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    arrived.push((JSON.parse(body.toString("utf8")) as { id: string }).id);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string" && name !== "connection") headers.set(name, value);
    headers.set(passedOn, "1");
    const answer = await fetch(`${follower.origin}${req.originalUrl}`, { method: "POST", headers, body });
    res.status(answer.status).send(await answer.text());
    return true;
  };
  const restartOrigin = async () => {
    origin = await startServeProcess(env);
    proxy.forwardTo(origin.url);
  };
  const registerModel = async (name: string) => {
    const response = await fetch(`${proxy.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: "mutation ($input: ModelInput!) { registerModel(input: $input) { __typename ... on ModelSuccess { model { id } } } }",
        variables: { input: modelInput(name) },
      }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { data: { registerModel: { __typename: string; model: { id: string } } } };
    expect(answer.data.registerModel.__typename).toBe("ModelSuccess");
    return answer.data.registerModel.model.id;
  };
  /** The origin has nothing left to deliver or relay (its own metrics, read directly as an operator would). */
  const originIdle = () =>
    eventually(async () => {
      const text = await (await fetch(`${origin!.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
      const depths = [...text.matchAll(/^leitplanken_queue_depth\{queue="([^"]+)"\} (\d+)/gm)];
      return depths.length > 0 && depths.every(([, , depth]) => depth === "0");
    }, 120_000);
  /** The follower's copies of the record, and how often it stored one from a delivery. */
  const heldBy = async (id: string) => ({
    copies: (await follower.records.sharedModels.list({ originActor: actorUrl, source: "received" }, { first: 100 })).items.filter((model) => model.id === id)
      .length,
    stored: follower.logs.filter((entry) => entry.message === "received record stored" && entry.fields.recordId === id).length,
  });

  beforeAll(async () => {
    dataDir = await migratedDataFolder(await mkdtemp(join(tmpdir(), "leitplanken-sigkill-origin-")));
    proxy = await startOriginProxy();
    env = {
      LEITPLANKEN_DATA_DIR: dataDir,
      LEITPLANKEN_HANDLE: "attendorn",
      LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
      LEITPLANKEN_ORIGIN: proxy.url,
      LEITPLANKEN_METRICS_TOKEN: metricsToken,
    };
    actorUrl = `${proxy.url}/actors/attendorn`;
    [, follower] = await Promise.all([
      restartOrigin(),
      startNode({
        handle: "bochum",
        intercept: (req, res) => {
          if (inbox === "open" || req.method !== "POST" || !/^\/(actors\/bochum\/)?inbox$/.test(req.path) || req.headers[passedOn]) return false;
          if (inbox === "noted") return noteAndPassOn(req, res);
          if (inbox === "unanswered") {
            unanswered.push(res);
            onInboxPost?.();
            return new Promise<boolean>((resolve) => res.once("close", () => resolve(true)));
          }
          // Handled (queued durably, as every inbound activity), but no byte of the answer leaves.
          const held = () => {
            onInboxPost?.();
            return res;
          };
          Object.assign(res, { writeHead: held, flushHeaders: held, write: () => true, end: held });
          return false;
        },
      }),
    ]);
    const created = await runCli(["token", "create", "--role", "editor", "--name", "SIGKILL origin test"], env);
    expect(created.code).toBe(0);
    token = created.stdout.trim();
    expect(await follower.following.followCity(actorUrl)).toMatchObject({ ok: true });
    await logged(follower, "backfill done");
  }, 240_000);
  afterAll(async () => {
    await origin?.stop("SIGKILL");
    await follower?.stop();
    await proxy?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("(a) killed right after the write answered 200: the restarted origin delivers it, once", async () => {
    inbox = "unanswered";
    const id = await registerModel("Nach dem Schreiben beendet");
    await origin!.stop("SIGKILL");
    // Whatever reached the follower's inbox before the kill is dropped unhandled.
    for (const res of unanswered.splice(0)) res.destroy();
    expect(await heldBy(id)).toEqual({ copies: 0, stored: 0 });

    inbox = "open";
    await restartOrigin();
    await eventually(async () => (await heldBy(id)).copies === 1);
    await originIdle();
    expect(await heldBy(id)).toEqual({ copies: 1, stored: 1 });
  });

  it("(b) killed between save and delivery: the restarted origin delivers again, and the follower keeps one copy", async () => {
    let reached!: () => void;
    const delivered = new Promise<void>((resolve) => (reached = resolve));
    inbox = "answer-held";
    onInboxPost = () => {
      onInboxPost = undefined;
      reached();
    };
    const id = await registerModel("Vor der Antwort beendet");
    await delivered;
    // The follower handled the delivery (it fetched the record from the living origin), but the
    // origin never heard the answer: killed now, it has the delivery in hand, not done.
    const stored = await eventually(async () => follower.logs.find((entry) => entry.message === "received record stored" && entry.fields.recordId === id));
    await origin!.stop("SIGKILL");
    expect(await heldBy(id)).toEqual({ copies: 1, stored: 1 });

    inbox = "noted";
    await restartOrigin();
    // The restarted origin delivers the same activity again; the follower drops it by its id.
    await eventually(async () => arrived.includes(stored.fields.activityId as string), 120_000);
    await originIdle();
    expect(await heldBy(id)).toEqual({ copies: 1, stored: 1 });
  });
});
