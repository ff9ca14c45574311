import { publishGuidelineVersion, type Guideline, type GuidelineError, type Principal, type SaveGuidelineError } from "@leitplanken/core";
import type { UseContext } from "./application.ts";
import { notFound, refused, type NotFound, type UseResult } from "./results.ts";

export type GuidelineUseError = NotFound | GuidelineError | SaveGuidelineError;
export type GuidelineUseResult = UseResult<{ guideline: Guideline }, GuidelineUseError>;

export interface GuidelineUses {
  /**
   * Publishes a draft version: it supersedes the document's current version (whose history it
   * carries on), becomes immutable, and federates (`published` event).
   */
  publishVersion(input: { versionId: string }, principal: Principal): Promise<GuidelineUseResult>;
}

export function guidelineUses({ transact, now }: UseContext): GuidelineUses {
  return {
    publishVersion: ({ versionId }, principal) =>
      transact<GuidelineUseResult>(async (stores, transaction) => {
        const draft = await stores.guidelines.get(versionId);
        if (draft === null) return notFound(versionId);
        const previous = await stores.guidelines.getCurrent(draft.documentId);
        // A fork's first version must say something of its own (its origin, when this node has it).
        const forkOrigin = draft.origin === undefined || previous !== null ? null : await stores.guidelines.get(draft.origin);
        const published = publishGuidelineVersion(draft, {
          previous: previous ?? undefined,
          publisher: principal,
          now: now(),
          forkOrigin: forkOrigin ?? undefined,
        });
        if (!published.ok) return refused(published.error);
        const saved = await stores.guidelines.save(published.guideline);
        if (!saved.ok) return transaction.abort(refused(saved.error));
        await stores.outbox.append({ type: "published", kind: "guideline", id: versionId });
        return { ok: true, guideline: published.guideline };
      }),
  };
}
