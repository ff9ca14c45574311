import type { Context, InboxContext } from "@fedify/fedify";
import type { Create, Update } from "@fedify/vocab";
import { parseRecordIri, type FederatedRecord, type FieldError, type Provenance } from "@leitplanken/core";
import canonicalizeModule from "canonicalize";
import { classifyFetchFailure, TransientFetchError } from "./fetch-failure.ts";
import type { FederationContextData, InboundScope } from "./federation.deps.ts";
import { applyOnce, checkActivity, seenBefore } from "./inbound-checks.ts";
import { recordKindAccess, type RecordKindAccess } from "./record-kinds.ts";
import { verifyRecordProofIn, type JsonDocument } from "./record-proof.ts";

const canonicalize = canonicalizeModule as unknown as typeof canonicalizeModule.default;

type Ctx = Context<FederationContextData>;

/** Why a received record was not stored. Every refusal leaves the node's records as they were. */
export type RecordRefusal =
  /** The object is on the actor's node but is not a record (e.g. the Note that announces one). */
  | { type: "not-a-record"; objectId: string }
  /** The object is on another node than the actor's: only a record's own city may publish it. */
  | { type: "not-own-record"; objectId: string }
  | { type: "id-mismatch"; objectId: string; documentId: unknown }
  | { type: "not-attributed-to-actor"; attributedTo: unknown }
  | { type: "proof-invalid" }
  | { type: "invalid-record"; objectId: string; errors: FieldError[] }
  /** A guideline version that claims a document of another node. */
  | { type: "foreign-document"; documentId: string }
  /** The origin withdrew the record earlier; it does not come back. */
  | { type: "withdrawn"; objectId: string }
  /** A record with this IRI exists here and is not a copy from this actor. */
  | { type: "not-a-copy-from-actor"; objectId: string }
  /** The repository refused the change, e.g. a published guideline version changed. */
  | { type: "store-refused"; reason: string }
  /** An adoption of a use case that is not on the node of the city it names as the origin. */
  | { type: "adoption-origin-mismatch"; useCase: string; actor: string }
  /** An adoption that names us as the origin of a use case we do not have. */
  | { type: "adoption-of-unknown-use-case"; useCase: string }
  /** The adopter's own use case does not say it was adopted from the use case the adoption names. */
  | { type: "adopting-use-case-mismatch"; adoptingUseCase: string; adoptedFrom: string | undefined }
  /** A Delete of an adoption by someone other than its adopter, or of one we do not hold. */
  | { type: "not-the-adopter"; objectId: string }
  /** The node keeps no adoption records (composed without an adoption repository). */
  | { type: "adoptions-not-kept"; objectId: string }
  /** The origin answers that the document is not there (404) or gone (410). */
  | { type: "record-gone"; objectId: string; status: number }
  /** The origin refused to serve it (another 4xx), or our own rules forbid fetching it (a blocked domain, a private address). */
  | { type: "fetch-refused"; objectId: string; reason: string };

export type Refused = { ok: false; refusal: RecordRefusal };
export interface VerifiedRecord {
  access: RecordKindAccess;
  record: FederatedRecord;
  /** The document as the origin served it, proof included. */
  document: JsonDocument;
}

/** The record kind of an IRI on the actor's own node, or why the IRI is not one of its records. */
export function ownRecordAccess(ctx: Ctx, actorId: URL, objectId: URL): { ok: true; access: RecordKindAccess } | Refused {
  if (objectId.origin !== actorId.origin) return { ok: false, refusal: { type: "not-own-record", objectId: objectId.href } };
  const parsed = parseRecordIri(actorId.origin, objectId.href);
  if (!parsed || parsed.kind === "guideline-document") return { ok: false, refusal: { type: "not-a-record", objectId: objectId.href } };
  return { ok: true, access: recordKindAccess(ctx.data.records, parsed.kind) };
}

/**
 * Fetches a document the actor signed with a signed GET: it is the one asked for, attributed
 * to the actor, and its FEP-8b32 proof verifies with the actor's key. Throws
 * `TransientFetchError` when the document or the signer's key cannot be fetched for now (the
 * network, a 5xx): the activity is retried. A 404/410 or another refusal is a value.
 */
export async function fetchSignedDocument(ctx: Ctx, actorId: URL, objectId: URL): Promise<{ ok: true; document: JsonDocument } | Refused> {
  const refuse = (refusal: RecordRefusal): Refused => ({ ok: false, refusal });
  const loader = await ctx.getDocumentLoader({ identifier: ctx.data.city.handle });
  let document: unknown;
  try {
    ({ document } = await loader(objectId.href));
  } catch (error) {
    const failure = classifyFetchFailure(error);
    if (failure.kind === "gone") return refuse({ type: "record-gone", objectId: objectId.href, status: failure.status });
    if (failure.kind === "refused") return refuse({ type: "fetch-refused", objectId: objectId.href, reason: failure.reason });
    throw new TransientFetchError(objectId.href, failure.reason);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return refuse({ type: "id-mismatch", objectId: objectId.href, documentId: undefined });
  }
  const json = document as JsonDocument;
  if (json.id !== objectId.href) return refuse({ type: "id-mismatch", objectId: objectId.href, documentId: json.id });
  if (json.attributedTo !== actorId.href) return refuse({ type: "not-attributed-to-actor", attributedTo: json.attributedTo });
  const key = await verifyRecordProofIn(ctx, json);
  if (key?.controllerId?.href !== actorId.href) return refuse({ type: "proof-invalid" });
  return { ok: true, document: json };
}

/** The provenance of something the actor signed and we verified just now. */
export const verifiedProvenance = (actorId: URL): Provenance => ({
  source: "received",
  originActor: actorId.href,
  originHost: actorId.host,
  receivedAt: new Date().toISOString(),
  proofVerified: true,
});

/**
 * Fetches a record of the actor's node with a signed GET and verifies it before anything is
 * stored: the document is the one asked for, attributed to the actor, its FEP-8b32 proof
 * verifies with the actor's key, and core's validator accepts it. Throws `TransientFetchError`
 * when the origin cannot be reached for now, so that the inbound activity is retried later.
 */
export async function fetchVerifiedRecord(ctx: Ctx, actorId: URL, objectId: URL): Promise<{ ok: true; verified: VerifiedRecord } | Refused> {
  const refuse = (refusal: RecordRefusal): Refused => ({ ok: false, refusal });
  const own = ownRecordAccess(ctx, actorId, objectId);
  if (!own.ok) return own;
  const { access } = own;
  const fetched = await fetchSignedDocument(ctx, actorId, objectId);
  if (!fetched.ok) return fetched;
  const json = fetched.document;
  const validated = access.fromDocument(json, verifiedProvenance(actorId));
  if (!validated.ok) return refuse({ type: "invalid-record", objectId: objectId.href, errors: validated.errors });
  if (validated.ignored.length > 0) {
    // A newer version of Leitplanken wrote them: set aside here, kept in the signed document (and passed on with it).
    ctx.data.logger.info({ recordId: objectId.href, ignored: validated.ignored }, "received record has fields this version does not know");
  }
  const record = validated.value;
  if ("documentId" in record) {
    const document = parseRecordIri(actorId.origin, record.documentId);
    if (document?.kind !== "guideline-document") return refuse({ type: "foreign-document", documentId: record.documentId });
  }
  return { ok: true, verified: { access, record, document: json } };
}

const contentOf = (record: FederatedRecord) => {
  const { provenance: _provenance, ...content } = record;
  return canonicalize(content);
};

/** When the origin signed the document (its FEP-8b32 proof's `created`, set when it was served): a later fetch has a later one. */
function signedAt(document: JsonDocument): string {
  const proof = document.proof as { created?: unknown } | undefined;
  return typeof proof?.created === "string" ? proof.created : "";
}

/**
 * Stores a verified copy and the signed document it came as, inside the handler's transaction
 * (`scope`). A changed copy keeps its earlier state in the history store; an unchanged one is
 * left alone (a redelivery or a repeated backfill), only its document is refreshed. A document
 * the origin signed before the one we hold is older news (two deliveries, or a delivery and a
 * catch-up, applied in the other order) and changes nothing.
 */
export async function storeReceivedRecord(
  scope: InboundScope,
  verified: VerifiedRecord,
  activityId: URL,
): Promise<{ ok: true; outcome: "stored" | "replaced" | "unchanged" | "outdated" } | Refused> {
  const { store } = scope;
  const { record, document } = verified;
  const access = recordKindAccess(scope.records, verified.access.kind);
  await store.lockReceivedRecord(record.id);
  if (await store.findTombstone(record.id)) return { ok: false, refusal: { type: "withdrawn", objectId: record.id } };
  const existing = await access.get(record.id);
  if (existing && (existing.provenance.source !== "received" || existing.provenance.originActor !== record.provenance.originActor)) {
    return { ok: false, refusal: { type: "not-a-copy-from-actor", objectId: record.id } };
  }
  const held = existing && (await store.findReceivedDocument(record.id));
  if (held && signedAt(held.document) > signedAt(document)) return { ok: true, outcome: "outdated" };
  const keepDocument = () =>
    store.saveReceivedDocument({ recordId: record.id, kind: access.kind, originActor: record.provenance.originActor, document, activityId: activityId.href });
  if (existing && contentOf(existing) === contentOf(record)) {
    await keepDocument();
    return { ok: true, outcome: "unchanged" };
  }
  const saved = await access.save(record);
  if (!saved.ok) return { ok: false, refusal: { type: "store-refused", reason: saved.reason } };
  await keepDocument();
  if (!existing) return { ok: true, outcome: "stored" };
  await store.archiveRecordVersion({ recordId: existing.id, kind: access.kind, record: existing, activityId: activityId.href });
  return { ok: true, outcome: "replaced" };
}

/**
 * A Delete from the record's origin, inside the handler's transaction: the copy's last state
 * goes to the history store, the copy leaves the record tables, and a tombstone keeps it from
 * coming back.
 */
export async function withdrawReceivedRecord(
  ctx: Ctx,
  scope: InboundScope,
  actorId: URL,
  objectId: URL,
  activityId: URL,
): Promise<{ ok: true; outcome: "withdrawn" } | Refused> {
  const own = ownRecordAccess(ctx, actorId, objectId);
  if (!own.ok) return own;
  const access = recordKindAccess(scope.records, own.access.kind);
  const { store } = scope;
  await store.lockReceivedRecord(objectId.href);
  const existing = await access.get(objectId.href);
  if (existing && (existing.provenance.source !== "received" || existing.provenance.originActor !== actorId.href)) {
    return { ok: false, refusal: { type: "not-a-copy-from-actor", objectId: objectId.href } };
  }
  if (existing) {
    await store.archiveRecordVersion({ recordId: existing.id, kind: access.kind, record: existing, activityId: activityId.href });
    await access.remove(existing.id);
  }
  await store.removeReceivedDocument(objectId.href);
  await store.saveTombstone({ recordId: objectId.href, kind: access.kind, originActor: actorId.href, activityId: activityId.href });
  return { ok: true, outcome: "withdrawn" };
}

/** A record written in a wire version this node cannot read yet (a later major): not its fault, nor the record's. */
export const needsUpgrade = (refusal: RecordRefusal): boolean =>
  refusal.type === "invalid-record" && refusal.errors.some((error) => error.code === "unsupported-wire-version");

/** Logs a refusal as a warning, except the quiet case of an object that is no record at all (a Note). */
export function logRefusal(ctx: Ctx, activityId: URL, refusal: RecordRefusal): void {
  const fields = { activityId: activityId.href, refusal };
  if (refusal.type === "not-a-record") {
    ctx.data.logger.info(fields, "activity about something other than the actor's own record ignored");
    return;
  }
  ctx.data.onRefused?.(refusal.type);
  ctx.data.logger.warn(fields, "received record refused");
}

/**
 * Create and Update of a record: the activity names the record by IRI (custom types do not
 * survive Fedify's vocabulary), so the record is fetched and verified, then stored, in one
 * transaction with the activity's id. An origin that cannot be reached for now throws (the
 * activity is retried); a replay changes nothing.
 */
export async function receiveRecordActivity(ctx: InboxContext<FederationContextData>, activity: Create | Update): Promise<void> {
  const admitted = await checkActivity(ctx, activity);
  if (!admitted || (await seenBefore(ctx, admitted))) return;
  const objectId = activity.objectId;
  if (!objectId) {
    ctx.data.logger.warn({ activityId: admitted.activityId.href }, "activity without object ignored");
    return;
  }
  // A withdrawn record does not come back; no need to ask its origin (which answers 410).
  const tombstone = await ctx.data.store.findTombstone(objectId.href);
  const fetched = tombstone ? refused({ type: "withdrawn", objectId: objectId.href }) : await fetchVerifiedRecord(ctx, admitted.actorId, objectId);
  // Not recorded as applied: once this node is upgraded, its catch-up reads the record again.
  if (!fetched.ok && needsUpgrade(fetched.refusal)) return logRefusal(ctx, admitted.activityId, fetched.refusal);
  const applied = await applyOnce(ctx, admitted, async (scope) => (fetched.ok ? storeReceivedRecord(scope, fetched.verified, admitted.activityId) : fetched));
  if (!applied.applied) return;
  const stored = applied.value;
  if (!stored.ok) return logRefusal(ctx, admitted.activityId, stored.refusal);
  ctx.data.logger.info({ activityId: admitted.activityId.href, recordId: objectId.href, outcome: stored.outcome }, "received record stored");
}

const refused = (refusal: RecordRefusal): Refused => ({ ok: false, refusal });

/**
 * The signed document of a received record as its origin served it (FEP-8b32 proof included),
 * for passing the record on unchanged (a catalog's Announce); null when the node holds no copy.
 */
export async function findReceivedRecordDocument(store: FederationContextData["store"], recordId: string): Promise<JsonDocument | null> {
  return (await store.findReceivedDocument(recordId))?.document ?? null;
}
