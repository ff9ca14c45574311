import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db/testing";
import { graphqlBody, type HostileNode, leaksInternals, request, startHostileNode } from "./hostile-node.ts";

/**
 * Rate limits that a client cannot step around, on a real node on both backends (PostgreSQL
 * keeps the counters in the database). Budgets are lowered so a test reaches them quickly, and
 * the window is a day, so no window ends (and no counter resets) in the middle of a test.
 */
const day = 86_400_000;
describe.each(storageBackends())("rate limits on %s", (backend) => {
  describe("without a trusted proxy (the default)", () => {
    let node: HostileNode;
    beforeAll(async () => {
      node = await startHostileNode(backend, {}, { rateLimit: { windowMs: day, limit: 6, costLimit: 100_000 } });
    });
    afterAll(() => node?.close());

    it("counts every X-Forwarded-For the client makes up as the same client, and answers 429 as a GraphQL error with Retry-After", async () => {
      const answers = [];
      for (let i = 0; i < 7; i++) {
        answers.push(
          await request(`${node.url}/graphql`, {
            ...graphqlBody("{ __typename }"),
            headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.${i}` },
          }),
        );
      }
      expect(answers.slice(0, 6).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const refused = answers[6]!;
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.json().errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
      // The pages share the budget: no more rounds of /search while the API says 429.
      const page = await request(`${node.url}/search?q=Chatbot`, {
        headers: { accept: "text/html", "accept-language": "en", "x-forwarded-for": "198.51.100.7" },
      });
      expect(page.status).toBe(429);
      expect(page.contentType).toContain("text/html");
      expect(page.text).toContain("Too many requests");
      expect(page.text).toContain('<html lang="en">');
      expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(leaksInternals(page.text)).toBeNull();
    });
  });

  describe("query cost", () => {
    let node: HostileNode;
    beforeAll(async () => {
      node = await startHostileNode(backend, {}, { rateLimit: { windowMs: day, limit: 1_000, costLimit: 5_000 } });
    });
    afterAll(() => node?.close());

    it("charges each operation's cost to the client's budget, reports it, and refuses once it is spent", async () => {
      const statistics = "{ networkStatistics { useCases } }";
      const first = await request(`${node.url}/graphql`, graphqlBody(statistics));
      expect(first.status).toBe(200);
      const cost = first.json<{ extensions: { cost: { requestedQueryCost: number; costLimit: number; costRemaining: number } } }>().extensions.cost;
      expect(cost.requestedQueryCost).toBeGreaterThanOrEqual(2_000);
      expect(cost).toMatchObject({ costLimit: 5_000, costRemaining: 5_000 - cost.requestedQueryCost });
      expect(first.headers.get("x-query-cost")).toBe(String(cost.requestedQueryCost));
      await request(`${node.url}/graphql`, graphqlBody(statistics));
      const spent = await request(`${node.url}/graphql`, graphqlBody(statistics));
      expect(spent.status).toBe(429);
      expect(spent.json().errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
      expect(Number(spent.headers.get("retry-after"))).toBeGreaterThan(0);
      // The statistics page runs the same query in process: charged to the visitor, refused alike.
      const page = await request(`${node.url}/statistics`, { headers: { accept: "text/html", "accept-language": "de" } });
      expect(page.status).toBe(429);
      expect(page.text).toContain("Zu viele Anfragen");
    });
  });

  describe("behind a trusted proxy", () => {
    let node: HostileNode;
    beforeAll(async () => {
      node = await startHostileNode(backend, { LEITPLANKEN_TRUST_PROXY: "127.0.0.1" }, { rateLimit: { windowMs: day, limit: 3, costLimit: 100_000 } });
    });
    afterAll(() => node?.close());

    it("gives each client the proxy names its own budget", async () => {
      const from = (address: string) =>
        request(`${node.url}/graphql`, { ...graphqlBody("{ __typename }"), headers: { "content-type": "application/json", "x-forwarded-for": address } });
      for (let i = 0; i < 3; i++) expect((await from("203.0.113.1")).status).toBe(200);
      expect((await from("203.0.113.1")).status).toBe(429);
      expect((await from("203.0.113.2")).status).toBe(200);
    });
  });
});
