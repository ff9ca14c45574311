import { describe, expect, it } from "@jest/globals";
import { guidelineVersion, principle } from "./compare/guideline.fixture.ts";
import { describeForkError, forkGuideline, upstreamChanges } from "./fork.ts";
import { draftNextGuidelineVersion, publishGuidelineVersion } from "./guideline.workflow.ts";
import type { LicenceId } from "./licence.ts";
import type { Principal } from "./principal.ts";
import { validateGuideline } from "./validation.ts";

const editor: Principal = { name: "Erika Beispiel", role: "editor" };
const ours = {
  actor: "https://c.example/actor",
  iri: { id: "https://c.example/guidelines/ki/1.0", documentId: "https://c.example/guidelines/ki" },
  principal: editor,
};
const cityC = { name: { de: "Stadt C", en: "City of C" } };

const sourceV1 = guidelineVersion({ host: "a.example", version: "1.0", publishedAt: "2025-01-01T00:00:00Z" });
const sourceV2 = {
  ...guidelineVersion({
    host: "a.example",
    version: "2.0",
    publishedAt: "2026-01-01T00:00:00Z",
    principles: [...sourceV1.principles, principle("open-models", "sovereignty", "Open models are preferred.")],
  }),
  supersedes: sourceV1.id,
  history: [{ id: sourceV1.id, version: "1.0", publishedAt: "2025-01-01T00:00:00.000Z" }],
};

function forked() {
  const result = forkGuideline(sourceV1, { ...ours, issuingBody: cityC });
  if (!result.ok) throw new Error(result.error.type);
  return result.draft;
}

describe("publishing a fork", () => {
  const publish = (draft: ReturnType<typeof forked>) =>
    publishGuidelineVersion(draft, { publisher: editor, now: new Date("2026-02-01T00:00:00Z"), forkOrigin: sourceV1 });

  it("is refused while its text is still the origin's, even under our name", () => {
    // Our issuing body and the credit differ from the origin's; the words do not.
    const result = publish(forked());
    expect(result).toEqual({ ok: false, error: { type: "fork-unchanged", origin: sourceV1.id } });
  });

  it("is refused however the stored copy orders its keys", () => {
    const reordered = forked();
    reordered.principles = reordered.principles.map((entry) => Object.fromEntries(Object.entries(entry).reverse()) as typeof entry);
    expect(publish(reordered).ok).toBe(false);
  });

  it("goes through once a principle, a section or the title says something of its own", () => {
    const changedPrinciple = forked();
    changedPrinciple.principles = changedPrinciple.principles.map((entry, index) => (index === 0 ? { ...entry, level: "SHOULD" as const } : entry));
    expect(publish(changedPrinciple).ok).toBe(true);
    const changedSection = forked();
    changedSection.sections = [...changedSection.sections, { heading: { de: "Bei uns" }, body: { de: "Wir ergänzen." } }];
    expect(publish(changedSection).ok).toBe(true);
    expect(publish({ ...forked(), title: { de: "KI-Leitlinie der Stadt C" } }).ok).toBe(true);
  });

  it("is not held to its origin when the node does not have it, or for a later version", () => {
    expect(publishGuidelineVersion(forked(), { publisher: editor, now: new Date() }).ok).toBe(true);
  });
});

describe("forkGuideline", () => {
  it("makes a local draft pointing to the source version, with the source's sections and principles", () => {
    const draft = forked();
    expect(draft).toMatchObject({
      id: ours.iri.id,
      documentId: ours.iri.documentId,
      origin: sourceV1.id,
      state: "draft",
      history: [],
      issuingBody: cityC,
      consulted: [],
      relatedDocuments: [],
      licence: sourceV1.licence,
      provenance: { source: "local", originActor: ours.actor, originHost: "c.example" },
    });
    expect(draft.principles).toEqual(sourceV1.principles);
    expect(draft.sections).toEqual(sourceV1.sections);
    expect(draft.adoptingBody).toBeUndefined();
    expect(draft.publishedAt).toBeUndefined();
    expect(draft.attribution?.en).toBe(
      "Derived from \"Guideline for the responsible use of AI (demo)\", version 1.0, City of Dortmund (demo) (CC-BY-4.0). In our own words after: Stadt Dortmund, Leitlinie 'Künstliche Intelligenz verantwortlich gestalten'.",
    );
    expect(draft.attribution?.de).toContain("Abgeleitet von „Leitlinie für den verantwortlichen Einsatz von KI (Demo)“, Fassung 1.0");
    expect(validateGuideline(draft).ok).toBe(true);
  });

  it("keeps the origin when the fork is published and when it gets a next version", () => {
    const published = publishGuidelineVersion(forked(), { publisher: editor, now: new Date("2025-03-01T00:00:00Z") });
    if (!published.ok) throw new Error(published.error.type);
    expect(published.guideline.origin).toBe(sourceV1.id);
    const next = draftNextGuidelineVersion(published.guideline, { id: `${ours.iri.documentId}/1.1`, version: "1.1" }, editor);
    expect(next.ok && next.guideline.origin).toBe(sourceV1.id);
  });

  it.each<LicenceId>(["CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "DL-DE-BY-2.0", "DL-DE-ZERO-2.0"])("allows forking under %s", (licence) => {
    expect(forkGuideline(guidelineVersion({ host: "a.example", licence }), ours).ok).toBe(true);
  });

  it.each<LicenceId>(["CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "LicenseRef-proprietary"])("refuses forking under %s and names the licence", (licence) => {
    const result = forkGuideline(guidelineVersion({ host: "a.example", licence }), ours);
    expect(result).toEqual({ ok: false, error: { type: "licence-forbids-fork", licence } });
    if (!result.ok) {
      expect(describeForkError(result.error).de).toContain(licence);
      expect(describeForkError(result.error).en).toContain(licence);
    }
  });

  it("refuses roles that may not write guidelines and unpublished sources", () => {
    expect(forkGuideline(sourceV1, { ...ours, principal: { name: "V", role: "vetter" } })).toEqual({
      ok: false,
      error: { type: "not-permitted", role: "vetter" },
    });
    expect(forkGuideline({ ...sourceV1, state: "draft" }, ours)).toEqual({ ok: false, error: { type: "source-not-published", id: sourceV1.id } });
  });
});

describe("upstreamChanges", () => {
  it("is up to date while the origin published nothing newer", () => {
    expect(upstreamChanges(forked(), [sourceV1], { language: "en" })).toEqual({
      status: "up-to-date",
      forkPoint: { id: sourceV1.id, version: "1.0", publishedAt: "2025-01-01T00:00:00Z" },
    });
  });

  it("shows newer origin versions with the diff since the fork point", () => {
    const changes = upstreamChanges(forked(), [sourceV2, sourceV1], { language: "en" });
    if (changes.status !== "upstream-changed") throw new Error(changes.status);
    expect(changes.forkPoint?.id).toBe(sourceV1.id);
    expect(changes.newerVersions.map((version) => version.version)).toEqual(["2.0"]);
    expect(changes.latest.id).toBe(sourceV2.id);
    expect(changes.diff?.principles.filter((change) => change.kind !== "unchanged")).toEqual([
      { kind: "added", principle: principle("open-models", "sovereignty", "Open models are preferred.") },
    ]);
  });

  it("knows upstream changed from the history when the fork point itself is not here", () => {
    const changes = upstreamChanges(forked(), [sourceV2], { language: "en" });
    expect(changes).toMatchObject({ status: "upstream-changed", forkPoint: null, latest: { id: sourceV2.id }, diff: null });
  });

  it("says when the origin is unknown or the guideline is no fork", () => {
    expect(upstreamChanges(forked(), [], { language: "en" })).toEqual({ status: "origin-unknown", origin: sourceV1.id });
    expect(upstreamChanges(sourceV1, [sourceV2], { language: "en" })).toEqual({ status: "not-a-fork" });
  });
});
