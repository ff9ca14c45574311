import { describe, expect, it } from "@jest/globals";
import type { Principal } from "../principal.ts";
import { type ActorRef, type Catalog, type CatalogMember, validateCatalog, validateCatalogMember, validateCatalogSettings } from "./catalog.entity.ts";
import { type CatalogEntry, validateCatalogEntry } from "./catalog-entry.entity.ts";
import {
  applyOriginDelete,
  applyOriginUpdate,
  approveEntry,
  type CatalogError,
  createCatalog,
  describeCatalogError,
  leaveCatalog,
  moderateMember,
  rejectEntry,
  removeEntry,
  requestMembership,
  submitToCatalog,
  type SubmissionInput,
  updateCatalogSettings,
} from "./catalog.workflow.ts";

const now = new Date("2026-03-01T10:00:00Z");
const later = new Date("2026-03-02T10:00:00Z");
const admin: Principal = { name: "Ada Admin", role: "admin" };
const hub = "https://hub.nrw.example";
const dortmund = "https://ki.dortmund.example/actors/dortmund";
const muenster = "https://ki.muenster.example/actors/muenster";
const remoteModerator: ActorRef = { type: "actor", id: "https://ki.koeln.example/actors/koeln" };
const localModerator: ActorRef = { type: "local", name: "Mona Moderatorin" };
const stranger: ActorRef = { type: "local", name: "Erika Editorin" };

const settings = {
  handle: "ki-katalog-nrw",
  name: { de: "KI-Katalog NRW", en: "AI catalogue NRW" },
  description: { de: "Geprüfte KI-Anwendungsfälle der Kommunen in NRW." },
  rules: { de: "Nur geprüfte Anwendungsfälle; Ansprechperson angeben." },
  moderators: [localModerator, remoteModerator],
  policy: { acceptedKinds: ["use-case", "model"], openTo: "members", memberApprovalRequired: true },
};

function catalog(overrides: Partial<Catalog["policy"]> = {}): Catalog {
  const result = createCatalog({ ...settings, policy: { ...settings.policy, ...overrides } }, { id: `${hub}/catalogs/ki-katalog-nrw` }, admin, now);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.catalog;
}

const member = (state: CatalogMember["state"], actor = dortmund, catalogId = catalog().id): CatalogMember => ({
  catalogId,
  actor,
  state,
  followActivityId: `${actor}/follows/1`,
  requestedAt: now.toISOString(),
  joinedAt: state === "accepted" ? now.toISOString() : null,
  reason: null,
});

const recordId = "https://ki.dortmund.example/use-cases/buergerservice-chatbot";
const document = {
  "@context": ["https://www.w3.org/ns/activitystreams"],
  id: recordId,
  type: "UseCase",
  proof: { type: "DataIntegrityProof", proofValue: "z3abc" },
};

function submission(overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    id: `${hub}/catalogs/ki-katalog-nrw/entries/1`,
    record: { id: recordId, kind: "use-case", originActor: dortmund },
    submitter: dortmund,
    submissionActivityId: "https://ki.dortmund.example/activities/create-1",
    document,
    now,
    ...overrides,
  };
}

function submitted(target = catalog()): CatalogEntry {
  const result = submitToCatalog(target, submission(), { member: member("accepted", dortmund, target.id), existing: null });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.entry;
}

const errorType = (result: { ok: boolean; error?: CatalogError }) => (result.ok ? "ok" : result.error?.type);

describe("catalog settings", () => {
  it("are set up by the admin and validate with bilingual messages", () => {
    const created = catalog();
    expect(validateCatalog(created).ok).toBe(true);
    const invalid = validateCatalogSettings({
      ...settings,
      handle: "KI Katalog",
      moderators: [localModerator, { type: "local", name: " Mona Moderatorin " }],
      policy: { ...settings.policy, acceptedKinds: [] },
    });
    expect(invalid.ok).toBe(false);
    if (invalid.ok) return;
    const byPath = Object.fromEntries(invalid.errors.map((error) => [error.path, error]));
    expect(Object.keys(byPath).sort()).toEqual(["handle", "moderators[1]", "policy.acceptedKinds"]);
    expect(byPath["moderators[1]"]?.message.de).toContain("schon");
    expect(byPath["policy.acceptedKinds"]?.code).toBe("empty");
  });

  it("are refused to other roles, with a refused log entry, and keep createdAt on update", () => {
    const refused = createCatalog(settings, { id: `${hub}/catalogs/x` }, { name: "Erika", role: "editor" }, now);
    expect(errorType(refused)).toBe("not-permitted");
    expect(refused.log).toMatchObject({ kind: "catalog-settings", refused: true, refusal: "not-permitted", confidential: true });
    const updated = updateCatalogSettings(catalog(), { ...settings, name: { de: "KI-Katalog Nordrhein-Westfalen" } }, admin, later);
    if (!updated.ok) throw new Error("expected ok");
    expect(updated.catalog.createdAt).toBe(now.toISOString());
    expect(updated.catalog.updatedAt).toBe(later.toISOString());
    expect(updated.log).toMatchObject({ kind: "catalog-settings", refused: false, actor: { type: "local", name: "Ada Admin" } });
  });
});

describe("membership", () => {
  it("waits for a moderator when the policy asks for it, else is accepted at once", () => {
    const pending = requestMembership(catalog(), null, { actor: dortmund, followActivityId: `${dortmund}/follows/1`, now });
    expect(pending.ok && pending.member.state).toBe("pending");
    const open = requestMembership(catalog({ memberApprovalRequired: false }), null, { actor: dortmund, followActivityId: null, now });
    expect(open.ok && open.member).toMatchObject({ state: "accepted", joinedAt: now.toISOString() });
    if (open.ok) expect(validateCatalogMember(open.member).ok).toBe(true);
  });

  it("lets only moderators approve, reject (with reason) and remove members", () => {
    const target = catalog();
    const byStranger = moderateMember(target, member("pending"), "approve", stranger, now);
    expect(errorType(byStranger)).toBe("not-moderator");
    expect(byStranger.log).toMatchObject({ kind: "member-approve", refused: true, targetType: "member", target: dortmund });

    const approved = moderateMember(target, member("pending"), "approve", remoteModerator, later);
    expect(approved.ok && approved.member).toMatchObject({ state: "accepted", joinedAt: later.toISOString() });
    expect(errorType(moderateMember(target, member("pending"), "reject", localModerator, now))).toBe("invalid-reason");
    const rejected = moderateMember(target, member("pending"), "reject", localModerator, now, { reason: "Keine Kommune." });
    expect(rejected.ok && rejected.member).toMatchObject({ state: "rejected", reason: "Keine Kommune." });
    expect(errorType(moderateMember(target, member("accepted"), "reject", localModerator, now, { reason: "x" }))).toBe("invalid-member-transition");
    const removed = moderateMember(target, member("accepted"), "remove", localModerator, now, { reason: "Spam", confidential: true });
    expect(removed.ok && removed.log).toMatchObject({ kind: "member-remove", reason: "Spam", confidential: true, refused: false });
  });

  it("keeps rejected and removed cities out until a moderator lets them back in", () => {
    const target = catalog({ memberApprovalRequired: false });
    expect(errorType(requestMembership(target, member("removed"), { actor: dortmund, followActivityId: null, now }))).toBe("membership-refused");
    const back = moderateMember(target, member("removed"), "approve", localModerator, later);
    expect(back.ok && back.member.state).toBe("accepted");
    expect(leaveCatalog(member("removed"), { actor: dortmund, followActivityId: null })).toEqual({ ok: true, forget: false });
    expect(leaveCatalog(member("accepted"), { actor: dortmund, followActivityId: `${dortmund}/follows/1` })).toEqual({ ok: true, forget: true });
    expect(errorType(leaveCatalog(member("accepted"), { actor: dortmund, followActivityId: `${dortmund}/follows/2` }))).toBe("follow-mismatch");
    expect(errorType(leaveCatalog(member("accepted"), { actor: muenster, followActivityId: null }))).toBe("not-origin");
  });
});

describe("submissions", () => {
  it("keep the record IRI, origin and proof-carrying document unchanged", () => {
    const entry = submitted();
    expect(validateCatalogEntry(entry).ok).toBe(true);
    expect(entry.status).toEqual({ state: "submitted" });
    expect(entry.document).toBe(document);
    expect(entry.record).toEqual({ id: recordId, kind: "use-case", originActor: dortmund });
  });

  it("are refused for kinds the policy does not take, non-members, foreign records and duplicates", () => {
    const target = catalog();
    const context = { member: member("accepted", dortmund, target.id), existing: null };
    expect(errorType(submitToCatalog(target, submission({ record: { id: recordId, kind: "guideline", originActor: dortmund } }), context))).toBe(
      "kind-not-accepted",
    );
    expect(errorType(submitToCatalog(target, submission(), { member: member("pending", dortmund, target.id), existing: null }))).toBe("not-a-member");
    expect(errorType(submitToCatalog(target, submission(), { member: null, existing: null }))).toBe("not-a-member");
    expect(errorType(submitToCatalog(catalog({ openTo: "anyone" }), submission(), { member: null, existing: null }))).toBe("ok");
    expect(errorType(submitToCatalog(target, submission({ submitter: muenster }), context))).toBe("submitter-not-origin");
    expect(errorType(submitToCatalog(target, submission({ document: { ...document, id: "https://evil.example/x" } }), context))).toBe("document-mismatch");
    expect(errorType(submitToCatalog(target, submission(), { ...context, existing: submitted(target) }))).toBe("already-in-catalog");
    const rejected = rejectEntry(target, submitted(target), localModerator, "Unvollständig", now);
    if (!rejected.ok) throw new Error("expected ok");
    expect(errorType(submitToCatalog(target, submission(), { ...context, existing: rejected.entry }))).toBe("ok");
  });

  it("are approved, rejected and removed only by the catalog's moderators, each logged", () => {
    const target = catalog();
    const entry = submitted(target);

    const byStranger = approveEntry(target, entry, stranger, now);
    expect(errorType(byStranger)).toBe("not-moderator");
    expect(byStranger.log).toMatchObject({
      catalogId: target.id,
      kind: "approve",
      target: entry.id,
      refused: true,
      refusal: "not-moderator",
      confidential: true,
    });

    const forged = approveEntry(target, entry, { type: "actor", id: "https://evil.example/actors/mallory" }, now);
    expect(errorType(forged)).toBe("not-moderator");

    const other = { ...catalog(), id: `${hub}/catalogs/other` };
    const onOther = approveEntry(other, entry, localModerator, now);
    expect(errorType(onOther)).toBe("wrong-catalog");
    expect(onOther.log).toMatchObject({ catalogId: other.id, refused: true, refusal: "wrong-catalog" });

    const approved = approveEntry(target, entry, remoteModerator, now);
    if (!approved.ok) throw new Error("expected ok");
    expect(approved.entry.status).toEqual({ state: "approved", by: remoteModerator, at: now.toISOString() });
    expect(approved.log).toMatchObject({ kind: "approve", refused: false, refusal: null, isRevert: false, confidential: false });
    expect(approved.entry.document).toBe(document);

    expect(errorType(approveEntry(target, approved.entry, localModerator, now))).toBe("invalid-entry-transition");
    expect(errorType(rejectEntry(target, approved.entry, localModerator, "zu spät", now))).toBe("invalid-entry-transition");
    expect(errorType(removeEntry(target, approved.entry, localModerator, "   ", now))).toBe("invalid-reason");
    expect(errorType(removeEntry(target, approved.entry, localModerator, "x".repeat(2_001), now))).toBe("invalid-reason");

    const removed = removeEntry(target, approved.entry, localModerator, "Nicht mehr im Einsatz", later);
    if (!removed.ok) throw new Error("expected ok");
    expect(removed.entry.status).toEqual({
      state: "removed",
      by: localModerator,
      at: later.toISOString(),
      reason: "Nicht mehr im Einsatz",
      approvedAt: now.toISOString(),
    });
    expect(removed.log).toMatchObject({ kind: "remove", reason: "Nicht mehr im Einsatz" });
    expect(validateCatalogEntry(removed.entry).ok).toBe(true);

    const rejected = rejectEntry(target, entry, localModerator, "Kein Ansprechpartner genannt", now);
    expect(rejected.ok && rejected.entry.status).toMatchObject({ state: "rejected", reason: "Kein Ansprechpartner genannt" });
  });

  it("follow the origin's Update and Delete, and only the origin's", () => {
    const target = catalog();
    const approved = approveEntry(target, submitted(target), localModerator, now);
    if (!approved.ok) throw new Error("expected ok");
    const newDocument = { ...document, name: { de: "Neu" } };

    expect(errorType(applyOriginUpdate(approved.entry, { actor: muenster, document: newDocument, now: later }))).toBe("not-origin");
    const updated = applyOriginUpdate(approved.entry, { actor: dortmund, document: newDocument, now: later });
    expect(updated.ok && updated.entry).toMatchObject({ document: newDocument, recordUpdatedAt: later.toISOString(), status: { state: "approved" } });

    expect(errorType(applyOriginDelete(approved.entry, { actor: muenster, now: later }))).toBe("not-origin");
    const deleted = applyOriginDelete(approved.entry, { actor: dortmund, now: later });
    if (!deleted.ok) throw new Error("expected ok");
    expect(deleted.entry.status).toMatchObject({ state: "removed", by: { type: "origin", id: dortmund }, approvedAt: now.toISOString() });
    expect(errorType(applyOriginUpdate(deleted.entry, { actor: dortmund, document: newDocument, now: later }))).toBe("entry-closed");
    expect(errorType(applyOriginDelete(deleted.entry, { actor: dortmund, now: later }))).toBe("entry-closed");
  });
});

describe("describeCatalogError", () => {
  it("says every error in German and English", () => {
    const errors: CatalogError[] = [
      { type: "not-permitted", role: "editor" },
      { type: "invalid-settings", errors: [] },
      { type: "not-moderator", actor: stranger },
      { type: "wrong-catalog", catalogId: "a", actualCatalogId: "b" },
      { type: "invalid-entry-transition", from: "approved", action: "approve" },
      { type: "invalid-member-transition", from: "accepted", action: "reject" },
      { type: "invalid-reason", errors: [] },
      { type: "kind-not-accepted", kind: "guideline", accepted: ["use-case"] },
      { type: "not-a-member", actor: dortmund },
      { type: "submitter-not-origin", submitter: muenster, originActor: dortmund },
      { type: "already-in-catalog", entryId: "x", state: "approved" },
      { type: "not-origin", actor: muenster, originActor: dortmund },
      { type: "document-mismatch", recordId, documentId: null },
      { type: "entry-closed", entryId: "x", state: "removed" },
      { type: "membership-refused", actor: dortmund, state: "removed" },
      { type: "follow-mismatch", actor: dortmund },
    ];
    for (const error of errors) {
      const message = describeCatalogError(error);
      expect(message.de.length).toBeGreaterThan(10);
      expect(message.en.length).toBeGreaterThan(10);
      expect(message.de).not.toBe(message.en);
    }
    expect(describeCatalogError({ type: "invalid-entry-transition", from: "approved", action: "approve" }).en).toBe("Something approved cannot be approved.");
    expect(describeCatalogError({ type: "kind-not-accepted", kind: "guideline", accepted: ["use-case", "model"] }).de).toBe(
      "Dieser Katalog nimmt keine Leitlinien auf, nur Anwendungsfälle, Modelle.",
    );
  });
});
