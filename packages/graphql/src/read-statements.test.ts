import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type Adoption, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createAdoptionRepository, type Queryable } from "@leitplanken/db";
import { startTestApi, testIdentity, type TestApi } from "./testing/test-api.ts";

/**
 * What a use case's page and `checkUseCase` cost in SQL statements (issue #16: the bound is one
 * statement): the use case with its models and its verified adoptions is one read, the guideline
 * and the use case of a check another; the answers are those of the loaders' reads kind by kind.
 */
describe("read paths in one statement", () => {
  let api: TestApi;
  let statements: string[] = [];
  const counted = (db: Queryable): Queryable => ({
    query: (text, params) => {
      statements.push(text.trim());
      return db.query(text, params);
    },
    exec: (sql) => {
      statements.push(sql.trim());
      return db.exec(sql);
    },
  });
  const demo = demoRecords({ actor: testIdentity.actor, iri: (kind, slug) => `${testIdentity.origin}/${kind}/${slug}`, now: new Date("2026-11-25T10:00:00Z") });
  const published = demo.useCases.filter((useCase) => useCase.workflow.state === "published");
  const richest = published.reduce((best, useCase) => (useCase.models.length > best.models.length ? useCase : best));
  const draft = demo.useCases.find((useCase) => useCase.workflow.state !== "published") as UseCase;
  const adoptionBy = (host: string, proofVerified: boolean): Adoption => ({
    id: `https://${host}/adoption/1`,
    adopter: `https://${host}/actor`,
    adoptingUseCase: `https://${host}/use-case/1`,
    origin: { useCase: richest.id, actor: testIdentity.actor },
    publishedAt: "2026-10-01T00:00:00Z",
    provenance: { source: "received", originActor: `https://${host}/actor`, originHost: host, receivedAt: "2026-10-01T01:00:00Z", proofVerified },
  });
  const detail = `fragment Shown on UseCase { models { modelId model { id name { de } lockVersion } } }
    query ($id: ID!) { useCase(id: $id) { id lockVersion name { de } ...Shown adoptions(first: 10) { totalCount nodes { city } } } }`;

  beforeAll(async () => {
    api = await startTestApi({ observeDatabase: counted });
    for (const guideline of demo.guidelines) await api.records.guidelines.save(guideline);
    for (const model of demo.models) await api.records.sharedModels.save(model);
    for (const useCase of demo.useCases) await api.records.useCases.save(useCase);
    const adoptions = createAdoptionRepository(api.db);
    await adoptions.save(adoptionBy("ki.muenster.example", true));
    await adoptions.save(adoptionBy("ki.unverified.example", false));
  });
  afterAll(() => api.close());

  const measured = async (query: string, variables: Record<string, unknown>, token?: string) => {
    statements = [];
    const response = await api.graphql(query, variables, token);
    expect(response.errors).toBeUndefined();
    return { data: response.data, statements: [...statements] };
  };

  it("reads a use case with its models and its verified adoptions in one statement, answering as the reads kind by kind", async () => {
    expect(richest.models.length).toBeGreaterThan(0);
    const together = await measured(detail, { id: richest.id });
    expect(together.statements).toHaveLength(1);
    // The same fields asked one kind at a time (each through its own loader).
    const record = await measured(`query ($id: ID!) { useCase(id: $id) { id lockVersion name { de } models { modelId } } }`, { id: richest.id });
    expect(record.statements).toHaveLength(1);
    const models = await Promise.all(
      richest.models.map(
        async (reference) => (await api.graphql(`query ($id: ID!) { model(id: $id) { id name { de } lockVersion } }`, { id: reference.model })).data?.["model"],
      ),
    );
    expect(together.data).toEqual({
      useCase: {
        ...(record.data?.["useCase"] as object),
        models: richest.models.map((reference, index) => ({ modelId: reference.model, model: models[index] })),
        adoptions: { totalCount: 1, nodes: [{ city: "https://ki.muenster.example/actor" }] },
      },
    });
  });

  it("keeps drafts from anonymous callers on that path too", async () => {
    const anonymous = await measured(detail, { id: draft.id });
    expect(anonymous.data).toEqual({ useCase: null });
    const staff = await measured(detail, { id: draft.id }, "token-editor");
    expect(staff.data?.["useCase"]).toMatchObject({ id: draft.id });
    expect(staff.statements).toHaveLength(1);
  });

  it("checks a stored use case against a guideline with one statement", async () => {
    const check = `query ($id: ID!, $g: ID!) { checkUseCase(useCaseId: $id, guidelineVersionId: $g) {
      __typename ... on ConformanceReport { passed results { ruleId passed } } ... on NotFoundError { id } } }`;
    const checked = await measured(check, { id: richest.id, g: demo.guidelines[0]!.id });
    expect(checked.data?.["checkUseCase"]).toMatchObject({ __typename: "ConformanceReport" });
    expect(checked.statements).toHaveLength(1);
    const missing = await measured(check, { id: `${testIdentity.origin}/use-case/none`, g: demo.guidelines[0]!.id });
    expect(missing.data?.["checkUseCase"]).toEqual({ __typename: "NotFoundError", id: `${testIdentity.origin}/use-case/none` });
    // A draft is not found for an anonymous caller.
    const hidden = await measured(check, { id: draft.id, g: demo.guidelines[0]!.id });
    expect(hidden.data?.["checkUseCase"]).toEqual({ __typename: "NotFoundError", id: draft.id });
  });
});
