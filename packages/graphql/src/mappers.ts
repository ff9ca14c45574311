import type {
  BilingualMessage,
  CheckResult,
  DeliveryFailureRecord,
  FailingUseCase,
  Guideline,
  GuidelineDiff,
  LanguageMap,
  LineageNode,
  NetworkCity,
  Page,
  PrincipleMatrix,
  SharedModel,
  UpstreamChanges,
  UseCase,
} from "@leitplanken/core";

/**
 * What the resolvers of some GraphQL types receive as parent, where that is not a core
 * record itself (GraphQL Code Generator `mappers`, see codegen.ts).
 */

/** A guideline document across its versions: the core stores versions, each naming its document. */
export interface GuidelineDocument {
  documentId: string;
}

export type ModelReference = UseCase["models"][number];
export type Conformance = NonNullable<UseCase["conformance"]>;

export interface ConformanceReport {
  __typename?: "ConformanceReport";
  guidelineVersion: Guideline;
  results: CheckResult[];
}

export type UseCasePage = Page<UseCase>;
export type SharedModelPage = Page<SharedModel>;
export type GuidelinePage = Page<Guideline>;

/** Texts come as the core's language maps or as its bilingual messages (errors). */
export type LocalizedText = LanguageMap | BilingualMessage;

/** The permanent delivery failures of one follower, newest first. */
export interface FollowerDeliveries {
  failures: DeliveryFailureRecord[];
}

/** A blocked domain, stored by an admin (with its date) or from the node's configuration. */
export interface DomainBlockEntry {
  domain: string;
  reason: string | null;
  createdAt: Date | null;
  fromConfiguration: boolean;
}

/** A comparison with the compared versions themselves (the core names them only). */
export interface GuidelineComparisonView {
  __typename?: "GuidelineComparison";
  versions: Guideline[];
  matrix: PrincipleMatrix;
  diff: GuidelineDiff | null;
}

export interface UseCasesFailingView {
  __typename?: "UseCasesFailingGuideline";
  guidelineVersion: Guideline;
  checked: number;
  failing: FailingUseCase[];
}

/** `upstreamChanges` of a guideline version that is a fork. */
export type ForkUpstreamChanges = Exclude<UpstreamChanges, { status: "not-a-fork" }> & { origin: string };

/** A node of a fork tree, flattened: GraphQL cannot return a tree of unknown depth in one selection. */
export interface LineageEntry {
  node: LineageNode;
  parentId: string | null;
  depth: number;
}

export interface LineageView {
  root: LineageEntry;
  nodes: LineageEntry[];
}

export type CityRecordCounts = NetworkCity["counts"];
