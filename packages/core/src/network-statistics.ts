import type { LanguageMap } from "./common.schema.ts";
import { euCountryCodes } from "./common.schema.ts";
import type { SharedModel } from "./shared-model.entity.ts";
import { type AutomationLevel, automationLevels, type HostingKind, hostingKinds, type RiskClass, riskClasses, type UseCase } from "./use-case.entity.ts";

/** A count and its part of the whole (0–1; 0 when the whole is empty). */
export interface Share {
  count: number;
  share: number;
}

export type Tally<K extends string> = Record<K, Share>;

/** Lower bounds (kWh per year) of the energy buckets; each bucket runs to the next bound, the last one open. */
export const energyBucketBounds = [0, 10, 100, 1_000, 10_000] as const;

export interface EnergyStatistics {
  totalKwhPerYear: number;
  /** Use cases with a kWh-per-year estimate: the ones the totals and the distribution are made of. */
  reporting: number;
  /** Estimated per 1,000 requests only: without request volumes they cannot be added up per year. */
  perRequestOnly: number;
  withoutEstimate: number;
  /** Median of the yearly estimates (the mean of the middle two for an even count); null when none. */
  medianKwhPerYear: number | null;
  distribution: { fromKwh: number; toKwh: number | null; count: number }[];
  /** Reporting use cases that name compensation measures: their number and their part of the kWh. */
  compensated: { useCases: Share; kwhPerYear: number; kwhShare: number };
}

export interface ModelReuse {
  model: string;
  /** Null when the model record is not known on this node, only referenced. */
  name: LanguageMap | null;
  useCases: number;
  cities: number;
}

export interface NetworkStatistics {
  /** Published use cases counted (only published ones are vetted and federate). */
  useCases: number;
  /** Cities those use cases come from. */
  cities: number;
  energy: EnergyStatistics;
  riskClasses: Tally<RiskClass | "unstated">;
  /** Automation levels among use cases that directly affect citizens (the Dortmund rule's concern). */
  citizenFacingAutomation: { useCases: number; levels: Tally<AutomationLevel> };
  sovereignty: {
    useCaseHosting: Tally<HostingKind | "unstated">;
    /** Among use cases that state their sovereignty. */
    useCaseOpenWeights: Share;
    useCaseEuJurisdiction: Share;
    modelHosting: Tally<HostingKind>;
    modelOpenWeights: Share;
  };
  /** Model X in N use cases in M cities; most cities first. Known models without use cases are listed with 0. */
  modelReuse: ModelReuse[];
  /** Of the given (followed) cities, those that have published no vetted use case. */
  coverage: { cities: number; covered: number; withoutPublishedUseCase: string[] };
}

const share = (count: number, whole: number): Share => ({ count, share: whole === 0 ? 0 : count / whole });

function tally<K extends string>(keys: readonly K[], values: readonly K[]): Tally<K> {
  const counts = new Map<K, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return Object.fromEntries(keys.map((key) => [key, share(counts.get(key) ?? 0, values.length)])) as Tally<K>;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function energyStatistics(useCases: readonly UseCase[]): EnergyStatistics {
  const yearly = useCases.flatMap((useCase) =>
    useCase.energy?.kwhPerYear === undefined ? [] : [{ kwh: useCase.energy.kwhPerYear, compensated: useCase.energy.compensation !== undefined }],
  );
  const totalKwhPerYear = yearly.reduce((sum, entry) => sum + entry.kwh, 0);
  const compensated = yearly.filter((entry) => entry.compensated);
  const compensatedKwh = compensated.reduce((sum, entry) => sum + entry.kwh, 0);
  return {
    totalKwhPerYear,
    reporting: yearly.length,
    perRequestOnly: useCases.filter((useCase) => useCase.energy !== undefined && useCase.energy.kwhPerYear === undefined).length,
    withoutEstimate: useCases.filter((useCase) => useCase.energy === undefined).length,
    medianKwhPerYear: median(yearly.map((entry) => entry.kwh)),
    distribution: energyBucketBounds.map((fromKwh, index) => {
      const toKwh = energyBucketBounds[index + 1] ?? null;
      return { fromKwh, toKwh, count: yearly.filter((entry) => entry.kwh >= fromKwh && (toKwh === null || entry.kwh < toKwh)).length };
    }),
    compensated: {
      useCases: share(compensated.length, yearly.length),
      kwhPerYear: compensatedKwh,
      kwhShare: totalKwhPerYear === 0 ? 0 : compensatedKwh / totalKwhPerYear,
    },
  };
}

function modelReuse(useCases: readonly UseCase[], models: readonly SharedModel[]): ModelReuse[] {
  const usage = new Map<string, { useCases: Set<string>; cities: Set<string> }>(models.map((model) => [model.id, { useCases: new Set(), cities: new Set() }]));
  for (const useCase of useCases) {
    for (const reference of useCase.models) {
      const entry = usage.get(reference.model) ?? { useCases: new Set<string>(), cities: new Set<string>() };
      entry.useCases.add(useCase.id);
      entry.cities.add(useCase.provenance.originActor);
      usage.set(reference.model, entry);
    }
  }
  const names = new Map(models.map((model) => [model.id, model.name]));
  return [...usage.entries()]
    .map(([model, entry]) => ({ model, name: names.get(model) ?? null, useCases: entry.useCases.size, cities: entry.cities.size }))
    .sort((a, b) => b.cities - a.cities || b.useCases - a.useCases || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

/**
 * Figures across the network from the records a node holds. Only published use cases count;
 * `cities` are the actor IRIs of the cities whose coverage is asked for (e.g. those we follow).
 */
export function networkStatistics(useCases: readonly UseCase[], models: readonly SharedModel[], cities: readonly string[]): NetworkStatistics {
  const published = useCases.filter((useCase) => useCase.workflow.state === "published");
  const publishingCities = new Set(published.map((useCase) => useCase.provenance.originActor));
  const citizenFacing = published.filter((useCase) => useCase.decisionProcess.directlyAffectsCitizens);
  const stated = published.flatMap((useCase) => (useCase.sovereignty === undefined ? [] : [useCase.sovereignty]));
  const askedCities = [...new Set(cities)];
  const uncovered = askedCities.filter((city) => !publishingCities.has(city)).sort();
  return {
    useCases: published.length,
    cities: publishingCities.size,
    energy: energyStatistics(published),
    riskClasses: tally(
      [...riskClasses, "unstated"],
      published.map((useCase) => useCase.risk.aiActClass ?? "unstated"),
    ),
    citizenFacingAutomation: {
      useCases: citizenFacing.length,
      levels: tally(
        automationLevels,
        citizenFacing.map((useCase) => useCase.decisionProcess.automationLevel),
      ),
    },
    sovereignty: {
      useCaseHosting: tally(
        [...hostingKinds, "unstated"],
        published.map((useCase) => useCase.sovereignty?.hosting ?? "unstated"),
      ),
      useCaseOpenWeights: share(stated.filter((sovereignty) => sovereignty.openWeights).length, stated.length),
      useCaseEuJurisdiction: share(stated.filter((sovereignty) => euCountryCodes.has(sovereignty.jurisdiction)).length, stated.length),
      modelHosting: tally(
        hostingKinds,
        models.map((model) => model.sovereignty.hosting),
      ),
      modelOpenWeights: share(models.filter((model) => model.sovereignty.openWeights).length, models.length),
    },
    modelReuse: modelReuse(published, models),
    coverage: { cities: askedCities.length, covered: askedCities.length - uncovered.length, withoutPublishedUseCase: uncovered },
  };
}
