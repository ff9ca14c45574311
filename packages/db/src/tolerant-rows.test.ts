import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { demoRecords } from "@leitplanken/core/demo";
import { createSharedModelRepository } from "./model.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";
import { createUseCaseRepository } from "./use-case.repository.ts";

// Rows written by another version of Leitplanken: a later one (fields this one does not know) or
// one with other limits. Reading them never throws; what this version knows is read as usual.
const demo = demoRecords({
  actor: "https://ki.example.org/actors/stadt",
  iri: (kind, slug) => `https://ki.example.org/${kind}/${slug}`,
  now: new Date("2026-01-01T00:00:00Z"),
});

describe.each(storageBackends())("stored rows of other versions on %s", (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase({ backend });
  });
  afterAll(async () => {
    await db.close();
  });

  it("reads a row with fields this version does not know, at any depth, and sets them aside", async () => {
    const useCases = createUseCaseRepository(db);
    const useCase = demo.useCases[0]!;
    await useCases.save(useCase);
    await db.query(
      `UPDATE use_cases SET record = jsonb_set(record || '{"carbonLabel":"A+"}'::jsonb, '{decisionProcess,explainability}', '{"de":"Gründe"}'::jsonb) WHERE id = $1`,
      [useCase.id],
    );
    expect(await useCases.get(useCase.id)).toEqual(useCase);
    expect((await useCases.list({}, { first: 10 })).items).toContainEqual(useCase);
  });

  it("returns a row that breaks a rule added since as it is stored, instead of failing the page", async () => {
    const models = createSharedModelRepository(db);
    const [model, other] = demo.models;
    await models.save(model!);
    await models.save(other!);
    // E.g. a rule a later version introduced, or a licence list this version no longer has: the licence no longer validates.
    await db.query(`UPDATE shared_models SET record = record || '{"licence":"Not-A-Licence"}'::jsonb WHERE id = $1`, [model!.id]);
    const stored = await models.get(model!.id);
    expect(stored).toMatchObject({ id: model!.id, licence: "Not-A-Licence" });
    const page = await models.list({}, { first: 10 });
    expect(page.items.map((item) => item.id).sort()).toEqual([model!.id, other!.id].sort());
  });
});
