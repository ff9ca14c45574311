import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recordIri, useCaseContentOf, type Principal, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createDomainEventRelayStore, createRecordPublicationStore, createUnitOfWork } from "@leitplanken/db";
import { storageBackends, testDatabase, type TestDatabase } from "@leitplanken/db/testing";
import { createApplication, type Application } from "./application.ts";

const identity = { actor: "https://ki.dortmund.example/actors/dortmund", origin: "https://ki.dortmund.example" };
const editor: Principal = { name: "Erika Beispiel", role: "editor" };
const vetter: Principal = { name: "Max Mustermann", role: "vetter" };
const secondVetter: Principal = { name: "Vera Zweit", role: "vetter" };
const demo = demoRecords({ actor: identity.actor, iri: (kind, slug) => recordIri(identity.origin, kind, slug), now: new Date("2026-03-01T09:00:00Z") });
const guideline = demo.guidelines[0]!;
const content = useCaseContentOf(demo.useCases.find((useCase) => useCase.workflow.state === "published")!);

describe.each(storageBackends())("use cases through the application layer on %s", (backend) => {
  let db: TestDatabase;
  let app: Application;

  beforeAll(async () => {
    db = await testDatabase({ backend });
    app = createApplication({ unitOfWork: createUnitOfWork(db), identity });
    await app.records.seedRecords({ guidelines: [guideline], useCases: [], models: [] });
  });
  afterAll(async () => {
    await db.close();
  });

  const events = async () => (await createDomainEventRelayStore(db).pendingEvents(1_000)).map((entry) => entry.event);
  const ok = <T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> => {
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
    return result as Extract<T, { ok: true }>;
  };

  /** A new use case taken up to submitted; its id and the lockVersion it is at. */
  async function submitted(name: string): Promise<{ id: string; lockVersion: number }> {
    const created = ok(await app.useCases.create({ content: { ...content, name: { de: name } } }, editor));
    const done = ok(await app.useCases.submit({ id: created.useCase.id, lockVersion: created.lockVersion }, editor));
    return { id: done.useCase.id, lockVersion: done.lockVersion };
  }

  it("counts every save: each step names the lockVersion it read and gets the next one", async () => {
    const created = ok(await app.useCases.create({ content }, editor));
    expect(created.lockVersion).toBe(1);
    const submittedOnce = ok(await app.useCases.submit({ id: created.useCase.id, lockVersion: 1 }, editor));
    expect(submittedOnce.lockVersion).toBe(2);
    // A step with the version before: refused, nothing written.
    expect(await app.useCases.vet({ id: created.useCase.id, lockVersion: 1, guidelineVersionId: guideline.id }, vetter)).toEqual({
      ok: false,
      error: { type: "stale", id: created.useCase.id, currentLockVersion: 2 },
    });
    expect((await createUnitOfWork(db).run((stores) => stores.useCases.get(created.useCase.id)))?.workflow.state).toBe("submitted");
  });

  it("two vetters vetting one submission at once: exactly one wins, the other gets a conflict", async () => {
    const { id, lockVersion } = await submitted("Zwei Prüfende");
    const results = await Promise.all([
      app.useCases.vet({ id, lockVersion, guidelineVersionId: guideline.id }, vetter),
      app.useCases.vet({ id, lockVersion, guidelineVersionId: guideline.id }, secondVetter),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, error: { type: "stale", id, currentLockVersion: lockVersion + 1 } }]);
    const stored = await createUnitOfWork(db).run((stores) => stores.useCases.get(id));
    const winner = results.find((result) => result.ok) as { useCase: UseCase };
    expect(stored?.vetting?.vetter.name).toBe(winner.useCase.vetting?.vetter.name);
  });

  it("a revise and a vet at once: exactly one wins, the other gets a conflict and changes nothing", async () => {
    const { id, lockVersion } = await submitted("Überarbeiten oder prüfen");
    const results = await Promise.all([
      app.useCases.revise({ id, lockVersion, content: { ...content, name: { de: "Überarbeitet" } } }, editor),
      app.useCases.vet({ id, lockVersion, guidelineVersionId: guideline.id }, vetter),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, error: { type: "stale", id, currentLockVersion: lockVersion + 1 } }]);
    const stored = await createUnitOfWork(db).run((stores) => stores.useCases.get(id));
    // Either revised (back in draft, new name, no vetting) or vetted (old name): never a mix.
    if (results[0]!.ok) expect(stored).toMatchObject({ name: { de: "Überarbeitet" }, workflow: { state: "draft" } });
    else expect(stored).toMatchObject({ name: { de: "Überarbeiten oder prüfen" }, workflow: { state: "vetted" } });
  });

  it("publishes once (Create), keeps the published state through a revision (no event), republishes it (Update), retires it for good (Delete)", async () => {
    const before = (await events()).length;
    const { id } = await submitted("Lebenszyklus");
    const vetted = ok(await app.useCases.vet({ id, guidelineVersionId: guideline.id }, vetter));
    const published = ok(await app.useCases.publish({ id, lockVersion: vetted.lockVersion }, editor));
    const publications = createRecordPublicationStore(db);
    expect(await publications.getPublication(id)).toMatchObject({ kind: "use-case", state: "published", record: { name: { de: "Lebenszyklus" } } });

    const revised = ok(await app.useCases.revise({ id, lockVersion: published.lockVersion, content: { ...content, name: { de: "Lebenszyklus 2" } } }, editor));
    expect(revised.useCase.workflow.state).toBe("draft");
    // The network still sees the published state while the revision is under way.
    expect(await publications.getPublication(id)).toMatchObject({ state: "published", record: { name: { de: "Lebenszyklus" } } });

    ok(await app.useCases.submit({ id }, editor));
    ok(await app.useCases.vet({ id, guidelineVersionId: guideline.id }, vetter));
    ok(await app.useCases.publish({ id }, editor));
    expect(await publications.getPublication(id)).toMatchObject({ state: "published", record: { name: { de: "Lebenszyklus 2" } } });

    // Revised again, then retired during the revision: withdrawn for good.
    ok(await app.useCases.revise({ id, content }, editor));
    const retired = ok(await app.useCases.retire({ id }, editor));
    expect(retired.useCase.workflow.state).toBe("retired");
    expect(await publications.getPublication(id)).toMatchObject({ state: "withdrawn", record: null });
    expect(await app.useCases.revise({ id, content }, editor)).toMatchObject({ ok: false, error: { type: "invalid-transition", from: "retired" } });

    expect((await events()).slice(before)).toEqual([
      { type: "published", kind: "use-case", id },
      { type: "updated", kind: "use-case", id },
      { type: "withdrawn", kind: "use-case", id },
    ]);
  });

  it("cannot retire a draft that was never published", async () => {
    const created = ok(await app.useCases.create({ content }, editor));
    expect(await app.useCases.retire({ id: created.useCase.id }, editor)).toMatchObject({
      ok: false,
      error: { type: "invalid-transition", from: "draft", to: "retired" },
    });
  });

  it("refuses bad input and unknown ids as values, and writes nothing", async () => {
    const before = (await events()).length;
    expect(await app.useCases.create({ content: { ...content, name: { de: "x".repeat(101) } } }, editor)).toMatchObject({
      ok: false,
      error: { type: "invalid-input", errors: [{ path: "name.de" }] },
    });
    expect(await app.useCases.submit({ id: recordIri(identity.origin, "use-case", "none") }, editor)).toEqual({
      ok: false,
      error: { type: "not-found", id: recordIri(identity.origin, "use-case", "none") },
    });
    const { id } = await submitted("Zurück");
    expect(await app.useCases.sendBack({ id, reason: { fr: "non" } }, vetter)).toMatchObject({ ok: false, error: { type: "invalid-input" } });
    expect(await app.useCases.vet({ id, guidelineVersionId: recordIri(identity.origin, "guideline", "none") }, vetter)).toMatchObject({
      ok: false,
      error: { type: "not-found" },
    });
    expect((await events()).length).toBe(before);
  });
});
