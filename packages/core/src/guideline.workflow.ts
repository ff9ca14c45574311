import type { Guideline, GuidelineContent } from "./guideline.entity.ts";
import { rolesFor } from "./permissions.ts";
import type { Principal, Role } from "./principal.ts";
import type { Provenance } from "./provenance.ts";

/** Who may write and publish guideline versions (the permission table's `guideline.edit`). */
export const guidelineRoles: readonly Role[] = rolesFor("guideline.edit");

export type GuidelineError =
  | { type: "guideline-version-published"; id: string }
  | { type: "not-permitted"; role: Role }
  | { type: "not-local"; originActor: string }
  | { type: "not-same-document"; documentId: string; previousDocumentId: string }
  | { type: "previous-not-published"; id: string }
  | { type: "version-label-taken"; version: string }
  /** A fork is published as the forking city's own only once its text differs from its origin's. */
  | { type: "fork-unchanged"; origin: string };

export type GuidelineResult = { ok: true; guideline: Guideline } | { ok: false; error: GuidelineError };

const contentKeys = [
  "kind",
  "title",
  "summary",
  "issuingBody",
  "adoptingBody",
  "version",
  "validFrom",
  "relatedDocuments",
  "audience",
  "consulted",
  "licence",
  "sections",
  "principles",
  "origin",
  "attribution",
  "changeSummary",
] as const satisfies readonly (keyof GuidelineContent)[];

/** The editable part of a version (used to start the next version or a fork). */
export function guidelineContent(guideline: Guideline): GuidelineContent {
  const content: Record<string, unknown> = {};
  for (const key of contentKeys) if (guideline[key] !== undefined) content[key] = guideline[key];
  return content as GuidelineContent;
}

function guard(guideline: Guideline, actor: Principal): GuidelineError | null {
  if (guideline.provenance.source !== "local") return { type: "not-local", originActor: guideline.provenance.originActor };
  if (!guidelineRoles.includes(actor.role)) return { type: "not-permitted", role: actor.role };
  if (guideline.state === "published") return { type: "guideline-version-published", id: guideline.id };
  return null;
}

export function createGuidelineDraft(content: GuidelineContent, identity: { id: string; documentId: string; provenance: Provenance }): Guideline {
  return { ...content, ...identity, state: "draft", history: [] };
}

/** Replaces a draft's content; a published version is immutable. */
export function editGuidelineVersion(guideline: Guideline, content: GuidelineContent, editor: Principal): GuidelineResult {
  const error = guard(guideline, editor);
  if (error) return { ok: false, error };
  const { id, documentId, provenance, state, supersedes, history } = guideline;
  return { ok: true, guideline: { ...content, id, documentId, provenance, state, history, ...(supersedes ? { supersedes } : {}) } };
}

/** Starts the next version of a published guideline as a draft that supersedes it. */
export function draftNextGuidelineVersion(current: Guideline, next: { id: string; version: string }, editor: Principal): GuidelineResult {
  if (current.provenance.source !== "local") return { ok: false, error: { type: "not-local", originActor: current.provenance.originActor } };
  if (!guidelineRoles.includes(editor.role)) return { ok: false, error: { type: "not-permitted", role: editor.role } };
  if (current.state !== "published") return { ok: false, error: { type: "previous-not-published", id: current.id } };
  const { changeSummary: _previousSummary, ...content } = guidelineContent(current);
  return {
    ok: true,
    guideline: {
      ...content,
      version: next.version,
      id: next.id,
      documentId: current.documentId,
      provenance: current.provenance,
      state: "draft",
      supersedes: current.id,
      history: current.history,
    },
  };
}

/** What makes a guideline its text; issuer, credits, dates and labels do not. */
const textFields = ["kind", "title", "summary", "audience", "sections", "principles"] as const satisfies readonly (keyof GuidelineContent)[];

/** JSON with object keys sorted: stored records come back from the database with keys in another order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** True when a version says word for word what another says (title, summary, audience, sections, principles). */
export function sameGuidelineText(a: GuidelineContent, b: GuidelineContent): boolean {
  return textFields.every((field) => canonical(a[field]) === canonical(b[field]));
}

/**
 * Publishes a draft. With `previous` (the current published version of the same document)
 * the new version supersedes it and the history keeps every earlier version. The first version
 * of a fork is refused while its text is still its origin's (`forkOrigin`, when this node has it):
 * publishing it would only put another city's name on the same words.
 */
export function publishGuidelineVersion(
  draft: Guideline,
  options: { previous?: Guideline | undefined; publisher: Principal; now: Date; forkOrigin?: Guideline | undefined },
): GuidelineResult {
  const error = guard(draft, options.publisher);
  if (error) return { ok: false, error };
  const previous = options.previous;
  const origin = options.forkOrigin;
  if (previous === undefined && origin !== undefined && draft.origin === origin.id && sameGuidelineText(draft, origin)) {
    return { ok: false, error: { type: "fork-unchanged", origin: origin.id } };
  }
  const publishedAt = options.now.toISOString();
  if (previous === undefined) {
    return { ok: true, guideline: { ...draft, state: "published", publishedAt, history: [] } };
  }
  if (previous.documentId !== draft.documentId) {
    return { ok: false, error: { type: "not-same-document", documentId: draft.documentId, previousDocumentId: previous.documentId } };
  }
  if (previous.state !== "published" || previous.publishedAt === undefined) return { ok: false, error: { type: "previous-not-published", id: previous.id } };
  const history = [
    ...previous.history,
    {
      id: previous.id,
      version: previous.version,
      publishedAt: previous.publishedAt,
      ...(previous.changeSummary ? { changeSummary: previous.changeSummary } : {}),
    },
  ];
  if (history.some((entry) => entry.version === draft.version)) return { ok: false, error: { type: "version-label-taken", version: draft.version } };
  return { ok: true, guideline: { ...draft, state: "published", publishedAt, supersedes: previous.id, history } };
}
