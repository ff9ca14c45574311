// The register's search in German and English on both backends: stems, prefixes, compound words,
// stop words, hostile input, and that the compound-word match uses its index.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type GuidelineRepository, type SharedModelRepository, totalOf, type UseCase, type UseCaseRepository } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createGuidelineRepository } from "./guideline.repository.ts";
import { createSharedModelRepository } from "./model.repository.ts";
import { createUseCaseRepository } from "./use-case.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const demo = demoRecords({
  actor: "https://ki.dortmund.example/actor",
  iri: (kind, slug) => `https://ki.dortmund.example/${kind}/${slug}`,
  now: new Date("2026-10-01T00:00:00Z"),
});

describe.each(storageBackends())("search on %s", (backend) => {
  let db: TestDatabase;
  let useCases: UseCaseRepository;
  let guidelines: GuidelineRepository;
  let models: SharedModelRepository;
  const names = async (search: string) => (await useCases.list({ search }, { first: 100 })).items.map((useCase) => useCase.name.de ?? useCase.name.en);

  beforeAll(async () => {
    db = await testDatabase({ backend });
    useCases = createUseCaseRepository(db);
    guidelines = createGuidelineRepository(db);
    models = createSharedModelRepository(db);
    for (const model of demo.models) await models.save(model);
    for (const guideline of demo.guidelines) await guidelines.save(guideline);
    for (const useCase of demo.useCases) await useCases.save(useCase);
    // An English-only use case: English text is stemmed as English.
    const english: UseCase = {
      ...demo.useCases[0]!,
      id: "https://ki.dortmund.example/use-case/permits",
      name: { en: "Decision support for building permits" },
      shortDescription: { en: "Suggests which documents are missing from an application." },
      purpose: { en: "Faster decisions on applications." },
    };
    await useCases.save(english);
  });
  afterAll(() => db.close());

  it('finds "Straßenschäden" by "Straße", "Strasse" and "Schäden" (compound words, ß and umlauts)', async () => {
    for (const word of ["Straße", "Strasse", "straße", "Schäden", "schaeden".replace("ae", "ä"), "STRASSENSCHÄDEN"]) {
      expect(await names(word)).toContain("Erkennung von Straßenschäden");
    }
  });

  it('finds the use case about "Bürgerservice" by "Bürger" and "Service", and "Chatbot" by "Chatbots"', async () => {
    expect(await names("Bürger")).toContain("Chatbot für Fragen zum Bürgerservice");
    expect(await names("service")).toContain("Chatbot für Fragen zum Bürgerservice");
    expect(await names("Chatbots")).toContain("Chatbot für Fragen zum Bürgerservice");
    expect(await names("chat")).toContain("Chatbot für Fragen zum Bürgerservice");
  });

  it("stems English text as English and needs every word, ignoring stop words", async () => {
    expect(await names("decisions")).toEqual(["Decision support for building permits"]);
    expect(await names("permit applications")).toEqual(["Decision support for building permits"]);
    expect(await names("die Straße")).toEqual(["Erkennung von Straßenschäden"]);
    expect(await names("Straße Chatbot")).toEqual([]);
    expect(await names("Quantencomputer")).toEqual([]);
  });

  it("searches guidelines (title, principles, sections) and models the same way", async () => {
    expect(await totalOf(await guidelines.list({ search: "Energie" }, { first: 10 }))).toBeGreaterThan(0);
    expect(await totalOf(await guidelines.list({ search: "verantwortlich" }, { first: 10 }))).toBeGreaterThan(0);
    expect(await totalOf(await models.list({ search: "Schlagloch" }, { first: 10 }))).toBe(1);
  });

  it("takes hostile input as plain words: no syntax error, no wildcard, no injection", async () => {
    for (const input of ["'; DROP TABLE use_cases; --", "%", "_", "a:* & !b | (c", "\\\\", "<script>", "🙂", " ", "x".repeat(5_000), "Straße\u0000"]) {
      await expect(useCases.list({ search: input }, { first: 5 })).resolves.toBeDefined();
    }
    expect(await names("%")).toEqual(expect.any(Array));
    expect(await totalOf(await useCases.list({ search: "%" }, { first: 100 }))).toBe(await totalOf(await useCases.list({}, { first: 100 })));
    expect(await names("Straße%")).toContain("Erkennung von Straßenschäden");
    expect((await db.query<{ n: number }>("SELECT count(*) AS n FROM use_cases")).rows[0]?.n).toBe(demo.useCases.length + 1);
  });

  it("uses the trigram index for words inside compounds (the work stays bounded as the register grows)", async () => {
    const plan = await db.transaction(async (tx) => {
      await tx.query("SET LOCAL enable_seqscan = off");
      const rows = await tx.query<{ "QUERY PLAN": string }>("EXPLAIN SELECT id FROM use_cases WHERE search_text LIKE $1", ["%schaden%"]);
      return rows.rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("use_cases_search_text");
  });
});
