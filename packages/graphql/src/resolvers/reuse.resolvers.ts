import { type LineageNode, upstreamChanges, type UseCase, verifiedAdopters } from "@leitplanken/core";
import { type GraphQLContext, requireNetwork } from "../context.ts";
import { actingPrincipal } from "../permissions.ts";
import type { Resolvers } from "../generated/resolvers.ts";
import type { LineageEntry, LineageView } from "../mappers.ts";
import { adoptUseError, forkUseError } from "../payload-errors.ts";
import { listing, pageRequest } from "./common.resolvers.ts";
import { pageOfList } from "./connections.resolvers.ts";
import { listGuidelines } from "./guideline.resolvers.ts";

/** A node's IRI: the document's for a known one, else the version's. */
const lineageNodeId = ({ node }: LineageEntry) => (node.kind === "document" ? node.documentId : node.id);

/** The tree depth first from its root, children in the core's order (oldest first). */
function flatten(root: LineageNode): LineageEntry[] {
  const entries: LineageEntry[] = [];
  const visit = (node: LineageNode, parentId: string | null, depth: number) => {
    entries.push({ node, parentId, depth });
    const id = node.kind === "document" ? node.documentId : node.id;
    for (const child of node.children) visit(child, id, depth + 1);
  };
  visit(root, null, 0);
  return entries;
}

/** The tree as the public sees it: drafts are left out, and documents that have nothing published with them. */
function publishedOnly(node: LineageNode): LineageNode | null {
  const children = node.children.map(publishedOnly).filter((child): child is LineageNode => child !== null);
  if (node.kind === "unknown") return children.length === 0 ? null : { ...node, children };
  const versions = node.versions.filter((version) => version.publishedAt !== null);
  return versions.length === 0 ? null : { ...node, versions, children };
}

const holds = (entries: readonly LineageEntry[], iri: string) =>
  entries.some(({ node }) => (node.kind === "unknown" ? node.id === iri : node.documentId === iri || node.versions.some((version) => version.id === iri)));

/** With the network view only adoptions whose records verify; without it, what the record says. */
async function adoptersOf(useCase: UseCase, context: GraphQLContext): Promise<UseCase["adoptedBy"]> {
  return context.network === undefined ? useCase.adoptedBy : verifiedAdopters(useCase, await context.loaders.verifiedAdoptions.load(useCase.id));
}

export const reuseResolvers: Resolvers = {
  Query: {
    lineage: async (_parent, { guidelineId }, context): Promise<LineageView | null> => {
      const tree = await requireNetwork(context).view.lineage(guidelineId);
      const visible = tree === null ? null : context.seesUnpublished ? tree : publishedOnly(tree);
      if (visible === null) return null;
      const nodes = flatten(visible);
      // A draft's IRI must not reveal the tree it sits in.
      if (!holds(nodes, guidelineId)) return null;
      return { root: nodes[0] as LineageEntry, nodes };
    },
  },
  GuidelineVersion: {
    upstreamChanges: async (version, { language }, context) => {
      if (version.origin === undefined) return null;
      const forkPoint = await context.loaders.guideline.load(version.origin);
      const originVersions = forkPoint === null ? [] : await context.loaders.guidelineVersions.load(forkPoint.documentId);
      const changes = upstreamChanges(version, originVersions, { language });
      return changes.status === "not-a-fork" ? null : { ...changes, origin: version.origin };
    },
    forks: (version, { orderBy, ...page }, context) => listGuidelines(context, { forkedFrom: version.id }, pageRequest(page, orderBy)),
  },
  UpstreamChanges: {
    forkPoint: (changes) => ("forkPoint" in changes ? changes.forkPoint : null),
    newerVersions: (changes) => (changes.status === "upstream-changed" ? changes.newerVersions : []),
    latest: (changes) => (changes.status === "upstream-changed" ? changes.latest : null),
    diff: (changes) => (changes.status === "upstream-changed" ? changes.diff : null),
  },
  VersionReference: {
    publishedAt: (reference) => reference.publishedAt || null,
    guidelineVersion: (reference, _args, context) => context.loaders.guideline.load(reference.id),
  },
  Lineage: {
    root: (lineage) => lineage.root,
    nodes: (lineage) => lineage.nodes,
    tree: (lineage, page) =>
      listing(async () =>
        pageOfList(`lineage:${lineageNodeId(lineage.root)}`, lineage.nodes, (entry) => `${entry.parentId ?? ""}>${lineageNodeId(entry)}`, pageRequest(page)),
      ),
  },
  LineageNode: {
    id: lineageNodeId,
    known: ({ node }) => node.kind === "document",
    city: ({ node }) => (node.kind === "document" ? node.city : null),
    title: ({ node }) => (node.kind === "document" ? node.title : null),
    versions: ({ node }) => (node.kind === "document" ? node.versions : []),
    forkedFrom: ({ node }) => (node.kind === "document" ? node.forkedFrom : null),
    parentId: (entry) => entry.parentId,
    depth: (entry) => entry.depth,
    cycleBroken: ({ node }) => node.kind === "document" && node.cycleBroken,
  },
  UseCase: {
    adoptedBy: (useCase, _args, context) => adoptersOf(useCase, context),
    adoptions: (useCase, page, context) =>
      listing(async () => pageOfList(`adoptions:${useCase.id}`, await adoptersOf(useCase, context), (adoption) => adoption.adoption, pageRequest(page))),
  },
  Mutation: {
    forkGuideline: async (_parent, { versionId }, context) => {
      const forked = await context.app.reuse.forkGuideline({ versionId }, actingPrincipal(context));
      if (!forked.ok) return forkUseError(forked.error);
      context.loaders.lockVersions.guideline.clear(forked.guideline.id).prime(forked.guideline.id, forked.lockVersion);
      return { __typename: "GuidelineVersionSuccess" as const, guidelineVersion: forked.guideline };
    },
    adoptUseCase: async (_parent, { useCaseId }, context) => {
      const adopted = await context.app.reuse.adoptUseCase({ useCaseId }, actingPrincipal(context));
      if (!adopted.ok) return adoptUseError(adopted.error);
      context.loaders.lockVersions.useCase.clear(adopted.useCase.id).prime(adopted.useCase.id, adopted.lockVersion);
      return { __typename: "UseCaseSuccess" as const, useCase: adopted.useCase };
    },
  },
};
