/**
 * Where a node publishes its records: one URL layout shared by the API that mints IRIs,
 * the federation routes that serve them and the pages that link to them.
 */
export const recordKinds = ["guideline-document", "guideline", "use-case", "model"] as const;
export type RecordKind = (typeof recordKinds)[number];

const segments: Record<RecordKind, string> = {
  "guideline-document": "guideline-documents",
  guideline: "guidelines",
  "use-case": "use-cases",
  model: "models",
};

/** A slug is one path segment: lower-case letters, digits, dots and dashes (e.g. `ki-leitlinie.1.0`). */
const slugPattern = /^[a-z0-9][a-z0-9.-]{0,127}$/;

export function recordIri(origin: string, kind: RecordKind, slug: string): string {
  if (!slugPattern.test(slug)) throw new Error(`invalid record slug: ${slug}`);
  return `${origin.replace(/\/$/, "")}/${segments[kind]}/${slug}`;
}

/** The kind and slug of one of this node's record IRIs, or null when the IRI is not one. */
export function parseRecordIri(origin: string, iri: string): { kind: RecordKind; slug: string } | null {
  const prefix = `${origin.replace(/\/$/, "")}/`;
  if (!iri.startsWith(prefix)) return null;
  const [segment, slug, ...rest] = iri.slice(prefix.length).split("/");
  const kind = recordKinds.find((candidate) => segments[candidate] === segment);
  return kind && slug && rest.length === 0 && slugPattern.test(slug) ? { kind, slug } : null;
}

/** The express-style route pattern under which a node serves records of `kind`. */
export const recordRoute = (kind: RecordKind) => `/${segments[kind]}/:slug`;

const ADOPTIONS_SEGMENT = "adoptions";

/** The IRI that `/adoptions/{slug}` names on the node at `origin`. */
export const adoptionIriOfSlug = (origin: string, slug: string): string => `${origin.replace(/\/$/, "")}/${ADOPTIONS_SEGMENT}/${encodeURIComponent(slug)}`;

/**
 * The IRI of the adoption record of one of our use cases: one per adopting use case, so that
 * publishing it again (after a revision) names the same adoption and a withdrawal can find it.
 * Null when the IRI is not one of our use cases.
 */
export function adoptionIri(origin: string, adoptingUseCase: string): string | null {
  const parsed = parseRecordIri(origin, adoptingUseCase);
  return parsed?.kind === "use-case" ? adoptionIriOfSlug(origin, parsed.slug) : null;
}

/** The express-style route pattern under which a node serves its adoption records. */
export const adoptionRoute = `/${ADOPTIONS_SEGMENT}/:slug`;
