import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ruleCatalog } from "@leitplanken/core";
import { guidelineInput, guidelineVia, lockVersionOf, payload, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const rulesQuery = `{ rules { id version severity overridable alwaysApplied title { de en } description { de en } } }`;
const withRuleIds = (ruleIds: string[]) => ({
  ...guidelineInput,
  principles: [{ ...guidelineInput.principles[0], ruleIds }, guidelineInput.principles[1]],
});
const fieldErrors = `... on ValidationError { fieldErrors { path code message { de en } } }`;

describe("the rule catalog in the API", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("lists every rule of the catalog, with titles and descriptions in German and English, to anyone", async () => {
    const { data } = await api.graphql<{ rules: { id: string; severity: string; overridable: boolean; alwaysApplied: boolean; title: { de: string } }[] }>(
      rulesQuery,
    );
    expect(data?.rules.map((rule) => rule.id)).toEqual([...ruleCatalog.keys()]);
    const dortmund = data?.rules.find((rule) => rule.id === "no-automated-action-on-citizens");
    expect(dortmund).toMatchObject({ version: 1, severity: "ERROR", overridable: false, alwaysApplied: true });
    expect(dortmund?.title.de).toContain("Keine automatischen Aktionen");
    expect(data?.rules.find((rule) => rule.id === "sovereign-hosting")).toMatchObject({ severity: "WARNING", overridable: true, alwaysApplied: false });
  });

  it("answers one rule by id, and null for a rule it does not know", async () => {
    const { data } = await api.graphql(`{ known: rule(id: "energy-considered") { id title { en } } unknown: rule(id: "no-such-rule") { id } }`);
    expect(data).toEqual({ known: { id: "energy-considered", title: { en: "Energy use considered" } }, unknown: null });
  });

  it("names the rule behind each result of a check", async () => {
    const guideline = await guidelineVia(api);
    const useCase = await useCaseVia(api, useCaseInput(), "draft");
    const { data } = await api.graphql<{ checkUseCase: { results: { ruleId: string; rule: { title: { en: string } } }[] } }>(
      `query ($u: ID!, $g: ID!) { checkUseCase(useCaseId: $u, guidelineVersionId: $g) { ... on ConformanceReport { results { ruleId rule { title { en } } } } } }`,
      { u: useCase, g: guideline },
      "token-editor",
    );
    expect(data?.checkUseCase.results.find((result) => result.ruleId === "energy-considered")?.rule.title.en).toBe("Energy use considered");
  });

  describe("refuses unknown rule ids at every write", () => {
    const typo = "no-automated-action-on-citizen";

    it("createGuideline", async () => {
      const response = await api.graphql(
        `mutation ($input: GuidelineInput!) { createGuideline(input: $input) { __typename ${fieldErrors} } }`,
        { input: withRuleIds(["energy-considered", typo]) },
        "token-editor",
      );
      const result = payload(response, "createGuideline");
      expect(result.__typename).toBe("ValidationError");
      expect(result["fieldErrors"]).toEqual([
        {
          path: "principles[0].ruleIds[1]",
          code: "unknown-rule",
          message: { de: expect.stringContaining(`„${typo}“`), en: expect.stringContaining("Known rules: no-automated-action-on-citizens,") },
        },
      ]);
      expect((await api.db.query("SELECT id FROM guideline_versions WHERE record::text LIKE $1", [`%"${typo}"%`])).rows).toEqual([]);
    });

    it("updateGuidelineDraft and createGuidelineDraft", async () => {
      const draft = await guidelineVia(api, guidelineInput, { publish: false });
      const update = payload(
        await api.graphql(
          `mutation ($id: ID!, $lockVersion: Int!, $input: GuidelineInput!) { updateGuidelineDraft(versionId: $id, lockVersion: $lockVersion, input: $input) { __typename ${fieldErrors} } }`,
          { id: draft, lockVersion: await lockVersionOf(api, "guidelineVersion", draft), input: withRuleIds([typo]) },
          "token-editor",
        ),
        "updateGuidelineDraft",
      );
      expect(update.__typename).toBe("ValidationError");
      const published = await guidelineVia(api);
      const { data } = await api.graphql<{ guidelineVersion: { guideline: { id: string } } }>(
        `query ($id: ID!) { guidelineVersion(id: $id) { guideline { id } } }`,
        {
          id: published,
        },
      );
      const next = payload(
        await api.graphql(
          `mutation ($id: ID!, $input: GuidelineInput!) { createGuidelineDraft(guidelineId: $id, input: $input) { __typename ${fieldErrors} } }`,
          { id: data?.guidelineVersion.guideline.id, input: { ...withRuleIds([typo]), version: "2.0" } },
          "token-editor",
        ),
        "createGuidelineDraft",
      );
      expect(next.__typename).toBe("ValidationError");
      expect((next["fieldErrors"] as { path: string }[]).map((error) => error.path)).toEqual(["principles[0].ruleIds[0]"]);
    });
  });
});
