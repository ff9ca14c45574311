import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type Adoption, type AdoptionRepository, verifiedAdopters } from "@leitplanken/core";
import { createAdoptionRepository } from "./adoption.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const dortmund = "https://ki.dortmund.example/actor";
const muenster = "https://ki.muenster.example/actor";
const bochum = "https://ki.bochum.example/actor";
const chatbot = "https://ki.dortmund.example/use-case/buergerservice-chatbot";
const mailRouting = "https://ki.dortmund.example/use-case/posteingang-zuordnung";

/** An adoption `adopter` published of `originUseCase`, as stored by the node that holds it. */
function adoption(adopter: string, originUseCase: string, publishedAt: string, provenance: Partial<{ local: boolean; proofVerified: boolean }> = {}): Adoption {
  const host = new URL(adopter).host;
  const slug = new URL(originUseCase).pathname.split("/").at(-1) ?? "";
  return {
    id: `https://${host}/adoption/${slug}`,
    adopter,
    adoptingUseCase: `https://${host}/use-case/${slug}`,
    origin: { useCase: originUseCase, actor: dortmund, publishedAt: "2025-09-01T00:00:00Z" },
    publishedAt,
    provenance: provenance.local
      ? { source: "local", originActor: adopter, originHost: host }
      : { source: "received", originActor: adopter, originHost: host, receivedAt: publishedAt, proofVerified: provenance.proofVerified ?? true },
  };
}

describe.each(storageBackends())("adoption repository on %s", (backend) => {
  let db: TestDatabase;
  let adoptions: AdoptionRepository;
  const byMuenster = adoption(muenster, chatbot, "2025-10-02T00:00:00Z");
  const byBochum = adoption(bochum, chatbot, "2025-10-01T00:00:00Z", { proofVerified: false });
  const mailByMuenster = adoption(muenster, mailRouting, "2025-10-03T00:00:00Z");

  beforeAll(async () => {
    db = await testDatabase({ backend });
    adoptions = createAdoptionRepository(db);
    for (const record of [byMuenster, byBochum, mailByMuenster]) await adoptions.save(record);
  });
  afterAll(async () => {
    await db.close();
  });

  it("reads adoptions back unchanged and replaces them by id", async () => {
    expect(await adoptions.get(byMuenster.id)).toEqual(byMuenster);
    const verifiedLater: Adoption = { ...byBochum, provenance: { ...byBochum.provenance, proofVerified: true } as Adoption["provenance"] };
    await adoptions.save(verifiedLater);
    expect(await adoptions.get(byBochum.id)).toEqual(verifiedLater);
    await adoptions.save(byBochum);
    expect(await adoptions.get("https://nowhere.example/adoption/none")).toBeNull();
  });

  it("lists the adoptions of a use case oldest first, optionally only those whose proof verified", async () => {
    expect((await adoptions.listByOriginUseCase(chatbot)).map((record) => record.id)).toEqual([byBochum.id, byMuenster.id]);
    expect((await adoptions.listByOriginUseCase(chatbot, { verifiedOnly: true })).map((record) => record.id)).toEqual([byMuenster.id]);
    expect(await adoptions.listByOriginUseCases([])).toEqual([]);
    const many = await adoptions.listByOriginUseCases([mailRouting, "https://nowhere.example/use-case/none", chatbot]);
    expect(many.map((list) => list.map((record) => record.id))).toEqual([[mailByMuenster.id], [], [byBochum.id, byMuenster.id]]);
  });

  it("gives core's verifiedAdopters what it needs: the unverified claim is left out", async () => {
    const origin = { id: chatbot, provenance: { source: "local" as const, originActor: dortmund, originHost: "ki.dortmund.example" } };
    expect(verifiedAdopters(origin, await adoptions.listByOriginUseCase(chatbot))).toEqual([
      { adoption: byMuenster.id, city: muenster, adoptedAt: byMuenster.publishedAt },
    ]);
  });

  it("lists what a city adopted, and our own adoptions count as verified", async () => {
    expect((await adoptions.listByAdopter(muenster)).map((record) => record.id)).toEqual([byMuenster.id, mailByMuenster.id]);
    const ours = adoption(bochum, mailRouting, "2025-11-01T00:00:00Z", { local: true });
    await adoptions.save(ours);
    expect((await adoptions.listByAdopter(bochum, { verifiedOnly: true })).map((record) => record.id)).toEqual([ours.id]);
    expect(await adoptions.remove(ours.id)).toBe(true);
    expect(await adoptions.remove(ours.id)).toBe(false);
    expect(await adoptions.listByAdopter(bochum, { verifiedOnly: true })).toEqual([]);
  });

  it("refuses a claim published by someone other than the adopter and stores nothing", async () => {
    const forged: Adoption = { ...adoption(muenster, mailRouting, "2025-10-05T00:00:00Z"), id: "https://evil.example/adoption/forged" };
    forged.provenance = { ...forged.provenance, originActor: "https://evil.example/actor", originHost: "evil.example" };
    await expect(adoptions.save(forged)).rejects.toThrow(/adopter/);
    expect(await adoptions.get(forged.id)).toBeNull();
    expect((await adoptions.listByOriginUseCase(mailRouting)).map((record) => record.id)).toEqual([mailByMuenster.id]);
  });
});
