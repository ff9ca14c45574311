import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { demoRecords } from "@leitplanken/core";
import type { RecordRepositories } from "./context.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const modelInput = (name: string) => ({
  name: { de: name },
  version: "1.0.0",
  licence: "Apache-2.0",
  architecture: "Decoder-only transformer",
  parameterCount: 7_200_000_000,
  languages: ["de"],
  intendedUse: { de: "Antworten auf Fragen." },
  outOfScopeUse: { de: "Entscheidungen." },
  trainingData: { de: "Öffentliche Texte." },
  limitations: { de: "Kann irren." },
  sovereignty: {
    openWeights: true,
    osiOpenSourceAi: "NOT_ASSESSED",
    weightsLocation: "Rechenzentrum",
    hosting: "MUNICIPAL_DATA_CENTRE",
    operatorJurisdiction: "DE",
  },
  maintainers: [{ name: "KI-Team" }],
});

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
          getManyByIds: (ids) => {
            batchReads.push(ids.length);
            return records.sharedModels.getManyByIds(ids);
          },
        },
      }),
    });
  });
  afterAll(() => api.close());

  it("registers, updates and retires models, and loads the models of a page of use cases in one batch", async () => {
    const register = `mutation ($input: ModelInput!) { registerModel(input: $input) { __typename ... on ModelSuccess { model { id version } } } }`;
    const models: { id: string; version: string }[] = [];
    for (const name of ["Assistent", "Detektor"]) {
      const result = (await api.graphql(register, { input: modelInput(name) }, "token-editor")).data?.["registerModel"] as Payload;
      expect(result.__typename).toBe("ModelSuccess");
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

    const update = `mutation ($id: ID!, $input: ModelInput!) { updateModel(id: $id, input: $input) { __typename ... on ValidationError { fieldErrors { path code } } } }`;
    const invalid = await api.graphql(update, { id: models[0]!.id, input: { ...modelInput("Assistent"), languages: [] } }, "token-editor");
    expect(invalid.data?.["updateModel"]).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "languages", code: "empty" }] });
    expect((await api.records.sharedModels.get(models[0]!.id))?.languages).toEqual(["de"]);

    const retire = `mutation ($id: ID!) { retireModel(id: $id) { __typename } }`;
    expect((await api.graphql(retire, { id: models[1]!.id }, "token-moderator")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await api.graphql(retire, { id: models[1]!.id }, "token-admin")).data?.["retireModel"]).toEqual({ __typename: "ModelSuccess" });
    expect(await api.records.sharedModels.get(models[1]!.id)).toBeNull();
    expect((await api.graphql(retire, { id: models[1]!.id }, "token-admin")).data?.["retireModel"]).toEqual({ __typename: "NotFoundError" });
  });

  it("loads the versions of every guideline on a page in one read", async () => {
    for (const host of ["ki.bonn.example", "ki.essen.example"]) {
      const [guideline] = demoRecords({
        actor: `https://${host}/actor`,
        iri: (kind, slug) => `https://${host}/${kind}/${slug}`,
        now: new Date("2026-01-01T00:00:00Z"),
      }).guidelines;
      expect(await api.records.guidelines.save(guideline!)).toEqual({ ok: true });
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
