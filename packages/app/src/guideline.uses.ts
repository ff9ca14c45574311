import { randomUUID } from "node:crypto";
import {
  createGuidelineDraft,
  draftNextGuidelineVersion,
  editGuidelineVersion,
  guidelineRoles,
  localProvenance,
  publishGuidelineVersion,
  recordIri,
  validateGuidelineContent,
  type Guideline,
  type GuidelineError,
  type Principal,
  type SaveGuidelineError,
} from "@leitplanken/core";
import type { UseContext } from "./application.ts";
import { publishRecord } from "./publication.ts";
import { invalidInput, notFound, refused, type Conflict, type InvalidInput, type NotFound, type UseResult } from "./results.ts";
import { changeVersioned } from "./versioned-change.ts";

export type GuidelineStepError = NotFound | Conflict | GuidelineError | SaveGuidelineError;
export type GuidelineUseError = GuidelineStepError | InvalidInput;
export type GuidelineStepResult = UseResult<{ guideline: Guideline; lockVersion: number }, GuidelineStepError>;
export type GuidelineUseResult = UseResult<{ guideline: Guideline; lockVersion: number }, GuidelineUseError>;

export interface GuidelineUses {
  /** A new guideline document with its first version as a draft. */
  create(input: { content: unknown }, principal: Principal): Promise<GuidelineUseResult>;
  /** The next version of a document as a draft that supersedes its newest version, with new content. */
  createNextDraft(input: { documentId: string; content: unknown }, principal: Principal): Promise<GuidelineUseResult>;
  /** Replaces a draft version's content. */
  editDraft(input: { versionId: string; lockVersion?: number | undefined; content: unknown }, principal: Principal): Promise<GuidelineUseResult>;
  /**
   * Publishes a draft version: it supersedes the document's current version (whose history it
   * carries on), becomes immutable, and federates (`published` event).
   */
  publishVersion(input: { versionId: string; lockVersion?: number | undefined }, principal: Principal): Promise<GuidelineStepResult>;
}

const notPermitted = (principal: Principal) => refused<GuidelineError>({ type: "not-permitted", role: principal.role });

export function guidelineUses({ transact, identity, now }: UseContext): GuidelineUses {
  const newIris = () => {
    const slug = randomUUID();
    return { id: recordIri(identity.origin, "guideline", slug), documentId: recordIri(identity.origin, "guideline-document", slug) };
  };

  return {
    async create({ content }, principal) {
      if (!guidelineRoles.includes(principal.role)) return notPermitted(principal);
      const valid = validateGuidelineContent(content);
      if (!valid.ok) return invalidInput(valid.errors);
      const draft = createGuidelineDraft(valid.value, { ...newIris(), provenance: localProvenance(identity.actor) });
      return transact<GuidelineUseResult>(async (stores, transaction) => {
        const saved = await stores.guidelines.save(draft);
        if (!saved.ok) return transaction.abort(refused(saved.error));
        return { ok: true, guideline: draft, lockVersion: saved.lockVersion };
      });
    },

    async createNextDraft({ documentId, content }, principal) {
      if (!guidelineRoles.includes(principal.role)) return notPermitted(principal);
      const valid = validateGuidelineContent(content);
      if (!valid.ok) return invalidInput(valid.errors);
      return transact<GuidelineUseResult>(async (stores, transaction) => {
        const latest = (await stores.guidelines.listVersions(documentId)).at(-1);
        if (latest === undefined) return notFound(documentId);
        const next = draftNextGuidelineVersion(latest, { id: recordIri(identity.origin, "guideline", randomUUID()), version: valid.value.version }, principal);
        if (!next.ok) return refused(next.error);
        const edited = editGuidelineVersion(next.guideline, valid.value, principal);
        if (!edited.ok) return refused(edited.error);
        const saved = await stores.guidelines.save(edited.guideline);
        if (!saved.ok) return transaction.abort(refused(saved.error));
        return { ok: true, guideline: edited.guideline, lockVersion: saved.lockVersion };
      });
    },

    async editDraft({ versionId, lockVersion, content }, principal) {
      if (!guidelineRoles.includes(principal.role)) return notPermitted(principal);
      const valid = validateGuidelineContent(content);
      if (!valid.ok) return invalidInput(valid.errors);
      return transact<GuidelineUseResult>(async (stores, transaction) => {
        const changed = await changeVersioned(transaction, stores.guidelines, { id: versionId, lockVersion }, (version) => {
          const edited = editGuidelineVersion(version, valid.value, principal);
          return edited.ok ? { ok: true, record: edited.guideline } : edited;
        });
        return changed.ok ? { ok: true, guideline: changed.record, lockVersion: changed.lockVersion } : changed;
      });
    },

    publishVersion: ({ versionId, lockVersion }, principal) =>
      transact<GuidelineStepResult>(async (stores, transaction) => {
        const at = now();
        const changed = await changeVersioned(
          transaction,
          stores.guidelines,
          { id: versionId, lockVersion },
          async (draft) => {
            const previous = await stores.guidelines.getCurrent(draft.documentId);
            // A fork's first version must say something of its own (its origin, when this node has it).
            const forkOrigin = draft.origin === undefined || previous !== null ? null : await stores.guidelines.get(draft.origin);
            const published = publishGuidelineVersion(draft, {
              previous: previous ?? undefined,
              publisher: principal,
              now: at,
              forkOrigin: forkOrigin ?? undefined,
            });
            return published.ok ? { ok: true, record: published.guideline } : published;
          },
          (_before, after) => publishRecord(stores, "guideline", after, at),
        );
        return changed.ok ? { ok: true, guideline: changed.record, lockVersion: changed.lockVersion } : changed;
      }),
  };
}
