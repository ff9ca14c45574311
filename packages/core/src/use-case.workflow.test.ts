import { describe, expect, it } from "@jest/globals";
import { demoGuidelineContent } from "./demo/demo-guideline.ts";
import { demoUseCaseContents } from "./demo/demo-use-cases.ts";
import type { Guideline } from "./guideline.entity.ts";
import { createGuidelineDraft } from "./guideline.workflow.ts";
import { roles, type Principal } from "./principal.ts";
import { localProvenance } from "./provenance.ts";
import type { UseCase } from "./use-case.entity.ts";
import { validateUseCase } from "./validation.ts";
import {
  createUseCaseDraft,
  describeWorkflowError,
  publishUseCase,
  retireUseCase,
  reviseUseCase,
  sendBackUseCase,
  submitUseCase,
  vetUseCase,
  type WorkflowResult,
} from "./use-case.workflow.ts";

const actor = "https://ki.example.org/actor";
const now = new Date("2025-10-01T09:00:00Z");
const editor: Principal = { name: "Erika Beispiel", role: "editor" };
const vetter: Principal = { name: "Max Mustermann", role: "vetter" };
const contents = demoUseCaseContents((slug) => `https://ki.example.org/models/${slug}`);

const guideline: Guideline = {
  ...createGuidelineDraft(demoGuidelineContent, {
    id: "https://ki.example.org/guidelines/1",
    documentId: "https://ki.example.org/guidelines",
    provenance: localProvenance(actor),
  }),
  state: "published",
  publishedAt: "2025-01-01T00:00:00Z",
};

function draft(slug: string): UseCase {
  const content = contents[slug];
  if (!content) throw new Error(`no demo use case ${slug}`);
  return createUseCaseDraft(structuredClone(content), { id: `https://ki.example.org/use-cases/${slug}`, provenance: localProvenance(actor) });
}
function ok(result: WorkflowResult): UseCase {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.useCase;
}
const submitted = (slug: string) => ok(submitUseCase(draft(slug), editor, now));

describe("use case workflow", () => {
  it("goes draft → submitted → vetted → published → retired with a named vetter and conformance results", () => {
    const vetted = ok(vetUseCase(submitted("strassenschaeden-erkennung"), guideline, vetter, now));
    expect(vetted.workflow.state).toBe("vetted");
    expect(vetted.vetting).toEqual({ vetter: { name: "Max Mustermann", role: "vetter" }, date: now.toISOString(), result: "passed" });
    expect(vetted.conformance?.guidelineVersion).toBe(guideline.id);
    expect(vetted.conformance?.results.every((result) => result.passed)).toBe(true);
    const published = ok(publishUseCase(vetted, editor, now));
    expect(published.workflow).toMatchObject({ state: "published", publishedAt: now.toISOString() });
    expect(validateUseCase(published).ok).toBe(true);
    expect(ok(retireUseCase(published, editor, now)).workflow.state).toBe("retired");
  });

  it("records warnings in the vetting result", () => {
    const useCase = submitted("strassenschaeden-erkennung");
    delete useCase.sovereignty;
    const vetted = ok(vetUseCase(useCase, guideline, vetter, now));
    expect(vetted.vetting?.result).toBe("passed-with-warnings");
  });

  it("a vetter can send a submission back to draft with a reason", () => {
    const back = ok(sendBackUseCase(submitted("posteingang-zuordnung"), vetter, { de: "Bitte Energie schätzen" }, now));
    expect(back.workflow).toEqual({
      state: "draft",
      submitted: { by: editor.name, at: now.toISOString() },
      sentBack: { by: vetter.name, at: now.toISOString(), reason: { de: "Bitte Energie schätzen" } },
    });
  });

  it("refuses transitions from the wrong state", () => {
    expect(publishUseCase(draft("posteingang-zuordnung"), editor, now)).toEqual({
      ok: false,
      error: { type: "invalid-transition", from: "draft", to: "published" },
    });
    expect(vetUseCase(draft("posteingang-zuordnung"), guideline, vetter, now)).toEqual({
      ok: false,
      error: { type: "invalid-transition", from: "draft", to: "vetted" },
    });
    expect(retireUseCase(submitted("posteingang-zuordnung"), editor, now)).toMatchObject({ ok: false, error: { type: "invalid-transition" } });
  });

  it("checks roles: editors cannot vet, vetters cannot publish, moderators cannot submit", () => {
    expect(vetUseCase(submitted("posteingang-zuordnung"), guideline, { name: "E", role: "editor" }, now)).toEqual({
      ok: false,
      error: { type: "not-permitted", role: "editor", action: "vet" },
    });
    const vetted = ok(vetUseCase(submitted("posteingang-zuordnung"), guideline, vetter, now));
    expect(publishUseCase(vetted, { name: "V", role: "vetter" }, now)).toMatchObject({ ok: false, error: { type: "not-permitted" } });
    expect(submitUseCase(draft("posteingang-zuordnung"), { name: "M", role: "moderator" }, now)).toMatchObject({ ok: false, error: { type: "not-permitted" } });
  });

  it("vetting needs a named human and a published guideline", () => {
    expect(vetUseCase(submitted("posteingang-zuordnung"), guideline, { name: "  ", role: "vetter" }, now)).toEqual({
      ok: false,
      error: { type: "vetter-not-named" },
    });
    expect(vetUseCase(submitted("posteingang-zuordnung"), { ...guideline, state: "draft" }, vetter, now)).toMatchObject({
      ok: false,
      error: { type: "guideline-not-published" },
    });
  });

  it("notes who submitted, and when", () => {
    expect(submitted("posteingang-zuordnung").workflow).toEqual({ state: "submitted", submitted: { by: "Erika Beispiel", at: now.toISOString() } });
  });

  describe("four-eyes principle", () => {
    const admin: Principal = { name: "Erika Beispiel", role: "admin" };
    const ownSubmission = () => ok(submitUseCase(draft("posteingang-zuordnung"), admin, now));

    it("refuses the person who submitted, whatever their role, naming them", () => {
      const result = vetUseCase(ownSubmission(), guideline, admin, now);
      expect(result).toEqual({ ok: false, error: { type: "four-eyes", submitter: "Erika Beispiel" } });
      if (!result.ok) expect(describeWorkflowError(result.error).de).toContain("Erika Beispiel hat diesen Einsatzfall eingereicht");
      // Spaces around a name do not make another person.
      expect(vetUseCase(ownSubmission(), guideline, { ...admin, name: " Erika Beispiel " }, now)).toMatchObject({ ok: false, error: { type: "four-eyes" } });
    });

    it("lets a second person vet; the vetting does not say anything was waived", () => {
      const vetted = ok(vetUseCase(ownSubmission(), guideline, vetter, now));
      expect(vetted.vetting).toEqual({ vetter: { name: "Max Mustermann", role: "vetter" }, date: now.toISOString(), result: "passed" });
    });

    it("where the node relaxes it, the submitter may vet and the vetting says so", () => {
      const vetted = ok(vetUseCase(ownSubmission(), guideline, admin, now, { fourEyes: false }));
      expect(vetted.vetting).toMatchObject({ vetter: { name: "Erika Beispiel" }, fourEyesWaived: true });
      expect(validateUseCase(vetted).ok).toBe(true);
      // Relaxed, but someone else vetted: nothing was waived.
      expect(ok(vetUseCase(ownSubmission(), guideline, vetter, now, { fourEyes: false })).vetting?.fourEyesWaived).toBeUndefined();
    });

    it("the node's shared setup account neither vets nor sends back", () => {
      const setup: Principal = { name: "Admin Dortmund", role: "admin", shared: true };
      expect(vetUseCase(submitted("posteingang-zuordnung"), guideline, setup, now)).toEqual({ ok: false, error: { type: "shared-account" } });
      expect(sendBackUseCase(submitted("posteingang-zuordnung"), setup, { de: "Nein" }, now)).toEqual({ ok: false, error: { type: "shared-account" } });
      // It may still submit (the submitter is named; a person vets).
      expect(submitUseCase(draft("posteingang-zuordnung"), setup, now).ok).toBe(true);
    });
  });

  it("the Dortmund rule blocks vetting for every role, even under a guideline that only says SHOULD or omits it", () => {
    const lenient: Guideline = {
      ...guideline,
      principles: [
        { key: "lenient", statement: { en: "Automation is fine" }, level: "SHOULD", category: "ethics", ruleIds: ["no-automated-action-on-citizens"] },
      ],
    };
    const silent: Guideline = { ...guideline, principles: [{ key: "silent", statement: { en: "Be nice" }, level: "SHOULD", category: "ethics" }] };
    let refusedByRules = 0;
    for (const role of roles) {
      for (const target of [guideline, lenient, silent]) {
        const result = vetUseCase(submitted("automatische-verwarnungen"), target, { name: "Jemand", role }, now);
        expect(result.ok).toBe(false);
        if (!result.ok && result.error.type === "rule-violations") {
          expect(result.error.results.find((entry) => entry.rule.id === "no-automated-action-on-citizens")).toMatchObject({ severity: "error", passed: false });
          refusedByRules += 1;
        } else if (!result.ok) {
          expect(result.error.type).toBe("not-permitted");
        }
      }
    }
    // vetter and admin may vet, under each of the three guidelines
    expect(refusedByRules).toBe(6);
  });

  it("received copies cannot be moved through our workflow", () => {
    const received: UseCase = {
      ...draft("posteingang-zuordnung"),
      provenance: {
        source: "received",
        originActor: "https://other.example/actor",
        originHost: "other.example",
        receivedAt: now.toISOString(),
        proofVerified: true,
      },
    };
    expect(submitUseCase(received, editor, now)).toEqual({ ok: false, error: { type: "not-local", originActor: "https://other.example/actor" } });
  });

  it("revising returns the use case to draft and drops the old vetting", () => {
    const published = ok(publishUseCase(ok(vetUseCase(submitted("strassenschaeden-erkennung"), guideline, vetter, now)), editor, now));
    const content = contents["strassenschaeden-erkennung"];
    if (!content) throw new Error("missing");
    const revised = ok(reviseUseCase(published, { ...content, status: "retired" }, editor));
    expect(revised.workflow.state).toBe("draft");
    expect(revised.vetting).toBeUndefined();
    expect(revised.conformance).toBeUndefined();
    expect(revised.status).toBe("retired");
  });
});
