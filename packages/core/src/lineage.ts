import type { LanguageMap } from "./common.schema.ts";

export interface LineageVersion {
  id: string;
  version: string;
  publishedAt: string | null;
}

export type LineageNode =
  | {
      kind: "document";
      documentId: string;
      /** The city that publishes the document (its actor IRI). */
      city: string;
      title: LanguageMap;
      /** Oldest first; drafts last. */
      versions: LineageVersion[];
      /** The version this document was forked from (the newest `origin` among its versions); null for an original. */
      forkedFrom: string | null;
      /** True where the `origin` links ran in a circle and this document's link was cut to make a tree. */
      cycleBroken: boolean;
      children: LineageNode[];
    }
  /** A version that documents here were forked from but that this node has not received. */
  | { kind: "unknown"; id: string; children: LineageNode[] };

type DocumentNode = Extract<LineageNode, { kind: "document" }>;

/**
 * What a lineage is built from: the few fields of a guideline version the tree shows. A whole
 * `Guideline` is one; the database reads just these columns for a tree of hundreds of forks.
 */
export interface LineageSource {
  id: string;
  documentId: string;
  version: string;
  title: LanguageMap;
  publishedAt?: string | null | undefined;
  origin?: string | null | undefined;
  provenance: { originActor: string };
}

const byTime = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : Date.parse(a) - Date.parse(b));

function documentNode(versions: LineageSource[]): DocumentNode {
  const sorted = [...versions].sort((a, b) => byTime(a.publishedAt ?? null, b.publishedAt ?? null) || (a.id < b.id ? -1 : 1));
  const newest = sorted.at(-1) as LineageSource;
  return {
    kind: "document",
    documentId: newest.documentId,
    city: newest.provenance.originActor,
    title: newest.title,
    versions: sorted.map((version) => ({ id: version.id, version: version.version, publishedAt: version.publishedAt ?? null })),
    forkedFrom: sorted.findLast((version) => version.origin !== undefined && version.origin !== null)?.origin ?? null,
    cycleBroken: false,
    children: [],
  };
}

/** Stable order: the earliest published first, then by IRI. */
function sortKey(node: LineageNode): [string | null, string] {
  return node.kind === "document" ? [node.versions[0]?.publishedAt ?? null, node.documentId] : [null, node.id];
}
function compareNodes(a: LineageNode, b: LineageNode): number {
  const [timeA, idA] = sortKey(a);
  const [timeB, idB] = sortKey(b);
  return byTime(timeA, timeB) || (idA < idB ? -1 : idA > idB ? 1 : 0);
}

/**
 * The fork trees across the network from the `origin` links of the given guideline versions: one
 * node per document, children are its forks. An origin this node has not received becomes an
 * `unknown` root; links that run in a circle are cut at the circle's smallest document IRI.
 */
export function buildLineage(guidelines: readonly LineageSource[]): LineageNode[] {
  const versionsByDocument = new Map<string, LineageSource[]>();
  for (const guideline of guidelines) versionsByDocument.set(guideline.documentId, [...(versionsByDocument.get(guideline.documentId) ?? []), guideline]);
  const documents = new Map([...versionsByDocument].map(([documentId, versions]) => [documentId, documentNode(versions)]));
  const documentOfVersion = new Map(guidelines.map((guideline) => [guideline.id, guideline.documentId]));

  /** The document a document was forked from; undefined for originals, unknown origins and forks of itself. */
  const parent = new Map<string, string>();
  for (const node of documents.values()) {
    const from = node.forkedFrom === null ? undefined : documentOfVersion.get(node.forkedFrom);
    if (from !== undefined && from !== node.documentId) parent.set(node.documentId, from);
  }

  // Walk each parent chain once; a chain that comes back to itself is a circle and gets cut.
  const done = new Set<string>();
  for (const start of [...documents.keys()].sort()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && !onPath.has(current)) {
      path.push(current);
      onPath.add(current);
      current = parent.get(current);
    }
    if (current !== undefined && !done.has(current)) {
      const circle = path.slice(path.indexOf(current)).sort();
      const cut = circle[0] as string;
      parent.delete(cut);
      (documents.get(cut) as DocumentNode).cycleBroken = true;
    }
    for (const documentId of path) done.add(documentId);
  }

  const roots: LineageNode[] = [];
  const unknownOrigins = new Map<string, LineageNode>();
  for (const node of documents.values()) {
    const from = parent.get(node.documentId);
    if (from !== undefined) {
      (documents.get(from) as DocumentNode).children.push(node);
    } else if (node.forkedFrom !== null && !documentOfVersion.has(node.forkedFrom)) {
      const unknown = unknownOrigins.get(node.forkedFrom) ?? { kind: "unknown", id: node.forkedFrom, children: [] };
      if (!unknownOrigins.has(node.forkedFrom)) roots.push(unknown);
      unknownOrigins.set(node.forkedFrom, unknown);
      unknown.children.push(node);
    } else {
      roots.push(node);
    }
  }
  for (const node of [...documents.values(), ...unknownOrigins.values()]) node.children.sort(compareNodes);
  return roots.sort(compareNodes);
}

/** The whole tree (from its root) that holds a guideline version or document IRI; null when none does. */
export function lineageOf(roots: readonly LineageNode[], iri: string): LineageNode | null {
  for (const root of roots) {
    const pending: LineageNode[] = [root];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      const matches = node.kind === "unknown" ? node.id === iri : node.documentId === iri || node.versions.some((version) => version.id === iri);
      if (matches) return root;
      pending.push(...node.children);
    }
  }
  return null;
}
