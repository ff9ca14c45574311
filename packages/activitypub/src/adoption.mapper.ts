import { readAdoption, type Adoption, type Provenance, type Tolerated } from "@leitplanken/core";
import { defined, documentBody, recordContext } from "./record-document.ts";
import type { JsonDocument } from "./record-proof.ts";

const ADOPTIONS_PATH = "/adoptions/";

// The URL layout is core's, shared with the application layer that mints adoption IRIs.
export { adoptionIri, adoptionIriOfSlug, adoptionRoute } from "@leitplanken/core";

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
