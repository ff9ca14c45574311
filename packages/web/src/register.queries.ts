// The GraphQL operations of the public register and the shapes they select.
import { licenceOfEnumName } from "@leitplanken/core";
import { guidelineDiffFields, type GuidelineDiff } from "./network.queries.ts";

export interface Text {
  text: string;
  /** The language the text is in (the API's `language(lang:)`), when the query asks for it. */
  language?: string;
}

export interface Provenance {
  /** The publishing city (its actor IRI as \`id\`). The API leaves it null only on a node composed without the network view; the server composes the pages with it. */
  city: { id: string };
  /** The publishing city's name from its actor (this node's own from its settings); null while unknown. */
  originCityName: string | null;
  node: string;
  local: boolean;
  receivedAt: string | null;
  proofVerified: boolean | null;
}

/** A licence as the pages show and send it (`CC-BY-4.0`), from the API's enum value (`CC_BY_4_0`). */
export const licenceOf = (value: string): string => licenceOfEnumName(value) ?? value;

export const provenanceFields = "provenance { city { id } originCityName node local receivedAt proofVerified }";
const provenance = provenanceFields;

export interface UseCaseSummary {
  id: string;
  name: Text;
  shortDescription: Text;
  department: string;
  status: string;
  workflow: { state: string };
  decisionProcess: { automationLevel: string; directlyAffectsCitizens: boolean };
  risk: { aiActClass: string | null };
  provenance: Provenance;
}

export const useCaseSummaryFields = `
  id name { text(lang: $lang) language: lang(lang: $lang) } shortDescription { text(lang: $lang) language: lang(lang: $lang) } department status
  workflow { state } decisionProcess { automationLevel directlyAffectsCitizens } risk { aiActClass }
  ${provenance}`;

export interface GuidelineSummary {
  id: string;
  kind: string;
  title: Text;
  version: string;
  validFrom: string;
  state: string;
  publishedAt: string | null;
  provenance: Provenance;
}

const guidelineSummaryFields = `id kind title { text(lang: $lang) language: lang(lang: $lang) } version validFrom state publishedAt ${provenance}`;

export interface ModelSummary {
  id: string;
  name: Text;
  version: string;
  licenceId: string;
  intendedUse: Text;
  sovereignty: { hosting: string; openWeights: boolean };
  provenance: Provenance;
}

export const modelSummaryFields = `id name { text(lang: $lang) language: lang(lang: $lang) } version licenceId intendedUse { text(lang: $lang) language: lang(lang: $lang) } sovereignty { hosting openWeights } ${provenance}`;

export interface Connection<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface Principle {
  key: string;
  statement: Text;
  level: string;
  category: string;
  ruleIds: string[];
}

export interface GuidelineVersionListEntry {
  id: string;
  version: string;
  state: string;
  publishedAt: string | null;
  /** The date from which the version applies (YYYY-MM-DD). */
  validFrom: string;
  changeSummary: Text | null;
}

/** A rule of this node's rule catalog by its title, for naming the rules a principle invokes. */
export interface RuleTitle {
  id: string;
  title: Text;
}

export const ruleTitlesFields = "rules { id title { text(lang: $lang) language: lang(lang: $lang) } }";

export interface CityPageData {
  rules?: RuleTitle[];
  guidelines: Connection<GuidelineSummary & { summary: Text | null; principles: Principle[]; guideline: { versions: { nodes: GuidelineVersionListEntry[] } } }>;
  useCases: Connection<UseCaseSummary>;
  models: Connection<ModelSummary>;
}

export const cityPageQuery = `query CityPage($lang: String!) {
  ${ruleTitlesFields}
  guidelines(filter: { local: true, state: PUBLISHED }, first: 10) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { ${guidelineSummaryFields} summary { text(lang: $lang) language: lang(lang: $lang) }
      principles { key statement { text(lang: $lang) language: lang(lang: $lang) } level category ruleIds }
      guideline { versions: allVersions(first: 20) { nodes { id version state publishedAt validFrom changeSummary { text(lang: $lang) language: lang(lang: $lang) } } } } }
  }
  useCases(filter: { local: true, workflowState: PUBLISHED }, first: 50) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${useCaseSummaryFields} }
  }
  models(filter: { local: true }, first: 50) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${modelSummaryFields} }
  }
}`;

export interface SearchData {
  useCases: Connection<UseCaseSummary>;
  guidelines: Connection<GuidelineSummary> | undefined;
  models: Connection<ModelSummary> | undefined;
}

export const searchQuery = `query Search($lang: String!, $useCaseFilter: UseCaseFilter!, $after: String, $search: String, $local: Boolean, $withOthers: Boolean!) {
  useCases(filter: $useCaseFilter, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${useCaseSummaryFields} }
  }
  guidelines(filter: { search: $search, local: $local, state: PUBLISHED }, first: 20) @include(if: $withOthers) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${guidelineSummaryFields} }
  }
  models(filter: { search: $search, local: $local }, first: 20) @include(if: $withOthers) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${modelSummaryFields} }
  }
}`;

export interface RuleResult {
  ruleId: string;
  ruleVersion: number;
  principleKey: string | null;
  principle: Text;
  severity: string;
  passed: boolean;
  offendingFields: string[];
  /** The rule in this node's catalog; null when this node does not know it (then only its id can be shown). */
  rule?: { title: Text } | null;
}

export const ruleResultFields =
  "ruleId ruleVersion principleKey principle { text(lang: $lang) language: lang(lang: $lang) } severity passed offendingFields rule { title { text(lang: $lang) language: lang(lang: $lang) } }";

export interface UseCaseRecord extends UseCaseSummary {
  purpose: Text;
  statusDates: { idea: string | null; pilot: string | null; inUse: string | null; retired: string | null };
  responsible: { role: Text; office: Text } | null;
  contact: { email: string | null; phone: string | null; url: string | null };
  decisionProcess: UseCaseSummary["decisionProcess"] & { processFit: Text; humanReview: Text; appealPath: Text | null };
  technique: string;
  selfLearning: boolean;
  models: { modelId: string; version: string; model: { name: Text } | null }[];
  suppliers: { name: string; role: Text | null; country: string | null }[];
  datasets: { name: Text; source: Text; personalData: boolean; specialCategories: boolean; legalBasis: string | null; retention: Text | null }[];
  risk: { aiActClass: string | null; annexIIIArea: string | null; article6_3Reason: Text | null; risks: { risk: Text; mitigation: Text }[] };
  energy: { kwhPerYear: number | null; kwhPer1000Requests: number | null; hostingRegion: string | null } | null;
  sovereignty: { operator: string; jurisdiction: string; hosting: string; openWeights: boolean; exitPlan: Text | null } | null;
  /** The use case this one was adopted from; null when not adopted (or this node no longer holds it). */
  adoptedFromUseCase: { id: string } | null;
  adoptions: { nodes: { adoption: string; city: string; cityName: string | null; adoptedAt: string }[] };
  workflow: { state: string; publishedAt: string | null; retiredAt: string | null };
  conformance: { guidelineVersionId: string; guidelineVersion: { title: Text; version: string } | null; checkedAt: string; results: RuleResult[] } | null;
  vetting: { vetter: { name: string; role: string }; date: string; result: string } | null;
  /** Received use cases: this node's check against its own guideline (or the whole rule catalog); null for our own. */
  ruleCheck: {
    guidelineVersion: { id: string; title: Text; version: string } | null;
    passed: boolean;
    results: (RuleResult & { rule: { title: Text } | null })[];
  } | null;
}

export const useCaseQuery = `query UseCaseRecord($lang: String!, $id: ID!) {
  useCase(id: $id) {
    ${useCaseSummaryFields}
    purpose { text(lang: $lang) language: lang(lang: $lang) }
    statusDates { idea pilot inUse retired }
    responsible { role { text(lang: $lang) language: lang(lang: $lang) } office { text(lang: $lang) language: lang(lang: $lang) } }
    contact { email phone url }
    decisionProcess { processFit { text(lang: $lang) language: lang(lang: $lang) } humanReview { text(lang: $lang) language: lang(lang: $lang) } appealPath { text(lang: $lang) language: lang(lang: $lang) } }
    technique selfLearning
    models { modelId version model { name { text(lang: $lang) language: lang(lang: $lang) } } }
    suppliers { name role { text(lang: $lang) language: lang(lang: $lang) } country }
    datasets { name { text(lang: $lang) language: lang(lang: $lang) } source { text(lang: $lang) language: lang(lang: $lang) } personalData specialCategories legalBasis retention { text(lang: $lang) language: lang(lang: $lang) } }
    risk { annexIIIArea article6_3Reason { text(lang: $lang) language: lang(lang: $lang) } risks { risk { text(lang: $lang) language: lang(lang: $lang) } mitigation { text(lang: $lang) language: lang(lang: $lang) } } }
    energy { kwhPerYear kwhPer1000Requests hostingRegion }
    sovereignty { operator jurisdiction hosting openWeights exitPlan { text(lang: $lang) language: lang(lang: $lang) } }
    adoptedFromUseCase { id } adoptions(first: 100) { nodes { adoption city cityName adoptedAt } }
    workflow { publishedAt retiredAt }
    conformance { guidelineVersionId guidelineVersion { title { text(lang: $lang) language: lang(lang: $lang) } version } checkedAt results { ${ruleResultFields} } }
    vetting { vetter { name role } date result }
    ruleCheck { guidelineVersion { id title { text(lang: $lang) language: lang(lang: $lang) } version } passed results { ${ruleResultFields} } }
  }
}`;

export interface GuidelineRecord extends GuidelineSummary {
  summary: Text | null;
  issuingBody: { name: Text; organisationId: { scheme: string; value: string } | null };
  adoptingBody: { name: Text; councilDecision: string | null; decidedOn: string | null } | null;
  audience: Text;
  consulted: { party: string; note: Text | null; date: string | null }[];
  licenceId: string;
  licenceAllowsFork: boolean;
  sections: { heading: Text; body: Text }[];
  principles: Principle[];
  /** The version this one was forked from; null when not a fork (or this node no longer holds it). */
  originVersion: { id: string } | null;
  attribution: Text | null;
  changeSummary: Text | null;
  supersedesVersion: { id: string } | null;
  guideline: { id: string; versions: { nodes: GuidelineVersionListEntry[] } };
  /** For a fork: whether its origin published newer versions, and what changed since the fork point. */
  upstreamChanges: {
    status: "UP_TO_DATE" | "UPSTREAM_CHANGED" | "ORIGIN_UNKNOWN";
    origin: string;
    forkPoint: { id: string; version: string } | null;
    latest: { id: string; version: string } | null;
    diff: GuidelineDiff | null;
  } | null;
}

const guidelineRecordFields = `${guidelineSummaryFields}
    summary { text(lang: $lang) language: lang(lang: $lang) }
    issuingBody { name { text(lang: $lang) language: lang(lang: $lang) } organisationId { scheme value } }
    adoptingBody { name { text(lang: $lang) language: lang(lang: $lang) } councilDecision decidedOn }
    audience { text(lang: $lang) language: lang(lang: $lang) }
    consulted { party note { text(lang: $lang) language: lang(lang: $lang) } date }
    licenceId licenceAllowsFork
    sections { heading { text(lang: $lang) language: lang(lang: $lang) } body { text(lang: $lang) language: lang(lang: $lang) } }
    principles { key statement { text(lang: $lang) language: lang(lang: $lang) } level category ruleIds }
    originVersion { id } attribution { text(lang: $lang) language: lang(lang: $lang) } changeSummary { text(lang: $lang) language: lang(lang: $lang) } supersedesVersion { id }
    guideline { id versions: allVersions(first: 100) { nodes { id version state publishedAt validFrom changeSummary { text(lang: $lang) language: lang(lang: $lang) } } } }
    upstreamChanges(language: $lang) { status origin forkPoint { id version } latest { id version } diff { ${guidelineDiffFields} } }`;

export const guidelineVersionQuery = `query GuidelineRecord($lang: String!, $id: ID!) {
  ${ruleTitlesFields}
  guidelineVersion(id: $id) { ${guidelineRecordFields} }
}`;

/** A draft as its public page will show it, with the lockVersion the preview's "publish now" names. */
export const guidelinePreviewQuery = `query GuidelinePreview($lang: String!, $id: ID!) {
  ${ruleTitlesFields}
  guidelineVersion(id: $id) { lockVersion ${guidelineRecordFields} }
}`;

export const guidelineDocumentQuery = `query GuidelineDocument($id: ID!) { guideline(id: $id) { current { id } } }`;

export interface ModelRecord extends ModelSummary {
  revision: string | null;
  baseModel: { name: string; iri: string | null; relation: string } | null;
  architecture: string;
  parameterCount: number | null;
  languages: string[];
  outOfScopeUse: Text;
  trainingData: Text;
  evaluation: { benchmark: string; metric: string; value: number }[];
  limitations: Text;
  trainingEmissions: { co2eGrams: number; hardware: string; region: string } | null;
  inferenceEnergy: { whPer1000Requests: number; hardware: string; testDate: string } | null;
  sovereignty: ModelSummary["sovereignty"] & { osiOpenSourceAi: string; weightsLocation: string; operatorJurisdiction: string; exitStrategy: Text | null };
  servedBy: string[];
  maintainers: { name: string; organisation: string | null; contact: string | null }[];
  usedBy: Connection<UseCaseSummary>;
}

export const modelQuery = `query ModelRecord($lang: String!, $id: ID!) {
  model(id: $id) {
    ${modelSummaryFields}
    revision baseModel { name iri relation } architecture parameterCount languages
    outOfScopeUse { text(lang: $lang) language: lang(lang: $lang) } trainingData { text(lang: $lang) language: lang(lang: $lang) }
    evaluation { benchmark metric value } limitations { text(lang: $lang) language: lang(lang: $lang) }
    trainingEmissions { co2eGrams hardware region }
    inferenceEnergy { whPer1000Requests hardware testDate }
    sovereignty { osiOpenSourceAi weightsLocation operatorJurisdiction exitStrategy { text(lang: $lang) language: lang(lang: $lang) } }
    servedBy maintainers { name organisation contact }
    usedBy(first: 50) { totalCount pageInfo { hasNextPage endCursor } nodes { ${useCaseSummaryFields} } }
  }
}`;
