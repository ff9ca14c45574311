import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db/testing";
import { type HostileNode, leaksInternals, request, startHostileNode } from "./hostile-node.ts";

/**
 * /readyz tells a load balancer whether to send traffic; which migration files wait is for whoever
 * runs the node: asked from the machine itself (loopback, no proxy header) or with an admin token.
 * Everyone else (a visitor through the reverse proxy, an editor, a forged or broken token) learns
 * only that the node is not ready and how many migrations wait. (Full disk and a frozen database:
 * packages/server/src/readiness.test.ts.)
 */
describe.each(storageBackends())("/readyz details on %s", (backend) => {
  let node: HostileNode;
  let withheld: { name: string; checksum: string };

  beforeAll(async () => {
    node = await startHostileNode(backend);
  }, 180_000);
  afterAll(() => node?.close());

  const ready = (headers: Record<string, string> = {}) => request(`${node.url}/readyz`, { headers });

  it("names pending migrations only to loopback and admins; proxied visitors, editors, moderators and forged tokens get the count", async () => {
    expect((await ready()).json()).toEqual({ status: "ready", database: backend === "postgres" ? "postgres" : "pglite" });
    // The newest migration looks unapplied, as after copying in a newer release's files.
    const { rows } = await node.node.db.query<{ name: string; checksum: string }>("SELECT name, checksum FROM schema_migrations ORDER BY name DESC LIMIT 1");
    withheld = rows[0]!;
    await node.node.db.query("DELETE FROM schema_migrations WHERE name = $1", [withheld.name]);
    try {
      const proxied = { "x-forwarded-for": "203.0.113.9" };
      const details = { status: "migrations pending", pending: [withheld.name] };
      const count = { status: "migrations pending", pendingCount: 1 };
      const cases: [string, Record<string, string>, object][] = [
        ["loopback, no proxy header", {}, details],
        ["admin token through the proxy", { ...proxied, authorization: `Bearer ${node.tokens.admin}` }, details],
        ["a visitor through the proxy (X-Forwarded-For)", proxied, count],
        ["a visitor through the proxy (Forwarded)", { forwarded: "for=203.0.113.9" }, count],
        ["a visitor through the proxy (X-Real-IP)", { "x-real-ip": "203.0.113.9" }, count],
        ["a spoofed loopback X-Forwarded-For", { "x-forwarded-for": "127.0.0.1" }, count],
        ["editor token", { ...proxied, authorization: `Bearer ${node.tokens.editor}` }, count],
        ["moderator token", { ...proxied, authorization: `Bearer ${node.tokens.moderator}` }, count],
        ["a forged token from loopback", { authorization: "Bearer lp_forged_0000000000000000" }, count],
        ["a 8 KB token from loopback", { authorization: `Bearer ${"a".repeat(8_000)}` }, count],
        ["a malformed authorization from loopback", { authorization: "Basic YWRtaW46YWRtaW4=" }, details],
      ];
      for (const [who, headers, expected] of cases) {
        const answer = await ready(headers);
        expect({ who, status: answer.status, body: answer.json() }).toEqual({ who, status: 503, body: expected });
        if (!("pending" in expected)) expect(answer.text).not.toContain(withheld.name);
        expect(leaksInternals(answer.text)).toBeNull();
      }
      // A header too large for the server is refused by it, not answered with details or a crash.
      const huge = await ready({ authorization: `Bearer ${"a".repeat(100_000)}` }).catch(() => null);
      if (huge) {
        expect(huge.status).toBe(431);
        expect(huge.text).not.toContain(withheld.name);
      }
      expect((await ready()).status).toBe(503);
    } finally {
      await node.node.db.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [withheld.name, withheld.checksum]);
    }
    expect((await ready({ "x-forwarded-for": "203.0.113.9" })).json()).toEqual({ status: "ready", database: backend === "postgres" ? "postgres" : "pglite" });
  });
});
