// The GraphQL operations of the network pages (comparison, fork lineage, statistics) and their shapes.
import type { Provenance, Text } from "./register.queries.ts";

export interface WordChange {
  kind: "SAME" | "ADDED" | "REMOVED";
  text: string;
}

export interface ComparedPrinciple {
  key: string;
  level: string;
  category: string;
  statement: Text;
}

export interface GuidelineComparison {
  __typename: "GuidelineComparison";
  versions: { id: string; version: string; title: Text; licenceId: string; provenance: Pick<Provenance, "city" | "originCityName" | "local" | "node"> }[];
  rows: { category: string; ruleIds: string[]; cells: ({ alignedBy: string; similarity: number | null; principle: ComparedPrinciple } | null)[] }[];
  diff: GuidelineDiff | null;
}

/** What changed from one guideline version to another, with word diffs. */
export interface GuidelineDiff {
  changedFields: string[];
  hasChanges: boolean;
  sections: { kind: string; heading: string; moved: boolean; body: string | null; bodyDiff: WordChange[] | null }[];
  principles: {
    kind: string;
    key: string;
    moved: boolean;
    changedFields: string[];
    statementDiff: WordChange[] | null;
    before: { statement: Text } | null;
    after: { statement: Text } | null;
  }[];
}

export interface ComparableVersion {
  id: string;
  version: string;
  title: Text;
  provenance: { local: boolean; node: string };
}

export interface CompareData {
  result: GuidelineComparison | { __typename: string; message: Text };
  guidelines: { nodes: ComparableVersion[] };
}

export const guidelineDiffFields = `changedFields hasChanges
        sections { kind heading moved body bodyDiff { kind text } }
        principles { kind key moved changedFields statementDiff { kind text } before { statement { text(lang: $lang) language: lang(lang: $lang) } } after { statement { text(lang: $lang) language: lang(lang: $lang) } } }`;
const principleFields = "key level category statement { text(lang: $lang) language: lang(lang: $lang) }";
const comparableVersions = `guidelines(filter: { state: PUBLISHED, currentOnly: false }, first: 100) {
    nodes { id version title { text(lang: $lang) language: lang(lang: $lang) } provenance { local node } }
  }`;

export const compareQuery = `query CompareGuidelines($lang: String!, $ids: [ID!]!) {
  result: compareGuidelines(versionIds: $ids, language: $lang) {
    __typename
    ... on PayloadError { message { text(lang: $lang) language: lang(lang: $lang) } }
    ... on GuidelineComparison {
      versions { id version title { text(lang: $lang) language: lang(lang: $lang) } licenceId provenance { city { id } originCityName local node } }
      rows { category ruleIds cells { alignedBy similarity principle { ${principleFields} } } }
      diff { ${guidelineDiffFields} }
    }
  }
  ${comparableVersions}
}`;

/** The choice of versions alone, for the comparison form before anything is compared. */
export const comparableVersionsQuery = `query ComparableVersions($lang: String!) {
  ${comparableVersions}
}`;

export interface LineageNode {
  id: string;
  known: boolean;
  city: string | null;
  title: Text | null;
  versions: { id: string; version: string; publishedAt: string | null }[];
  forkedFrom: string | null;
  parentId: string | null;
  depth: number;
  cycleBroken: boolean;
}

export interface LineageData {
  lineage: { root: { id: string }; tree: { nodes: LineageNode[] } } | null;
}

export const lineageQuery = `query Lineage($lang: String!, $id: ID!) {
  lineage(guidelineId: $id) {
    root { id }
    tree(first: 100) { nodes { id known city title { text(lang: $lang) language: lang(lang: $lang) } versions { id version publishedAt } forkedFrom parentId depth cycleBroken } }
  }
}`;

export interface Share {
  count: number;
  share: number;
}

export interface StatisticsData {
  networkStatistics: {
    useCases: number;
    cities: number;
    energy: {
      totalKwhPerYear: number;
      reporting: number;
      perRequestOnly: number;
      withoutEstimate: number;
      medianKwhPerYear: number | null;
      distribution: { fromKwh: number; toKwh: number | null; count: number }[];
    };
    riskClasses: ({ riskClass: string | null } & Share)[];
    citizenFacingAutomation: { useCases: number; levels: ({ automationLevel: string } & Share)[] };
    sovereignty: {
      useCaseHosting: ({ hosting: string | null } & Share)[];
      useCaseOpenWeights: Share;
      useCaseEuJurisdiction: Share;
      modelHosting: ({ hosting: string | null } & Share)[];
    };
    modelReuse: { modelId: string; model: { name: Text } | null; useCases: number; cities: number }[];
    coverage: { cities: number; covered: number; withoutPublishedUseCase: string[] };
  };
  /** The first 100 cities this node knows (`networkStatistics.coverage.cities` counts all of them). */
  cities: {
    nodes: {
      actor: string;
      name: string | null;
      host: string;
      own: boolean;
      followed: boolean;
      counts: { guidelineVersions: number; useCases: number; models: number; adoptions: number };
      unverifiedRecords: number;
    }[];
  };
}

/** Which of the cities on the statistics page are catalogs (a Group this node follows), by their profiles. */
export const actorKindsQuery = "query ActorKinds($ids: [String!]!) { actorProfiles(ids: $ids) { id kind } }";

export const statisticsQuery = `query NetworkStatistics($lang: String!) {
  networkStatistics {
    useCases cities
    energy { totalKwhPerYear reporting perRequestOnly withoutEstimate medianKwhPerYear distribution { fromKwh toKwh count } }
    riskClasses { riskClass count share }
    citizenFacingAutomation { useCases levels { automationLevel count share } }
    sovereignty {
      useCaseHosting { hosting count share }
      useCaseOpenWeights { count share }
      useCaseEuJurisdiction { count share }
      modelHosting { hosting count share }
    }
    modelReuse(first: 10) { modelId model { name { text(lang: $lang) language: lang(lang: $lang) } } useCases cities }
    coverage { cities covered withoutPublishedUseCase }
  }
  cities: knownCities(first: 100) { nodes { actor name host own followed counts { guidelineVersions useCases models adoptions } unverifiedRecords } }
}`;
