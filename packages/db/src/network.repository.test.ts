import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  type Adoption,
  buildLineage,
  euCountryCodes,
  type Guideline,
  lineageOf,
  networkStatistics,
  type NetworkCity,
  type Page,
  type SharedModel,
  totalOf,
  type UseCase,
} from "@leitplanken/core";
import { createAdoptionRepository } from "./adoption.repository.ts";
import { createFederationRepository } from "./federation.repository.ts";
import { cityActor, cityRecords, hubModel, type CityRecords } from "./fixtures/network-records.ts";
import { createGuidelineRepository } from "./guideline.repository.ts";
import { createSharedModelRepository } from "./model.repository.ts";
import { createNetworkRepository, lineageSql, listNetworkCities, networkStatisticsSql } from "./network.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";
import { createUseCaseRepository } from "./use-case.repository.ts";

// Cities 0–11 as generated (0 is our own), 12 with drafts only, 13 followed without records.
const cities: CityRecords[] = Array.from({ length: 12 }, (_, index) => cityRecords(index, { local: index === 0 }));
const draftsOnly = cityRecords(12);
draftsOnly.useCases = draftsOnly.useCases.filter((useCase) => useCase.workflow.state !== "published");
cities.push(draftsOnly);
const followedOnly = cityActor(13);

// Forks: 1 and 3 from 0, 2 from 1, 4 from a version this node never received, 5 and 6 from each other.
const forkOf = (city: CityRecords, origin: string) => {
  city.guideline = { ...city.guideline, origin };
};
const [, city1, city2, city3, city4, city5, city6] = cities as [CityRecords, CityRecords, CityRecords, CityRecords, CityRecords, CityRecords, CityRecords];
const city0 = cities[0] as CityRecords;
const unreceived = "https://elsewhere.example/guideline/ki-leitlinie-0.9";
forkOf(city1, city0.guideline.id);
forkOf(city2, city1.guideline.id);
forkOf(city3, city0.guideline.id);
forkOf(city4, unreceived);
forkOf(city5, city6.guideline.id);
forkOf(city6, city5.guideline.id);
// A second version of city 0's guideline; city 7 forked from it.
const city0Next: Guideline = {
  ...city0.guideline,
  id: `${city0.guideline.id}-2`,
  version: "2.0",
  publishedAt: "2025-12-01T00:00:00.000Z",
  supersedes: city0.guideline.id,
  history: [{ id: city0.guideline.id, version: city0.guideline.version, publishedAt: city0.guideline.publishedAt ?? "" }],
};
forkOf(cities[7] as CityRecords, city0Next.id);

// One use case names the hub model twice (two versions): it still counts once.
const twice = city3.useCases[0] as UseCase;
city3.useCases[0] = {
  ...twice,
  models: [
    { model: hubModel, version: "1" },
    { model: hubModel, version: "2" },
  ],
};

const adoption: Adoption = {
  id: "https://city-2.network.example/adoption/1",
  adopter: cityActor(2),
  adoptingUseCase: (city2.useCases[0] as UseCase).id,
  origin: { useCase: (city0.useCases[0] as UseCase).id, actor: cityActor(0) },
  publishedAt: "2025-10-01T00:00:00Z",
  provenance: { source: "received", originActor: cityActor(2), originHost: "city-2.network.example", receivedAt: "2025-10-01T01:00:00Z", proofVerified: true },
};

const allGuidelines = [...cities.map((city) => city.guideline), city0Next];
const allUseCases = cities.flatMap((city) => city.useCases);
const allModels = cities.flatMap((city) => city.models);
const inCities = <T extends { provenance: { originActor: string } }>(records: readonly T[], actors: readonly string[]) =>
  records.filter((record) => actors.includes(record.provenance.originActor));

describe.each(storageBackends())("network repository on %s", (backend) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await testDatabase({ backend });
    const guidelines = createGuidelineRepository(db);
    const useCases = createUseCaseRepository(db);
    const models = createSharedModelRepository(db);
    await db.transaction(async (tx) => {
      const [txGuidelines, txUseCases, txModels] = [createGuidelineRepository(tx), createUseCaseRepository(tx), createSharedModelRepository(tx)];
      for (const guideline of allGuidelines) expect(await txGuidelines.save(guideline)).toMatchObject({ ok: true });
      for (const useCase of allUseCases) await txUseCases.save(useCase);
      for (const model of allModels) await txModels.save(model);
      await createAdoptionRepository(tx).save(adoption);
    });
    const federation = createFederationRepository(db);
    await federation.saveFollowing({
      actorId: followedOnly,
      inboxUrl: `${followedOnly}/inbox`,
      sharedInboxUrl: null,
      followActivityId: `${followedOnly}#follow`,
      state: "accepted",
    });
    await federation.saveFollowing({
      actorId: cityActor(1),
      inboxUrl: `${cityActor(1)}/inbox`,
      sharedInboxUrl: null,
      followActivityId: `${cityActor(1)}#follow`,
      state: "accepted",
    });
    await federation.saveFollowing({
      actorId: cityActor(99),
      inboxUrl: `${cityActor(99)}/inbox`,
      sharedInboxUrl: null,
      followActivityId: `${cityActor(99)}#follow`,
      state: "pending",
    });
    // The data set is the one the pure functions get: read back unchanged.
    expect(await guidelines.get(city0Next.id)).toEqual(city0Next);
    expect(await useCases.get((allUseCases[5] as UseCase).id)).toEqual(allUseCases[5]);
    expect(await models.get(hubModel)).toEqual(allModels[0] as SharedModel);
  });
  afterAll(async () => {
    await db.close();
  });

  it("lists the cities the node knows: own first, with counts, unverified copies and followed cities without records", async () => {
    const known = await listNetworkCities(db);
    expect(known.map((city) => city.actor)).toEqual([cityActor(0), ...[1, 10, 11, 12, 13, 2, 3, 4, 5, 6, 7, 8, 9].map(cityActor)]);
    const [own, first] = known;
    expect(own).toMatchObject({ own: true, followed: false, host: "city-0.network.example", unverifiedRecords: 0 });
    expect(own?.counts).toEqual({
      guidelineDocuments: 1,
      guidelineVersions: 2,
      useCases: 20,
      publishedUseCases: 16,
      models: 2,
      adoptions: 0,
      publishedGuidelineDocuments: 1,
      publishedGuidelineVersions: 2,
    });
    expect(own?.lastUpdate).toBeInstanceOf(Date);
    // The public's last update leaves out the drafts and use cases under review.
    expect(own!.publicLastUpdate!.getTime()).toBeLessThanOrEqual(own!.lastUpdate!.getTime());
    expect(first).toMatchObject({ own: false, followed: true });
    const unverified = cities[1]?.guideline.provenance.source === "received" && !cities[1].guideline.provenance.proofVerified ? 23 : 0;
    expect(first?.unverifiedRecords).toBe(unverified);
    expect(known.find((city) => city.actor === cityActor(2))?.counts.adoptions).toBe(1);
    expect(known.find((city) => city.actor === cityActor(12))?.counts).toMatchObject({ useCases: 4, publishedUseCases: 0 });
    expect(known.find((city) => city.actor === followedOnly)).toEqual({
      actor: followedOnly,
      host: "city-13.network.example",
      own: false,
      followed: true,
      counts: {
        guidelineDocuments: 0,
        guidelineVersions: 0,
        useCases: 0,
        publishedUseCases: 0,
        models: 0,
        adoptions: 0,
        publishedGuidelineDocuments: 0,
        publishedGuidelineVersions: 0,
      },
      unverifiedRecords: 0,
      lastUpdate: null,
      publicLastUpdate: null,
    });
    const chosen = await createNetworkRepository(db).listCities({ cities: [cityActor(3), followedOnly, cityActor(99)] });
    expect(chosen.map((city) => city.actor)).toEqual([cityActor(13), cityActor(3)]);
  });

  it("pages the cities in SQL in the order of listCities, from either end and within a scope, counting only when asked", async () => {
    const repository = createNetworkRepository(db);
    for (const scope of [undefined, { cities: [cityActor(3), followedOnly, cityActor(0), cityActor(99)] }]) {
      const all = await repository.listCities(scope);
      const actors = all.map((city) => city.actor);
      for (const size of [1, 2, 5, 100]) {
        const forward: string[] = [];
        let after: string | null = null;
        for (let step = 0; step <= actors.length; step++) {
          const page: Page<NetworkCity> = await repository.pageCities(scope, { first: size, after });
          forward.push(...page.items.map((city) => city.actor));
          expect(page.hasPreviousPage).toBe(after !== null);
          if (!page.hasNextPage) break;
          after = page.endCursor;
        }
        expect(forward).toEqual(actors);
        const backward: string[] = [];
        let before: string | null = null;
        for (let step = 0; step <= actors.length; step++) {
          const page: Page<NetworkCity> = await repository.pageCities(scope, { first: size, before, fromEnd: true });
          backward.unshift(...page.items.map((city) => city.actor));
          if (!page.hasPreviousPage) break;
          before = page.cursors![0]!;
        }
        expect(backward).toEqual(actors);
      }
      const firstPage = await repository.pageCities(scope, { first: 3 });
      expect(firstPage.items).toEqual(all.slice(0, 3));
      expect(await totalOf(firstPage)).toBe(actors.length);
    }
    // Between two cursors, across the own city and the others.
    const [, second, third] = (await repository.pageCities(undefined, { first: 4 })).cursors!;
    const own = await repository.pageCities(undefined, { first: 10, before: second });
    expect(own.items.map((city) => city.actor)).toEqual([cityActor(0)]);
    const between = await repository.pageCities(undefined, { first: 10, after: own.endCursor, before: third });
    expect(between.items.map((city) => city.actor)).toEqual([cityActor(1)]);
    const records = await createUseCaseRepository(db).list({}, { first: 1 });
    await expect(repository.pageCities(undefined, { first: 1, after: records.endCursor })).rejects.toThrow("a cursor of another list");
    await expect(repository.pageCities(undefined, { first: 1, before: "nonsense" })).rejects.toThrow("not one this store handed out");
  });

  it("does not list a followed catalog (a Group the node joined) as a city", async () => {
    const catalog = "https://hub.example/catalogs/ki-katalog";
    const rolledBack = new Error("roll back");
    await expect(
      db.transaction(async (tx) => {
        await createFederationRepository(tx).saveFollowing({
          actorId: catalog,
          inboxUrl: `${catalog}/inbox`,
          sharedInboxUrl: null,
          followActivityId: `${catalog}#follow`,
          state: "accepted",
        });
        const before = (await createNetworkRepository(tx).listCities()).map((city) => city.actor);
        // Until its profile was read the node cannot tell a catalog from a city.
        expect(before).toContain(catalog);
        await tx.query("INSERT INTO actor_profiles (actor_id, kind, name, fetched_at) VALUES ($1, 'catalog', 'KI-Katalog', now())", [catalog]);
        const after = (await createNetworkRepository(tx).listCities()).map((city) => city.actor);
        expect(after).not.toContain(catalog);
        expect(after).toContain(followedOnly);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
  });

  it("filters records over a chosen set of cities (originActors)", async () => {
    const useCases = createUseCaseRepository(db);
    const page = await useCases.list({ originActors: [cityActor(3), cityActor(5)], workflowState: "published" }, { first: 100 });
    expect(page.items.map((item) => item.id).sort()).toEqual(
      inCities(allUseCases, [cityActor(3), cityActor(5)])
        .filter((useCase) => useCase.workflow.state === "published")
        .map((useCase) => useCase.id)
        .sort(),
    );
    expect(await totalOf(await useCases.list({ originActors: [] }, { first: 10 }))).toBe(0);
    const models = await createSharedModelRepository(db).list({ originActors: [cityActor(0)] }, { first: 10 });
    expect(models.items.map((model) => model.id).sort()).toEqual(city0.models.map((model) => model.id).sort());
  });

  it("computes network statistics in SQL equal to core's networkStatistics over all cities", async () => {
    const knownActors = (await listNetworkCities(db)).map((city) => city.actor);
    const expected = networkStatistics(allUseCases, allModels, knownActors);
    // The data set is varied enough to tell a wrong figure.
    expect(expected.useCases).toBe(12 * 16);
    expect(expected.energy.medianKwhPerYear).not.toBeNull();
    expect(expected.energy.compensated.useCases.count).toBeGreaterThan(0);
    expect(expected.modelReuse[0]).toMatchObject({ model: hubModel });
    expect(expected.modelReuse.some((entry) => entry.name === null)).toBe(true);
    expect(expected.coverage.withoutPublishedUseCase).toEqual([cityActor(12), cityActor(13)]);
    expect(await networkStatisticsSql(db)).toEqual(expected);
  });

  it("computes them over a chosen set of cities, a single city and an empty set", async () => {
    const scopes = [
      [cityActor(1), cityActor(3), cityActor(12), followedOnly, "https://unknown.example/actor", cityActor(3)],
      ...[0, 1, 2, 3, 4].map((index) => [cityActor(index)]),
      [],
    ];
    const repository = createNetworkRepository(db);
    const reportingParities = new Set<number>();
    for (const scope of scopes) {
      const expected = networkStatistics(inCities(allUseCases, scope), inCities(allModels, scope), scope);
      reportingParities.add(expected.energy.reporting % 2);
      expect(await repository.statistics({ cities: scope })).toEqual(expected);
    }
    // The median of an odd and of an even number of estimates were both compared.
    expect([...reportingParities].sort()).toEqual([0, 1]);
  });

  it("keeps the statistics as counters in the same transaction: one statement per read, right after every kind of change", async () => {
    let statements = 0;
    const counted = {
      ...db,
      query: ((text: string, params?: unknown[]) => {
        statements += 1;
        return db.query(text, params);
      }) as typeof db.query,
    };
    const repository = createNetworkRepository(counted);
    const knownActors = (await listNetworkCities(db)).map((city) => city.actor);
    const expected = networkStatistics(allUseCases, allModels, knownActors);
    expect(await repository.statistics({})).toEqual(expected);
    expect(statements).toBe(1);
    // Statements that change no figure (a renewed lease, an upsert of an unchanged record) change nothing.
    const leased = await db.query("UPDATE federation_following SET sync_lease_until = now() WHERE actor_id = $1", [followedOnly]);
    expect(leased.rowCount).toBe(1);
    await db.query("UPDATE use_cases SET record = record WHERE id = $1", [(allUseCases[0] as UseCase).id]);
    await db.query("DELETE FROM adoptions WHERE false");
    expect(await repository.statistics({})).toEqual(expected);

    // Added, changed (published → retired), removed: each seen by the very next read.
    const added: UseCase = { ...(city1.useCases.find((useCase) => useCase.workflow.state === "published") as UseCase), id: `${cityActor(1)}/use-case/added` };
    await createUseCaseRepository(db).save(added);
    const afterAdding = await repository.statistics({});
    expect(afterAdding).toEqual(networkStatistics([...allUseCases, added], allModels, knownActors));
    expect(afterAdding.useCases).toBe(expected.useCases + 1);
    const retired: UseCase = { ...added, workflow: { ...added.workflow, state: "retired" } };
    await db.query("UPDATE use_cases SET workflow_state = 'retired', record = $2 WHERE id = $1", [added.id, retired]);
    expect(await repository.statistics({})).toEqual(networkStatistics([...allUseCases, retired], allModels, knownActors));
    await db.query("DELETE FROM use_cases WHERE id = $1", [added.id]);
    expect(await repository.statistics({})).toEqual(expected);

    // A model and a city followed later; then no longer followed.
    const model: SharedModel = { ...(city2.models[0] as SharedModel), id: `${cityActor(2)}/model/added` };
    await createSharedModelRepository(db).save(model);
    expect(await repository.statistics({})).toEqual(networkStatistics(allUseCases, [...allModels, model], knownActors));
    await db.query("DELETE FROM shared_models WHERE id = $1", [model.id]);
    await db.query("UPDATE federation_following SET state = 'pending' WHERE actor_id = $1", [followedOnly]);
    expect(await repository.statistics({})).toEqual(
      networkStatistics(
        allUseCases,
        allModels,
        knownActors.filter((actor) => actor !== followedOnly),
      ),
    );
    await db.query("UPDATE federation_following SET state = 'accepted' WHERE actor_id = $1", [followedOnly]);
    expect(await repository.statistics({})).toEqual(expected);

    // Counted afresh, the counters are the same (nothing drifted).
    const counters = async () =>
      Promise.all(
        [
          "SELECT * FROM network_city_figures WHERE use_cases <> 0 OR models <> 0 ORDER BY origin_actor",
          "SELECT * FROM network_model_reuse WHERE use_cases <> 0 ORDER BY model, origin_actor",
          "SELECT * FROM network_model_totals WHERE use_cases <> 0 OR cities <> 0 ORDER BY model",
          "SELECT * FROM network_energy_values WHERE use_cases <> 0 ORDER BY kwh",
        ].map(async (sql) => (await db.query(sql)).rows),
      );
    const before = await counters();
    expect(before.every((rows) => rows.length > 0)).toBe(true);
    await db.query("SELECT leitplanken_count_network_figures()");
    expect(await counters()).toEqual(before);
  });

  // PGlite runs one transaction at a time: no reader can come between a change and its commit there.
  if (backend === "postgres")
    it("counts a change only once its transaction commits, and two transactions' changes of one city both", async () => {
      const repository = createNetworkRepository(db);
      const knownActors = (await listNetworkCities(db)).map((city) => city.actor);
      const expected = networkStatistics(allUseCases, allModels, knownActors);
      const template = city1.useCases.find((useCase) => useCase.workflow.state === "published") as UseCase;
      const [first, second]: UseCase[] = ["late-1", "late-2"].map((slug) => ({ ...template, id: `${cityActor(1)}/use-case/${slug}` }));
      let other: Promise<unknown> | undefined;
      await db.transaction(async (outer) => {
        await createUseCaseRepository(outer).save(first!);
        // Another reader does not see the uncommitted use case.
        expect(await repository.statistics({})).toEqual(expected);
        // Another writer of the same city waits for this commit (the city's counters are locked), then adds its own.
        other = db.transaction((inner) => createUseCaseRepository(inner).save(second!));
      });
      await other;
      expect(await repository.statistics({})).toEqual(networkStatistics([...allUseCases, first!, second!], allModels, knownActors));
      await db.query("DELETE FROM use_cases WHERE id = ANY($1)", [[first!.id, second!.id]]);
      expect(await repository.statistics({})).toEqual(expected);
    });

  it("names core's EU countries in the counters' function (migration 0080)", async () => {
    const letters = Array.from({ length: 26 }, (_, index) => String.fromCharCode(65 + index));
    const codes = letters.flatMap((first) => letters.map((second) => first + second));
    const { rows } = await db.query<{ code: string }>("SELECT code FROM unnest($1::text[]) AS code WHERE leitplanken_eu_country(code)", [codes]);
    expect(rows.map((row) => row.code).sort()).toEqual([...euCountryCodes].sort());
  });

  it("returns the fork tree in SQL equal to core's lineage over all guidelines", async () => {
    const everything = buildLineage(allGuidelines);
    const iris = [
      city0.guideline.id,
      city0Next.id,
      city0.guideline.documentId,
      city2.guideline.id,
      city4.guideline.documentId,
      unreceived,
      city5.guideline.id,
      city6.guideline.documentId,
      (cities[8] as CityRecords).guideline.id,
      "https://nowhere.example/guideline/none",
    ];
    for (const iri of iris) expect(await lineageSql(db, iri)).toEqual(lineageOf(everything, iri));
    // The expectation itself is a real tree: city 0's document with 1, 3 and 7 below it and 2 below 1.
    const tree = await createNetworkRepository(db).lineage(city2.guideline.id);
    const shape = (node: NonNullable<typeof tree>): unknown =>
      node.kind === "document" ? { city: node.city, children: node.children.map(shape) } : { unknown: node.id, children: node.children.map(shape) };
    expect(tree && shape(tree)).toEqual({
      city: cityActor(0),
      children: [
        { city: cityActor(1), children: [{ city: cityActor(2), children: [] }] },
        { city: cityActor(3), children: [] },
        { city: cityActor(7), children: [] },
      ],
    });
    expect(await lineageSql(db, "https://nowhere.example/guideline/none")).toBeNull();
  });
});
