import type { FederatedRecord, FederatedRecordKind, FieldError, Provenance, Tolerated } from "@leitplanken/core";
import type { JsonDocument } from "./record-proof.ts";

export const ACTIVITYSTREAMS_CONTEXT = "https://www.w3.org/ns/activitystreams";
export const DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v1";
/** A version of the wire format (FEDERATION.md, "Compatibility"): `major.minor`. */
export interface WireVersion {
  major: number;
  minor: number;
}

/**
 * The wire format this node writes. A minor version only adds what a tolerant reader of the same
 * major can set aside (optional fields, terms); a major version may change or remove. 1.0 is the
 * format of Leitplanken 0.1.0 (whose readers still refuse unknown fields); 1.1 adds the version
 * in the context IRI and tolerant readers, and no field.
 */
export const WIRE_VERSION: WireVersion = { major: 1, minor: 1 };

/** Where every node serves `federation/context.jsonld` under its 1.0 name (the IRI in 0.1.0's documents). */
export const LEITPLANKEN_CONTEXT_PATH = "/ns/leitplanken.jsonld";

/** The context's IRI path for a wire version, e.g. `/ns/leitplanken/1.1.jsonld`: documents name the version they are written in. */
export const versionedContextPath = (version: WireVersion): string => `/ns/leitplanken/${version.major}.${version.minor}.jsonld`;

/** The JSON-LD context of a record document published by the node at `origin`, naming the wire version it is written in. */
export const recordContext = (origin: string) => [ACTIVITYSTREAMS_CONTEXT, DATA_INTEGRITY_CONTEXT, new URL(versionedContextPath(WIRE_VERSION), origin).href];

const contextIriPattern = /\/ns\/leitplanken(?:\/(\d{1,4})\.(\d{1,4}))?\.jsonld$/;

/**
 * The wire version a document says it is written in, read from its Leitplanken context IRI: the
 * unversioned `/ns/leitplanken.jsonld` is 1.0; a document without a Leitplanken context is taken
 * as 1.0 too (the reader is tolerant).
 */
export function wireVersionOf(document: JsonDocument): WireVersion {
  const contexts = Array.isArray(document["@context"]) ? document["@context"] : [document["@context"]];
  for (const context of contexts) {
    if (typeof context !== "string") continue;
    const match = contextIriPattern.exec(context);
    if (match) return match[1] === undefined ? { major: 1, minor: 0 } : { major: Number(match[1]), minor: Number(match[2]) };
  }
  return { major: 1, minor: 0 };
}

/** Whether this node can read a document of that version: any minor of its own major, and every earlier major it still reads (none yet). */
export const readsWireVersion = (version: WireVersion): boolean => version.major === WIRE_VERSION.major;

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
  /**
   * The record in a wire document, with the provenance the receiver gives it, read by core's
   * tolerant reader: fields this version does not know are set aside (`ignored`), what it knows
   * is validated.
   */
  fromDocument(document: JsonDocument, provenance: Provenance): Tolerated<T>;
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

/**
 * Splits a wire document into its header and its body; a wrong type, or a wire version this node
 * cannot read (a later major), is a field error.
 */
export function documentBody(
  document: JsonDocument,
  type: SignedWireType,
): { ok: true; id: unknown; body: JsonDocument } | { ok: false; errors: FieldError[] } {
  const version = wireVersionOf(document);
  if (!readsWireVersion(version)) {
    const written = `${version.major}.${version.minor}`;
    const ours = `${WIRE_VERSION.major}.${WIRE_VERSION.minor}`;
    return {
      ok: false,
      errors: [
        {
          path: "@context",
          code: "unsupported-wire-version",
          message: {
            de: `Das Dokument ist im Format ${written} geschrieben; dieser Knoten liest Format ${ours}. Bitte Leitplanken aktualisieren.`,
            en: `The document is written in wire format ${written}; this node reads format ${ours}. Please upgrade Leitplanken.`,
          },
        },
      ],
    };
  }
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
