import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db/testing";
import { automatedDraftVia, guidelineInput, lockVersionOf, payload, useCaseInput } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const now = new Date("2026-11-25T10:00:00.000Z");

const useCaseFields = `id name { de text(lang: "en") } department workflow { state }
  decisionProcess { automationLevel directlyAffectsCitizens }
  vetting { vetter { name role } date result }
  conformance { guidelineVersionId results { ruleId passed } }
  provenance { originCity node local receivedAt proofVerified }`;
const payloadError = `... on PayloadError { __typename message { de en } }`;
const validation = `... on ValidationError { fieldErrors { path code message { de en } } }`;
const invalidTransition = `... on InvalidTransitionError { from fromState action }`;
const violations = `... on RuleViolationsError { results { ruleId principleKey principle { de en } severity passed offendingFields } }`;
const payloadErrors = `${payloadError} ${validation} ${invalidTransition}`;

const createUseCase = `mutation ($input: UseCaseInput!) { createUseCase(input: $input) { __typename ... on UseCaseSuccess { useCase { ${useCaseFields} } } ${payloadError} ${validation} } }`;
const step = (name: string) =>
  `mutation ($id: ID!, $lockVersion: Int!) { ${name}(id: $id, lockVersion: $lockVersion) { __typename ... on UseCaseSuccess { useCase { ${useCaseFields} } } ${payloadError} ${invalidTransition} } }`;
const vet = `mutation ($id: ID!, $lockVersion: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $lockVersion, guidelineVersionId: $g) { __typename ... on UseCaseSuccess { useCase { ${useCaseFields} } } ${payloadErrors} ${violations} } }`;
const createGuideline = `mutation ($input: GuidelineInput!) { createGuideline(input: $input) { __typename ... on GuidelineVersionSuccess { guidelineVersion { id state version guideline { id } } } ${payloadError} ${validation} } }`;
const publishGuideline = `mutation ($id: ID!, $lockVersion: Int!) { publishGuidelineVersion(versionId: $id, lockVersion: $lockVersion) { __typename ... on GuidelineVersionSuccess { guidelineVersion { id state publishedAt } } ${payloadError} ... on GuidelineVersionPublishedError { versionId } } }`;

const count = async (api: TestApi, table: string) => (await api.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n;

describe.each(storageBackends())("GraphQL API over HTTP (%s)", (backend) => {
  let api: TestApi;
  let guidelineVersionId: string;

  beforeAll(async () => {
    api = await startTestApi({ backend, deps: { now: () => now } });
    const created = payload(await api.graphql(createGuideline, { input: guidelineInput }, "token-editor"), "createGuideline");
    guidelineVersionId = (created["guidelineVersion"] as { id: string }).id;
    const published = payload(
      await api.graphql(
        publishGuideline,
        { id: guidelineVersionId, lockVersion: await lockVersionOf(api, "guidelineVersion", guidelineVersionId) },
        "token-editor",
      ),
      "publishGuidelineVersion",
    );
    expect(published.__typename).toBe("GuidelineVersionSuccess");
    expect(await api.outboxEvents()).toEqual([{ type: "published", kind: "guideline", id: guidelineVersionId }]);
  });
  afterAll(() => api.close());

  describe("authentication and roles", () => {
    it("refuses a mutation without a token (UNAUTHENTICATED) and writes nothing", async () => {
      const before = await count(api, "use_cases");
      const response = await api.graphql(createUseCase, { input: useCaseInput() });
      expect(response.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(response.data?.["createUseCase"] ?? null).toBeNull();
      expect(await count(api, "use_cases")).toBe(before);
    });

    it("refuses an unknown or malformed token even for reads", async () => {
      const unknown = await api.graphql("{ useCases { totalCount } }", {}, "no-such-token");
      expect(unknown.status).toBe(401);
      expect(unknown.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      const response = await fetch(api.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Basic abc" },
        body: JSON.stringify({ query: "{ useCases { totalCount } }" }),
      });
      expect(response.status).toBe(401);
    });

    it("refuses the wrong role (FORBIDDEN) and writes nothing", async () => {
      const before = await count(api, "use_cases");
      for (const token of ["token-vetter", "token-moderator"]) {
        const response = await api.graphql(createUseCase, { input: useCaseInput() }, token);
        expect(response.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      }
      const guideline = await api.graphql(createGuideline, { input: guidelineInput }, "token-vetter");
      expect(guideline.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await count(api, "use_cases")).toBe(before);
    });

    it("lets anyone read without a token", async () => {
      const response = await api.graphql("{ useCases { totalCount } guidelines { totalCount } }");
      expect(response.errors).toBeUndefined();
      expect(response.data?.["guidelines"]).toEqual({ totalCount: 1 });
    });
  });

  it("returns bad input as a ValidationError with the field path, in German and English, and writes nothing", async () => {
    const before = await count(api, "use_cases");
    const response = await api.graphql(createUseCase, { input: useCaseInput({ name: "x".repeat(101) }) }, "token-editor");
    const result = payload(response, "createUseCase");
    expect(result.__typename).toBe("ValidationError");
    expect(result["fieldErrors"]).toEqual([
      { path: "name.de", code: "too-long", message: { de: "Höchstens 100 Zeichen erlaubt.", en: "At most 100 characters allowed." } },
    ]);
    expect(await count(api, "use_cases")).toBe(before);
  });

  it("takes a use case through submit, vetting by a named human and publishing", async () => {
    const created = payload(await api.graphql(createUseCase, { input: useCaseInput() }, "token-editor"), "createUseCase");
    const useCase = created["useCase"] as { id: string; workflow: { state: string }; provenance: unknown };
    expect(useCase.workflow.state).toBe("DRAFT");
    expect(useCase.provenance).toEqual({
      originCity: "https://ki.dortmund.example/actor",
      node: "ki.dortmund.example",
      local: true,
      receivedAt: null,
      proofVerified: null,
    });

    const early = payload(
      await api.graphql(step("publishUseCase"), { id: useCase.id, lockVersion: await lockVersionOf(api, "useCase", useCase.id) }, "token-editor"),
      "publishUseCase",
    );
    expect(early).toMatchObject({ __typename: "InvalidTransitionError", from: "draft", fromState: "DRAFT", action: "publish" });

    expect(
      payload(
        await api.graphql(step("submitUseCase"), { id: useCase.id, lockVersion: await lockVersionOf(api, "useCase", useCase.id) }, "token-editor"),
        "submitUseCase",
      ).__typename,
    ).toBe("UseCaseSuccess");
    const eventsBefore = (await api.outboxEvents()).length;
    const editorVets = await api.graphql(
      vet,
      { id: useCase.id, lockVersion: await lockVersionOf(api, "useCase", useCase.id), g: guidelineVersionId },
      "token-editor",
    );
    expect(editorVets.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const vetted = payload(
      await api.graphql(vet, { id: useCase.id, lockVersion: await lockVersionOf(api, "useCase", useCase.id), g: guidelineVersionId }, "token-vetter"),
      "vetUseCase",
    );
    expect(vetted.__typename).toBe("UseCaseSuccess");
    expect(vetted["useCase"]).toMatchObject({
      workflow: { state: "VETTED" },
      vetting: { vetter: { name: "Max Mustermann", role: "vetter" }, date: now.toISOString(), result: "PASSED" },
      conformance: { guidelineVersionId },
    });
    const published = payload(
      await api.graphql(step("publishUseCase"), { id: useCase.id, lockVersion: await lockVersionOf(api, "useCase", useCase.id) }, "token-editor"),
      "publishUseCase",
    );
    expect(published["useCase"]).toMatchObject({ workflow: { state: "PUBLISHED" } });
    // Only publishing federates; submitting and vetting stay on the node.
    expect((await api.outboxEvents()).slice(eventsBefore)).toEqual([{ type: "published", kind: "use-case", id: useCase.id }]);
    const stored = await api.records.useCases.get(useCase.id);
    expect(stored?.vetting).toEqual({ vetter: { name: "Max Mustermann", role: "vetter" }, date: now.toISOString(), result: "passed" });
  });

  it("two vetters at once on one use case: exactly one vets it, the other gets a ConflictError in German and English and changes nothing", async () => {
    const created = payload(await api.graphql(createUseCase, { input: useCaseInput({ name: "Gleichzeitig geprüft" }) }, "token-editor"), "createUseCase");
    const id = (created["useCase"] as { id: string }).id;
    await api.graphql(step("submitUseCase"), { id, lockVersion: await lockVersionOf(api, "useCase", id) }, "token-editor");
    const read = await lockVersionOf(api, "useCase", id);
    const conflict = `... on ConflictError { id currentLockVersion message { de en } }`;
    const vetRacing = `mutation ($id: ID!, $lockVersion: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $lockVersion, guidelineVersionId: $g) {
      __typename ... on UseCaseSuccess { useCase { lockVersion vetting { vetter { name } } } } ${conflict} } }`;
    const answers = await Promise.all(
      ["token-vetter", "token-admin"].map(async (token) =>
        payload(await api.graphql(vetRacing, { id, lockVersion: read, g: guidelineVersionId }, token), "vetUseCase"),
      ),
    );
    expect(answers.map((answer) => answer.__typename).sort()).toEqual(["ConflictError", "UseCaseSuccess"]);
    const winner = answers.find((answer) => answer.__typename === "UseCaseSuccess")!;
    expect(winner["useCase"]).toMatchObject({ lockVersion: read + 1 });
    expect(answers.find((answer) => answer.__typename === "ConflictError")).toEqual({
      __typename: "ConflictError",
      id,
      currentLockVersion: read + 1,
      message: {
        de: expect.stringContaining("inzwischen von jemand anderem geändert"),
        en: expect.stringContaining("changed by someone else since you opened it"),
      },
    });
    const stored = await api.records.useCases.get(id);
    expect(stored?.vetting?.vetter.name).toBe((winner["useCase"] as { vetting: { vetter: { name: string } } }).vetting.vetter.name);
    // Publishing with the version read before the vetting is refused the same way.
    const stale = payload(await api.graphql(step("publishUseCase"), { id, lockVersion: read }, "token-editor"), "publishUseCase");
    expect(stale.__typename).toBe("ConflictError");
    expect(stored?.workflow.state).toBe("vetted");
  });

  it("never lets the Dortmund rule be vetted away, by any role, and quotes the principle", async () => {
    // Refused when it is written …
    const created = payload(
      await api.graphql(
        createUseCase,
        { input: useCaseInput({ name: "Automatischer Bescheid", automationLevel: "AUTOMATED_ACTION", directlyAffectsCitizens: true }) },
        "token-editor",
      ),
      "createUseCase",
    );
    expect(created).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [
        { path: "decisionProcess.automationLevel", code: "no-automated-action-on-citizens" },
        { path: "decisionProcess.directlyAffectsCitizens", code: "no-automated-action-on-citizens" },
      ],
    });
    // … and at vetting, for one stored before that.
    const id = await automatedDraftVia(api, "Automatischer Bescheid");
    await api.graphql(step("submitUseCase"), { id, lockVersion: await lockVersionOf(api, "useCase", id) }, "token-editor");
    for (const token of ["token-vetter", "token-admin"]) {
      const refused = payload(await api.graphql(vet, { id, lockVersion: await lockVersionOf(api, "useCase", id), g: guidelineVersionId }, token), "vetUseCase");
      expect(refused.__typename).toBe("RuleViolationsError");
      expect((refused["message"] as { en: string }).en).toContain("no-automated-action-on-citizens");
      const results = refused["results"] as {
        ruleId: string;
        passed: boolean;
        severity: string;
        principle: { de: string; en: string };
        offendingFields: string[];
      }[];
      expect(results.find((result) => result.ruleId === "no-automated-action-on-citizens")).toEqual(
        expect.objectContaining({
          passed: false,
          severity: "ERROR",
          principleKey: "ai-supports-people",
          principle: { de: "KI unterstützt Menschen, ersetzt sie aber nicht.", en: "AI supports people but does not replace them." },
          offendingFields: ["decisionProcess.automationLevel", "decisionProcess.directlyAffectsCitizens"],
        }),
      );
    }
    const stored = await api.records.useCases.get(id);
    expect(stored?.workflow.state).toBe("submitted");
    expect(stored?.vetting).toBeUndefined();
  });

  describe("guideline versions", () => {
    it("cannot edit a published version, and keeps history when the next version is published", async () => {
      const update = `mutation ($id: ID!, $lockVersion: Int!, $input: GuidelineInput!) { updateGuidelineDraft(versionId: $id, lockVersion: $lockVersion, input: $input) { __typename ${payloadError} ${validation} ... on GuidelineVersionPublishedError { versionId } } }`;
      const refused = payload(
        await api.graphql(
          update,
          {
            id: guidelineVersionId,
            lockVersion: await lockVersionOf(api, "guidelineVersion", guidelineVersionId),
            input: { ...guidelineInput, title: { de: "Geändert" } },
          },
          "token-editor",
        ),
        "updateGuidelineDraft",
      );
      expect(refused).toMatchObject({ __typename: "GuidelineVersionPublishedError", versionId: guidelineVersionId });
      expect((await api.records.guidelines.get(guidelineVersionId))?.title).toEqual(guidelineInput.title);

      const documentId = (await api.records.guidelines.get(guidelineVersionId))?.documentId;
      const draftNext = `mutation ($doc: ID!, $input: GuidelineInput!) { createGuidelineDraft(guidelineId: $doc, input: $input) { __typename ... on GuidelineVersionSuccess { guidelineVersion { id state supersedes } } ${payloadErrors} } }`;
      const taken = payload(await api.graphql(draftNext, { doc: documentId, input: guidelineInput }, "token-editor"), "createGuidelineDraft");
      expect(taken.__typename).toBe("VersionLabelTakenError");
      const next = payload(
        await api.graphql(draftNext, { doc: documentId, input: { ...guidelineInput, version: "2.0" } }, "token-editor"),
        "createGuidelineDraft",
      );
      const nextVersion = next["guidelineVersion"] as { id: string; state: string; supersedes: string };
      expect(nextVersion).toMatchObject({ state: "DRAFT", supersedes: guidelineVersionId });
      expect(
        payload(
          await api.graphql(publishGuideline, { id: nextVersion.id, lockVersion: await lockVersionOf(api, "guidelineVersion", nextVersion.id) }, "token-admin"),
          "publishGuidelineVersion",
        ).__typename,
      ).toBe("GuidelineVersionSuccess");

      const read = await api.graphql(
        `query ($id: ID!) { guideline(id: $id) { id current { version history { version guidelineVersion { id } } } draft { id } versions { version state } } }`,
        { id: documentId },
      );
      expect(read.data?.["guideline"]).toEqual({
        id: documentId,
        current: { version: "2.0", history: [{ version: "1.0", guidelineVersion: { id: guidelineVersionId } }] },
        draft: null,
        versions: [
          { version: "1.0", state: "PUBLISHED" },
          { version: "2.0", state: "PUBLISHED" },
        ],
      });
      const earlier = await api.graphql<{ guideline: { current: { earlierVersions: unknown } } }>(
        `query ($id: ID!) { guideline(id: $id) { current { earlierVersions(first: 1) { totalCount nodes { version } pageInfo { hasNextPage } } } } }`,
        { id: documentId },
      );
      expect(earlier.data?.guideline.current.earlierVersions).toEqual({ totalCount: 1, nodes: [{ version: "1.0" }], pageInfo: { hasNextPage: false } });
      // Later tests check against the first version: it stays readable and published.
    });
  });

  describe("lists and checks", () => {
    beforeAll(async () => {
      for (const [index, department] of ["Tiefbau", "Tiefbau", "Tiefbau", "Jugendamt", "Jugendamt"].entries()) {
        const input = useCaseInput({
          name: `Fall ${index}`,
          department,
          automationLevel: index % 2 === 0 ? "DECISION_SUPPORT" : "HUMAN_APPROVES_EACH_ACTION",
          directlyAffectsCitizens: false,
        });
        expect(payload(await api.graphql(createUseCase, { input }, "token-editor"), "createUseCase").__typename).toBe("UseCaseSuccess");
      }
    });

    it("filters and pages through use cases with cursors", async () => {
      const list = `query ($filter: UseCaseFilter, $first: Int!, $after: String) { useCases(filter: $filter, first: $first, after: $after) { totalCount nodes { name { de } department } pageInfo { hasNextPage endCursor } } }`;
      const names: string[] = [];
      type ListPage = { totalCount: number; nodes: { name: { de: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      let after: string | null = null;
      for (let pageNumber = 0; pageNumber < 5; pageNumber++) {
        const response: { data?: { useCases: ListPage } } = await api.graphql<{ useCases: ListPage }>(
          list,
          { filter: { department: "Tiefbau" }, first: 2, after },
          "token-editor",
        );
        const page: ListPage = response.data!.useCases;
        expect(page.totalCount).toBe(3);
        names.push(...page.nodes.map((node) => node.name.de));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(names).toEqual(["Fall 2", "Fall 1", "Fall 0"]);

      const automated = await api.graphql(
        list,
        { filter: { automationLevel: "HUMAN_APPROVES_EACH_ACTION", directlyAffectsCitizens: false }, first: 10 },
        "token-editor",
      );
      expect((automated.data?.["useCases"] as { nodes: { name: { de: string } }[] }).nodes.map((node) => node.name.de)).toEqual(["Fall 3", "Fall 1"]);
      const search = await api.graphql(list, { filter: { search: "Bescheid" }, first: 10 }, "token-editor");
      expect((search.data?.["useCases"] as { totalCount: number }).totalCount).toBe(1);

      const tooMany = await api.graphql(list, { first: 101 });
      expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const badCursor = await api.graphql(list, { first: 1, after: "not-a-cursor" });
      expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    });

    it("checks a stored or an unsaved use case against a guideline version, naming the principles", async () => {
      const check = `query ($id: ID, $input: UseCaseInput, $g: ID!) { checkUseCase(useCaseId: $id, useCase: $input, guidelineVersionId: $g) {
        __typename ... on ConformanceReport { passed guidelineVersion { id } results { ruleId passed principle { en } } } ${payloadError} ${validation} } }`;
      const unsaved = payload(
        await api.graphql(check, { input: { ...useCaseInput({ automationLevel: "AUTOMATED_ACTION" }), energy: null }, g: guidelineVersionId }),
        "checkUseCase",
      );
      expect(unsaved).toMatchObject({ __typename: "ConformanceReport", passed: false, guidelineVersion: { id: guidelineVersionId } });
      const failed = (unsaved["results"] as { ruleId: string; passed: boolean; principle: { en: string } }[]).filter((result) => !result.passed);
      expect(failed).toEqual(
        expect.arrayContaining([
          { ruleId: "no-automated-action-on-citizens", passed: false, principle: { en: "AI supports people but does not replace them." } },
          { ruleId: "energy-considered", passed: false, principle: { en: "Energy use is always considered." } },
        ]),
      );
      const stored = await api.records.useCases.list({ department: "Jugendamt" }, { first: 1 });
      const passing = payload(await api.graphql(check, { id: stored.items[0]?.id, g: guidelineVersionId }, "token-editor"), "checkUseCase");
      expect(passing).toMatchObject({ __typename: "ConformanceReport", passed: true });

      const neither = payload(await api.graphql(check, { g: guidelineVersionId }), "checkUseCase");
      expect(neither).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ path: "useCaseId", code: "one-of-required" }] });
      const missing = payload(await api.graphql(check, { id: stored.items[0]?.id, g: "https://nowhere.example/guideline/x" }), "checkUseCase");
      expect(missing.__typename).toBe("NotFoundError");
    });
  });

  describe("limits", () => {
    it("refuses queries deeper than the depth limit", async () => {
      const deep = `{ useCases { nodes { models { model { usedBy { nodes { models { model { usedBy { nodes { models { model { id } } } } } } } } } } } } }`;
      const response = await api.graphql(deep);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    });

    it("refuses queries whose estimated cost is too high", async () => {
      const costly = `{ useCases(first: 100) { nodes { models { model { usedBy(first: 100) { nodes { id name { de en } department } } } } } } }`;
      const response = await api.graphql(costly);
      expect(response.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
      expect(response.data).toBeUndefined();
    });
  });
});
