import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db/testing";
import { guidelineInput, guidelineVia, lockVersionOf, payload, peerIdentity, receive, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, testActor, type TestApi } from "./testing/test-api.ts";

// Relations as objects, node lookup, LocalizedText's served language and the developer tasks of
// issue #14, each in one round trip, between two cities: Dortmund (this node) and Münster (a peer
// whose published records this node received).

const muensterActor = "https://ki.muenster.example/actor";
const modelInput = {
  name: { de: "Verwaltungs-LLM" },
  version: "1.0.0",
  licence: "Apache-2.0",
  architecture: "transformer",
  languages: ["de"],
  intendedUse: { de: "Texte" },
  outOfScopeUse: { de: "Bescheide" },
  trainingData: { de: "Öffentliche Texte" },
  limitations: { de: "Halluziniert" },
  sovereignty: { openWeights: true, osiOpenSourceAi: "NOT_ASSESSED", weightsLocation: "DE", hosting: "MUNICIPAL_DATA_CENTRE", operatorJurisdiction: "DE" },
  maintainers: [{ name: "KDN" }],
};

describe.each(storageBackends())("relations, node lookup and developer tasks over HTTP (%s)", (backend) => {
  let api: TestApi;
  let muenster: TestApi;
  let model: string;
  let ourGuideline: string;
  let ourSecondVersion: string;
  let theirGuideline: string;
  let ourCitizenFacing: string;
  let ourInternal: string;
  let ourOtherModel: string;
  let ourDraft: string;
  let theirCitizenFacing: string;
  let adopted: string;

  beforeAll(async () => {
    [api, muenster] = await Promise.all([startTestApi({ backend }), startTestApi({ backend, deps: { identity: peerIdentity("ki.muenster.example") } })]);
    const registered = await api.graphql(
      `mutation ($input: ModelInput!) { registerModel(input: $input) { ... on ModelSuccess { model { id } } } }`,
      { input: modelInput },
      "token-editor",
    );
    model = (payload(registered, "registerModel")["model"] as { id: string }).id;
    const usingModel = [{ model, version: "1.0.0" }];

    ourGuideline = await guidelineVia(api, { ...guidelineInput, title: { de: "KI-Leitlinie Dortmund", en: "AI guideline Dortmund" } });
    const draft = await api.graphql(
      `mutation ($g: ID!, $input: GuidelineInput!) { createGuidelineDraft(guidelineId: $g, input: $input) { ... on GuidelineVersionSuccess { guidelineVersion { id lockVersion } } } }`,
      {
        g: (await api.records.guidelines.get(ourGuideline))!.documentId,
        input: { ...guidelineInput, version: "2.0", title: { de: "KI-Leitlinie Dortmund 2" } },
      },
      "token-editor",
    );
    const second = payload(draft, "createGuidelineDraft")["guidelineVersion"] as { id: string; lockVersion: number };
    await api.graphql(
      `mutation ($id: ID!, $l: Int!) { publishGuidelineVersion(versionId: $id, lockVersion: $l) { __typename } }`,
      { id: second.id, l: second.lockVersion },
      "token-editor",
    );
    ourSecondVersion = second.id;

    ourCitizenFacing = await useCaseVia(api, useCaseInput({ name: "Bürgerchat", models: usingModel }), "published", ourSecondVersion);
    ourInternal = await useCaseVia(
      api,
      useCaseInput({ name: "Aktenplanung", automationLevel: "DECISION_SUPPORT", directlyAffectsCitizens: false, models: usingModel }),
      "published",
      ourSecondVersion,
    );
    ourOtherModel = await useCaseVia(api, useCaseInput({ name: "Ohne Modell" }), "published", ourSecondVersion);
    ourDraft = await useCaseVia(api, useCaseInput({ name: "Entwurf mit Modell", models: usingModel }), "draft");

    theirGuideline = await guidelineVia(muenster, {
      ...guidelineInput,
      title: { de: "KI-Leitlinie Münster" },
      principles: guidelineInput.principles.slice(0, 1),
    });
    const theirGuidelineOnMuenster = theirGuideline;
    theirCitizenFacing = await useCaseVia(muenster, useCaseInput({ name: "Terminbot Münster", models: usingModel }), "published", theirGuidelineOnMuenster);
    await receive(muenster, api, { guidelines: [theirGuideline], useCases: [theirCitizenFacing] });

    const adoption = await api.graphql(
      `mutation ($id: ID!) { adoptUseCase(useCaseId: $id) { ... on UseCaseSuccess { useCase { id } } } }`,
      { id: theirCitizenFacing },
      "token-editor",
    );
    adopted = (payload(adoption, "adoptUseCase")["useCase"] as { id: string }).id;
  });
  afterAll(() => Promise.all([api.close(), muenster.close()]));

  describe("developer tasks, one round trip each", () => {
    it("every city the node knows, with its name and current guideline", async () => {
      const response = await api.graphql<{ cities: { id: string; name: string | null; currentGuideline: { id: string; title: { text: string } } | null }[] }>(
        `{ cities { id name currentGuideline { id title { text(lang: "de") } } } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.cities).toEqual([
        { id: testActor, name: "Stadt Dortmund", currentGuideline: { id: ourSecondVersion, title: { text: "KI-Leitlinie Dortmund 2" } } },
        { id: muensterActor, name: null, currentGuideline: { id: theirGuideline, title: { text: "KI-Leitlinie Münster" } } },
      ]);
    });

    it("every use case in the network that affects citizens and uses a given model", async () => {
      const query = `query ($model: ID!) { useCases(filter: { directlyAffectsCitizens: true, model: $model }, first: 100) { totalCount nodes { id provenance { city { id } } } } }`;
      const response = await api.graphql<{ useCases: { totalCount: number; nodes: { id: string; provenance: { city: { id: string } } }[] } }>(query, { model });
      const found = response.data?.useCases.nodes.map((useCase) => useCase.id).sort();
      // Not the internal one, not the one without the model, not the draft (public reader), and the adopted draft is a draft.
      expect(found).toEqual([ourCitizenFacing, theirCitizenFacing].sort());
      expect(response.data?.useCases.totalCount).toBe(2);
      expect(response.data?.useCases.nodes.find((useCase) => useCase.id === theirCitizenFacing)?.provenance.city.id).toBe(muensterActor);
      expect([ourInternal, ourOtherModel, ourDraft].some((id) => found?.includes(id))).toBe(false);
    });

    it("the current guidelines of two cities compared", async () => {
      const query = `query ($cities: [String!]!) { compareCityGuidelines(cities: $cities, language: "de") {
        __typename ... on GuidelineComparison { versions { id } rows { cells { principle { key } } } diff { fromId toId hasChanges } }
        ... on NotFoundError { id } ... on ValidationError { fieldErrors { path code } } } }`;
      const response = await api.graphql<{
        compareCityGuidelines: { __typename: string; versions: { id: string }[]; diff: { fromId: string; toId: string; hasChanges: boolean } };
      }>(query, { cities: [testActor, muensterActor] });
      expect(response.data?.compareCityGuidelines).toMatchObject({
        __typename: "GuidelineComparison",
        versions: [{ id: ourSecondVersion }, { id: theirGuideline }],
        diff: { fromId: ourSecondVersion, toId: theirGuideline, hasChanges: true },
      });
      // A city without a guideline here, and too many cities: typed answers, nothing compared.
      const unknown = await api.graphql(query, { cities: [testActor, "https://ki.nowhere.example/actor"] });
      expect(unknown.data?.["compareCityGuidelines"]).toEqual({ __typename: "NotFoundError", id: "https://ki.nowhere.example/actor" });
      const many = await api.graphql(query, { cities: Array.from({ length: 21 }, (_, i) => `https://ki.c${i}.example/actor`) });
      expect(many.data?.["compareCityGuidelines"]).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "cities", code: "too-many" }] });
      const huge = await api.graphql(query, { cities: Array.from({ length: 1_001 }, (_, i) => `https://ki.c${i}.example/actor`) });
      expect(huge.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    });

    it("one field of a use case changed: the rest, the adoption link included, stays", async () => {
      const patch = `mutation ($id: ID!, $l: Int!, $patch: UseCasePatch!) { patchUseCase(id: $id, lockVersion: $l, patch: $patch) {
        __typename ... on UseCaseSuccess { useCase { lockVersion department name { de } adoptedFromUseCase { id } energy { kwhPer1000Requests } workflow { state } } }
        ... on ConflictError { currentLockVersion } ... on ValidationError { fieldErrors { path code } } ... on NotFoundError { id } ... on NotLocalError { originCity city { id handle followed } } } }`;
      const before = await lockVersionOf(api, "useCase", adopted);
      const changed = await api.graphql(patch, { id: adopted, l: before, patch: { department: "Ordnungsamt" } }, "token-editor");
      expect(payload(changed, "patchUseCase")).toEqual({
        __typename: "UseCaseSuccess",
        useCase: {
          lockVersion: before + 1,
          department: "Ordnungsamt",
          name: { de: "Terminbot Münster" },
          adoptedFromUseCase: { id: theirCitizenFacing },
          energy: { kwhPer1000Requests: 0.2 },
          workflow: { state: "DRAFT" },
        },
      });
      // null clears an optional field; a required one cannot be cleared.
      const cleared = await api.graphql(patch, { id: adopted, l: before + 1, patch: { energy: null } }, "token-editor");
      expect((payload(cleared, "patchUseCase")["useCase"] as { energy: unknown }).energy).toBeNull();
      const required = await api.graphql(patch, { id: adopted, l: before + 2, patch: { name: null } }, "token-editor");
      expect(payload(required, "patchUseCase")).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: "name" }] });
      // A stale lockVersion, a received copy, an unknown id, a wrong role, a field that is not there, a huge text.
      expect(payload(await api.graphql(patch, { id: adopted, l: before, patch: { department: "X" } }, "token-editor"), "patchUseCase")).toEqual({
        __typename: "ConflictError",
        currentLockVersion: before + 2,
      });
      expect(payload(await api.graphql(patch, { id: theirCitizenFacing, l: 1, patch: { department: "X" } }, "token-editor"), "patchUseCase")).toEqual({
        __typename: "NotLocalError",
        originCity: muensterActor,
        city: { id: muensterActor, handle: null, followed: false },
      });
      expect(payload(await api.graphql(patch, { id: "https://ki.dortmund.example/use-cases/nope", l: 1, patch: {} }, "token-editor"), "patchUseCase")).toEqual({
        __typename: "NotFoundError",
        id: "https://ki.dortmund.example/use-cases/nope",
      });
      expect((await api.graphql(patch, { id: adopted, l: before + 2, patch: { department: "X" } }, "token-vetter")).errors?.[0]?.extensions?.code).toBe(
        "FORBIDDEN",
      );
      expect((await api.graphql(patch, { id: adopted, l: before + 2, patch: { department: "X" } })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect((await api.graphql(patch, { id: adopted, l: before + 2, patch: { adoptedFrom: null } }, "token-editor")).errors?.[0]?.extensions?.code).toBe(
        "BAD_USER_INPUT",
      );
      const huge = await api.graphql(patch, { id: adopted, l: before + 2, patch: { department: "x".repeat(50_000) } }, "token-editor");
      expect(huge.errors?.[0]?.extensions?.code ?? (payload(huge, "patchUseCase")?.__typename as string)).toMatch(/BAD_USER_INPUT|ValidationError/);
      expect(await lockVersionOf(api, "useCase", adopted)).toBe(before + 2);
    });
  });

  describe("relations as objects", () => {
    it("follows supersedes, origin and adoptedFrom links, and a record's city, as objects", async () => {
      const response = await api.graphql<Record<string, unknown>>(
        `query ($v: ID!, $u: ID!) {
          guidelineVersion(id: $v) { supersedes supersedesVersion { id version } originVersion { id } provenance { city { id own handle website } } }
          useCase(id: $u) { adoptedFromUseCase { id provenance { city { id own } } adoptedBy { city adoptingCity { id own } } } }
        }`,
        { v: ourSecondVersion, u: adopted },
        "token-editor",
      );
      expect(response.data).toEqual({
        guidelineVersion: {
          supersedes: ourGuideline,
          supersedesVersion: { id: ourGuideline, version: "1.0" },
          originVersion: null,
          provenance: { city: { id: testActor, own: true, handle: null, website: "https://www.dortmund.example/" } },
        },
        useCase: { adoptedFromUseCase: { id: theirCitizenFacing, provenance: { city: { id: muensterActor, own: false } }, adoptedBy: [] } },
      });
    });

    it("gives a city its guidelines, use cases and models as connections", async () => {
      const response = await api.graphql<{
        cities: { id: string; guidelines: { totalCount: number }; useCases: { totalCount: number; nodes: { id: string }[] }; models: { totalCount: number } }[];
      }>(`{ cities { id guidelines { totalCount } useCases(filter: { directlyAffectsCitizens: false }) { totalCount nodes { id } } models { totalCount } } }`);
      expect(response.data?.cities).toEqual([
        { id: testActor, guidelines: { totalCount: 1 }, useCases: { totalCount: 1, nodes: [{ id: ourInternal }] }, models: { totalCount: 1 } },
        { id: muensterActor, guidelines: { totalCount: 1 }, useCases: { totalCount: 0, nodes: [] }, models: { totalCount: 0 } },
      ]);
    });
  });

  describe("node(id:) and nodes(ids:)", () => {
    const nodes = `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on UseCase { name { de } } ... on City { own } ... on Guideline { current { id } } } }`;

    it("looks up every kind of record, a guideline document and a city by IRI, in the order asked; null for what it does not know or may not show", async () => {
      const document = (await api.records.guidelines.get(ourGuideline))!.documentId;
      const ids = [ourCitizenFacing, ourSecondVersion, model, document, muensterActor, "https://ki.nowhere.example/x", "not an iri", ourDraft];
      const response = await api.graphql<{ nodes: unknown[] }>(nodes, { ids });
      expect(response.data?.nodes).toEqual([
        { __typename: "UseCase", id: ourCitizenFacing, name: { de: "Bürgerchat" } },
        { __typename: "GuidelineVersion", id: ourSecondVersion },
        { __typename: "Model", id: model },
        { __typename: "Guideline", id: document, current: { id: ourSecondVersion } },
        { __typename: "City", id: muensterActor, own: false },
        null,
        null,
        null,
      ]);
      const staff = await api.graphql<{ node: unknown }>(`query ($id: ID!) { node(id: $id) { __typename id } }`, { id: ourDraft }, "token-editor");
      expect(staff.data?.node).toEqual({ __typename: "UseCase", id: ourDraft });
    });

    it("refuses more than 100 ids and prices each", async () => {
      const many = await api.graphql(nodes, { ids: Array.from({ length: 101 }, (_, i) => `https://ki.x.example/${i}`) });
      expect(many.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const one = await api.graphql<{ nodes: unknown[] }>(nodes, { ids: [model] });
      const ten = await api.graphql<{ nodes: unknown[] }>(nodes, { ids: Array.from({ length: 10 }, () => model) });
      const cost = (response: object) => (response as { extensions: { cost: { requestedQueryCost: number } } }).extensions.cost.requestedQueryCost;
      expect(cost(ten)).toBeGreaterThanOrEqual(10 * cost(one) - 10);
    });
  });

  describe("LocalizedText", () => {
    const text = `query ($id: ID!, $lang: String!) { guidelineVersion(id: $id) { title { text(lang: $lang) lang(lang: $lang) } } }`;

    it("says which language it served, by tag, primary language or fallback", async () => {
      const served = async (lang: string) =>
        (await api.graphql<{ guidelineVersion: { title: unknown } }>(text, { id: ourGuideline, lang })).data?.guidelineVersion.title;
      expect(await served("en")).toEqual({ text: "AI guideline Dortmund", lang: "en" });
      expect(await served("en-GB")).toEqual({ text: "AI guideline Dortmund", lang: "en" });
      expect(await served("fr")).toEqual({ text: "KI-Leitlinie Dortmund", lang: "de" });
      expect(await served("DE")).toEqual({ text: "KI-Leitlinie Dortmund", lang: "de" });
    });

    it("refuses a language argument that is not a language tag, without echoing it at length", async () => {
      for (const lang of ["", "../etc/passwd", "de_DE", "<script>", "x".repeat(10_000)]) {
        const response = await api.graphql(text, { id: ourGuideline, lang });
        expect([lang.slice(0, 20), response.errors?.[0]?.extensions?.code]).toEqual([lang.slice(0, 20), "BAD_USER_INPUT"]);
        expect(JSON.stringify(response).length).toBeLessThan(2_000);
      }
    });
  });
});
