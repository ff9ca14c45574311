import type { Guideline } from "../guideline.entity.ts";
import { createGuidelineDraft, publishGuidelineVersion } from "../guideline.workflow.ts";
import type { Principal } from "../principal.ts";
import type { RecordKind } from "../record-iri.ts";
import { localProvenance } from "../provenance.ts";
import type { SharedModel } from "../shared-model.entity.ts";
import type { UseCase } from "../use-case.entity.ts";
import {
  createUseCaseDraft,
  describeWorkflowError,
  publishUseCase,
  sendBackUseCase,
  submitUseCase,
  vetUseCase,
  type WorkflowResult,
} from "../use-case.workflow.ts";
import { demoGuidelineContent } from "./demo-guideline.ts";
import { demoModelContents, demoModelSlugs } from "./demo-models.ts";
import { demoUseCaseContents } from "./demo-use-cases.ts";

export interface DemoOptions {
  /** The city's actor IRI. */
  actor: string;
  /** How the node names its records. */
  iri: (kind: RecordKind, slug: string) => string;
  now: Date;
}

export interface DemoRecords {
  guidelines: Guideline[];
  useCases: UseCase[];
  models: SharedModel[];
}

const demoEditor: Principal = { name: "Erika Beispiel", role: "editor" };
const demoVetter: Principal = { name: "Max Mustermann", role: "vetter" };

function unwrap(result: WorkflowResult): UseCase {
  if (!result.ok) throw new Error(`demo data broke the workflow: ${describeWorkflowError(result.error).en}`);
  return result.useCase;
}

/**
 * The demo seed of one city, built through the real workflow: the guideline is published,
 * four use cases are vetted and published, the automated one is refused and back in draft.
 */
export function demoRecords(options: DemoOptions): DemoRecords {
  const provenance = localProvenance(options.actor);
  const draft = createGuidelineDraft(demoGuidelineContent, {
    id: options.iri("guideline", "ki-leitlinie-1.0"),
    documentId: options.iri("guideline-document", "ki-leitlinie"),
    provenance,
  });
  const published = publishGuidelineVersion(draft, { publisher: demoEditor, now: options.now });
  if (!published.ok) throw new Error(`demo guideline did not publish: ${published.error.type}`);
  const guideline = published.guideline;

  const models: SharedModel[] = (Object.keys(demoModelSlugs) as (keyof typeof demoModelSlugs)[]).map((key) => ({
    ...demoModelContents[key],
    id: options.iri("model", demoModelSlugs[key]),
    provenance,
    state: "published" as const,
  }));

  const contents = demoUseCaseContents((slug) => options.iri("model", slug));
  const useCases = Object.entries(contents).map(([slug, content]) => {
    const submitted = unwrap(submitUseCase(createUseCaseDraft(content, { id: options.iri("use-case", slug), provenance }), demoEditor, options.now));
    const vetted = vetUseCase(submitted, guideline, demoVetter, options.now);
    if (vetted.ok) return unwrap(publishUseCase(vetted.useCase, demoEditor, options.now));
    return unwrap(sendBackUseCase(submitted, demoVetter, describeWorkflowError(vetted.error), options.now));
  });

  return { guidelines: [guideline], useCases, models };
}
