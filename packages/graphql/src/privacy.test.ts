import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db/testing";
import { guidelineInput, guidelineVia, lockVersionOf, payload, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const listUseCases = `query ($filter: UseCaseFilter, $first: Int!, $after: String) {
  useCases(filter: $filter, first: $first, after: $after) { totalCount nodes { id workflow { state } } pageInfo { hasNextPage endCursor } } }`;
const listGuidelines = `query ($filter: GuidelineFilter) { guidelines(filter: $filter) { totalCount nodes { id state } } }`;
const sendBack = `mutation ($id: ID!, $lockVersion: Int!) { sendBackUseCase(id: $id, lockVersion: $lockVersion, reason: { de: "Bitte die Datenschutz-Folgenabschätzung nachreichen." }) { __typename } }`;

type UseCasePage = { totalCount: number; nodes: { id: string; workflow: { state: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe.each(storageBackends())("what anonymous callers see: the transparency register (%s)", (backend) => {
  let api: TestApi;
  let published: string;
  let draftVersion: string;
  let draftOnlyDocument: string;
  const useCases: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi({ backend });
    published = await guidelineVia(api);
    const documentId = (await api.records.guidelines.get(published))?.documentId;
    const next = await api.graphql(
      `mutation ($doc: ID!, $input: GuidelineInput!) { createGuidelineDraft(guidelineId: $doc, input: $input) { ... on GuidelineVersionSuccess { guidelineVersion { id } } } }`,
      { doc: documentId, input: { ...guidelineInput, version: "2.0" } },
      "token-editor",
    );
    draftVersion = (payload(next, "createGuidelineDraft")["guidelineVersion"] as { id: string }).id;
    const onlyDraft = await guidelineVia(api, { ...guidelineInput, title: { de: "Nur ein Entwurf" } }, { publish: false });
    draftOnlyDocument = (await api.records.guidelines.get(onlyDraft))?.documentId ?? "";

    // Interleaved, so that a filter applied after paging would show in the page sizes.
    for (const state of ["published", "draft", "submitted", "published", "vetted", "retired", "published", "draft"] as const) {
      useCases[`${state}-${Object.keys(useCases).length}`] = await useCaseVia(api, useCaseInput({ name: `Fall ${state}` }), state, published);
    }
    // Sent back once, then revised, vetted and published: the vetter's reason stays internal.
    const sentBackOnce = await useCaseVia(api, useCaseInput({ name: "Zurückgegeben" }), "submitted", published);
    expect(
      payload(
        await api.graphql(sendBack, { id: sentBackOnce, lockVersion: await lockVersionOf(api, "useCase", sentBackOnce) }, "token-vetter"),
        "sendBackUseCase",
      ).__typename,
    ).toBe("UseCaseSuccess");
    useCases["sent-back"] = sentBackOnce;
  });
  afterAll(() => api.close());

  const ids = (state: string) =>
    Object.entries(useCases)
      .filter(([key]) => key.startsWith(`${state}-`))
      .map(([, id]) => id);

  it("lists only published use cases, counted and paged in the stored query", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const response = await api.graphql<{ useCases: UseCasePage }>(listUseCases, { first: 2, after });
      const list: UseCasePage = response.data!.useCases;
      expect(list.totalCount).toBe(3);
      expect(list.nodes.length).toBe(page === 0 ? 2 : 1);
      seen.push(...list.nodes.map((node) => node.id));
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(ids("published").sort());

    const retired = await api.graphql<{ useCases: UseCasePage }>(listUseCases, { filter: { workflowState: "RETIRED" }, first: 10 });
    expect(retired.data?.useCases.nodes.map((node) => node.id)).toEqual(ids("retired"));
    for (const workflowState of ["DRAFT", "SUBMITTED", "VETTED"]) {
      const hidden = await api.graphql<{ useCases: UseCasePage }>(listUseCases, { filter: { workflowState }, first: 10 });
      expect(hidden.data?.useCases).toEqual({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    }
    // Staff see everything.
    const staff = await api.graphql<{ useCases: UseCasePage }>(listUseCases, { first: 100 }, "token-vetter");
    expect(staff.data?.useCases.totalCount).toBe(Object.keys(useCases).length);
  });

  it("answers null for an unpublished use case and hides why a vetter sent one back", async () => {
    const read = `query ($id: ID!) { useCase(id: $id) { id workflow { state sentBack { by reason { de } } } } }`;
    for (const id of [...ids("draft"), ...ids("submitted"), ...ids("vetted"), useCases["sent-back"]]) {
      expect((await api.graphql(read, { id })).data?.["useCase"]).toBeNull();
    }
    expect((await api.graphql(read, { id: ids("retired")[0] })).data?.["useCase"]).toMatchObject({ workflow: { state: "RETIRED" } });
    const forStaff = await api.graphql(read, { id: useCases["sent-back"] }, "token-editor");
    expect(forStaff.data?.["useCase"]).toMatchObject({
      workflow: { state: "DRAFT", sentBack: { by: "Max Mustermann", reason: { de: "Bitte die Datenschutz-Folgenabschätzung nachreichen." } } },
    });

    const check = `query ($id: ID!, $g: ID!) { checkUseCase(useCaseId: $id, guidelineVersionId: $g) { __typename } }`;
    expect(payload(await api.graphql(check, { id: ids("draft")[0], g: published }), "checkUseCase").__typename).toBe("NotFoundError");
    expect(payload(await api.graphql(check, { id: ids("draft")[0], g: published }, "token-editor"), "checkUseCase").__typename).toBe("ConformanceReport");
  });

  it("hides the sent-back reason on a use case that was published later", async () => {
    const id = useCases["sent-back"] as string;
    await api.graphql(
      `mutation ($id: ID!, $lockVersion: Int!) { submitUseCase(id: $id, lockVersion: $lockVersion) { __typename } }`,
      { id, lockVersion: await lockVersionOf(api, "useCase", id) },
      "token-editor",
    );
    await api.graphql(
      `mutation ($id: ID!, $lockVersion: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $lockVersion, guidelineVersionId: $g) { __typename } }`,
      { id, lockVersion: await lockVersionOf(api, "useCase", id), g: published },
      "token-vetter",
    );
    await api.graphql(
      `mutation ($id: ID!, $lockVersion: Int!) { publishUseCase(id: $id, lockVersion: $lockVersion) { __typename } }`,
      { id, lockVersion: await lockVersionOf(api, "useCase", id) },
      "token-editor",
    );
    const read = `query ($id: ID!) { useCase(id: $id) { workflow { state sentBack { reason { de } } } } }`;
    expect((await api.graphql(read, { id })).data?.["useCase"]).toEqual({ workflow: { state: "PUBLISHED", sentBack: null } });
    expect((await api.records.useCases.get(id))?.workflow.sentBack).toBeDefined();
  });

  it("lists, reads and counts published guideline versions only", async () => {
    const all = await api.graphql(listGuidelines, { filter: { currentOnly: false } });
    expect(all.data?.["guidelines"]).toEqual({ totalCount: 1, nodes: [{ id: published, state: "PUBLISHED" }] });
    expect((await api.graphql(listGuidelines, { filter: { currentOnly: false, state: "DRAFT" } })).data?.["guidelines"]).toEqual({ totalCount: 0, nodes: [] });
    expect((await api.graphql(listGuidelines, { filter: { currentOnly: false } }, "token-editor")).data?.["guidelines"]).toMatchObject({ totalCount: 3 });

    const version = `query ($id: ID!) { guidelineVersion(id: $id) { id } }`;
    expect((await api.graphql(version, { id: draftVersion })).data?.["guidelineVersion"]).toBeNull();
    expect((await api.graphql(version, { id: draftVersion }, "token-vetter")).data?.["guidelineVersion"]).toEqual({ id: draftVersion });

    const document = `query ($id: ID!) { guideline(id: $id) { current { id } draft { id } versions { id } allVersions { totalCount nodes { id } } } }`;
    const documentId = (await api.records.guidelines.get(published))?.documentId;
    expect((await api.graphql(document, { id: documentId })).data?.["guideline"]).toEqual({
      current: { id: published },
      draft: null,
      versions: [{ id: published }],
      allVersions: { totalCount: 1, nodes: [{ id: published }] },
    });
    expect((await api.graphql(document, { id: documentId }, "token-editor")).data?.["guideline"]).toMatchObject({
      draft: { id: draftVersion },
      allVersions: { totalCount: 2, nodes: [{ id: published }, { id: draftVersion }] },
    });
    expect((await api.graphql(document, { id: draftOnlyDocument })).data?.["guideline"]).toBeNull();
  });

  it("does not count a moderator as staff for unpublished records", async () => {
    const response = await api.graphql<{ useCases: UseCasePage }>(listUseCases, { first: 100 }, "token-moderator");
    expect(response.data?.useCases.totalCount).toBe(ids("published").length + 1);
  });
});
