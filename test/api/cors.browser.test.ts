// Public reads from any origin (issue #14, ADR 0090): a page served on another origin reads the
// register with fetch in Chromium, GET without a preflight header and POST with JSON, never with
// credentials; what keeps a foreign page from writing through a visitor's browser holds at the
// HTTP boundary of a node as `leitplanken serve` composes it (the explorer page in front of the API).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { launchChromium, type Browser } from "../../packages/web/src/testing/browser.ts";
import { graphqlBody, request, startHostileNode, type HostileNode } from "../hostile/hostile-node.ts";

const screenshots = new URL("../../test-results/screenshots/", import.meta.url).pathname;
const registerQuery = "{ useCases(first: 5) { totalCount nodes { id name { de } provenance { originCityName } } } }";

let node: HostileNode;
let otherSite: Server;
let otherOrigin: string;
let browser: Browser;

/** A newspaper's data desk: a page on another port of 127.0.0.1 whose script reads the node's register. */
function dataDeskPage(api: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Data desk</title></head><body>
<h1>AI use cases in the register</h1><ul id="list"></ul><pre id="out"></pre>
<script type="module">
const api = ${JSON.stringify(api)};
const query = ${JSON.stringify(registerQuery)};
const results = {};
const settle = async (name, call) => {
  try { const response = await call(); results[name] = { status: response.status, body: await response.json() }; }
  catch (error) { results[name] = { failed: String(error) }; }
};
await settle("get", () => fetch(api + "?query=" + encodeURIComponent(query)));
await settle("post", () => fetch(api, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) }));
await settle("withCredentials", () => fetch(api + "?query=" + encodeURIComponent(query), { credentials: "include" }));
await settle("anonymousMutation", () => fetch(api, { method: "POST", headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: 'mutation { reportRecord(target: "' + api + '", category: SPAM) { __typename } }' }) }));
for (const useCase of results.get.body?.data?.useCases.nodes ?? []) {
  const item = document.createElement("li");
  item.textContent = useCase.name.de + " (" + useCase.provenance.originCityName + ")";
  document.getElementById("list").append(item);
}
document.getElementById("out").textContent = JSON.stringify({ get: results.get.status, post: results.post.status, withCredentials: results.withCredentials, anonymousMutation: results.anonymousMutation.status });
window.results = results;
</script></body></html>`;
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  node = await startHostileNode("pglite");
  otherSite = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(dataDeskPage(`${node.url}/graphql`)));
  await new Promise<void>((resolve) => otherSite.listen(0, "127.0.0.1", resolve));
  otherOrigin = `http://127.0.0.1:${(otherSite.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => otherSite?.close(resolve));
  await node?.close();
});

describe("a page on another origin in Chromium", () => {
  it("reads the register with GET (no preflight header) and POST, and cannot send credentials or write anonymously", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${otherOrigin}/`);
    await page.waitForFunction(() => "results" in window);
    const results = (await page.evaluate(() => (window as unknown as { results: unknown }).results)) as Record<
      string,
      {
        status?: number;
        failed?: string;
        body?: { data?: { useCases: { totalCount: number; nodes: { name: { de: string } }[] } }; errors?: { extensions?: { code?: string } }[] };
      }
    >;
    await page.screenshot({ path: `${screenshots}api-cors-data-desk.png`, fullPage: true });
    expect(results["get"]?.status).toBe(200);
    expect(results["get"]?.body?.data?.useCases.totalCount).toBeGreaterThan(0);
    expect(results["post"]?.status).toBe(200);
    expect(results["post"]?.body?.data?.useCases.nodes).toEqual(results["get"]?.body?.data?.useCases.nodes);
    // `*` never goes with credentials: the browser itself refuses to hand the answer to the page.
    expect(results["withCredentials"]?.failed).toMatch(/TypeError|Failed to fetch/);
    expect(results["anonymousMutation"]?.status).toBe(403);
    expect(results["anonymousMutation"]?.body?.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await page.locator("#list li").allTextContents()).toEqual(
      results["get"]?.body?.data?.useCases.nodes.map((useCase) => expect.stringContaining(useCase.name.de)),
    );
    await page.close();
  });
});

describe("the HTTP boundary of /graphql", () => {
  it("answers a preflight from any origin with the methods and headers a client needs, without credentials", async () => {
    const answer = await request(`${node.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: otherOrigin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(answer.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(answer.headers.get("access-control-allow-headers")).toMatch(/Content-Type/);
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("runs a GET query without any preflight header, and lets the page read the cost and rate-limit headers", async () => {
    const answer = await request(`${node.url}/graphql?query=${encodeURIComponent("{ rules { id } }")}`, { headers: { origin: otherOrigin } });
    expect(answer.status).toBe(200);
    expect(answer.json().data?.["rules"]).toEqual(expect.arrayContaining([expect.objectContaining({ id: "no-automated-action-on-citizens" })]));
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-expose-headers")).toMatch(/X-Query-Cost/);
    expect(answer.headers.get("x-query-cost")).not.toBeNull();
  });

  it("still serves the explorer page to a browser that asks for HTML", async () => {
    const answer = await request(`${node.url}/graphql`, { headers: { accept: "text/html" } });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/text\/html/);
  });

  it("refuses a POST that a form or a simple request could send (text/plain, urlencoded, multipart, none) with 415", async () => {
    const body = JSON.stringify({ query: "{ rules { id } }" });
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
      const answer = await request(`${node.url}/graphql`, {
        method: "POST",
        headers: { origin: otherOrigin, ...(contentType ? { "content-type": contentType } : {}) },
        body,
      });
      expect([contentType, answer.status]).toEqual([contentType, 415]);
      expect(answer.json().errors?.[0]?.extensions?.["code"]).toBe("UNSUPPORTED_MEDIA_TYPE");
      expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    }
  });

  it("runs no mutation over GET", async () => {
    const answer = await request(`${node.url}/graphql?query=${encodeURIComponent('mutation { reportRecord(target: "x", category: SPAM) { __typename } }')}`, {
      headers: { origin: otherOrigin },
    });
    expect(answer.status).toBe(405);
  });

  it("refuses an anonymous mutation from a page of another origin (also `null` and a huge Origin), and takes it from the node's own pages", async () => {
    const target = (
      await request(`${node.url}/graphql`, graphqlBody("{ useCases(first: 1) { nodes { id } } }")).then((answer) =>
        answer.json<{ data: { useCases: { nodes: { id: string }[] } } }>(),
      )
    ).data.useCases.nodes[0]!.id;
    const report = graphqlBody("mutation ($target: String!) { reportRecord(target: $target, category: OUTDATED) { __typename } }", { target });
    for (const origin of [otherOrigin, "null", `https://${"x".repeat(10_000)}.example`]) {
      const answer = await request(`${node.url}/graphql`, { ...report, headers: { ...(report.headers as Record<string, string>), origin } });
      expect(answer.status).toBe(403);
      expect(answer.json().errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
      expect(answer.text.length).toBeLessThan(1_000);
    }
    const own = await request(`${node.url}/graphql`, { ...report, headers: { ...(report.headers as Record<string, string>), origin: node.url } });
    expect(own.json().data).toEqual({ reportRecord: { __typename: "ReportRecordSuccess" } });
    // An API client that sends no Origin (curl, a server) is not a browser page: taken as before.
    const direct = await request(`${node.url}/graphql`, report);
    expect(direct.json().data).toEqual({ reportRecord: { __typename: "ReportRecordSuccess" } });
  });

  it("lets a page of another origin write with an explicit bearer token, within the token's role", async () => {
    const create = graphqlBody('mutation { createApiToken(input: { name: "Datendesk", role: EDITOR }) { __typename } }');
    const asEditor = await request(`${node.url}/graphql`, {
      ...create,
      headers: { ...(create.headers as Record<string, string>), origin: otherOrigin, authorization: `Bearer ${node.tokens.editor}` },
    });
    expect(asEditor.json().errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    const asAdmin = await request(`${node.url}/graphql`, {
      ...create,
      headers: { ...(create.headers as Record<string, string>), origin: otherOrigin, authorization: `Bearer ${node.tokens.admin}` },
    });
    expect(asAdmin.json().data).toEqual({ createApiToken: { __typename: "CreateApiTokenSuccess" } });
  });

  it("reads no cookies: a session cookie neither authenticates nor is set", async () => {
    const create = graphqlBody('mutation { createApiToken(input: { name: "Keks", role: ADMIN }) { __typename } }');
    const answer = await request(`${node.url}/graphql`, {
      ...create,
      headers: { ...(create.headers as Record<string, string>), cookie: "leitplanken-session=anything" },
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("set-cookie")).toBeNull();
  });
});
