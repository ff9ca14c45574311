import { textIn } from "./common.schema.ts";
import { diffGuidelineVersions, type GuidelineDiff } from "./compare/guideline-diff.ts";
import type { Guideline } from "./guideline.entity.ts";
import { createGuidelineDraft, guidelineContent } from "./guideline.workflow.ts";
import { may } from "./permissions.ts";
import { type LicenceId, licenceAllowsDerivatives } from "./licence.ts";
import type { Principal, Role } from "./principal.ts";
import { localProvenance } from "./provenance.ts";

export type ForkError =
  { type: "licence-forbids-fork"; licence: LicenceId } | { type: "not-permitted"; role: Role } | { type: "source-not-published"; id: string };

export type ForkResult = { ok: true; draft: Guideline } | { ok: false; error: ForkError };

export function describeForkError(error: ForkError): { de: string; en: string } {
  switch (error.type) {
    case "licence-forbids-fork":
      return {
        de: `Die Lizenz ${error.licence} erlaubt keine Bearbeitungen; diese Leitlinie kann nicht übernommen und angepasst werden.`,
        en: `The licence ${error.licence} does not allow derivatives; this guideline cannot be forked.`,
      };
    case "not-permitted":
      return { de: `Die Rolle „${error.role}“ darf keine Leitlinien anlegen.`, en: `The role "${error.role}" may not create guidelines.` };
    case "source-not-published":
      return { de: "Nur veröffentlichte Fassungen können übernommen werden.", en: "Only published versions can be forked." };
  }
}

export interface ForkOptions {
  /** Our city's actor IRI. */
  actor: string;
  /** IRIs of the fork's first version and of its document. */
  iri: { id: string; documentId: string };
  principal: Principal;
  /** Our city as the issuing body; without it the source's stays until an editor changes it. */
  issuingBody?: Guideline["issuingBody"] | undefined;
}

/** Credit to the source, as licences such as CC-BY require; the source's own credit is kept after it. */
function forkAttribution(source: Guideline): Guideline["attribution"] {
  const credit = (language: "de" | "en", text: string) => [text, source.attribution?.[language]].filter((part) => part !== undefined).join(" ");
  const issuer = (language: string) => textIn(source.issuingBody.name, language);
  return {
    de: credit("de", `Abgeleitet von „${textIn(source.title, "de")}“, Fassung ${source.version}, ${issuer("de")} (${source.licence}).`),
    en: credit("en", `Derived from "${textIn(source.title, "en")}", version ${source.version}, ${issuer("en")} (${source.licence}).`),
  };
}

/**
 * A local draft from another guideline version, with `origin` pointing to it (ForgeFed). Council
 * decision, consultations and related documents belong to the source city and are left out.
 */
export function forkGuideline(source: Guideline, options: ForkOptions): ForkResult {
  if (!may(options.principal, "guideline.fork")) return { ok: false, error: { type: "not-permitted", role: options.principal.role } };
  if (source.state !== "published") return { ok: false, error: { type: "source-not-published", id: source.id } };
  if (!licenceAllowsDerivatives(source.licence)) return { ok: false, error: { type: "licence-forbids-fork", licence: source.licence } };
  const { adoptingBody: _adoptingBody, changeSummary: _changeSummary, ...content } = guidelineContent(source);
  const draft = createGuidelineDraft(
    {
      ...content,
      issuingBody: options.issuingBody ?? source.issuingBody,
      consulted: [],
      relatedDocuments: [],
      origin: source.id,
      attribution: forkAttribution(source),
    },
    { ...options.iri, provenance: localProvenance(options.actor) },
  );
  return { ok: true, draft };
}

export interface VersionReference {
  id: string;
  version: string;
  publishedAt: string;
}

export type UpstreamChanges =
  | { status: "not-a-fork" }
  /** This node knows no version of the origin document that is or follows the fork point. */
  | { status: "origin-unknown"; origin: string }
  | { status: "up-to-date"; forkPoint: VersionReference }
  /** `diff` runs from the fork point to the newest version; null when this node lacks the fork point itself. */
  | { status: "upstream-changed"; forkPoint: VersionReference | null; newerVersions: VersionReference[]; latest: VersionReference; diff: GuidelineDiff | null };

function reference(guideline: Guideline): VersionReference {
  return { id: guideline.id, version: guideline.version, publishedAt: guideline.publishedAt ?? "" };
}

/**
 * Whether the guideline a fork came from published newer versions since the fork point, and the
 * diff since then. `originVersions` are the versions of the origin document this node knows.
 */
export function upstreamChanges(fork: Guideline, originVersions: readonly Guideline[], options: { language: string }): UpstreamChanges {
  const origin = fork.origin;
  if (origin === undefined) return { status: "not-a-fork" };
  const published = originVersions.filter((version) => version.state === "published" && version.publishedAt !== undefined);
  const forkPoint = originVersions.find((version) => version.id === origin);
  const newer = forkPoint
    ? published.filter(
        (version) =>
          version.documentId === forkPoint.documentId &&
          version.id !== origin &&
          Date.parse(version.publishedAt ?? "") > Date.parse(forkPoint.publishedAt ?? ""),
      )
    : published.filter((version) => version.history.some((entry) => entry.id === origin));
  newer.sort((a, b) => Date.parse(a.publishedAt ?? "") - Date.parse(b.publishedAt ?? ""));
  const latest = newer.at(-1);
  if (latest === undefined) return forkPoint ? { status: "up-to-date", forkPoint: reference(forkPoint) } : { status: "origin-unknown", origin };
  return {
    status: "upstream-changed",
    forkPoint: forkPoint ? reference(forkPoint) : null,
    newerVersions: newer.map(reference),
    latest: reference(latest),
    diff: forkPoint ? diffGuidelineVersions(forkPoint, latest, options) : null,
  };
}
