import { describe, expect, it } from "@jest/globals";
import { type Adoption, adoptionRecord, adoptUseCase, describeAdoptError, validateAdoption, verifiedAdopters } from "./adoption.ts";
import { demoRecords } from "./demo/demo-records.ts";
import type { Principal } from "./principal.ts";
import type { UseCase } from "./use-case.entity.ts";
import { publishUseCase, submitUseCase, vetUseCase, type WorkflowResult } from "./use-case.workflow.ts";
import { validateUseCase } from "./validation.ts";

const now = new Date("2025-09-01T00:00:00Z");
const cityA = "https://a.example/actor";
const cityB = "https://b.example/actor";
const cityC = "https://c.example/actor";
const editor: Principal = { name: "Erika Beispiel", role: "editor" };
const vetter: Principal = { name: "Max Mustermann", role: "vetter" };
const recordsOf = (host: string) => demoRecords({ actor: `https://${host}/actor`, iri: (kind, slug) => `https://${host}/${kind}/${slug}`, now });

const received = (useCase: UseCase): UseCase => ({
  ...useCase,
  provenance: { source: "received", originActor: cityA, originHost: "a.example", receivedAt: "2025-09-02T00:00:00Z", proofVerified: true },
});
const originLocal = recordsOf("a.example").useCases.find((useCase) => useCase.id.endsWith("buergerservice-chatbot"));
if (originLocal === undefined) throw new Error("demo chatbot missing");
const origin = received(originLocal);
const guidelineB = recordsOf("b.example").guidelines[0];
if (guidelineB === undefined) throw new Error("demo guideline missing");
const ourOffice = {
  responsible: { role: { de: "Amtsleitung" }, office: { de: "Bürgeramt B" } },
  contact: { email: "ki@b.example" },
  assessments: { dpia: { performed: true as const, date: "2025-08-20", summary: { de: "Unsere eigene Folgenabschätzung." } } },
};
const ourWebsite = { url: "https://b.example/" };
const adoptOptions = { actor: cityB, id: "https://b.example/use-case/x", principal: editor, contact: ourWebsite };

const ok = (result: WorkflowResult): UseCase => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.useCase;
};

function adopted(overrides = {}): UseCase {
  const result = adoptUseCase(origin, { actor: cityB, id: "https://b.example/use-case/chatbot", principal: editor, contact: ourWebsite, overrides });
  if (!result.ok) throw new Error(result.error.type);
  return result.draft;
}

describe("adoptUseCase", () => {
  it("makes a local draft pointing to the origin, with the same models and no vetting", () => {
    const draft = adopted();
    expect(draft).toMatchObject({
      id: "https://b.example/use-case/chatbot",
      adoptedFrom: origin.id,
      workflow: { state: "draft" },
      adoptedBy: [],
      status: "idea",
      statusDates: {},
      provenance: { source: "local", originActor: cityB },
    });
    expect(origin.vetting).toBeDefined();
    expect(draft.vetting).toBeUndefined();
    expect(draft.conformance).toBeUndefined();
    expect(draft.responsible).toBeUndefined();
    // Who answers for it, how to reach them and their impact assessments are the origin's own.
    expect(origin.contact).not.toEqual(ourWebsite);
    expect(draft.contact).toEqual(ourWebsite);
    expect(origin.assessments.dpia).toBeDefined();
    expect(draft.assessments).toEqual({});
    expect(draft.models).toEqual(origin.models);
    expect(draft.models.length).toBeGreaterThan(0);
    expect(draft.decisionProcess).toEqual(origin.decisionProcess);
    expect(validateUseCase(draft).ok).toBe(true);
  });

  it("must be vetted locally: without our responsible office it does not pass", () => {
    const result = vetUseCase(ok(submitUseCase(adopted(), editor, now)), guidelineB, vetter, now);
    expect(result.ok).toBe(false);
    if (!result.ok && result.error.type === "rule-violations") {
      expect(result.error.results.filter((entry) => !entry.passed).map((entry) => entry.rule.id)).toContain("named-responsible-human");
    } else throw new Error("expected rule violations");
  });

  it("the Dortmund rule applies to an adopted use case as to any other", () => {
    const automated = adopted({ ...ourOffice, decisionProcess: { ...origin.decisionProcess, automationLevel: "automated-action" } });
    const result = vetUseCase(ok(submitUseCase(automated, editor, now)), guidelineB, vetter, now);
    expect(
      result.ok === false &&
        result.error.type === "rule-violations" &&
        result.error.results.some((entry) => entry.rule.id === "no-automated-action-on-citizens" && !entry.passed),
    ).toBe(true);
  });

  it("refuses our own use cases, unpublished ones and roles that may not write use cases", () => {
    expect(adoptUseCase(originLocal, adoptOptions)).toEqual({
      ok: false,
      error: { type: "own-use-case", id: originLocal.id },
    });
    expect(adoptUseCase({ ...origin, workflow: { state: "retired" } }, adoptOptions)).toEqual({
      ok: false,
      error: { type: "origin-not-published", id: origin.id, state: "retired" },
    });
    const refused = adoptUseCase(origin, { ...adoptOptions, principal: vetter });
    expect(refused).toEqual({ ok: false, error: { type: "not-permitted", role: "vetter" } });
    if (!refused.ok) expect(describeAdoptError(refused.error).de).toContain("vetter");
  });

  it("refuses a use case we adopted before, pointing to ours", () => {
    const twice = adoptUseCase(origin, { ...adoptOptions, existingAdoption: "https://b.example/use-case/chatbot" });
    expect(twice).toEqual({ ok: false, error: { type: "already-adopted", id: origin.id, adoption: "https://b.example/use-case/chatbot" } });
    if (!twice.ok) expect(describeAdoptError(twice.error).en).toContain("adopted this use case already");
  });
});

describe("adoption records", () => {
  const published = ok(publishUseCase(ok(vetUseCase(ok(submitUseCase(adopted(ourOffice), editor, now)), guidelineB, vetter, now)), editor, now));

  it("are made once the adopted use case is published, and validate", () => {
    const result = adoptionRecord(published, { id: "https://b.example/adoption/1", origin: { actor: cityA, publishedAt: origin.workflow.publishedAt } });
    if (!result.ok) throw new Error(result.error.type);
    expect(result.adoption).toEqual({
      id: "https://b.example/adoption/1",
      adopter: cityB,
      adoptingUseCase: published.id,
      origin: { useCase: origin.id, actor: cityA, publishedAt: "2025-09-01T00:00:00.000Z" },
      publishedAt: "2025-09-01T00:00:00.000Z",
      provenance: published.provenance,
    });
    expect(validateAdoption(result.adoption)).toEqual({ ok: true, value: result.adoption });
    expect(adoptionRecord(adopted(), { id: "https://b.example/adoption/2", origin: { actor: cityA } })).toMatchObject({
      ok: false,
      error: { type: "not-published", state: "draft" },
    });
    expect(adoptionRecord(originLocal, { id: "https://a.example/adoption/3", origin: { actor: cityA } })).toMatchObject({
      ok: false,
      error: { type: "not-an-adoption" },
    });
  });

  it("refuse a claim published by someone other than the adopter, and self-adoption", () => {
    const adoption: Adoption = {
      id: "https://c.example/adoption/forged",
      adopter: cityB,
      adoptingUseCase: "https://b.example/use-case/chatbot",
      origin: { useCase: origin.id, actor: cityA },
      publishedAt: "2025-09-01T00:00:00Z",
      provenance: { source: "received", originActor: cityC, originHost: "c.example", receivedAt: "2025-09-02T00:00:00Z", proofVerified: true },
    };
    const forged = validateAdoption(adoption);
    expect(forged.ok === false && forged.errors.map((error) => error.code)).toEqual(["adopter-not-publisher"]);
    const self = validateAdoption({ ...adoption, adopter: cityA, provenance: { ...adoption.provenance, originActor: cityA } });
    expect(self.ok === false && self.errors.map((error) => error.path)).toEqual(["origin.actor"]);
  });
});

describe("verifiedAdopters", () => {
  const adoptionBy = (city: string, id: string, extra: Partial<Adoption> = {}): Adoption => ({
    id,
    adopter: city,
    adoptingUseCase: `${city}/use-case/chatbot`,
    origin: { useCase: originLocal.id, actor: cityA },
    publishedAt: "2025-10-01T00:00:00Z",
    provenance: { source: "received", originActor: city, originHost: new URL(city).host, receivedAt: "2025-10-02T00:00:00Z", proofVerified: true },
    ...extra,
  });
  const genuineB = adoptionBy(cityB, "https://b.example/adoption/1", { publishedAt: "2025-11-01T00:00:00Z" });
  const genuineD = adoptionBy("https://d.example/actor", "https://d.example/adoption/1");
  const forgedByC = adoptionBy(cityB, "https://c.example/adoption/forged", {
    provenance: { source: "received", originActor: cityC, originHost: "c.example", receivedAt: "2025-10-02T00:00:00Z", proofVerified: true },
  });
  const unverifiedE = adoptionBy("https://e.example/actor", "https://e.example/adoption/1", {
    provenance: {
      source: "received",
      originActor: "https://e.example/actor",
      originHost: "e.example",
      receivedAt: "2025-10-02T00:00:00Z",
      proofVerified: false,
    },
  });
  const otherUseCase = adoptionBy("https://f.example/actor", "https://f.example/adoption/1", {
    origin: { useCase: "https://a.example/use-case/other", actor: cityA },
  });
  const selfA = adoptionBy(cityA, "https://a.example/adoption/self");

  it("lists only adopters who published a verified adoption of this use case, oldest first", () => {
    expect(verifiedAdopters(originLocal, [genuineB, forgedByC, unverifiedE, otherUseCase, selfA, genuineD, genuineB])).toEqual([
      { adoption: genuineD.id, city: "https://d.example/actor", adoptedAt: genuineD.publishedAt },
      { adoption: genuineB.id, city: cityB, adoptedAt: genuineB.publishedAt },
    ]);
  });

  it("asks the given check whether a proof verifies", () => {
    expect(verifiedAdopters(originLocal, [genuineB, genuineD], (adoption) => adoption.adopter === cityB).map((entry) => entry.city)).toEqual([cityB]);
  });
});
