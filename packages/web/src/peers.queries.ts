// What peer cities published or changed: the received copies of public records, newest receipt first.
import { provenanceFields, type Provenance, type Text } from "./register.queries.ts";

export const peerRecordKinds = ["guideline", "use-case", "model"] as const;
export type PeerRecordKind = (typeof peerRecordKinds)[number];

/** What happened, as far as the copy tells: a guideline version that supersedes another is a new version. */
export type PeerEvent = "published" | "new-version" | "retired";

export interface PeerActivityEntry {
  kind: PeerRecordKind;
  event: PeerEvent;
  id: string;
  title: string;
  summary: string | null;
  /** The version label of a guideline version. */
  version: string | null;
  /** When this node received the record (a copy is received again on each Update). */
  receivedAt: string;
  publishedAt: string | null;
  provenance: Provenance;
}

export interface FollowedCityEntry {
  actor: string;
  state: string;
}

const provenance = provenanceFields;
// The API lists records in the order this node first stored them and has no filter by time of
// receipt, so the page reads the newest hundred of each kind and orders them by receipt itself.
const window = 100;
const useCaseFields = `id name { text(lang: $lang) } shortDescription { text(lang: $lang) } workflow { state publishedAt } ${provenance}`;

export const peerActivityQuery = `query PeerActivity($lang: String!) {
  following: followedCities(first: 100) { nodes { actor state } }
  guidelines(filter: { local: false, state: PUBLISHED, currentOnly: false }, first: ${window}) {
    nodes { id title { text(lang: $lang) } summary { text(lang: $lang) } version earlierVersions(first: 1) { totalCount } publishedAt ${provenance} }
  }
  useCases(filter: { local: false, workflowState: PUBLISHED }, first: ${window}) { nodes { ${useCaseFields} } }
  retiredUseCases: useCases(filter: { local: false, workflowState: RETIRED }, first: ${window}) { nodes { ${useCaseFields} } }
  models(filter: { local: false }, first: ${window}) {
    nodes { id name { text(lang: $lang) } intendedUse { text(lang: $lang) } version ${provenance} }
  }
}`;

interface PeerUseCase {
  id: string;
  name: Text;
  shortDescription: Text;
  workflow: { state: string; publishedAt: string | null };
  provenance: Provenance;
}

export interface PeerActivityData {
  following: { nodes: FollowedCityEntry[] };
  guidelines: {
    nodes: {
      id: string;
      title: Text;
      summary: Text | null;
      version: string;
      earlierVersions: { totalCount: number };
      publishedAt: string | null;
      provenance: Provenance;
    }[];
  };
  useCases: { nodes: PeerUseCase[] };
  retiredUseCases: { nodes: PeerUseCase[] };
  models: { nodes: { id: string; name: Text; intendedUse: Text; version: string; provenance: Provenance }[] };
}

export interface PeerActivityFilter {
  kind: PeerRecordKind | "";
  /** A city's actor IRI. */
  city: string;
}

/** The received records as one list, newest receipt first, filtered by kind and city. */
export function peerActivity(data: PeerActivityData, filter: PeerActivityFilter): PeerActivityEntry[] {
  const useCase = (entry: PeerUseCase): PeerActivityEntry => ({
    kind: "use-case",
    event: entry.workflow.state === "RETIRED" ? "retired" : "published",
    id: entry.id,
    title: entry.name.text,
    summary: entry.shortDescription.text,
    version: null,
    receivedAt: entry.provenance.receivedAt ?? "",
    publishedAt: entry.workflow.publishedAt,
    provenance: entry.provenance,
  });
  const all: PeerActivityEntry[] = [
    ...data.guidelines.nodes.map((entry): PeerActivityEntry => ({
      kind: "guideline",
      event: entry.earlierVersions.totalCount > 0 ? "new-version" : "published",
      id: entry.id,
      title: entry.title.text,
      summary: entry.summary?.text ?? null,
      version: entry.version,
      receivedAt: entry.provenance.receivedAt ?? "",
      publishedAt: entry.publishedAt,
      provenance: entry.provenance,
    })),
    ...data.useCases.nodes.map(useCase),
    ...data.retiredUseCases.nodes.map(useCase),
    ...data.models.nodes.map((entry): PeerActivityEntry => ({
      kind: "model",
      event: "published",
      id: entry.id,
      title: entry.name.text,
      summary: entry.intendedUse.text,
      version: entry.version,
      receivedAt: entry.provenance.receivedAt ?? "",
      publishedAt: null,
      provenance: entry.provenance,
    })),
  ];
  return all
    .filter((entry) => (!filter.kind || entry.kind === filter.kind) && (!filter.city || entry.provenance.city.id === filter.city))
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.id.localeCompare(b.id));
}

/** Every city the filter can offer: those this node follows, and those whose records it holds (e.g. through a catalog). */
export function peerCities(data: PeerActivityData): string[] {
  const fromRecords = [...data.guidelines.nodes, ...data.useCases.nodes, ...data.retiredUseCases.nodes, ...data.models.nodes].map(
    (entry) => entry.provenance.city.id,
  );
  return [...new Set([...data.following.nodes.map((entry) => entry.actor), ...fromRecords])].sort();
}
