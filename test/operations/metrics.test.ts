// Issue 15, acceptance: /metrics exposes HTTP requests, GraphQL operations by name and duration,
// queue depth and age per queue, deliveries by outcome, inbound activities by outcome and refusals
// by reason, read after a publication to a follower and a refused activity. Also: who may read
// /metrics, and what the node's log holds (every line JSON, Fedify's logs in it, each write with
// the person's name and role, no client addresses or headers). A real `leitplanken serve` process:
// its metrics and its log are its own.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createFederationRepository, openDatabase } from "@leitplanken/db";
import { runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { startFollowerSink, storeAcceptedFollowers, type FollowerSink } from "../../packages/activitypub/src/testing/follower-sink.ts";
import { eventually } from "../federation/harness.ts";
import { modelInput } from "../federation/model-input.ts";

const metricsToken = "metrics-token-for-the-test-0123456789";

describe("a node's metrics and log", () => {
  let dataDir: string;
  let sink: FollowerSink;
  let node: ServeProcess;
  let editor: string;
  let admin: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "lp-metrics-"));
    const env = { LEITPLANKEN_DATA_DIR: dataDir, LEITPLANKEN_HANDLE: "hamm", LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true" };
    // One after the other: each command holds the data folder while it runs.
    editor = (await runCli(["token", "create", "--role", "editor", "--name", "Erika Beispiel"], env)).stdout.trim();
    admin = (await runCli(["token", "create", "--role", "admin", "--name", "Max Mustermann"], env)).stdout.trim();
    expect(editor).toMatch(/^lp_/);
    expect(admin).toMatch(/^lp_/);
    sink = await startFollowerSink({ followers: 1 });
    const db = await openDatabase({ dataDir });
    await storeAcceptedFollowers(createFederationRepository(db), sink.followers);
    await db.close();
    node = await startServeProcess({ ...env, LOG_LEVEL: "info", LEITPLANKEN_METRICS_TOKEN: metricsToken });
  }, 400_000);
  afterAll(async () => {
    await node?.stop();
    await sink?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const scrape = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${node.url}/metrics`, { headers });
    return { status: response.status, text: await response.text() };
  };
  /** The value of the first series of `name` whose labels include every given label. */
  const value = (text: string, name: string, labels: Record<string, string> = {}) => {
    for (const line of text.split("\n")) {
      const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const seen = Object.fromEntries([...(match[3] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      if (Object.entries(labels).every(([key, wanted]) => seen[key] === wanted)) return Number(match[4]);
    }
    return undefined;
  };

  it("counts a publication's delivery, the GraphQL operation, a refused activity, and the queues", async () => {
    const published = await fetch(`${node.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        query: "mutation RegisterSharedModel($input: ModelInput!) { registerModel(input: $input) { __typename } }",
        variables: { input: modelInput },
      }),
    });
    expect(((await published.json()) as { data: unknown }).data).toEqual({ registerModel: { __typename: "ModelSuccess" } });
    await eventually(async () => sink.receipts.some((receipt) => receipt.type === "Create"));

    // An activity whose id is not on its actor's origin: signed by a real follower, refused by the checks.
    const follower = sink.followers[0]!;
    const status = await sink.send(follower, `${node.url}/actors/hamm/inbox`, {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: "https://elsewhere.example/follows/1",
      type: "Follow",
      actor: follower.actorId,
      object: `${node.url}/actors/hamm`,
    });
    expect(status).toBe(202);

    let text = "";
    await eventually(async () => {
      text = (await scrape()).text;
      return value(text, "leitplanken_refusals_total", { door: "inbox", reason: "id-not-on-actor-origin" }) === 1 &&
        (value(text, "activitypub_delivery_sent_total", { activitypub_delivery_success: "true" }) ?? 0) >= 1
        ? text
        : null;
    }, 30_000);

    expect(
      value(text, "http_server_request_duration_seconds_count", { http_route: "/graphql", http_request_method: "POST", http_response_status_code: "200" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(text, "graphql_operation_duration_seconds_count", {
        graphql_operation_name: "RegisterSharedModel",
        graphql_operation_type: "mutation",
        outcome: "ok",
      }),
    ).toBe(1);
    expect(value(text, "graphql_operation_duration_seconds_sum", { graphql_operation_name: "RegisterSharedModel" })).toBeGreaterThan(0);
    for (const queue of ["inbox", "outbox", "fanout", "outbox-events"]) {
      expect(value(text, "leitplanken_queue_depth", { queue })).toBeGreaterThanOrEqual(0);
      expect(value(text, "leitplanken_queue_oldest_age_seconds", { queue })).toBeGreaterThanOrEqual(0);
    }
    // Fedify's own: deliveries by outcome, inbound activities by outcome, its queue depth per role.
    expect(
      value(text, "activitypub_delivery_sent_total", {
        activitypub_delivery_success: "true",
        activitypub_activity_type: "https://www.w3.org/ns/activitystreams#Create",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^activitypub_inbox_activity_total\{[^}]*\} \d+/m);
    expect(text).toMatch(/^fedify_queue_depth\{[^}]*fedify_queue_role="outbox"[^}]*\} \d+/m);

    // A refused GraphQL operation and a refused HTTP request are counted with their reasons.
    await fetch(`${node.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "mutation Sneaky($input: ModelInput!) { registerModel(input: $input) { __typename } }", variables: { input: modelInput } }),
    });
    const after = (await scrape()).text;
    expect(value(after, "leitplanken_refusals_total", { door: "graphql", reason: "unauthenticated" })).toBeGreaterThanOrEqual(1);
    expect(value(after, "graphql_operation_duration_seconds_count", { graphql_operation_name: "Sneaky", outcome: "error" })).toBe(1);
  }, 180_000);

  it("are read from this machine directly, with the metrics token or an admin token; not through a proxy or with another token", async () => {
    expect((await scrape()).status).toBe(200);
    expect((await scrape({ "x-forwarded-for": "203.0.113.7" })).status).toBe(403);
    expect((await scrape({ forwarded: "for=203.0.113.7" })).status).toBe(403);
    expect((await scrape({ "x-forwarded-for": "203.0.113.7", authorization: `Bearer ${metricsToken}` })).status).toBe(200);
    expect((await scrape({ "x-forwarded-for": "203.0.113.7", authorization: `Bearer ${admin}` })).status).toBe(200);
    expect((await scrape({ authorization: `Bearer ${editor}` })).status).toBe(403);
    expect((await scrape({ authorization: `Bearer ${metricsToken}x` })).status).toBe(403);
    expect((await scrape({ authorization: "Bearer ", "x-forwarded-for": "203.0.113.7" })).status).toBe(403);
  });

  it("logs JSON only: Fedify's lines, each write with its author's name and role, no addresses or headers", async () => {
    // A request through a proxy that names the visitor's address: the address must not reach the log.
    await fetch(`${node.url}/?q=secret-search-term`, { headers: { "x-forwarded-for": "198.51.100.23", "user-agent": "Probe/1.0" } });
    await fetch(`${node.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: 'mutation { revokeApiToken(id: "000000000000") { __typename } }' }),
    });
    const lines = await eventually(async () => {
      const all = node.output().trim().split("\n");
      return all.some((line) => line.includes('"write"') && line.includes("Max Mustermann")) ? all : null;
    }, 10_000);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.some((entry) => String(entry.category ?? "").startsWith("fedify"))).toBe(true);
    const writes = entries.filter((entry) => entry.msg === "write");
    expect(writes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: "RegisterSharedModel", by: { name: "Erika Beispiel", role: "editor", via: "api-token" }, outcome: "done" }),
        expect.objectContaining({ operation: "Sneaky", by: "public", outcome: "refused", errors: ["UNAUTHENTICATED"] }),
        expect.objectContaining({ by: { name: "Max Mustermann", role: "admin", via: "api-token" } }),
      ]),
    );
    const log = node.output();
    for (const leaked of [
      "198.51.100.23",
      "203.0.113.7",
      "secret-search-term",
      "Probe/1.0",
      "x-forwarded-for",
      "user-agent",
      "remoteAddress",
      editor,
      admin,
      metricsToken,
    ]) {
      expect(log).not.toContain(leaked);
    }
  });
});
