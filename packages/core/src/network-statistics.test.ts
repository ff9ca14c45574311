import { describe, expect, it } from "@jest/globals";
import { demoRecords } from "./demo/demo-records.ts";
import { networkStatistics } from "./network-statistics.ts";
import type { UseCase } from "./use-case.entity.ts";

const now = new Date("2025-09-01T00:00:00Z");
const cityOf = (host: string) => `https://${host}/actor`;
const recordsOf = (host: string) => demoRecords({ actor: cityOf(host), iri: (kind, slug) => `https://${host}/${kind}/${slug}`, now });
const bySlug = (useCases: UseCase[], slug: string): UseCase => {
  const found = useCases.find((useCase) => useCase.id.endsWith(`/${slug}`));
  if (found === undefined) throw new Error(`no ${slug}`);
  return found;
};

// A: the demo city (four published use cases, one draft). B: the demo city with changes. C: only a draft. D: nothing.
const a = recordsOf("a.example");
const b = recordsOf("b.example");
const assistantOfA = "https://a.example/model/kommunal-assistent";
const refused = bySlug(b.useCases, "automatische-verwarnungen");
const { energy: _energyOfRoadDamage, sovereignty: _sovereigntyOfRoadDamage, ...roadDamageB } = bySlug(b.useCases, "strassenschaeden-erkennung");
const useCasesB: UseCase[] = [
  { ...bySlug(b.useCases, "buergerservice-chatbot"), models: [{ model: assistantOfA, version: "1" }] },
  { ...bySlug(b.useCases, "posteingang-zuordnung"), energy: { kwhPerYear: 12_000, compensation: { de: "Ökostrom aus eigenen Anlagen" } } },
  { ...roadDamageB, risk: { risks: [] } },
  bySlug(b.useCases, "bescheid-zusammenfassung"),
  {
    ...refused,
    id: "https://b.example/use-case/parkraum-hinweise",
    workflow: { state: "published", publishedAt: now.toISOString() },
    decisionProcess: { ...refused.decisionProcess, automationLevel: "human-approves-each-action" },
    energy: { kwhPerYear: 5 },
    models: [{ model: "https://x.example/model/unbekannt", version: "1" }],
  },
];
const draftOfC = {
  ...bySlug(a.useCases, "posteingang-zuordnung"),
  id: "https://c.example/use-case/entwurf",
  workflow: { state: "draft" as const },
  provenance: { source: "local" as const, originActor: cityOf("c.example"), originHost: "c.example" },
};

const statistics = networkStatistics(
  [...a.useCases, ...useCasesB, draftOfC],
  [...a.models, ...b.models],
  [cityOf("a.example"), cityOf("b.example"), cityOf("c.example"), cityOf("d.example"), cityOf("a.example")],
);

describe("networkStatistics (expected figures worked out by hand from the data above)", () => {
  it("counts published use cases only", () => {
    expect(statistics.useCases).toBe(9);
    expect(statistics.cities).toBe(2);
  });

  it("adds up yearly energy estimates, with their distribution and the compensated part", () => {
    // Yearly estimates: A 350, A 120, B 12,000 (compensated), B 5; four per 1,000 requests; B's road damage has none.
    expect(statistics.energy).toEqual({
      totalKwhPerYear: 12_475,
      reporting: 4,
      perRequestOnly: 4,
      withoutEstimate: 1,
      medianKwhPerYear: 235,
      distribution: [
        { fromKwh: 0, toKwh: 10, count: 1 },
        { fromKwh: 10, toKwh: 100, count: 0 },
        { fromKwh: 100, toKwh: 1_000, count: 2 },
        { fromKwh: 1_000, toKwh: 10_000, count: 0 },
        { fromKwh: 10_000, toKwh: null, count: 1 },
      ],
      compensated: { useCases: { count: 1, share: 0.25 }, kwhPerYear: 12_000, kwhShare: 12_000 / 12_475 },
    });
  });

  it("counts EU AI Act risk classes", () => {
    expect(statistics.riskClasses).toEqual({
      prohibited: { count: 0, share: 0 },
      high: { count: 2, share: 2 / 9 },
      limited: { count: 3, share: 3 / 9 },
      minimal: { count: 3, share: 3 / 9 },
      unstated: { count: 1, share: 1 / 9 },
    });
  });

  it("counts automation levels among use cases that directly affect citizens", () => {
    expect(statistics.citizenFacingAutomation).toEqual({
      useCases: 5,
      levels: {
        "information-only": { count: 2, share: 0.4 },
        "decision-support": { count: 2, share: 0.4 },
        "human-approves-each-action": { count: 1, share: 0.2 },
        "automated-action": { count: 0, share: 0 },
      },
    });
  });

  it("gives hosting and sovereignty shares of use cases and models", () => {
    expect(statistics.sovereignty).toEqual({
      useCaseHosting: {
        "on-premises": { count: 3, share: 3 / 9 },
        "municipal-data-centre": { count: 4, share: 4 / 9 },
        "eu-cloud": { count: 0, share: 0 },
        "non-eu-cloud": { count: 1, share: 1 / 9 },
        unstated: { count: 1, share: 1 / 9 },
      },
      useCaseOpenWeights: { count: 5, share: 5 / 8 },
      useCaseEuJurisdiction: { count: 7, share: 7 / 8 },
      modelHosting: {
        "on-premises": { count: 2, share: 0.5 },
        "municipal-data-centre": { count: 2, share: 0.5 },
        "eu-cloud": { count: 0, share: 0 },
        "non-eu-cloud": { count: 0, share: 0 },
      },
      modelOpenWeights: { count: 4, share: 1 },
    });
  });

  it("shows model reuse across cities, including models known only by reference", () => {
    expect(statistics.modelReuse.map(({ model, useCases, cities, name }) => [model, useCases, cities, name === null])).toEqual([
      [assistantOfA, 3, 2, false],
      ["https://a.example/model/strassenschaden-detektor", 1, 1, false],
      ["https://b.example/model/kommunal-assistent", 1, 1, false],
      ["https://b.example/model/strassenschaden-detektor", 1, 1, false],
      ["https://x.example/model/unbekannt", 1, 1, true],
    ]);
  });

  it("names the followed cities without a published use case", () => {
    expect(statistics.coverage).toEqual({ cities: 4, covered: 2, withoutPublishedUseCase: [cityOf("c.example"), cityOf("d.example")] });
  });

  it("is all zeros for an empty network", () => {
    const empty = networkStatistics([], [], []);
    expect(empty.energy).toMatchObject({ totalKwhPerYear: 0, medianKwhPerYear: null, compensated: { useCases: { count: 0, share: 0 }, kwhShare: 0 } });
    expect(empty.riskClasses.high).toEqual({ count: 0, share: 0 });
    expect(empty.modelReuse).toEqual([]);
  });
});
