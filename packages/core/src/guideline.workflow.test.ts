import { describe, expect, it } from "@jest/globals";
import { demoGuidelineContent } from "./demo/demo-guideline.ts";
import type { Guideline } from "./guideline.entity.ts";
import {
  createGuidelineDraft,
  draftNextGuidelineVersion,
  editGuidelineVersion,
  guidelineContent,
  publishGuidelineVersion,
  type GuidelineResult,
} from "./guideline.workflow.ts";
import type { Principal } from "./principal.ts";
import { localProvenance } from "./provenance.ts";
import { validateGuideline } from "./validation.ts";

const editor: Principal = { name: "Erika Beispiel", role: "editor" };
const documentId = "https://ki.example.org/guidelines/ki";
const first = createGuidelineDraft(demoGuidelineContent, { id: `${documentId}/1.0`, documentId, provenance: localProvenance("https://ki.example.org/actor") });
const ok = (result: GuidelineResult): Guideline => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.guideline;
};

describe("guideline versions", () => {
  it("publishes a draft; the published version is immutable", () => {
    const published = ok(publishGuidelineVersion(first, { publisher: editor, now: new Date("2025-01-01T00:00:00Z") }));
    expect(published).toMatchObject({ state: "published", publishedAt: "2025-01-01T00:00:00.000Z", history: [] });
    expect(validateGuideline(published).ok).toBe(true);
    expect(editGuidelineVersion(published, { ...demoGuidelineContent, version: "1.0a" }, editor)).toEqual({
      ok: false,
      error: { type: "guideline-version-published", id: published.id },
    });
    expect(publishGuidelineVersion(published, { publisher: editor, now: new Date() })).toMatchObject({
      ok: false,
      error: { type: "guideline-version-published" },
    });
  });

  it("a draft can be edited by editors only", () => {
    const edited = ok(editGuidelineVersion(first, { ...demoGuidelineContent, audience: { de: "Alle" } }, editor));
    expect(edited.audience).toEqual({ de: "Alle" });
    expect(edited.id).toBe(first.id);
    expect(editGuidelineVersion(first, demoGuidelineContent, { name: "V", role: "vetter" })).toEqual({
      ok: false,
      error: { type: "not-permitted", role: "vetter" },
    });
  });

  it("a new version supersedes the previous one and keeps the history", () => {
    const v1 = ok(publishGuidelineVersion(first, { publisher: editor, now: new Date("2025-01-01T00:00:00Z") }));
    const v2draft = ok(draftNextGuidelineVersion(v1, { id: `${documentId}/2.0`, version: "2.0" }, editor));
    expect(v2draft).toMatchObject({ state: "draft", supersedes: v1.id, version: "2.0" });
    expect(guidelineContent(v2draft).principles).toEqual(v1.principles);
    const v2 = ok(
      publishGuidelineVersion(
        { ...v2draft, changeSummary: { de: "Energie ergänzt" } },
        { previous: v1, publisher: editor, now: new Date("2026-01-01T00:00:00Z") },
      ),
    );
    const v3draft = ok(draftNextGuidelineVersion(v2, { id: `${documentId}/3.0`, version: "3.0" }, editor));
    expect(v3draft.changeSummary).toBeUndefined();
    const v3 = ok(publishGuidelineVersion(v3draft, { previous: v2, publisher: editor, now: new Date("2027-01-01T00:00:00Z") }));
    expect(v3.supersedes).toBe(v2.id);
    expect(v3.history).toEqual([
      { id: v1.id, version: "1.0", publishedAt: "2025-01-01T00:00:00.000Z" },
      { id: v2.id, version: "2.0", publishedAt: "2026-01-01T00:00:00.000Z", changeSummary: { de: "Energie ergänzt" } },
    ]);
    expect(validateGuideline(v3).ok).toBe(true);
  });

  it("refuses a reused version label, another document and an unpublished predecessor", () => {
    const v1 = ok(publishGuidelineVersion(first, { publisher: editor, now: new Date("2025-01-01T00:00:00Z") }));
    const sameLabel = { ...first, id: `${documentId}/again` };
    expect(publishGuidelineVersion(sameLabel, { previous: v1, publisher: editor, now: new Date() })).toEqual({
      ok: false,
      error: { type: "version-label-taken", version: "1.0" },
    });
    const otherDocument = { ...first, id: "https://ki.example.org/other/2", documentId: "https://ki.example.org/other", version: "2" };
    expect(publishGuidelineVersion(otherDocument, { previous: v1, publisher: editor, now: new Date() })).toMatchObject({
      ok: false,
      error: { type: "not-same-document" },
    });
    expect(publishGuidelineVersion({ ...first, id: `${documentId}/2`, version: "2" }, { previous: first, publisher: editor, now: new Date() })).toMatchObject({
      ok: false,
      error: { type: "previous-not-published" },
    });
  });
});
