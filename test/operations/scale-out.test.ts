// Issue 15, acceptance: two web processes and one worker on one PostgreSQL database behind a
// round-robin proxy. Sign-in, a staff form, the citizens' report form and its rate limit work
// although every request goes to the other web process than the one before; a fan-out during
// SIGKILL of the worker loses nothing once a worker runs again. Real `leitplanken serve
// --role …` processes; the followers verify every delivery's signature.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createFederationRepository, openDatabase } from "@leitplanken/db";
import { runCli, startServeProcess, type ServeProcess } from "@leitplanken/testkit";
import { startFollowerSink, storeAcceptedFollowers, type FollowerSink } from "../../packages/activitypub/src/testing/follower-sink.ts";
import { eventually } from "../federation/harness.ts";
import { modelInput } from "../federation/model-input.ts";
import { cookiesOf, csrfOf, getPage, postForm } from "../web/staff-session.ts";

const FOLLOWERS = 100;

/** A reverse proxy that hands each request to the next upstream in turn and remembers which one answered. */
async function startRoundRobinProxy() {
  let upstreams: string[] = [];
  let next = 0;
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    const target = new URL(upstreams[next++ % upstreams.length]!);
    served.push(target.port);
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    forwardTo: (urls: string[]) => void (upstreams = urls),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("web and worker processes", () => {
  it("refuses web or worker on a PGlite folder, naming what to set", async () => {
    for (const role of ["web", "worker"]) {
      const refused = await runCli(["serve", "--role", role], { LEITPLANKEN_DATA_DIR: "/nonexistent/never-created" });
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toBe(
        `Invalid configuration: LEITPLANKEN_ROLE ${role} needs DATABASE_URL (PostgreSQL): a PGlite data folder is served by one process, which does everything (all).`,
      );
    }
    const unknown = await runCli(["serve", "--role", "everything"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Allowed choices are all, web, worker");
  });
});

// On PostgreSQL only (CI sets DATABASE_URL): several processes on one PGlite folder are refused above.
const base = process.env.DATABASE_URL;
if (base)
  describe("two web processes and one worker on one PostgreSQL behind a round-robin proxy", () => {
    const schema = `scale_out_${process.pid}`;
    const url = `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
    let sink: FollowerSink;
    let webs: ServeProcess[] = [];
    let worker: ServeProcess | undefined;
    let admin: string;
    let editor: string;
    let env: (role: string) => Record<string, string>;
    /** Set while the fan-out test waits for the moment to kill the worker. */
    let killWhen: ((creates: number) => Promise<void> | void) | undefined;
    let modelIri: string;

    beforeAll(async () => {
      proxy = await startRoundRobinProxy();
      env = (role) => ({
        DATABASE_URL: url,
        LEITPLANKEN_ROLE: role,
        LEITPLANKEN_ORIGIN: proxy.url,
        LEITPLANKEN_HANDLE: "unna",
        LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
      });
      const db = await openDatabase({ url: base, schema });
      await db.close();
      // The first command migrates the new schema; the others find it migrated.
      const adminToken = await runCli(["token", "create", "--role", "admin", "--name", "Ada Admin"], env("all"));
      expect(adminToken.code).toBe(0);
      admin = adminToken.stdout.trim();
      const editorToken = await runCli(["token", "create", "--role", "editor", "--name", "Erika Editor"], env("all"));
      editor = editorToken.stdout.trim();
      sink = await startFollowerSink({
        followers: FOLLOWERS,
        servers: 4,
        beforeAnswer: (receipt) => (receipt.type === "Create" ? killWhen?.(sink.receipts.filter((r) => r.type === "Create").length) : undefined),
      });
      const store = await openDatabase({ url: base, schema });
      await storeAcceptedFollowers(createFederationRepository(store), sink.followers);
      await store.close();
      webs = await Promise.all([startServeProcess(env("web")), startServeProcess(env("web"))]);
      worker = await startServeProcess(env("worker"));
      proxy.forwardTo(webs.map((web) => web.url));
    }, 300_000);
    afterAll(async () => {
      await Promise.all([...webs, ...(worker ? [worker] : [])].map((node) => node.stop("SIGKILL")));
      await sink?.close();
      await proxy?.close();
      const db = await openDatabase({ url: base });
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    });

    /** The port of the process that answered the proxy's latest request. */
    const lastServed = () => proxy.served.at(-1);
    const page = async (path: string, cookie: string) => {
      const response = await getPage(`${proxy.url}${path}`, { cookie });
      return { status: response.status, location: response.headers.get("location"), text: await response.text(), by: lastServed() };
    };

    it("the worker answers health, readiness and metrics, and nothing else", async () => {
      expect((await fetch(`${worker!.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${worker!.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${worker!.url}/metrics`)).status).toBe(200);
      for (const path of ["/", "/graphql", "/staff/sign-in", "/.well-known/webfinger?resource=acct:unna@127.0.0.1", "/actors/unna"])
        expect((await fetch(`${worker!.url}${path}`)).status).toBe(404);
      // Web processes answer the pages and the API.
      expect((await fetch(`${webs[0]!.url}/actors/unna`, { headers: { accept: "application/activity+json" } })).status).toBe(200);
    });

    it("signs in on one web process, fills a staff form on the other, signs out everywhere at once", async () => {
      const form = await getPage(`${proxy.url}/staff/sign-in`);
      const formBy = lastServed();
      const anonymous = cookiesOf(form);
      const signedIn = await postForm(`${proxy.url}/staff/sign-in`, anonymous, { _csrf: csrfOf(await form.text()), token: admin });
      expect(lastServed()).not.toBe(formBy);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get("location")).toBe("/staff");
      const cookie = cookiesOf(signedIn);
      expect(cookie).toMatch(/^leitplanken-session=/);

      const tokens = await page("/staff/tokens", cookie);
      expect(tokens.status).toBe(200);
      expect(tokens.text).toContain("Ada Admin");
      const created = await postForm(`${proxy.url}/staff/tokens`, cookie, { _csrf: csrfOf(tokens.text), name: "Lena Lastverteilung", role: "EDITOR" });
      expect(lastServed()).not.toBe(tokens.by);
      expect(created.status).toBe(201);
      const secret = /value="(lp_[^"]+)"/.exec(await created.text())?.[1];
      expect(secret).toBeDefined();
      // The token made on one process works at once on both.
      for (let round = 0; round < 2; round++) {
        const viewer = await fetch(`${proxy.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
          body: JSON.stringify({ query: "{ viewer { name role } }" }),
        });
        expect(((await viewer.json()) as { data: unknown }).data).toEqual({ viewer: { name: "Lena Lastverteilung", role: "EDITOR" } });
      }

      // A form token from one process is this session's on the other too; a forged one is refused on both.
      for (let round = 0; round < 2; round++) {
        const forged = await postForm(`${proxy.url}/staff/tokens`, cookie, { _csrf: "forged", name: "Mallory", role: "ADMIN" });
        expect(forged.status).toBe(403);
      }
      const dashboard = await page("/staff", cookie);
      const signedOut = await postForm(`${proxy.url}/staff/sign-out`, cookie, { _csrf: csrfOf(dashboard.text) });
      expect(signedOut.status).toBe(303);
      for (let round = 0; round < 2; round++) {
        const after = await page("/staff", cookie);
        expect(after.status).toBe(303);
        expect(after.location).toBe("/staff/sign-in");
      }
      // Cookies that are no session: garbage, a huge one, a well-formed id nobody issued.
      for (const bogus of ["leitplanken-session=%00%ff'--", `leitplanken-session=${"A".repeat(7000)}`, `leitplanken-session=${"A".repeat(43)}`]) {
        const refused = await page("/staff", bogus);
        expect(refused.status).toBe(303);
        expect(refused.location).toBe("/staff/sign-in");
      }
      expect(new Set(proxy.served)).toEqual(new Set(webs.map((web) => new URL(web.url).port)));
    });

    it("a fan-out during SIGKILL of the worker loses nothing: the next worker delivers the rest", async () => {
      const creates = () => sink.receipts.filter((receipt) => receipt.type === "Create");
      let killedAt = 0;
      const killed = new Promise<void>((resolve) => {
        killWhen = async (count) => {
          if (count !== 40) return;
          await worker!.stop("SIGKILL");
          killedAt = Date.now();
          resolve();
        };
      });
      const published = await fetch(`${proxy.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
        body: JSON.stringify({
          query: "mutation ($input: ModelInput!) { registerModel(input: $input) { __typename ... on ModelSuccess { model { id } } } }",
          variables: { input: { ...modelInput, name: { de: "Lastverteilungsmodell" } } },
        }),
      });
      const result = ((await published.json()) as { data: { registerModel: { __typename: string; model: { id: string } } } }).data.registerModel;
      expect(result.__typename).toBe("ModelSuccess");
      modelIri = result.model.id;
      // The web process only wrote to the outbox; the worker's dispatcher and queue deliver.
      await killed;
      killWhen = undefined;
      expect(creates().length).toBeLessThan(2 * FOLLOWERS);

      worker = await startServeProcess(env("worker"));
      const pairs = () => new Set(creates().map((receipt) => `${receipt.follower} ${receipt.activityId}`));
      await eventually(async () => pairs().size === 2 * FOLLOWERS, 120_000);
      const activityIds = new Set(creates().map((receipt) => receipt.activityId));
      expect(activityIds.size).toBe(2);
      for (const follower of sink.followers) {
        expect(
          new Set(
            creates()
              .filter((receipt) => receipt.follower === follower.index)
              .map((receipt) => receipt.activityId),
          ),
        ).toEqual(activityIds);
      }
      // At least once: the only repeats are deliveries in hand when the worker died.
      const repeats = creates().length - pairs().size;
      expect(repeats).toBeLessThanOrEqual(16);
      expect(creates().filter((receipt) => receipt.at > killedAt).length).toBeGreaterThan(0);
      expect(sink.refused).toBe(0);
    }, 200_000);

    it("the citizens' report form from one process is accepted by the other, and the 21st report within a minute is refused on both", async () => {
      const recordPage = await getPage(modelIri);
      expect(recordPage.status).toBe(200);
      const cookie = cookiesOf(recordPage);
      const csrf = csrfOf(await recordPage.text());
      expect(csrf.length).toBeGreaterThan(20);
      const report = () => postForm(`${proxy.url}/report`, cookie, { _csrf: csrf, target: modelIri, kind: "model", category: "OUTDATED", text: "Veraltet." });
      const servedBy = new Set<string>();
      for (let count = 0; count < 20; count++) {
        const accepted = await report();
        expect(accepted.status).toBe(200);
        servedBy.add(lastServed()!);
      }
      expect(servedBy.size).toBe(2);
      for (let round = 0; round < 2; round++) {
        const refused = await report();
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      // Hostile: no token, a token of another visitor, a huge text.
      expect((await postForm(`${proxy.url}/report`, cookie, { target: modelIri, kind: "model", category: "OTHER" })).status).toBe(403);
      const stranger = cookiesOf(await getPage(modelIri));
      expect((await postForm(`${proxy.url}/report`, stranger, { _csrf: csrf, target: modelIri, kind: "model", category: "OTHER" })).status).toBe(403);
      expect(
        (await postForm(`${proxy.url}/report`, cookie, { _csrf: csrf, target: modelIri, kind: "model", category: "OTHER", text: "x".repeat(30_000) })).status,
      ).toBe(413);
    });
  });
