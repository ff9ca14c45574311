import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  draftNextGuidelineVersion,
  publishGuidelineVersion,
  type Guideline,
  type GuidelineRepository,
  type SharedModelRepository,
  totalOf,
  type UseCase,
  type UseCaseRepository,
} from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createGuidelineRepository } from "./guideline.repository.ts";
import { createSharedModelRepository } from "./model.repository.ts";
import { createUseCaseRepository } from "./use-case.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const demo = (host: string) =>
  demoRecords({ actor: `https://${host}/actor`, iri: (kind, slug) => `https://${host}/${kind}/${slug}`, now: new Date("2025-10-01T00:00:00Z") });
const ours = demo("ki.dortmund.example");
const theirs = demo("ki.muenster.example");
const received = <T extends { provenance: UseCase["provenance"] }>(record: T): T => ({
  ...record,
  provenance: { ...record.provenance, source: "received", receivedAt: "2025-10-02T00:00:00Z", proofVerified: true },
});
const editor = { name: "Erika Beispiel", role: "editor" as const };

describe.each(storageBackends())("record repositories on %s", (backend) => {
  let db: TestDatabase;
  let guidelines: GuidelineRepository;
  let useCases: UseCaseRepository;
  let models: SharedModelRepository;

  beforeAll(async () => {
    db = await testDatabase({ backend });
    guidelines = createGuidelineRepository(db);
    useCases = createUseCaseRepository(db);
    models = createSharedModelRepository(db);
    for (const record of [...ours.useCases, ...theirs.useCases.map(received)]) await useCases.save(record);
    for (const record of [...ours.models, ...theirs.models.map(received)]) await models.save(record);
  });
  afterAll(() => db.close());

  it("stores and reads back use cases unchanged, and replaces them by id", async () => {
    const original = ours.useCases[0]!;
    expect(await useCases.get(original.id)).toEqual(original);
    const changed: UseCase = { ...original, department: "Bürgerbüro" };
    await useCases.save(changed);
    expect(await useCases.get(original.id)).toEqual(changed);
    expect((await useCases.list({ department: "Bürgerbüro" }, { first: 10 })).items.map((item) => item.id)).toEqual([original.id]);
    await useCases.save(original);
    expect(await useCases.get("https://nowhere.example/none")).toBeNull();
  });

  it("filters use cases by every indexed field", async () => {
    const ids = async (filter: Parameters<UseCaseRepository["list"]>[0]) =>
      (await useCases.list(filter, { first: 100 })).items.map((item) => item.id.replace(/^https:\/\/([^/]+)\/use-case\//, "$1:")).sort();
    expect(await ids({ workflowState: "draft", originActor: "https://ki.dortmund.example/actor" })).toEqual(["ki.dortmund.example:automatische-verwarnungen"]);
    expect(await ids({ automationLevel: "automated-action", directlyAffectsCitizens: true, source: "received" })).toEqual([
      "ki.muenster.example:automatische-verwarnungen",
    ]);
    expect(await ids({ riskClass: "high", source: "local" })).toEqual(["ki.dortmund.example:bescheid-zusammenfassung"]);
    expect(await ids({ status: "pilot", source: "local" })).toEqual([
      "ki.dortmund.example:bescheid-zusammenfassung",
      "ki.dortmund.example:posteingang-zuordnung",
    ]);
    expect(await ids({ model: "https://ki.dortmund.example/model/kommunal-assistent" })).toEqual([
      "ki.dortmund.example:bescheid-zusammenfassung",
      "ki.dortmund.example:buergerservice-chatbot",
    ]);
    expect(await ids({ directlyAffectsCitizens: false, source: "local" })).toHaveLength(2);
  });

  it("finds use cases by German and English full-text search", async () => {
    const names = async (search: string) => (await useCases.list({ search, source: "local" }, { first: 100 })).items.map((item) => item.name.de);
    expect(await names("Schlaglöcher")).toEqual(["Erkennung von Straßenschäden"]);
    expect(await names("potholes")).toEqual(["Erkennung von Straßenschäden"]);
    expect(await names("Antrag")).toEqual(["Zusammenfassen von Anträgen im Sozialamt"]);
    expect(await names("   ")).toHaveLength(5);
  });

  it("pages with cursors, newest first, without gaps or repeats", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await useCases.list({}, { first: 3, after });
      expect(await totalOf(page)).toBe(10);
      seen.push(...page.items.map((item) => item.id));
      after = page.hasNextPage ? page.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(10);
    expect(seen[0]).toBe(theirs.useCases.at(-1)!.id);
    await expect(useCases.list({}, { first: 3, after: "not-a-cursor" })).rejects.toThrow("invalid cursor");
  });

  it("loads many by id in the requested order with nulls for unknown ids", async () => {
    const [a, b] = ours.useCases;
    expect((await useCases.getManyByIds([b!.id, "https://x.example/none", a!.id])).map((item) => item?.id ?? null)).toEqual([b!.id, null, a!.id]);
    expect(await useCases.getManyByIds([])).toEqual([]);
    expect((await models.getManyByIds([theirs.models[1]!.id]))[0]?.provenance).toMatchObject({ source: "received", proofVerified: true });
  });

  it("filters and searches shared models, and removes them", async () => {
    expect(await totalOf(await models.list({ hosting: "on-premises" }, { first: 10 }))).toBe(2);
    expect((await models.list({ search: "Schlaglöcher", source: "local" }, { first: 10 })).items.map((item) => item.id)).toEqual([ours.models[1]!.id]);
    expect((await models.list({ licence: "Apache-2.0", source: "received" }, { first: 10 })).items.map((item) => item.id)).toEqual([theirs.models[0]!.id]);
    expect(await models.remove(theirs.models[0]!.id)).toBe(true);
    expect(await models.remove(theirs.models[0]!.id)).toBe(false);
    expect(await models.get(theirs.models[0]!.id)).toBeNull();
  });

  it("keeps guideline versions immutable once published and finds the current one", async () => {
    const v1 = ours.guidelines[0]!;
    expect(await guidelines.save(v1)).toMatchObject({ ok: true });
    expect(await guidelines.save(v1)).toMatchObject({ ok: true });
    expect(await guidelines.save({ ...v1, audience: { de: "Geändert" } })).toEqual({ ok: false, error: { type: "guideline-version-published", id: v1.id } });
    expect((await guidelines.get(v1.id))?.audience).toEqual(v1.audience);

    const draft = draftNextGuidelineVersion(v1, { id: `${v1.documentId}/2.0`, version: "2.0" }, editor);
    if (!draft.ok) throw new Error(draft.error.type);
    expect(await guidelines.save({ ...draft.guideline, version: "1.0" })).toEqual({
      ok: false,
      error: { type: "version-label-taken", documentId: v1.documentId, version: "1.0" },
    });
    // Two drafts racing for one label: one is stored, the other is refused as a value, never an exception.
    const rival = draftNextGuidelineVersion(v1, { id: `${v1.documentId}/2.0-rival`, version: "2.0" }, editor);
    if (!rival.ok) throw new Error(rival.error.type);
    const raced = await Promise.all([guidelines.save(draft.guideline), guidelines.save(rival.guideline)]);
    expect(raced).toContainEqual(expect.objectContaining({ ok: true, outcome: "created" }));
    expect(raced).toContainEqual({ ok: false, error: { type: "version-label-taken", documentId: v1.documentId, version: "2.0" } });
    if (raced[1]!.ok) {
      expect(await guidelines.remove(rival.guideline.id)).toBe(true);
      expect(await guidelines.save(draft.guideline)).toMatchObject({ ok: true });
    }
    expect((await guidelines.getCurrent(v1.documentId))?.id).toBe(v1.id);
    const v2 = publishGuidelineVersion(draft.guideline, { previous: v1, publisher: editor, now: new Date("2026-01-01T00:00:00Z") });
    if (!v2.ok) throw new Error(v2.error.type);
    expect(await guidelines.save(v2.guideline)).toMatchObject({ ok: true });

    expect((await guidelines.getCurrent(v1.documentId))?.id).toBe(v2.guideline.id);
    expect((await guidelines.listVersions(v1.documentId)).map((version: Guideline) => version.version)).toEqual(["1.0", "2.0"]);
    expect((await guidelines.list({ currentOnly: true }, { first: 10 })).items.map((item) => item.id)).toEqual([v2.guideline.id]);
    expect(await totalOf(await guidelines.list({ search: "Energiebedarf" }, { first: 10 }))).toBe(2);
    expect(await totalOf(await guidelines.list({ search: "sovereignty", state: "published" }, { first: 10 }))).toBe(2);

    const fork: Guideline = { ...received(theirs.guidelines[0]!), origin: v1.id };
    expect(await guidelines.save(fork)).toMatchObject({ ok: true });
    expect((await guidelines.list({ forkedFrom: v1.id }, { first: 10 })).items.map((item) => item.id)).toEqual([fork.id]);
    const versionsMany = await guidelines.listVersionsMany([fork.documentId, "https://nowhere.example/guideline-document/x", v1.documentId]);
    expect(versionsMany.map((versions) => versions.map((version) => version.id))).toEqual([[fork.id], [], [v1.id, v2.guideline.id]]);
    expect(await guidelines.listVersionsMany([])).toEqual([]);
    expect(await guidelines.remove(fork.id)).toBe(true);
    expect((await db.query("SELECT id FROM guideline_documents WHERE id = $1", [fork.documentId])).rows).toEqual([]);
  });

  it("counts saves in lockVersion and refuses a save that names a version read before someone else's save (nothing written)", async () => {
    const [first, second] = theirs.useCases.map((useCase) => ({ ...useCase, id: `${useCase.id}-versioned` })) as [UseCase, UseCase];
    expect(await useCases.save(first)).toEqual({ ok: true, outcome: "created", lockVersion: 1 });
    expect(await useCases.getVersioned(first.id)).toEqual({ record: first, lockVersion: 1 });
    expect(await useCases.save({ ...first, department: "A" }, { expectedLockVersion: 1 })).toEqual({ ok: true, outcome: "updated", lockVersion: 2 });
    // A second writer who read version 1 as well: refused, and the first writer's change stays.
    expect(await useCases.save({ ...first, department: "B" }, { expectedLockVersion: 1 })).toEqual({
      ok: false,
      error: { type: "stale", id: first.id, currentLockVersion: 2 },
    });
    expect((await useCases.get(first.id))?.department).toBe("A");
    // Without a version (a received copy, an import) the save replaces and counts on.
    expect(await useCases.save(first)).toEqual({ ok: true, outcome: "updated", lockVersion: 3 });
    // A record that is gone cannot be written at the version read before.
    expect(await useCases.save(second, { expectedLockVersion: 1 })).toEqual({ ok: false, error: { type: "stale", id: second.id, currentLockVersion: null } });
    expect(await useCases.get(second.id)).toBeNull();
    expect(await useCases.lockVersions([second.id, first.id])).toEqual([null, 3]);

    // Two writers at once with the same version read: exactly one wins.
    const raced = await Promise.all([
      useCases.save({ ...first, department: "C" }, { expectedLockVersion: 3 }),
      useCases.save({ ...first, department: "D" }, { expectedLockVersion: 3 }),
    ]);
    expect(raced.filter((result) => result.ok)).toEqual([{ ok: true, outcome: "updated", lockVersion: 4 }]);
    expect(raced.filter((result) => !result.ok)).toEqual([{ ok: false, error: { type: "stale", id: first.id, currentLockVersion: 4 } }]);

    const model = { ...theirs.models[0]!, id: `${theirs.models[0]!.id}-versioned` };
    expect(await models.save(model)).toMatchObject({ ok: true, lockVersion: 1 });
    expect(await models.save({ ...model, version: "2" }, { expectedLockVersion: 2 })).toEqual({
      ok: false,
      error: { type: "stale", id: model.id, currentLockVersion: 1 },
    });

    const guideline = { ...received(theirs.guidelines[0]!), id: `${theirs.guidelines[0]!.id}-versioned`, state: "draft" as const, version: "9.9" };
    expect(await guidelines.save(guideline)).toMatchObject({ ok: true, lockVersion: 1 });
    expect(await guidelines.save({ ...guideline, audience: { de: "neu" } }, { expectedLockVersion: 1 })).toMatchObject({ ok: true, lockVersion: 2 });
    expect(await guidelines.save({ ...guideline, audience: { de: "alt" } }, { expectedLockVersion: 1 })).toEqual({
      ok: false,
      error: { type: "stale", id: guideline.id, currentLockVersion: 2 },
    });
    expect((await guidelines.get(guideline.id))?.audience).toEqual({ de: "neu" });
    expect(await guidelines.remove(guideline.id)).toBe(true);
  });
});
