import type { FederatedRecord, FederatedRecordKind, FieldError, Provenance, Validated } from "@leitplanken/core";
import type { JsonDocument } from "./record-proof.ts";

export const ACTIVITYSTREAMS_CONTEXT = "https://www.w3.org/ns/activitystreams";
export const DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v1";
/** Where every node serves `federation/context.jsonld`. */
export const LEITPLANKEN_CONTEXT_PATH = "/ns/leitplanken.jsonld";

/** The JSON-LD context of a record document published by the node at `origin`. */
export const recordContext = (origin: string) => [ACTIVITYSTREAMS_CONTEXT, DATA_INTEGRITY_CONTEXT, new URL(LEITPLANKEN_CONTEXT_PATH, origin).href];

export type RecordWireType = "Guideline" | "UseCase" | "SharedModel";
/** Every type of document the node signs: the records and the adoption records. */
export type SignedWireType = RecordWireType | "Adoption";

/**
 * Turns one kind of domain record into its wire document and back. The wire names live in
 * the mapper files (`*.mapper.ts`); everything else uses the domain's names, which the
 * Leitplanken context maps into its namespace.
 */
export interface RecordMapper<T extends FederatedRecord> {
  kind: FederatedRecordKind;
  type: RecordWireType;
  /** The record as a JSON-LD document, attributed to its origin city, without proof. */
  toDocument(record: T): JsonDocument;
  /** The record in a wire document, with the provenance the receiver gives it, validated by core. */
  fromDocument(document: JsonDocument, provenance: Provenance): Validated<T>;
}

/** The header of every record document: context, id, type and the city it belongs to. */
export function documentHeader(type: RecordWireType, record: FederatedRecord): JsonDocument {
  return {
    "@context": recordContext(new URL(record.provenance.originActor).origin),
    id: record.id,
    type,
    attributedTo: record.provenance.originActor,
  };
}

/** Splits a wire document into its header and its body; a wrong type is a field error. */
export function documentBody(
  document: JsonDocument,
  type: SignedWireType,
): { ok: true; id: unknown; body: JsonDocument } | { ok: false; errors: FieldError[] } {
  const { "@context": _context, id, type: actualType, attributedTo: _attributedTo, proof: _proof, ...body } = document;
  if (actualType !== type) {
    return {
      ok: false,
      errors: [
        {
          path: "type",
          code: "wrong-type",
          message: { de: `Erwartet wurde ein Dokument vom Typ „${type}“.`, en: `Expected a document of type "${type}".` },
        },
      ],
    };
  }
  return { ok: true, id, body };
}

/** Drops undefined members, so that optional fields that are absent stay absent on the wire. */
export function defined(members: JsonDocument): JsonDocument {
  return Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined));
}
