import { may } from "../permissions.ts";
import type { Principal, Role } from "../principal.ts";
import type { BilingualMessage, FieldError } from "../validation.ts";
import {
  type ActorRef,
  type Catalog,
  type CatalogMember,
  type CatalogRecordKind,
  type MemberState,
  isCatalogModerator,
  normalizeIri,
  validateCatalogSettings,
} from "./catalog.entity.ts";
import { type CatalogEntry, type EntryState, type RecordDocument, moderationReasonSchema } from "./catalog-entry.entity.ts";
import { type ModerationActionKind, type ModerationTargetType, type NewModerationLogEntry, performedAction, refusedAction } from "./moderation-log.entity.ts";

/**
 * Catalogs as pure state machines: setting a catalog up (admin), membership (a city follows;
 * moderators may have to accept it), submissions (submitted → approved | rejected;
 * approved → removed) and the origin's own Update and Delete. Expected failures are values;
 * every moderation attempt yields a log entry, refused ones included.
 */

export type CatalogError =
  /** Only the node's admin sets up and configures catalogs. */
  | { type: "not-permitted"; role: Role }
  | { type: "invalid-settings"; errors: FieldError[] }
  | { type: "not-moderator"; actor: ActorRef }
  /** The entry or member belongs to another catalog than the one the action names. */
  | { type: "wrong-catalog"; catalogId: string; actualCatalogId: string }
  | { type: "invalid-entry-transition"; from: EntryState; action: EntryAction }
  | { type: "invalid-member-transition"; from: MemberState; action: MemberAction }
  | { type: "invalid-reason"; errors: FieldError[] }
  | { type: "kind-not-accepted"; kind: CatalogRecordKind; accepted: CatalogRecordKind[] }
  | { type: "not-a-member"; actor: string }
  /** A city submits only its own records: the catalog passes on the origin's signed document. */
  | { type: "submitter-not-origin"; submitter: string; originActor: string }
  | { type: "already-in-catalog"; entryId: string; state: EntryState }
  /** Only the origin city may update or withdraw its record. */
  | { type: "not-origin"; actor: string; originActor: string }
  | { type: "document-mismatch"; recordId: string; documentId: string | null }
  /** The entry was rejected or removed: an Update of the record changes nothing there. */
  | { type: "entry-closed"; entryId: string; state: EntryState }
  /** A rejected or removed city asked to join again: only a moderator can let it back in. */
  | { type: "membership-refused"; actor: string; state: MemberState }
  /** An Undo names another Follow than the one that made the membership. */
  | { type: "follow-mismatch"; actor: string };

export type EntryAction = "approve" | "reject" | "remove";
export type MemberAction = "approve" | "reject" | "remove";

export type CatalogResult = { ok: true; catalog: Catalog; log: NewModerationLogEntry } | { ok: false; error: CatalogError; log: NewModerationLogEntry | null };
export type SubmissionResult = { ok: true; entry: CatalogEntry } | { ok: false; error: CatalogError };
export type EntryModerationResult =
  { ok: true; entry: CatalogEntry; log: NewModerationLogEntry } | { ok: false; error: CatalogError; log: NewModerationLogEntry | null };
export type MembershipResult = { ok: true; member: CatalogMember } | { ok: false; error: CatalogError };
export type MemberModerationResult =
  { ok: true; member: CatalogMember; log: NewModerationLogEntry } | { ok: false; error: CatalogError; log: NewModerationLogEntry | null };
/** `forget`: delete the membership; rejected and removed cities are kept so the decision sticks. */
export type LeaveResult = { ok: true; forget: boolean } | { ok: false; error: CatalogError };

const stateNames: Record<EntryState | MemberState, BilingualMessage> = {
  submitted: { de: "eingereicht", en: "submitted" },
  approved: { de: "angenommen", en: "approved" },
  rejected: { de: "abgelehnt", en: "rejected" },
  removed: { de: "entfernt", en: "removed" },
  pending: { de: "wartend", en: "pending" },
  accepted: { de: "aufgenommen", en: "accepted" },
};

const actionNames: Record<EntryAction | MemberAction, BilingualMessage> = {
  approve: { de: "annehmen", en: "approved" },
  reject: { de: "ablehnen", en: "rejected" },
  remove: { de: "entfernen", en: "removed" },
};

const kindNames: Record<CatalogRecordKind, BilingualMessage> = {
  "use-case": { de: "Anwendungsfälle", en: "use cases" },
  guideline: { de: "Leitlinien", en: "guidelines" },
  model: { de: "Modelle", en: "models" },
};

export function describeActor(actor: ActorRef): string {
  return actor.type === "actor" ? actor.id : actor.name;
}

/** Bilingual text for a refused catalog action, for editors and moderators. */
export function describeCatalogError(error: CatalogError): BilingualMessage {
  switch (error.type) {
    case "not-permitted":
      return {
        de: `Die Rolle „${error.role}“ darf keine Kataloge einrichten; das darf nur die Administration.`,
        en: `The role "${error.role}" may not set up catalogs; only an admin may.`,
      };
    case "invalid-settings":
      return {
        de: `Die Katalogeinstellungen sind ungültig (${error.errors.map((e) => e.path).join(", ")}).`,
        en: `The catalog settings are invalid (${error.errors.map((e) => e.path).join(", ")}).`,
      };
    case "not-moderator":
      return { de: `${describeActor(error.actor)} moderiert diesen Katalog nicht.`, en: `${describeActor(error.actor)} is not a moderator of this catalog.` };
    case "wrong-catalog":
      return { de: "Der Eintrag gehört zu einem anderen Katalog.", en: "The entry belongs to another catalog." };
    case "invalid-entry-transition":
    case "invalid-member-transition": {
      const state = stateNames[error.from];
      const action = actionNames[error.action];
      return { de: `Was „${state.de}“ ist, lässt sich nicht ${action.de}.`, en: `Something ${state.en} cannot be ${action.en}.` };
    }
    case "invalid-reason":
      return { de: "Bitte eine Begründung angeben (höchstens 2.000 Zeichen).", en: "Please give a reason (at most 2,000 characters)." };
    case "kind-not-accepted": {
      const accepted = error.accepted.map((kind) => kindNames[kind]);
      return {
        de: `Dieser Katalog nimmt keine ${kindNames[error.kind].de} auf, nur ${accepted.map((k) => k.de).join(", ")}.`,
        en: `This catalog does not take ${kindNames[error.kind].en}, only ${accepted.map((k) => k.en).join(", ")}.`,
      };
    }
    case "not-a-member":
      return { de: "Nur aufgenommene Mitglieder können hier einreichen.", en: "Only accepted members can submit here." };
    case "submitter-not-origin":
      return { de: "Eine Stadt kann nur ihre eigenen Einträge einreichen.", en: "A city can only submit its own records." };
    case "already-in-catalog":
      return {
        de: `Dieser Eintrag ist schon im Katalog (${stateNames[error.state].de}).`,
        en: `This record is already in the catalog (${stateNames[error.state].en}).`,
      };
    case "not-origin":
      return { de: "Nur die Herkunftsstadt kann ihren Eintrag ändern oder zurückziehen.", en: "Only the origin city can change or withdraw its record." };
    case "document-mismatch":
      return { de: "Das Dokument gehört nicht zu diesem Eintrag.", en: "The document does not belong to this record." };
    case "entry-closed":
      return {
        de: `Der Katalogeintrag ist ${stateNames[error.state].de}; Änderungen werden nicht übernommen.`,
        en: `The catalog entry is ${stateNames[error.state].en}; changes are not taken over.`,
      };
    case "membership-refused":
      return {
        de: "Diese Stadt wurde abgelehnt oder entfernt; nur die Moderation kann sie wieder aufnehmen.",
        en: "This city was rejected or removed; only a moderator can let it back in.",
      };
    case "follow-mismatch":
      return { de: "Die Rücknahme passt nicht zur Beitrittsanfrage.", en: "The undo does not match the request to join." };
  }
}

// ── Catalog settings ────────────────────────────────────────────────────────

const adminLog = (by: Principal, catalogId: string, now: Date) => ({
  catalogId,
  kind: "catalog-settings" as const,
  actor: { type: "local" as const, name: by.name },
  targetType: "catalog" as const,
  target: catalogId,
  at: now.toISOString(),
});

/** The node's admin sets up a catalog; `identity.id` is the IRI of its Group actor. */
export function createCatalog(settings: unknown, identity: { id: string }, by: Principal, now: Date): CatalogResult {
  return configure(null, settings, identity.id, by, now);
}

export function updateCatalogSettings(catalog: Catalog, settings: unknown, by: Principal, now: Date): CatalogResult {
  return configure(catalog, settings, catalog.id, by, now);
}

function configure(existing: Catalog | null, input: unknown, id: string, by: Principal, now: Date): CatalogResult {
  const log = adminLog(by, id, now);
  if (!may(by, "catalog.configure")) return { ok: false, error: { type: "not-permitted", role: by.role }, log: refusedAction(log, "not-permitted") };
  const settings = validateCatalogSettings(input);
  if (!settings.ok) return { ok: false, error: { type: "invalid-settings", errors: settings.errors }, log: null };
  const at = now.toISOString();
  return {
    ok: true,
    catalog: { ...settings.value, id, createdAt: existing?.createdAt ?? at, updatedAt: at },
    log: performedAction(log),
  };
}

// ── Membership ──────────────────────────────────────────────────────────────

/**
 * A city follows the catalog. It becomes a member at once, or waits for a moderator when the
 * policy says so. A repeated Follow of a member only records the newer Follow.
 */
export function requestMembership(
  catalog: Catalog,
  existing: CatalogMember | null,
  request: { actor: string; followActivityId: string | null; now: Date },
): MembershipResult {
  const at = request.now.toISOString();
  if (existing) {
    if (existing.catalogId !== catalog.id) return { ok: false, error: { type: "wrong-catalog", catalogId: catalog.id, actualCatalogId: existing.catalogId } };
    if (existing.state === "rejected" || existing.state === "removed") {
      return { ok: false, error: { type: "membership-refused", actor: existing.actor, state: existing.state } };
    }
    return { ok: true, member: { ...existing, followActivityId: request.followActivityId } };
  }
  const automatic = !catalog.policy.memberApprovalRequired;
  return {
    ok: true,
    member: {
      catalogId: catalog.id,
      actor: normalizeIri(request.actor),
      state: automatic ? "accepted" : "pending",
      followActivityId: request.followActivityId,
      requestedAt: at,
      joinedAt: automatic ? at : null,
      reason: null,
    },
  };
}

/** The city unfollows the catalog (Undo of its Follow). */
export function leaveCatalog(member: CatalogMember, undo: { actor: string; followActivityId: string | null }): LeaveResult {
  if (normalizeIri(undo.actor) !== member.actor) return { ok: false, error: { type: "not-origin", actor: undo.actor, originActor: member.actor } };
  if (undo.followActivityId !== null && member.followActivityId !== null && undo.followActivityId !== member.followActivityId) {
    return { ok: false, error: { type: "follow-mismatch", actor: member.actor } };
  }
  return { ok: true, forget: member.state === "pending" || member.state === "accepted" };
}

const memberTransitions: Record<MemberAction, { from: readonly MemberState[]; to: MemberState; kind: ModerationActionKind; needsReason: boolean }> = {
  // A moderator may let a rejected or removed city (back) in: that is how a decision is reverted.
  approve: { from: ["pending", "rejected", "removed"], to: "accepted", kind: "member-approve", needsReason: false },
  reject: { from: ["pending"], to: "rejected", kind: "member-reject", needsReason: true },
  remove: { from: ["accepted"], to: "removed", kind: "member-remove", needsReason: true },
};

export interface ModerationOptions {
  /** Keep the log entry out of the public log. */
  confidential?: boolean;
}

function entryLog(catalog: Catalog, entryId: string, action: EntryAction, moderator: ActorRef, now: Date, reason: string | null | undefined) {
  const kind = entryTransitions[action].kind;
  return {
    catalogId: catalog.id,
    kind,
    actor: moderator,
    targetType: "entry" as ModerationTargetType,
    target: entryId,
    at: now.toISOString(),
    reason: reason ?? null,
  };
}

function memberLog(catalog: Catalog, actor: string, action: MemberAction, moderator: ActorRef, now: Date, reason: string | null | undefined) {
  const kind = memberTransitions[action].kind;
  return { catalogId: catalog.id, kind, actor: moderator, targetType: "member" as const, target: actor, at: now.toISOString(), reason: reason ?? null };
}

/**
 * The moderator check alone, before the entry or member is looked up: someone who does not
 * moderate the catalog learns nothing about which entries or members exist. Null when permitted.
 */
export function refuseNonModerator(
  catalog: Catalog,
  target: { entryId: string; action: EntryAction } | { member: string; action: MemberAction },
  moderator: ActorRef,
  now: Date,
  reason?: string | null,
): { error: CatalogError; log: NewModerationLogEntry } | null {
  if (isCatalogModerator(catalog, moderator)) return null;
  const log =
    "entryId" in target
      ? entryLog(catalog, target.entryId, target.action, moderator, now, reason)
      : memberLog(catalog, target.member, target.action, moderator, now, reason);
  return { error: { type: "not-moderator", actor: moderator }, log: refusedAction(log, "not-moderator") };
}

/** The checks every moderation action shares: the right catalog, then a moderator of it. */
function moderationGuard(
  catalog: Catalog,
  actualCatalogId: string,
  moderator: ActorRef,
  log: Parameters<typeof refusedAction>[0],
): { error: CatalogError; log: NewModerationLogEntry } | null {
  if (actualCatalogId !== catalog.id) {
    return { error: { type: "wrong-catalog", catalogId: catalog.id, actualCatalogId }, log: refusedAction(log, "wrong-catalog") };
  }
  if (!isCatalogModerator(catalog, moderator)) return { error: { type: "not-moderator", actor: moderator }, log: refusedAction(log, "not-moderator") };
  return null;
}

function checkReason(needsReason: boolean, reason: string | null | undefined): { ok: true; reason: string | null } | { ok: false; error: CatalogError } {
  if (!needsReason && (reason === undefined || reason === null || reason.trim() === "")) return { ok: true, reason: null };
  const parsed = moderationReasonSchema.safeParse(reason ?? "");
  if (parsed.success) return { ok: true, reason: parsed.data };
  return {
    ok: false,
    error: {
      type: "invalid-reason",
      errors: [{ path: "reason", code: "invalid-reason", message: describeCatalogError({ type: "invalid-reason", errors: [] }) }],
    },
  };
}

export function moderateMember(
  catalog: Catalog,
  member: CatalogMember,
  action: MemberAction,
  moderator: ActorRef,
  now: Date,
  options: ModerationOptions & { reason?: string | null } = {},
): MemberModerationResult {
  const transition = memberTransitions[action];
  const log = memberLog(catalog, member.actor, action, moderator, now, options.reason);
  const refused = moderationGuard(catalog, member.catalogId, moderator, log);
  if (refused) return { ok: false, ...refused };
  const reason = checkReason(transition.needsReason, options.reason);
  if (!reason.ok) return { ok: false, error: reason.error, log: null };
  if (!transition.from.includes(member.state)) return { ok: false, error: { type: "invalid-member-transition", from: member.state, action }, log: null };
  const at = now.toISOString();
  const updated: CatalogMember = {
    ...member,
    state: transition.to,
    joinedAt: transition.to === "accepted" ? at : member.joinedAt,
    reason: transition.to === "accepted" ? null : reason.reason,
  };
  return {
    ok: true,
    member: updated,
    log: performedAction({ ...log, reason: reason.reason, ...(options.confidential === undefined ? {} : { confidential: options.confidential }) }),
  };
}

// ── Submissions ─────────────────────────────────────────────────────────────

export interface SubmissionInput {
  /** The IRI the catalog's node mints for the entry. */
  id: string;
  record: { id: string; kind: CatalogRecordKind; originActor: string };
  /** The actor IRI of the submitting city. */
  submitter: string;
  submissionActivityId: string | null;
  document: RecordDocument | null;
  now: Date;
}

/**
 * A city submits one of its records. `member` is the submitter's membership (or null), and
 * `existing` the entry the catalog already has for this record (or null).
 */
export function submitToCatalog(
  catalog: Catalog,
  input: SubmissionInput,
  context: { member: CatalogMember | null; existing: CatalogEntry | null },
): SubmissionResult {
  const submitter = normalizeIri(input.submitter);
  const originActor = normalizeIri(input.record.originActor);
  const { policy } = catalog;
  if (submitter !== originActor) return { ok: false, error: { type: "submitter-not-origin", submitter, originActor } };
  if (!policy.acceptedKinds.includes(input.record.kind)) {
    return { ok: false, error: { type: "kind-not-accepted", kind: input.record.kind, accepted: policy.acceptedKinds } };
  }
  if (policy.openTo === "members" && !(context.member?.catalogId === catalog.id && context.member.actor === submitter && context.member.state === "accepted")) {
    return { ok: false, error: { type: "not-a-member", actor: submitter } };
  }
  const mismatch = documentMismatch(input.record.id, input.document);
  if (mismatch) return { ok: false, error: mismatch };
  const existing = context.existing;
  if (existing && (existing.status.state === "submitted" || existing.status.state === "approved")) {
    return { ok: false, error: { type: "already-in-catalog", entryId: existing.id, state: existing.status.state } };
  }
  return {
    ok: true,
    entry: {
      id: input.id,
      catalogId: catalog.id,
      record: { id: input.record.id, kind: input.record.kind, originActor },
      submissionActivityId: input.submissionActivityId,
      document: input.document,
      status: { state: "submitted" },
      submittedAt: input.now.toISOString(),
      recordUpdatedAt: null,
    },
  };
}

function documentMismatch(recordId: string, document: RecordDocument | null): CatalogError | null {
  if (document === null) return null;
  const documentId = typeof document["id"] === "string" ? document["id"] : null;
  return documentId === recordId ? null : { type: "document-mismatch", recordId, documentId };
}

const entryTransitions: Record<EntryAction, { from: EntryState; kind: ModerationActionKind; needsReason: boolean }> = {
  approve: { from: "submitted", kind: "approve", needsReason: false },
  reject: { from: "submitted", kind: "reject", needsReason: true },
  remove: { from: "approved", kind: "remove", needsReason: true },
};

/**
 * A moderator approves, rejects (with a reason) or removes (with a reason) an entry. Refused
 * when the actor does not moderate this catalog or the entry belongs to another one; the
 * refusal comes with a log entry too.
 */
export function moderateEntry(
  catalog: Catalog,
  entry: CatalogEntry,
  action: EntryAction,
  moderator: ActorRef,
  now: Date,
  options: ModerationOptions & { reason?: string | null } = {},
): EntryModerationResult {
  const transition = entryTransitions[action];
  const at = now.toISOString();
  const log = entryLog(catalog, entry.id, action, moderator, now, options.reason);
  const refused = moderationGuard(catalog, entry.catalogId, moderator, log);
  if (refused) return { ok: false, ...refused };
  const reason = checkReason(transition.needsReason, options.reason);
  if (!reason.ok) return { ok: false, error: reason.error, log: null };
  const status = entry.status;
  if (status.state !== transition.from) return { ok: false, error: { type: "invalid-entry-transition", from: status.state, action }, log: null };
  const performed = performedAction({ ...log, reason: reason.reason, ...(options.confidential === undefined ? {} : { confidential: options.confidential }) });
  switch (action) {
    case "approve":
      return { ok: true, entry: { ...entry, status: { state: "approved", by: moderator, at } }, log: performed };
    case "reject":
      return { ok: true, entry: { ...entry, status: { state: "rejected", by: moderator, at, reason: reason.reason ?? "" } }, log: performed };
    case "remove":
      return {
        ok: true,
        entry: {
          ...entry,
          status: { state: "removed", by: moderator, at, reason: reason.reason ?? "", approvedAt: status.state === "approved" ? status.at : null },
        },
        log: performed,
      };
  }
}

export const approveEntry = (catalog: Catalog, entry: CatalogEntry, moderator: ActorRef, now: Date, options: ModerationOptions = {}) =>
  moderateEntry(catalog, entry, "approve", moderator, now, options);
export const rejectEntry = (catalog: Catalog, entry: CatalogEntry, moderator: ActorRef, reason: string, now: Date, options: ModerationOptions = {}) =>
  moderateEntry(catalog, entry, "reject", moderator, now, { ...options, reason });
export const removeEntry = (catalog: Catalog, entry: CatalogEntry, moderator: ActorRef, reason: string, now: Date, options: ModerationOptions = {}) =>
  moderateEntry(catalog, entry, "remove", moderator, now, { ...options, reason });

// ── The origin's own changes ────────────────────────────────────────────────

function originGuard(entry: CatalogEntry, actor: string): CatalogError | null {
  const normalized = normalizeIri(actor);
  return normalized === entry.record.originActor ? null : { type: "not-origin", actor: normalized, originActor: entry.record.originActor };
}

/** The origin updated its record: a waiting or approved entry carries the new signed document from now on. */
export function applyOriginUpdate(entry: CatalogEntry, update: { actor: string; document: RecordDocument; now: Date }): SubmissionResult {
  const error = originGuard(entry, update.actor) ?? documentMismatch(entry.record.id, update.document);
  if (error) return { ok: false, error };
  const state = entry.status.state;
  if (state === "rejected" || state === "removed") return { ok: false, error: { type: "entry-closed", entryId: entry.id, state } };
  return { ok: true, entry: { ...entry, document: update.document, recordUpdatedAt: update.now.toISOString() } };
}

export const withdrawnByOriginReason = "Von der Herkunftsstadt zurückgezogen / withdrawn by its origin city";

/** The origin deleted its record: the entry is removed (members are told as for a moderator's removal). */
export function applyOriginDelete(entry: CatalogEntry, deletion: { actor: string; now: Date }): SubmissionResult {
  const error = originGuard(entry, deletion.actor);
  if (error) return { ok: false, error };
  const status = entry.status;
  if (status.state === "rejected" || status.state === "removed") return { ok: false, error: { type: "entry-closed", entryId: entry.id, state: status.state } };
  return {
    ok: true,
    entry: {
      ...entry,
      status: {
        state: "removed",
        by: { type: "origin", id: entry.record.originActor },
        at: deletion.now.toISOString(),
        reason: withdrawnByOriginReason,
        approvedAt: status.state === "approved" ? status.at : null,
      },
    },
  };
}
