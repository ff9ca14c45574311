import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db";
import { guidelineInput, guidelineVia, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

// The connection shape (issue #14): edges with per-item cursors beside nodes, pageInfo with both
// directions, and cursors that name their list.

type Connection = {
  totalCount: number;
  nodes: { id: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};
const shape = `totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const useCases = `query ($first: Int!, $after: String) { useCases(first: $first, after: $after) { ${shape} } }`;

describe.each(storageBackends())("connections over HTTP (%s)", (backend) => {
  let api: TestApi;
  let ids: string[];

  beforeAll(async () => {
    api = await startTestApi({ backend });
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
});
