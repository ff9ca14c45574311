import { demoGuidelineContent } from "../demo/demo-guideline.ts";
import type { Guideline, GuidelineSection, Principle } from "../guideline.entity.ts";
import type { LicenceId } from "../licence.ts";
import { validateGuideline } from "../validation.ts";

/** Test data: a published guideline version of a city at `https://<host>/`, valid against the schema. */
export function guidelineVersion(options: {
  host: string;
  document?: string;
  version?: string;
  publishedAt?: string;
  licence?: LicenceId;
  principles?: Principle[];
  sections?: GuidelineSection[];
  origin?: string;
  local?: boolean;
}): Guideline {
  const actor = `https://${options.host}/actor`;
  const documentId = `https://${options.host}/guidelines/${options.document ?? "ki-leitlinie"}`;
  const version = options.version ?? "1.0";
  const candidate = {
    ...demoGuidelineContent,
    version,
    licence: options.licence ?? demoGuidelineContent.licence,
    principles: options.principles ?? demoGuidelineContent.principles,
    sections: options.sections ?? demoGuidelineContent.sections,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    id: `${documentId}/${version}`,
    documentId,
    provenance: options.local
      ? { source: "local", originActor: actor, originHost: options.host }
      : { source: "received", originActor: actor, originHost: options.host, receivedAt: "2026-01-01T00:00:00Z", proofVerified: true },
    state: "published",
    publishedAt: options.publishedAt ?? "2025-06-01T00:00:00Z",
    history: [],
  };
  const validated = validateGuideline(candidate);
  if (!validated.ok) throw new Error(`invalid test guideline: ${JSON.stringify(validated.errors)}`);
  return validated.value;
}

export const principle = (key: string, category: Principle["category"], en: string, ruleIds?: string[]): Principle => ({
  key,
  statement: { en },
  level: "MUST",
  category,
  ...(ruleIds === undefined ? {} : { ruleIds }),
});
