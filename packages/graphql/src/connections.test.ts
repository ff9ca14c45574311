import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Queryable } from "@leitplanken/db";
import { storageBackends } from "@leitplanken/db/testing";
import { guidelineInput, guidelineVia, modelInput, payload, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

// The connection shape (issue #14): edges with per-item cursors beside nodes, pageInfo with both
// directions, paging from either end, an order by field with a stable tie-breaker, and cursors
// that name their list and its order.

type Connection = {
  totalCount: number;
  nodes: { id: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};
const shape = `totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const useCases = `query ($first: Int!, $after: String) { useCases(first: $first, after: $after) { ${shape} } }`;
const pagedUseCases = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: UseCaseOrder) {
  useCases(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) { ${shape} }
}`;
const names = `{ useCases(orderBy: { field: NAME }) { nodes { name { de } } } }`;

describe.each(storageBackends())("connections over HTTP (%s)", (backend) => {
  let api: TestApi;
  let ids: string[];
  // Every statement the API's repositories send, to see what a list reads.
  const statements: { text: string; params: readonly unknown[] }[] = [];

  beforeAll(async () => {
    api = await startTestApi({
      backend,
      observeDatabase: (db: Queryable): Queryable => ({
        query: (text, params) => {
          statements.push({ text, params: params ?? [] });
          return db.query(text, params);
        },
        exec: (sql) => db.exec(sql),
      }),
    });
    const guideline = await guidelineVia(api, guidelineInput);
    await guidelineVia(api, { ...guidelineInput, title: { de: "Zweite Leitlinie" } });
    ids = [];
    for (const name of ["Eins", "Zwei", "Drei", "Vier"]) ids.push(await useCaseVia(api, useCaseInput({ name }), "published", guideline));
  });
  afterAll(() => api.close());

  it("gives every item an edge with a cursor to resume after it, and pageInfo in both directions", async () => {
    const first = (await api.graphql<{ useCases: Connection }>(useCases, { first: 2 })).data!.useCases;
    expect(first.totalCount).toBe(4);
    expect(first.edges.map((edge) => edge.node)).toEqual(first.nodes);
    expect(first.nodes.map((node) => node.id)).toEqual([ids[3], ids[2]]);
    expect(first.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0]!.cursor, endCursor: first.edges[1]!.cursor });
    // Resuming after the first edge (not only the end) gives the item after it.
    const afterFirst = (await api.graphql<{ useCases: Connection }>(useCases, { first: 2, after: first.edges[0]!.cursor })).data!.useCases;
    expect(afterFirst.nodes.map((node) => node.id)).toEqual([ids[2], ids[1]]);
    expect(afterFirst.pageInfo.hasPreviousPage).toBe(true);
    const last = (await api.graphql<{ useCases: Connection }>(useCases, { first: 2, after: first.pageInfo.endCursor })).data!.useCases;
    expect(last.nodes.map((node) => node.id)).toEqual([ids[1], ids[0]]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("refuses a cursor of another list with a clear error instead of an empty page", async () => {
    const guidelines = (await api.graphql<{ guidelines: Connection }>(`{ guidelines(first: 1) { ${shape} } }`)).data!.guidelines;
    expect(guidelines.edges).toHaveLength(1);
    const wrong = await api.graphql(useCases, { first: 2, after: guidelines.pageInfo.endCursor });
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("another list") });
    for (const after of ["not a cursor", Buffer.from("seq:1").toString("base64url"), "x".repeat(5_000)]) {
      const refused = await api.graphql(useCases, { first: 2, after });
      expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(refused).length).toBeLessThan(2_000);
    }
    // An empty list has no edges and no cursors.
    const models = await api.graphql<{ models: Connection }>(`{ models(first: 1) { ${shape} } }`);
    expect(models.data?.models.edges).toEqual([]);
    expect(models.data?.models.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it("pages from the end with `last`/`before`, in the list's order, with pageInfo that says what lies on either side", async () => {
    type Page = { useCases: Connection };
    const tail = (await api.graphql<Page>(pagedUseCases, { last: 2 })).data!.useCases;
    expect(tail.nodes.map((node) => node.id)).toEqual([ids[1], ids[0]]);
    expect(tail.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: tail.edges[0]!.cursor, endCursor: tail.edges[1]!.cursor });
    const before = (await api.graphql<Page>(pagedUseCases, { last: 2, before: tail.pageInfo.startCursor })).data!.useCases;
    expect(before.nodes.map((node) => node.id)).toEqual([ids[3], ids[2]]);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // Between two cursors: `after` and `before` together bound the range.
    const between = (await api.graphql<Page>(pagedUseCases, { first: 10, after: before.edges[0]!.cursor, before: tail.edges[1]!.cursor })).data!.useCases;
    expect(between.nodes.map((node) => node.id)).toEqual([ids[2], ids[1]]);
    // The same cursor works in both directions.
    const forward = (await api.graphql<Page>(pagedUseCases, { first: 1, after: tail.pageInfo.startCursor })).data!.useCases;
    expect(forward.nodes.map((node) => node.id)).toEqual([ids[0]]);
    const both = await api.graphql(pagedUseCases, { first: 1, last: 1 });
    expect(both.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("either `first` or `last`") });
    const tooMany = await api.graphql(pagedUseCases, { last: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("orders by a field in either direction and refuses a cursor of another order", async () => {
    type Page = { useCases: Connection };
    const ascending = (await api.graphql<{ useCases: { nodes: { name: { de: string } }[] } }>(names)).data!.useCases.nodes.map((node) => node.name.de);
    expect(ascending).toEqual(["Drei", "Eins", "Vier", "Zwei"]);
    const byName = (orderBy: unknown, page: Record<string, unknown>) => api.graphql<Page>(pagedUseCases, { orderBy, ...page });
    const firstTwo = (await byName({ field: "NAME", direction: "ASC" }, { first: 2 })).data!.useCases;
    expect(firstTwo.nodes.map((node) => node.id)).toEqual([ids[2], ids[0]]);
    const nextTwo = (await byName({ field: "NAME", direction: "ASC" }, { first: 2, after: firstTwo.pageInfo.endCursor })).data!.useCases;
    expect(nextTwo.nodes.map((node) => node.id)).toEqual([ids[3], ids[1]]);
    expect(nextTwo.pageInfo.hasNextPage).toBe(false);
    const lastOne = (await byName({ field: "NAME", direction: "ASC" }, { last: 1 })).data!.useCases;
    expect(lastOne.nodes.map((node) => node.id)).toEqual([ids[1]]);
    const descending = (await byName({ field: "NAME", direction: "DESC" }, { first: 4 })).data!.useCases;
    expect(descending.nodes.map((node) => node.id)).toEqual([ids[1], ids[3], ids[0], ids[2]]);
    // A cursor keeps its order: passed with another one it is refused, not read as a position there.
    const wrongOrder = await byName({ field: "NAME", direction: "DESC" }, { first: 2, after: firstTwo.pageInfo.endCursor });
    expect(wrongOrder.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("another order") });
    const defaultOrder = await byName(undefined, { first: 2, before: firstTwo.pageInfo.startCursor });
    expect(defaultOrder.errors?.[0]?.message).toContain("`before`");
  });

  it("breaks ties by insertion in the order's direction, so equal names page without gaps or repeats", async () => {
    const register = async (name: string) => {
      const registered = await api.graphql(
        `mutation ($input: ModelInput!) { registerModel(input: $input, publish: true) { ... on ModelSuccess { model { id } } } }`,
        {
          input: modelInput(name),
        },
        "token-editor",
      );
      return (payload(registered, "registerModel")["model"] as { id: string }).id;
    };
    const [same1, other, same2, same3] = [await register("Gleich"), await register("Anders"), await register("gleich"), await register("Gleich")];
    const models = `query ($first: Int, $after: String, $orderBy: ModelOrder) { models(first: $first, after: $after, orderBy: $orderBy) { ${shape} } }`;
    for (const [direction, expected] of [
      ["ASC", [other, same1, same2, same3]],
      ["DESC", [same3, same2, same1, other]],
    ] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 4; page++) {
        const response: { data?: { models: Connection } } = await api.graphql<{ models: Connection }>(models, {
          first: 1,
          after,
          orderBy: { field: "NAME", direction },
        });
        seen.push(...response.data!.models.nodes.map((node) => node.id));
        after = response.data!.models.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    }
    // The licence as an enum value beside the SPDX id (closed sets as enums).
    const licences = await api.graphql<{
      models: { nodes: { licence: string; licenceId: string }[] };
      guidelines: { nodes: { licence: string; licenceId: string }[] };
    }>(`{ models(first: 1) { nodes { licence licenceId } } guidelines(first: 1) { nodes { licence licenceId } } }`);
    expect(licences.data?.models.nodes).toEqual([{ licence: "Apache-2.0", licenceId: "APACHE_2_0" }]);
    expect(licences.data?.guidelines.nodes[0]).toEqual({ licence: "CC-BY-4.0", licenceId: "CC_BY_4_0" });
    const updated = (await api.graphql<{ models: Connection }>(models, { first: 4, orderBy: { field: "UPDATED", direction: "DESC" } })).data!.models;
    expect(updated.nodes.map((node) => node.id)).toEqual([same3, same2, other, same1]);
  });

  it("counts the whole list only when a query selects totalCount (once, however often it is selected)", async () => {
    const counts = () => statements.filter((statement) => /count\(\*\)/i.test(statement.text)).length;
    statements.length = 0;
    expect((await api.graphql(`{ useCases(first: 2) { nodes { id } pageInfo { hasNextPage } } }`)).errors).toBeUndefined();
    expect(statements.length).toBeGreaterThan(0);
    expect(counts()).toBe(0);
    statements.length = 0;
    const counted = await api.graphql<{ useCases: { totalCount: number; again: number } }>(`{ useCases(first: 2) { totalCount again: totalCount } }`);
    expect(counted.data?.useCases).toEqual({ totalCount: 4, again: 4 });
    expect(counts()).toBe(1);
  });

  it("reads a page of every order of every record list along an index (no sort of the whole list)", async () => {
    const orders = {
      useCases: ["CREATED", "UPDATED", "NAME"],
      guidelines: ["CREATED", "UPDATED", "PUBLISHED", "TITLE"],
      models: ["CREATED", "UPDATED", "NAME"],
    };
    for (const [list, fields] of Object.entries(orders)) {
      for (const field of fields) {
        for (const direction of ["ASC", "DESC"]) {
          const query = `query ($orderBy: ${{ useCases: "UseCaseOrder", guidelines: "GuidelineVersionOrder", models: "ModelOrder" }[list]}, $after: String) {
            page: ${list}(first: 1, after: $after, orderBy: $orderBy) { pageInfo { endCursor } } }`;
          const first = await api.graphql<{ page: { pageInfo: { endCursor: string | null } } }>(query, { orderBy: { field, direction } }, "token-editor");
          statements.length = 0;
          const next = await api.graphql(query, { orderBy: { field, direction }, after: first.data?.page.pageInfo.endCursor }, "token-editor");
          expect(next.errors).toBeUndefined();
          const page = statements.find((statement) => /\bORDER BY\b.*\bLIMIT\b/s.test(statement.text));
          expect(page).toBeDefined();
          // With sorting and whole-table reads priced out, a plan that still sorts has no index to follow.
          const plan = await api.db.transaction(async (tx) => {
            for (const setting of ["enable_seqscan", "enable_bitmapscan", "enable_sort"]) await tx.query(`SET LOCAL ${setting} = off`);
            return (await tx.query<{ "QUERY PLAN": string }>(`EXPLAIN ${page!.text}`, page!.params)).rows.map((row) => row["QUERY PLAN"]).join("\n");
          });
          expect({ list, field, direction, plan }).toEqual({ list, field, direction, plan: expect.not.stringMatching(/Sort/) });
        }
      }
    }
  });
});
