// The GraphQL operations of the moderation queue (staff) and the public moderation log.
import { ruleResultFields, type RuleResult, type Text } from "./register.queries.ts";
import { mutation, validationErrorFields } from "./staff.queries.ts";

export interface CatalogActor {
  type: string;
  iri: string | null;
  name: string | null;
}

export interface QueueEntry {
  id: string;
  recordId: string;
  recordKind: string;
  originCity: string;
  /** The origin city's name; null when its actor did not answer in time. */
  originCityName: string | null;
  submittedAt: string;
  approvedAt: string | null;
  /** The record in the document the catalog keeps (its title); null until the catalog has it. */
  record: { __typename: string; name?: Text; title?: Text; version?: string } | null;
  /** Use cases: the rules checked for the moderators. */
  ruleCheck: { passed: boolean; guidelineVersion: { title: Text; version: string } | null; results: RuleResult[] } | null;
}

export interface QueueMember {
  actor: string;
  state: string;
  requestedAt: string;
  joinedAt: string | null;
  reason: string | null;
}

export interface OpenReport {
  id: string;
  target: string;
  category: string;
  text: string | null;
  reporter: string | null;
  createdAt: string;
}

export interface HostedCatalog {
  id: string;
  handle: string;
  name: Text;
  viewerIsModerator: boolean;
}

export interface ModeratedCatalog extends HostedCatalog {
  pendingMembers: { totalCount: number; nodes: QueueMember[] };
  acceptedMembers: { totalCount: number; nodes: QueueMember[] };
  submitted: { totalCount: number; nodes: QueueEntry[] };
  approved: { totalCount: number; nodes: QueueEntry[] };
  reports: { totalCount: number; nodes: OpenReport[] };
}

export const hostedCatalogsQuery =
  "query HostedCatalogs($lang: String!) { hostedCatalogs(first: 100) { nodes { id handle name { text(lang: $lang) } viewerIsModerator } } }";

const entryFields = `id recordId recordKind originCity originCityName submittedAt approvedAt
  record { __typename ... on UseCase { name { text(lang: $lang) } } ... on GuidelineVersion { title { text(lang: $lang) } version } ... on Model { name { text(lang: $lang) } version } }
  ruleCheck { passed guidelineVersion { title { text(lang: $lang) } version } results { ${ruleResultFields} } }`;
const memberFields = "actor state requestedAt joinedAt reason";
const reportFields = "id target category text reporter createdAt";

/** One catalog's queue; only its moderators may read it (others get FORBIDDEN). */
export const moderationQueueQuery = `query ModerationQueue($lang: String!, $id: ID!) {
  catalog(id: $id) {
    id handle name { text(lang: $lang) } viewerIsModerator
    pendingMembers: memberships(state: PENDING, first: 100) { totalCount nodes { ${memberFields} } }
    acceptedMembers: memberships(state: ACCEPTED, first: 100) { totalCount nodes { ${memberFields} } }
    submitted: entries(state: SUBMITTED, first: 100) { totalCount nodes { ${entryFields} } }
    approved: entries(state: APPROVED, first: 100) { totalCount nodes { ${entryFields} } }
    reports(state: OPEN, first: 100) { totalCount nodes { ${reportFields} } }
  }
}`;

export const nodeReportsQuery = `query NodeReports { nodeReports(state: OPEN, first: 100) { totalCount nodes { ${reportFields} } } }`;

export interface LogEntry {
  position: number;
  kind: string;
  actor: CatalogActor;
  targetType: string;
  target: string;
  /** The record the action concerns (entry and report actions). */
  concerns: { id: string; kind: "USE_CASE" | "GUIDELINE" | "MODEL" } | null;
  reason: string | null;
  at: string;
  isRevert: boolean;
}

export interface ModerationLogData {
  hostedCatalogs: { nodes: (HostedCatalog & { moderationHistory: { nodes: LogEntry[] } })[] };
  nodeModerationHistory: { nodes: LogEntry[] };
}

const logFields = "position kind actor { type iri name } targetType target concerns { id kind } reason at isRevert";

/**
 * Read without a token: the API leaves confidential entries (refused attempts among them) out. The
 * newest 50 entries of each log (of at most 10 hosted catalogs) keep the operation within the cost limit.
 */
export const moderationLogQuery = `query ModerationLog($lang: String!) {
  hostedCatalogs(first: 10) { nodes { id handle name { text(lang: $lang) } viewerIsModerator moderationHistory(first: 50) { nodes { ${logFields} } } } }
  nodeModerationHistory(first: 50) { nodes { ${logFields} } }
}`;

/** The moderators' actions on entries, members and reports. */
export const moderationMutations = {
  approveCatalogEntry: mutation("approveCatalogEntry", "$catalogId: ID!, $entryId: ID!", "catalogId: $catalogId, entryId: $entryId"),
  rejectCatalogEntry: mutation(
    "rejectCatalogEntry",
    "$catalogId: ID!, $entryId: ID!, $reason: String!",
    "catalogId: $catalogId, entryId: $entryId, reason: $reason",
    validationErrorFields,
  ),
  removeCatalogEntry: mutation(
    "removeCatalogEntry",
    "$catalogId: ID!, $entryId: ID!, $reason: String!",
    "catalogId: $catalogId, entryId: $entryId, reason: $reason",
    validationErrorFields,
  ),
  moderateCatalogMember: mutation(
    "moderateCatalogMember",
    "$catalogId: ID!, $actor: String!, $action: CatalogDecision!, $reason: String",
    "catalogId: $catalogId, actor: $actor, action: $action, reason: $reason",
    validationErrorFields,
  ),
  closeReport: mutation(
    "closeReport",
    "$reportId: ID!, $outcome: ReportOutcome!, $reason: String!",
    "reportId: $reportId, outcome: $outcome, reason: $reason",
    validationErrorFields,
  ),
} as const;
