import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createGuidelineDraft, guidelineContent, localProvenance, recordIri, type Principal, type UnitOfWork } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { createDomainEventRelayStore, createUnitOfWork } from "@leitplanken/db";
import { storageBackends, testDatabase, type TestDatabase } from "@leitplanken/db/testing";
import { createApplication } from "./application.ts";

const identity = { actor: "https://ki.dortmund.example/actors/dortmund", origin: "https://ki.dortmund.example" };
const editor: Principal = { name: "Erika Beispiel", role: "editor" };

const [demoGuideline] = demoRecords({ actor: identity.actor, iri: (kind, slug) => recordIri(identity.origin, kind, slug), now: new Date() }).guidelines;
const draft = (slug: string) =>
  createGuidelineDraft(guidelineContent(demoGuideline!), {
    id: recordIri(identity.origin, "guideline", slug),
    documentId: recordIri(identity.origin, "guideline-document", slug),
    provenance: localProvenance(identity.actor),
  });

describe.each(storageBackends())("publishing a guideline version through the application layer on %s", (backend) => {
  let db: TestDatabase;
  let woken = 0;

  beforeAll(async () => {
    db = await testDatabase({ backend });
  });
  afterAll(async () => {
    await db.close();
  });

  const pending = async () => (await createDomainEventRelayStore(db).pendingEvents(100)).map((entry) => entry.event);

  it("stores the published version and its event in one transaction, then wakes the dispatcher", async () => {
    const app = createApplication({ unitOfWork: createUnitOfWork(db), identity, onEventsCommitted: () => woken++ });
    const version = draft("published-once");
    await createUnitOfWork(db).run((stores) => stores.guidelines.save(version));
    const result = await app.guidelines.publishVersion({ versionId: version.id }, editor);
    expect(result).toMatchObject({ ok: true, guideline: { id: version.id, state: "published" } });
    expect((await createUnitOfWork(db).run((stores) => stores.guidelines.get(version.id)))?.state).toBe("published");
    expect(await pending()).toEqual([{ type: "published", kind: "guideline", id: version.id }]);
    expect(woken).toBe(1);

    // Publishing it again is refused by core: no second event, no wake-up.
    expect(await app.guidelines.publishVersion({ versionId: version.id }, editor)).toEqual({
      ok: false,
      error: { type: "guideline-version-published", id: version.id },
    });
    expect(await app.guidelines.publishVersion({ versionId: recordIri(identity.origin, "guideline", "none") }, editor)).toEqual({
      ok: false,
      error: { type: "not-found", id: recordIri(identity.origin, "guideline", "none") },
    });
    expect(await pending()).toHaveLength(1);
    expect(woken).toBe(1);
  });

  it("keeps neither the publication nor the event when writing the event fails (a crash between the two)", async () => {
    const failingOutbox: UnitOfWork = {
      run: (work) =>
        createUnitOfWork(db).run((stores) =>
          work({
            ...stores,
            outbox: {
              append: () => Promise.reject(new Error("the disk filled up")),
            },
          }),
        ),
    };
    const app = createApplication({ unitOfWork: failingOutbox, identity, onEventsCommitted: () => woken++ });
    const version = draft("never-half-published");
    await createUnitOfWork(db).run((stores) => stores.guidelines.save(version));
    const before = await pending();
    await expect(app.guidelines.publishVersion({ versionId: version.id }, editor)).rejects.toThrow("the disk filled up");
    expect((await createUnitOfWork(db).run((stores) => stores.guidelines.get(version.id)))?.state).toBe("draft");
    expect(await pending()).toEqual(before);
  });
});
