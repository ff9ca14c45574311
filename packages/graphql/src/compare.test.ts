import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db/testing";
import { automatedDraftVia, guidelineInput, guidelineVia, payload, peerIdentity, receive, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const muensterGuideline = {
  ...guidelineInput,
  title: { de: "KI-Leitlinie Münster" },
  issuingBody: { name: { de: "Stadt Münster" } },
  principles: [
    {
      key: "menschen-entscheiden",
      statement: { de: "Über Bürgerinnen und Bürger entscheiden Menschen." },
      level: "MUST",
      category: "HUMAN_OVERSIGHT",
      ruleIds: ["no-automated-action-on-citizens"],
    },
    { key: "energie", statement: { de: "Wir messen den Stromverbrauch jedes Systems." }, level: "SHOULD", category: "ENERGY" },
    { key: "offenheit", statement: { de: "Jedes System steht im öffentlichen Register." }, level: "MUST", category: "TRANSPARENCY" },
  ],
};

const compare = `query ($ids: [ID!]!, $lang: String!, $threshold: Float) { compareGuidelines(versionIds: $ids, language: $lang, similarityThreshold: $threshold) {
  __typename
  ... on GuidelineComparison {
    versions { id } language similarityThreshold
    rows { category ruleIds cells { principle { key } alignedBy similarity } }
    diff {
      fromId toId changedFields hasChanges
      sections { kind heading moved body bodyDiff { kind text } }
      principles { kind key moved before { key } after { key } changedFields statementDiff { kind text } }
    }
  }
  ... on TooFewVersionsError { count message { de en } }
  ... on NotFoundError { id }
  ... on ValidationError { fieldErrors { path code message { de en } } }
} }`;

describe.each(storageBackends())("compareGuidelines and useCasesFailingGuideline over HTTP (%s)", (backend) => {
  let api: TestApi;
  let muenster: TestApi;
  let ours: string;
  let ourNext: string;
  let theirs: string;

  beforeAll(async () => {
    [api, muenster] = await Promise.all([startTestApi({ backend }), startTestApi({ backend, deps: { identity: peerIdentity("ki.muenster.example") } })]);
    ours = await guidelineVia(api);
    theirs = await guidelineVia(muenster, muensterGuideline);
    await receive(muenster, api, { guidelines: [theirs] });
    const documentId = (await api.records.guidelines.get(ours))?.documentId;
    const next = await api.graphql(
      `mutation ($doc: ID!, $input: GuidelineInput!) { createGuidelineDraft(guidelineId: $doc, input: $input) { ... on GuidelineVersionSuccess { guidelineVersion { id } } } }`,
      {
        doc: documentId,
        input: {
          ...guidelineInput,
          version: "2.0",
          sections: [
            { heading: { de: "Zweck" }, body: { de: "KI **unterstützt** Menschen im Alltag." } },
            { heading: { de: "Geltung" }, body: { de: "Für alle Ämter." } },
          ],
          principles: [{ ...guidelineInput.principles[0], statement: { de: "KI unterstützt Menschen und ersetzt sie nie." } }],
        },
      },
      "token-editor",
    );
    ourNext = (payload(next, "createGuidelineDraft")["guidelineVersion"] as { id: string }).id;
  });
  afterAll(() => Promise.all([api.close(), muenster.close()]));

  it("aligns principles of two cities by rule id, then by category, and opens rows for the rest", async () => {
    const result = payload(await api.graphql(compare, { ids: [ours, theirs], lang: "de" }), "compareGuidelines");
    expect(result).toMatchObject({ __typename: "GuidelineComparison", versions: [{ id: ours }, { id: theirs }], language: "de", similarityThreshold: 0.5 });
    expect(result["rows"]).toEqual([
      {
        category: "HUMAN_OVERSIGHT",
        ruleIds: ["no-automated-action-on-citizens"],
        cells: [
          { principle: { key: "ai-supports-people" }, alignedBy: "FIRST", similarity: null },
          { principle: { key: "menschen-entscheiden" }, alignedBy: "RULE_ID", similarity: expect.any(Number) },
        ],
      },
      {
        category: "ENERGY",
        ruleIds: ["energy-considered"],
        cells: [
          { principle: { key: "energy" }, alignedBy: "FIRST", similarity: null },
          { principle: { key: "energie" }, alignedBy: "CATEGORY", similarity: expect.any(Number) },
        ],
      },
      { category: "TRANSPARENCY", ruleIds: [], cells: [null, { principle: { key: "offenheit" }, alignedBy: "FIRST", similarity: null }] },
    ]);
  });

  it("diffs two versions of one guideline: sections and principles with word diffs", async () => {
    const result = payload(await api.graphql(compare, { ids: [ours, ourNext], lang: "de" }, "token-editor"), "compareGuidelines");
    expect(result["diff"]).toEqual({
      fromId: ours,
      toId: ourNext,
      changedFields: [],
      hasChanges: true,
      sections: [
        {
          kind: "CHANGED",
          heading: "Zweck",
          moved: false,
          body: null,
          bodyDiff: [
            { kind: "SAME", text: "KI **unterstützt** " },
            { kind: "ADDED", text: "Menschen im Alltag" },
            { kind: "SAME", text: "." },
          ],
        },
        { kind: "ADDED", heading: "Geltung", moved: false, body: "Für alle Ämter.", bodyDiff: null },
      ],
      principles: [
        {
          kind: "CHANGED",
          key: "ai-supports-people",
          moved: false,
          before: { key: "ai-supports-people" },
          after: { key: "ai-supports-people" },
          changedFields: ["statement"],
          statementDiff: [
            { kind: "SAME", text: "KI unterstützt Menschen" },
            { kind: "REMOVED", text: "," },
            { kind: "ADDED", text: " und" },
            { kind: "SAME", text: " ersetzt sie " },
            { kind: "REMOVED", text: "aber nicht" },
            { kind: "ADDED", text: "nie" },
            { kind: "SAME", text: "." },
          ],
        },
        { kind: "REMOVED", key: "energy", moved: false, before: { key: "energy" }, after: null, changedFields: [], statementDiff: null },
      ],
    });
    // Three versions: a matrix, no diff.
    const three = payload(await api.graphql(compare, { ids: [ours, theirs, ourNext], lang: "en" }, "token-editor"), "compareGuidelines");
    expect(three).toMatchObject({ __typename: "GuidelineComparison", language: "en", diff: null });
  });

  it("answers typed payload errors: too few versions, unknown or unpublished (anonymous) version, bad threshold, too many", async () => {
    expect(payload(await api.graphql(compare, { ids: [ours], lang: "de" }), "compareGuidelines")).toMatchObject({
      __typename: "TooFewVersionsError",
      count: 1,
      message: { de: "Zum Vergleichen braucht es mindestens zwei Fassungen (angegeben: 1).", en: "Comparing needs at least two versions (given: 1)." },
    });
    const unknown = "https://ki.nowhere.example/guidelines/x";
    expect(payload(await api.graphql(compare, { ids: [ours, unknown], lang: "de" }), "compareGuidelines")).toEqual({
      __typename: "NotFoundError",
      id: unknown,
    });
    // The draft next version exists, but not for the public.
    expect(payload(await api.graphql(compare, { ids: [ours, ourNext], lang: "de" }), "compareGuidelines")).toEqual({
      __typename: "NotFoundError",
      id: ourNext,
    });
    const threshold = payload(await api.graphql(compare, { ids: [ours, theirs], lang: "de", threshold: 1.5 }), "compareGuidelines");
    expect(threshold).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: "similarityThreshold", code: "out-of-range" }] });
    const many = payload(await api.graphql(compare, { ids: Array.from({ length: 21 }, () => ours), lang: "de" }), "compareGuidelines");
    expect(many).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: "versionIds", code: "too-many" }] });
  });

  it("tells which of our use cases would fail another city's guideline", async () => {
    const automated = await automatedDraftVia(api, "Automatischer Bescheid");
    await useCaseVia(api, useCaseInput({ name: "Auskunft" }), "published", ours);
    const failing = `query ($g: ID!, $local: Boolean) { useCasesFailingGuideline(guidelineVersionId: $g, local: $local) {
      __typename ... on UseCasesFailingGuideline { guidelineVersion { id } checked failing { useCase { id } violations { ruleId principleKey } warnings { ruleId } }
        failingUseCases(last: 1) { totalCount nodes { useCase { id } } pageInfo { hasPreviousPage } } }
      ... on NotFoundError { id } } }`;
    const staff = payload(await api.graphql(failing, { g: theirs }, "token-editor"), "useCasesFailingGuideline");
    expect(staff).toEqual({
      __typename: "UseCasesFailingGuideline",
      guidelineVersion: { id: theirs },
      checked: 2,
      failing: [
        { useCase: { id: automated }, violations: [{ ruleId: "no-automated-action-on-citizens", principleKey: "menschen-entscheiden" }], warnings: [] },
      ],
      failingUseCases: { totalCount: 1, nodes: [{ useCase: { id: automated } }], pageInfo: { hasPreviousPage: false } },
    });
    // The public sees only published use cases checked.
    const anonymous = payload(await api.graphql(failing, { g: theirs }), "useCasesFailingGuideline");
    expect(anonymous).toEqual({
      __typename: "UseCasesFailingGuideline",
      guidelineVersion: { id: theirs },
      checked: 1,
      failing: [],
      failingUseCases: { totalCount: 0, nodes: [], pageInfo: { hasPreviousPage: false } },
    });
    // Received use cases only: none here.
    expect(payload(await api.graphql(failing, { g: theirs, local: false }, "token-editor"), "useCasesFailingGuideline")).toMatchObject({
      checked: 0,
      failing: [],
    });
    expect(payload(await api.graphql(failing, { g: "https://ki.nowhere.example/guidelines/x" }), "useCasesFailingGuideline").__typename).toBe("NotFoundError");
  });

  it("refuses to check more than 1,000 use cases at once and narrows by city", async () => {
    const [template] = (await api.records.useCases.list({ workflowState: "published" }, { first: 1 })).items;
    await api.inTransaction(async (records) => {
      for (let index = 0; index < 1_001; index++) {
        await records.useCases.save({
          ...template!,
          id: `https://ki.essen.example/use-cases/${index}`,
          provenance: {
            source: "received",
            originActor: "https://ki.essen.example/actor",
            originHost: "ki.essen.example",
            receivedAt: "2026-11-20T08:00:00.000Z",
            proofVerified: true,
          },
        });
      }
    });
    const failing = `query ($local: Boolean, $cities: [String!]) { useCasesFailingGuideline(guidelineVersionId: "${theirs}", local: $local, originCities: $cities) {
      ... on UseCasesFailingGuideline { checked } } }`;
    const tooMany = await api.graphql(failing, { local: false });
    expect(tooMany.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(tooMany.errors?.[0]?.message).toContain("More than 1000 use cases to check (1001)");
    expect((await api.graphql(failing, { local: null, cities: ["https://ki.dortmund.example/actor"] })).data).toEqual({
      useCasesFailingGuideline: { checked: 1 },
    });
  });
});
