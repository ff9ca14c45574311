import { parseRecordIri, readAdoption, type Adoption, type Provenance, type Tolerated } from "@leitplanken/core";
import { defined, documentBody, recordContext } from "./record-document.ts";
import type { JsonDocument } from "./record-proof.ts";

const ADOPTIONS_PATH = "/adoptions/";

/** The express route under which a node serves its adoption records. */
export const adoptionRoute = `${ADOPTIONS_PATH}:slug`;

/**
 * The IRI of the adoption record of one of our use cases: one per adopting use case, so that
 * publishing it again (after a revision) names the same adoption and a withdrawal can find it.
 */
export function adoptionIri(origin: string, adoptingUseCase: string): string | null {
  const parsed = parseRecordIri(origin, adoptingUseCase);
  return parsed?.kind === "use-case" ? adoptionIriOfSlug(origin, parsed.slug) : null;
}

/** The IRI that `/adoptions/{slug}` names on the node at `origin`. */
export const adoptionIriOfSlug = (origin: string, slug: string): string => `${origin.replace(/\/$/, "")}${ADOPTIONS_PATH}${encodeURIComponent(slug)}`;

/** Whether an IRI names an adoption record (on whichever node). */
export const isAdoptionIri = (iri: URL): boolean => iri.pathname.startsWith(ADOPTIONS_PATH) && !iri.search && !iri.hash;

/**
 * Adoption ⇄ `Adoption` document. The adopting city is `attributedTo` (it publishes and signs
 * the record); the adopted use case is `adoptedFrom`, as on the adopting use case itself.
 */
export const adoptionMapper = {
  type: "Adoption" as const,
  toDocument(adoption: Adoption): JsonDocument {
    return defined({
      "@context": recordContext(new URL(adoption.adopter).origin),
      id: adoption.id,
      type: "Adoption",
      attributedTo: adoption.adopter,
      adoptingUseCase: adoption.adoptingUseCase,
      adoptedFrom: adoption.origin.useCase,
      adoptedFromCity: adoption.origin.actor,
      adoptedVersionPublished: adoption.origin.publishedAt,
      published: adoption.publishedAt,
    });
  },
  /** The adoption in a wire document, with the provenance the receiver gives it, read tolerantly (fields this version does not know are set aside). */
  fromDocument(document: JsonDocument, provenance: Provenance): Tolerated<Adoption> {
    const parts = documentBody(document, "Adoption");
    if (!parts.ok) return { ...parts, ignored: [] };
    const { adoptingUseCase, adoptedFrom, adoptedFromCity, adoptedVersionPublished, published, ...rest } = parts.body;
    return readAdoption({
      ...rest,
      id: parts.id,
      adopter: document.attributedTo,
      adoptingUseCase,
      origin: defined({ useCase: adoptedFrom, actor: adoptedFromCity, publishedAt: adoptedVersionPublished }),
      publishedAt: published,
      provenance,
    });
  },
};
