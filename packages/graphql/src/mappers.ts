import type {
  GuidelineHistoryEntry,
  AccessTokenInfo,
  CatalogViewEntry,
  JoinedCatalog,
  ActorRef,
  Catalog,
  CatalogMember,
  FollowRecord,
  ModerationLogEntry,
  BilingualMessage,
  CatalogEntry,
  CheckResult,
  DeliveryFailureRecord,
  FailingUseCase,
  Guideline,
  InboxDeliveryStatus,
  GuidelineDiff,
  LanguageMap,
  LineageNode,
  NetworkCity,
  Page,
  PrincipleMatrix,
  RecordAction,
  Report,
  Role,
  SharedModel,
  TrustListEntry,
  TrustMode,
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

/** A refused state change as payload-errors.ts builds it: the state and the action as the core spells them. */
export interface InvalidTransitionView {
  message: BilingualMessage;
  from: string;
  action: RecordAction;
}

/** The permanent delivery failures of one follower, newest first, and its deliveries waiting in the queue. */
export interface FollowerDeliveries {
  failures: DeliveryFailureRecord[];
  /** Null on a node without a delivery status reader (nothing waits, circuit closed). */
  status: InboxDeliveryStatus | null;
  /** The circuit of the follower's server ("closed" without a status). */
  circuit: InboxDeliveryStatus["circuit"];
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

/** Who acted on a catalog: a person here, a remote actor, or the record's origin withdrawing it. */
export type CatalogActorRef = ActorRef | { type: "origin"; id: string };

/** An entry with its status spelled out as GraphQL fields (codegen types enum fields only on the parent). */
export interface CatalogEntryView {
  entry: CatalogEntry;
  recordKind: CatalogEntry["record"]["kind"];
  state: CatalogEntry["status"]["state"];
}

/** A report with its state on the parent (see CatalogEntryView). */
export interface ReportView {
  report: Report;
  category: Report["category"];
  state: Report["status"]["state"];
}

export const catalogEntryView = (entry: CatalogEntry): CatalogEntryView => ({ entry, recordKind: entry.record.kind, state: entry.status.state });
export const reportView = (report: Report): ReportView => ({ report, category: report.category, state: report.status.state });

/** `pageInfo` of a connection (see `pageInfoOf`). */
export interface PageInfoView {
  hasNextPage: boolean;
  endCursor: string | null;
  hasPreviousPage: boolean;
  startCursor: string | null;
}

export type CatalogEntryPage = Page<CatalogEntry>;
export type ReportPage = Page<Report>;
export type CityPage = Page<NetworkCity>;
export type CatalogPage = Page<Catalog>;
export type FollowPage = Page<FollowRecord>;
export type ModerationLogPage = Page<ModerationLogEntry>;
export type CatalogMemberPage = Page<CatalogMember>;
export type ApiTokenPage = Page<AccessTokenInfo>;
export type DomainBlockPage = Page<DomainBlockEntry>;
export type JoinedCatalogPage = Page<JoinedCatalog>;
export type CatalogViewEntryPage = Page<CatalogViewEntry>;
export type TrustListEntryPage = Page<TrustListEntry>;
export type GuidelineHistoryPage = Page<GuidelineHistoryEntry>;
export type LineageNodePage = Page<LineageEntry>;
export type FailingUseCasePage = Page<FailingUseCase>;
export type AdoptionPage = Page<UseCase["adoptedBy"][number]>;

/** The trust mode and lists of the node or of one catalog. */
export interface NetworkTrustView {
  mode: TrustMode;
  entries: TrustListEntry[];
}

/** The signed-in caller. */
export interface ViewerView {
  name: string;
  role: Role;
  signedInWith: "api-token" | "identity-provider";
}

/**
 * A use case checked by this node against its current guideline, or (null) the whole rule catalog:
 * a catalog's submissions for its moderators, and received use cases.
 */
export interface RuleCheckView {
  guidelineVersion: Guideline | null;
  results: CheckResult[];
}
