import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { demoRecords } from "@leitplanken/core/demo";
import type { RecordRepositories } from "./context.ts";
import { modelInput } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const useCaseInput = (name: string, model: { model: string; version: string }) => ({
  name: { de: name },
  shortDescription: { de: "Kurz." },
  purpose: { de: "Zweck." },
  department: "IT",
  status: "IDEA",
  responsible: { role: { de: "Leitung" }, office: { de: "IT" } },
  contact: { url: "https://example.org" },
  decisionProcess: { processFit: { de: "x" }, automationLevel: "DECISION_SUPPORT", directlyAffectsCitizens: false, humanReview: { de: "immer" } },
  technique: "ML",
  selfLearning: false,
  models: [model],
});

type Payload = { __typename: string; model?: { id: string; version: string }; useCase?: { id: string } };

describe("shared models and batching", () => {
  let api: TestApi;
  const batchReads: number[] = [];
  const versionReads: (readonly string[])[] = [];

  beforeAll(async () => {
    api = await startTestApi({
      observeRecords: (records): RecordRepositories => ({
        ...records,
        guidelines: {
          ...records.guidelines,
          listVersionsMany: (documentIds) => {
            versionReads.push(documentIds);
            return records.guidelines.listVersionsMany(documentIds);
          },
        },
        sharedModels: {
          ...records.sharedModels,
          getManyVersionedByIds: (ids) => {
            batchReads.push(ids.length);
            return records.sharedModels.getManyVersionedByIds(ids);
          },
        },
      }),
    });
  });
  afterAll(() => api.close());

  it("registers, updates and retires models, and loads the models of a page of use cases in one batch", async () => {
    const register = `mutation ($input: ModelInput!) { registerModel(input: $input) { __typename ... on ModelSuccess { model { id version state lockVersion } } } }`;
    const models: { id: string; version: string }[] = [];
    for (const name of ["Assistent", "Detektor"]) {
      const result = (await api.graphql(register, { input: modelInput(name) }, "token-editor")).data?.["registerModel"] as Payload;
      expect(result.__typename).toBe("ModelSuccess");
      expect(result.model).toMatchObject({ state: "PUBLISHED", lockVersion: 1 });
      models.push(result.model!);
    }
    const create = `mutation ($input: UseCaseInput!) { createUseCase(input: $input) { __typename } }`;
    for (let index = 0; index < 6; index++) {
      const model = models[index % 2]!;
      const result = await api.graphql(create, { input: useCaseInput(`Fall ${index}`, { model: model.id, version: model.version }) }, "token-editor");
      expect(result.data?.["createUseCase"]).toEqual({ __typename: "UseCaseSuccess" });
    }

    batchReads.length = 0;
    const read = await api.graphql(
      `{ useCases(first: 10) { nodes { models { modelId version model { name { de } parameterCount sovereignty { hosting } } } } } }`,
      {},
      "token-editor",
    );
    const nodes = (read.data?.["useCases"] as { nodes: { models: { model: { name: { de: string }; sovereignty: { hosting: string } } }[] }[] }).nodes;
    expect(nodes).toHaveLength(6);
    expect(nodes.map((node) => node.models[0]?.model.name.de)).toEqual(["Detektor", "Assistent", "Detektor", "Assistent", "Detektor", "Assistent"]);
    expect(nodes[0]?.models[0]?.model.sovereignty.hosting).toBe("MUNICIPAL_DATA_CENTRE");
    // One read for both distinct models of six use cases: no N+1.
    expect(batchReads).toEqual([2]);

    const usedBy = await api.graphql(`query ($id: ID!) { model(id: $id) { usedBy(first: 10) { totalCount } } }`, { id: models[0]!.id }, "token-editor");
    expect(usedBy.data?.["model"]).toEqual({ usedBy: { totalCount: 3 } });

    const update = `mutation ($id: ID!, $lockVersion: Int!, $input: ModelInput!) { updateModel(id: $id, lockVersion: $lockVersion, input: $input) {
      __typename ... on ModelSuccess { model { version lockVersion } } ... on ValidationError { fieldErrors { path code } } ... on ConflictError { currentLockVersion } } }`;
    const invalid = await api.graphql(update, { id: models[0]!.id, lockVersion: 1, input: { ...modelInput("Assistent"), languages: [] } }, "token-editor");
    expect(invalid.data?.["updateModel"]).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "languages", code: "empty" }] });
    expect((await api.records.sharedModels.get(models[0]!.id))?.languages).toEqual(["de"]);
    const updated = await api.graphql(update, { id: models[0]!.id, lockVersion: 1, input: { ...modelInput("Assistent"), version: "1.1.0" } }, "token-editor");
    expect(updated.data?.["updateModel"]).toEqual({ __typename: "ModelSuccess", model: { version: "1.1.0", lockVersion: 2 } });
    // A second editor still looking at version 1 overwrites nothing.
    const stale = await api.graphql(update, { id: models[0]!.id, lockVersion: 1, input: { ...modelInput("Assistent"), version: "9.9.9" } }, "token-admin");
    expect(stale.data?.["updateModel"]).toEqual({ __typename: "ConflictError", currentLockVersion: 2 });
    expect((await api.records.sharedModels.get(models[0]!.id))?.version).toBe("1.1.0");
    expect(await api.outboxEvents()).toEqual([
      { type: "published", kind: "model", id: models[0]!.id },
      { type: "published", kind: "model", id: models[1]!.id },
      { type: "updated", kind: "model", id: models[0]!.id },
    ]);

    const retire = `mutation ($id: ID!, $lockVersion: Int!) { retireModel(id: $id, lockVersion: $lockVersion) { __typename ... on ModelSuccess { model { state } } } }`;
    expect((await api.graphql(retire, { id: models[1]!.id, lockVersion: 1 }, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.graphql(retire, { id: models[1]!.id, lockVersion: 1 }, "token-admin")).data?.["retireModel"]).toEqual({
      __typename: "ModelSuccess",
      model: { state: "RETIRED" },
    });
    // Retired for good: it stays readable (use cases keep their reference), it cannot come back.
    expect((await api.records.sharedModels.get(models[1]!.id))?.state).toBe("retired");
    expect((await api.graphql(retire, { id: models[1]!.id, lockVersion: 2 }, "token-admin")).data?.["retireModel"]).toEqual({
      __typename: "InvalidTransitionError",
    });
    expect((await api.outboxEvents()).at(-1)).toEqual({ type: "withdrawn", kind: "model", id: models[1]!.id });
  });

  it("registers a model as a draft that only staff see, and publishes it", async () => {
    const register = `mutation ($input: ModelInput!) { registerModel(input: $input, publish: false) { __typename ... on ModelSuccess { model { id state lockVersion } } } }`;
    const draft = ((await api.graphql(register, { input: modelInput("Entwurf") }, "token-editor")).data?.["registerModel"] as { model: { id: string } }).model;
    expect(draft).toMatchObject({ state: "DRAFT", lockVersion: 1 });
    const events = (await api.outboxEvents()).length;
    const read = `query ($id: ID!) { model(id: $id) { state } models(filter: { state: DRAFT }) { totalCount } }`;
    expect((await api.graphql(read, { id: draft.id })).data).toEqual({ model: null, models: { totalCount: 0 } });
    expect((await api.graphql(read, { id: draft.id }, "token-editor")).data).toEqual({ model: { state: "DRAFT" }, models: { totalCount: 1 } });

    const publish = `mutation ($id: ID!, $lockVersion: Int!) { publishModel(id: $id, lockVersion: $lockVersion) { __typename ... on ModelSuccess { model { state } } } }`;
    expect((await api.graphql(publish, { id: draft.id, lockVersion: 1 }, "token-editor")).data?.["publishModel"]).toEqual({
      __typename: "ModelSuccess",
      model: { state: "PUBLISHED" },
    });
    expect((await api.graphql(read, { id: draft.id })).data?.["model"]).toEqual({ state: "PUBLISHED" });
    expect((await api.outboxEvents()).slice(events)).toEqual([{ type: "published", kind: "model", id: draft.id }]);
  });

  it("loads the versions of every guideline on a page in one read", async () => {
    for (const host of ["ki.bonn.example", "ki.essen.example"]) {
      const [guideline] = demoRecords({
        actor: `https://${host}/actor`,
        iri: (kind, slug) => `https://${host}/${kind}/${slug}`,
        now: new Date("2026-01-01T00:00:00Z"),
      }).guidelines;
      expect(await api.records.guidelines.save(guideline!)).toMatchObject({ ok: true });
    }
    versionReads.length = 0;
    const read = await api.graphql(`{ guidelines(first: 10) { nodes { guideline { id current { version } versions { id } draft { id } } } } }`);
    expect(read.errors).toBeUndefined();
    const documents = (read.data?.["guidelines"] as { nodes: { guideline: { id: string; current: { version: string } | null; versions: unknown[] } }[] }).nodes;
    expect(documents.map((node) => node.guideline.id).sort()).toEqual([
      "https://ki.bonn.example/guideline-document/ki-leitlinie",
      "https://ki.essen.example/guideline-document/ki-leitlinie",
    ]);
    expect(documents.every((node) => node.guideline.versions.length === 1 && node.guideline.current !== null)).toBe(true);
    // Two documents, three fields that need their versions: one read.
    expect(versionReads.map((ids) => ids.length)).toEqual([2]);
  });
});

describe("protection of the public API", () => {
  let api: TestApi;
  const unexpected: unknown[] = [];

  beforeAll(async () => {
    // A day-long window: no window ends (resetting the counter) during the test.
    api = await startTestApi({ deps: { rateLimit: { windowMs: 86_400_000, limit: 3 }, onUnexpectedError: (error) => unexpected.push(error) } });
  });
  afterAll(() => api.close());

  it("hides unexpected errors (no message, no stack) and reports them to the host", async () => {
    await api.db.query("DROP TABLE use_cases CASCADE");
    const response = await api.graphql("{ useCases { totalCount } }");
    expect(response.errors).toEqual([{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" }, path: ["useCases"] }]);
    expect(JSON.stringify(response)).not.toContain("use_cases");
    expect(String(unexpected[0])).toContain("use_cases");
  });

  it("limits the request rate per client", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await fetch(api.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    // The test before made the first of the three requests allowed per window.
    expect(statuses).toEqual([200, 200, 429]);
  });
});
