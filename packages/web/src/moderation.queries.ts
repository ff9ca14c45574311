// The GraphQL operations of the moderation queue (staff) and the public moderation log.
import type { Text } from "./register.queries.ts";

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
  submittedAt: string;
  approvedAt: string | null;
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
  submitted: { totalCount: number; nodes: QueueEntry[] };
  approved: { totalCount: number; nodes: QueueEntry[] };
  reports: { totalCount: number; nodes: OpenReport[] };
}

export const hostedCatalogsQuery = "query HostedCatalogs($lang: String!) { catalogs { id handle name { text(lang: $lang) } viewerIsModerator } }";

const entryFields = "id recordId recordKind originCity submittedAt approvedAt";
const reportFields = "id target category text reporter createdAt";

/** One catalog's queue; only its moderators may read it (others get FORBIDDEN). */
export const moderationQueueQuery = `query ModerationQueue($lang: String!, $id: ID!) {
  catalog(id: $id) {
    id handle name { text(lang: $lang) } viewerIsModerator
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
  reason: string | null;
  at: string;
  isRevert: boolean;
}

export interface ModerationLogData {
  catalogs: (HostedCatalog & { moderationLog: LogEntry[] })[];
  nodeModerationLog: LogEntry[];
}

const logFields = "position kind actor { type iri name } targetType target reason at isRevert";

/** Read without a token: the API leaves confidential entries (refused attempts among them) out. */
export const moderationLogQuery = `query ModerationLog($lang: String!) {
  catalogs { id handle name { text(lang: $lang) } viewerIsModerator moderationLog(first: 100) { ${logFields} } }
  nodeModerationLog(first: 100) { ${logFields} }
}`;
