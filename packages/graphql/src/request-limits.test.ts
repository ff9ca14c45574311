import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Queryable } from "@leitplanken/db";
import { costKey, fieldCosts } from "./limits.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

describe("request limits before execution", () => {
  let api: TestApi;
  let statements = 0;
  beforeAll(async () => {
    api = await startTestApi({
      observeDatabase: (db: Queryable): Queryable => ({
        query: (text, params) => {
          statements += 1;
          return db.query(text, params);
        },
        exec: (sql) => {
          statements += 1;
          return db.exec(sql);
        },
      }),
    });
  });
  afterAll(() => api.close());

  it("refuses a page size outside 1-100 before any resolver runs: no statement, even beside 300 aliased lists", async () => {
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: useCases(first: 100) { totalCount }`).join(" ");
    for (const query of [
      "{ useCases(first: -100000000) { totalCount } }",
      `{ ${aliases} x: useCases(first: -100000000) { totalCount } }`,
      "{ guidelines(first: 0) { totalCount } }",
      "{ models(first: 101) { totalCount } }",
      "query ($n: Int!) { useCases(first: $n) { totalCount } }",
    ]) {
      statements = 0;
      const response = await api.graphql(query, { n: 1000 });
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(statements).toBe(0);
    }
  });

  it("prices the expensive fields, so many aliases of them are refused as too complex before they run", async () => {
    for (const field of [
      'useCasesFailingGuideline(guidelineVersionId: "x") { __typename }',
      "cities { actor }",
      "networkStatistics { useCases }",
      'lineage(guidelineId: "x") { __typename }',
      'checkUseCase(useCaseId: "x", guidelineVersionId: "y") { __typename }',
    ]) {
      statements = 0;
      const query = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: ${field}`).join(" ")} }`;
      const response = await api.graphql(query);
      expect({ field, code: response.errors?.[0]?.extensions?.code, status: response.status }).toEqual({ field, code: "QUERY_TOO_COMPLEX", status: 400 });
      expect(statements).toBe(0);
    }
    const searches = `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: useCases(first: 1, filter: { search: "Chatbot" }) { totalCount }`).join(" ")} }`;
    expect((await api.graphql(searches)).errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("keys the cost cache on the document and the cost-relevant shape of the variables, not on ids or words", () => {
    const query = "query ($id: ID!, $n: Int!, $s: String) { useCase(id: $id) { id } useCases(first: $n, filter: { search: $s }) { totalCount } }";
    const key = (variables: Record<string, unknown>) => costKey(query, undefined, variables);
    expect(key({ id: "https://a.example/1", n: 10, s: "Chatbot" })).toBe(key({ id: "https://b.example/2", n: 10, s: "Straße" }));
    expect(key({ id: "x", n: 10, s: "Chatbot" })).not.toBe(key({ id: "x", n: 20, s: "Chatbot" }));
    expect(key({ id: "x", n: 10, s: "Chatbot" })).not.toBe(key({ id: "x", n: 10, s: "" }));
    expect(key({ id: "x", n: 10, s: "a" })).not.toBe(key({ id: "x", n: 10, s: "a ".repeat(13) }));
    expect(key({ id: "x", n: 10 })).not.toBe(key({ id: "x".repeat(3000), n: 10 }));
  });

  it("lists every priced field in the README's cost table", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const [field, cost] of Object.entries(fieldCosts)) expect(readme).toContain(`| \`${field}\` | ${cost.base} | ${cost.items ?? "–"} | ${cost.why} |`);
  });
});
