import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { SharedModel, UseCase } from "@leitplanken/core";
import { storageBackends } from "@leitplanken/db/testing";
import { guidelineVia, payload, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, testActor, type TestApi } from "./testing/test-api.ts";

const essen = "https://ki.essen.example/actor";
const bonn = "https://ki.bonn.example/actor";

/** A copy of one of our records as if `host` had published it and we had received it. */
function fromCity<T extends { id: string; provenance: UseCase["provenance"] }>(record: T, host: string, changes: Partial<T> = {}): T {
  return {
    ...record,
    ...changes,
    id: record.id.replace("ki.dortmund.example", host),
    provenance: { source: "received", originActor: `https://${host}/actor`, originHost: host, receivedAt: "2026-11-20T08:00:00.000Z", proofVerified: true },
  };
}

const modelInput = {
  name: { de: "Verwaltungs-LLM" },
  version: "1.2.0",
  licence: "Apache-2.0",
  architecture: "transformer",
  languages: ["de"],
  intendedUse: { de: "Texte" },
  outOfScopeUse: { de: "Bescheide" },
  trainingData: { de: "Öffentliche Texte" },
  limitations: { de: "Halluziniert" },
  inferenceEnergy: { whPer1000Requests: 120, hardware: "1× L40S", testDate: "2026-10-01" },
  sovereignty: { openWeights: true, osiOpenSourceAi: "NOT_ASSESSED", weightsLocation: "DE", hosting: "MUNICIPAL_DATA_CENTRE", operatorJurisdiction: "DE" },
  servedBy: [testActor],
  maintainers: [{ name: "KDN" }],
};

const statistics = `query ($cities: [String!]) { networkStatistics(cities: $cities) {
  useCases cities
  energy { totalKwhPerYear reporting perRequestOnly withoutEstimate medianKwhPerYear distribution { fromKwh toKwh count } compensated { useCases { count share } kwhPerYear kwhShare } }
  riskClasses { riskClass count share }
  citizenFacingAutomation { useCases levels { automationLevel count share } }
  sovereignty { useCaseHosting { hosting count share } useCaseOpenWeights { count share } useCaseEuJurisdiction { count share } modelHosting { hosting count share } modelOpenWeights { count share } }
  modelReuse { modelId model { id } useCases cities }
  coverage { cities covered withoutPublishedUseCase citiesWithoutPublishedUseCase { id host counts { useCases } } uncoveredCities(first: 1) { totalCount nodes { id } pageInfo { hasNextPage } } }
} }`;

type Share = { count: number; share: number };
const byKey = <K extends string>(list: ({ count: number; share: number } & Record<K, string | null>)[], key: K) =>
  Object.fromEntries(list.filter((entry) => entry.count > 0).map((entry) => [entry[key] ?? "unstated", { count: entry.count, share: entry.share }]));

describe.each(storageBackends())("the network across cities over HTTP (%s)", (backend) => {
  let api: TestApi;
  let ourModel: SharedModel;

  beforeAll(async () => {
    api = await startTestApi({ backend });
    const guideline = await guidelineVia(api);
    const registered = await api.graphql(
      `mutation ($input: ModelInput!) { registerModel(input: $input) { ... on ModelSuccess { model { id } } } }`,
      { input: modelInput },
      "token-editor",
    );
    ourModel = (await api.records.sharedModels.get((payload(registered, "registerModel")["model"] as { id: string }).id))!;
    const sovereignty = { operator: "Stadtwerke", jurisdiction: "DE", hosting: "MUNICIPAL_DATA_CENTRE", openWeights: true };
    const citizenFacing = await useCaseVia(
      api,
      {
        ...useCaseInput({ name: "Auskunft", models: [{ model: ourModel.id, version: "1.2.0" }] }),
        energy: { kwhPerYear: 50, compensation: { de: "Ökostrom" } },
        risk: { aiActClass: "MINIMAL" },
        sovereignty,
      },
      "published",
      guideline,
    );
    await useCaseVia(
      api,
      {
        ...useCaseInput({ name: "Planung", automationLevel: "DECISION_SUPPORT", directlyAffectsCitizens: false }),
        energy: { kwhPerYear: 500 },
        risk: { aiActClass: "HIGH", annexIIIArea: "EMPLOYMENT" },
      },
      "published",
      guideline,
    );
    await useCaseVia(api, { ...useCaseInput({ name: "Entwurf" }), energy: { kwhPerYear: 9_999 } }, "draft");

    // Essen runs our model in a use case like ours; Bonn only shares a model.
    await api.records.useCases.save(fromCity((await api.records.useCases.get(citizenFacing))!, "ki.essen.example"));
    await api.records.sharedModels.save(
      fromCity(ourModel, "ki.essen.example", {
        inferenceEnergy: { whPer1000Requests: 300, hardware: "CPU", testDate: "2026-10-01" },
        sovereignty: { ...ourModel.sovereignty, hosting: "eu-cloud" },
      }),
    );
    await api.records.sharedModels.save(
      fromCity(ourModel, "ki.bonn.example", {
        inferenceEnergy: { whPer1000Requests: 40, hardware: "API", testDate: "2026-10-01" },
        sovereignty: { ...ourModel.sovereignty, hosting: "non-eu-cloud", openWeights: false, operatorJurisdiction: "US" },
        servedBy: [],
      }),
    );
  });
  afterAll(() => api.close());

  it("lists the cities it knows, own first, with counts and last update; in-work counts for staff only", async () => {
    const cities = `query ($only: [String!]) { cities(originCities: $only) { actor host own followed counts { guidelineDocuments useCases useCasesInWork models adoptions } unverifiedRecords lastUpdate } }`;
    const anonymous = await api.graphql<{ cities: { actor: string; lastUpdate: string }[] }>(cities);
    expect(anonymous.data?.cities.map(({ lastUpdate: _lastUpdate, ...city }) => city)).toEqual([
      {
        actor: testActor,
        host: "ki.dortmund.example",
        own: true,
        followed: false,
        counts: { guidelineDocuments: 1, useCases: 2, useCasesInWork: null, models: 1, adoptions: 0 },
        unverifiedRecords: 0,
      },
      {
        actor: bonn,
        host: "ki.bonn.example",
        own: false,
        followed: false,
        counts: { guidelineDocuments: 0, useCases: 0, useCasesInWork: null, models: 1, adoptions: 0 },
        unverifiedRecords: 0,
      },
      {
        actor: essen,
        host: "ki.essen.example",
        own: false,
        followed: false,
        counts: { guidelineDocuments: 0, useCases: 1, useCasesInWork: null, models: 1, adoptions: 0 },
        unverifiedRecords: 0,
      },
    ]);
    expect(anonymous.data?.cities.every((city) => !Number.isNaN(Date.parse(city.lastUpdate)))).toBe(true);
    const staff = await api.graphql<{ cities: { counts: { useCasesInWork: number } }[] }>(cities, { only: [testActor] }, "token-editor");
    expect(staff.data?.cities.map((city) => city.counts.useCasesInWork)).toEqual([1]);
  });

  it("pages the cities and the shared-model ranking as connections in both directions, the same items as the deprecated lists", async () => {
    const page = `query ($first: Int, $after: String, $last: Int, $before: String) {
      cities { actor }
      knownCities(first: $first, after: $after, last: $last, before: $before) { totalCount nodes { actor } edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
      sharedModels(first: 100) { id }
      sharedModelRanking(first: 100) { nodes { id } }
    }`;
    type Answer = {
      cities: { actor: string }[];
      knownCities: {
        totalCount: number;
        nodes: { actor: string }[];
        edges: { cursor: string }[];
        pageInfo: Record<string, unknown> & { endCursor: string; startCursor: string };
      };
      sharedModels: { id: string }[];
      sharedModelRanking: { nodes: { id: string }[] };
    };
    const first = (await api.graphql<Answer>(page, { first: 2 })).data!;
    const all = first.cities.map((city) => city.actor);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(first.knownCities.totalCount).toBe(all.length);
    expect(first.knownCities.nodes.map((city) => city.actor)).toEqual(all.slice(0, 2));
    expect(first.knownCities.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.sharedModelRanking.nodes).toEqual(first.sharedModels);
    const rest = (await api.graphql<Answer>(page, { first: 100, after: first.knownCities.pageInfo.endCursor })).data!.knownCities;
    expect(rest.nodes.map((city) => city.actor)).toEqual(all.slice(2));
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const tail = (await api.graphql<Answer>(page, { last: 1 })).data!.knownCities;
    expect(tail.nodes.map((city) => city.actor)).toEqual(all.slice(-1));
    const beforeTail = (await api.graphql<Answer>(page, { last: 1, before: tail.pageInfo.startCursor })).data!.knownCities;
    expect(beforeTail.nodes.map((city) => city.actor)).toEqual(all.slice(-2, -1));
    // A cursor of the city list is refused by another list; it names a position in the list's order
    // (paged in SQL), so with a filter that leaves its city out it resumes after that position.
    const models = await api.graphql(`query ($after: String) { sharedModelRanking(after: $after) { totalCount } }`, {
      after: first.knownCities.edges[0]!.cursor,
    });
    expect(models.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, message: expect.stringContaining("another list") });
    const filtered = await api.graphql(
      `query ($after: String, $only: [String!]) { knownCities(originCities: $only, after: $after) { totalCount nodes { actor } } }`,
      {
        after: first.knownCities.edges[0]!.cursor,
        only: [all[0], all[2]],
      },
    );
    expect(filtered.data).toEqual({ knownCities: { totalCount: 2, nodes: [{ actor: all[2] }] } });
    for (const after of ["not a cursor", Buffer.from("k:xxxxxxxx:0:eA").toString("base64url")]) {
      const refused = await api.graphql(`query ($after: String) { knownCities(after: $after) { totalCount } }`, { after });
      expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  it("computes network statistics over published use cases, matching the figures worked out by hand", async () => {
    const all = (await api.graphql(statistics)).data?.["networkStatistics"] as Record<string, unknown> & {
      energy: Record<string, unknown>;
      riskClasses: ({ riskClass: string | null } & Share)[];
      citizenFacingAutomation: { useCases: number; levels: ({ automationLevel: string } & Share)[] };
      sovereignty: { useCaseHosting: ({ hosting: string | null } & Share)[]; modelHosting: ({ hosting: string } & Share)[] } & Record<string, Share>;
    };
    expect(all["useCases"]).toBe(3);
    expect(all["cities"]).toBe(2);
    expect(all.energy).toEqual({
      totalKwhPerYear: 600,
      reporting: 3,
      perRequestOnly: 0,
      withoutEstimate: 0,
      medianKwhPerYear: 50,
      distribution: [
        { fromKwh: 0, toKwh: 10, count: 0 },
        { fromKwh: 10, toKwh: 100, count: 2 },
        { fromKwh: 100, toKwh: 1000, count: 1 },
        { fromKwh: 1000, toKwh: 10000, count: 0 },
        { fromKwh: 10000, toKwh: null, count: 0 },
      ],
      compensated: { useCases: { count: 2, share: 2 / 3 }, kwhPerYear: 100, kwhShare: 100 / 600 },
    });
    expect(byKey(all.riskClasses, "riskClass")).toEqual({ MINIMAL: { count: 2, share: 2 / 3 }, HIGH: { count: 1, share: 1 / 3 } });
    expect(all.riskClasses).toHaveLength(5);
    expect(all.citizenFacingAutomation.useCases).toBe(2);
    expect(byKey(all.citizenFacingAutomation.levels, "automationLevel")).toEqual({ INFORMATION_ONLY: { count: 2, share: 1 } });
    expect(byKey(all.sovereignty.useCaseHosting, "hosting")).toEqual({
      MUNICIPAL_DATA_CENTRE: { count: 2, share: 2 / 3 },
      unstated: { count: 1, share: 1 / 3 },
    });
    expect(all.sovereignty["useCaseOpenWeights"]).toEqual({ count: 2, share: 1 });
    expect(all.sovereignty["useCaseEuJurisdiction"]).toEqual({ count: 2, share: 1 });
    expect(byKey(all.sovereignty.modelHosting, "hosting")).toEqual({
      MUNICIPAL_DATA_CENTRE: { count: 1, share: 1 / 3 },
      EU_CLOUD: { count: 1, share: 1 / 3 },
      NON_EU_CLOUD: { count: 1, share: 1 / 3 },
    });
    expect(all.sovereignty["modelOpenWeights"]).toEqual({ count: 2, share: 2 / 3 });
    expect(all["modelReuse"]).toEqual([
      { modelId: ourModel.id, model: { id: ourModel.id }, useCases: 2, cities: 2 },
      { modelId: "https://ki.bonn.example/models/" + ourModel.id.split("/").at(-1), model: expect.anything(), useCases: 0, cities: 0 },
      { modelId: "https://ki.essen.example/models/" + ourModel.id.split("/").at(-1), model: expect.anything(), useCases: 0, cities: 0 },
    ]);
    expect(all["coverage"]).toEqual({
      cities: 3,
      covered: 2,
      withoutPublishedUseCase: [bonn],
      citiesWithoutPublishedUseCase: [{ id: bonn, host: new URL(bonn).host, counts: { useCases: 0 } }],
      uncoveredCities: { totalCount: 1, nodes: [{ id: bonn }], pageInfo: { hasNextPage: false } },
    });

    const chosen = (await api.graphql(statistics, { cities: [essen, bonn] })).data?.["networkStatistics"] as Record<string, unknown> & {
      energy: { totalKwhPerYear: number };
    };
    expect(chosen["useCases"]).toBe(1);
    expect(chosen.energy.totalKwhPerYear).toBe(50);
    expect(chosen["coverage"]).toMatchObject({ cities: 2, covered: 1, withoutPublishedUseCase: [bonn], citiesWithoutPublishedUseCase: [{ id: bonn }] });
  });

  it("spans all cities or a chosen set in every list", async () => {
    const lists = `query ($only: [String!]) {
      useCases(filter: { originCities: $only }) { totalCount nodes { provenance { originCity } } }
      models(filter: { originCities: $only }) { totalCount }
      guidelines(filter: { originCities: $only }) { totalCount } }`;
    expect((await api.graphql(lists)).data).toEqual({
      useCases: { totalCount: 3, nodes: expect.any(Array) },
      models: { totalCount: 3 },
      guidelines: { totalCount: 1 },
    });
    expect((await api.graphql(lists, { only: [essen] })).data).toEqual({
      useCases: { totalCount: 1, nodes: [{ provenance: { originCity: essen } }] },
      models: { totalCount: 1 },
      guidelines: { totalCount: 0 },
    });
    expect((await api.graphql(lists, { only: [] })).data).toEqual({
      useCases: { totalCount: 0, nodes: [] },
      models: { totalCount: 0 },
      guidelines: { totalCount: 0 },
    });
  });

  it("finds shared models across cities by sovereignty and energy per 1,000 requests, least energy first", async () => {
    const search = `query ($filter: SharedModelSearch) { sharedModels(filter: $filter) { provenance { originCity } inferenceEnergy { whPer1000Requests } } }`;
    const cityOf = async (filter: Record<string, unknown>) =>
      ((await api.graphql(search, { filter })).data?.["sharedModels"] as { provenance: { originCity: string } }[]).map((model) => model.provenance.originCity);
    expect(await cityOf({})).toEqual([bonn, testActor, essen]);
    expect(await cityOf({ sovereignHosting: true })).toEqual([testActor, essen]);
    expect(await cityOf({ sovereignHosting: true, maxWhPer1000Requests: 200 })).toEqual([testActor]);
    expect(await cityOf({ openWeights: false })).toEqual([bonn]);
    expect(await cityOf({ hosting: ["NON_EU_CLOUD", "EU_CLOUD"] })).toEqual([bonn, essen]);
    expect(await cityOf({ hosting: ["EU_CLOUD"] })).toEqual([essen]);
    expect(await cityOf({ served: true, originCities: [testActor, bonn] })).toEqual([testActor]);
  });

  it("answers NETWORK_UNAVAILABLE on a node composed without the network view", async () => {
    const bare = await startTestApi({ backend, deps: { network: undefined } });
    try {
      const response = await bare.graphql("{ cities { actor } }");
      expect(response.errors?.[0]?.extensions?.code).toBe("NETWORK_UNAVAILABLE");
    } finally {
      await bare.close();
    }
  });
});
