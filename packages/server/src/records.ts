import { randomUUID } from "node:crypto";
import {
  createGuidelineDraft,
  createUseCaseDraft,
  demoRecords,
  localProvenance,
  parseImportYaml,
  recordIri,
  type Guideline,
  type ImportError,
  type ImportFile,
  type RecordEvent,
  type RecordEventSink,
  type RecordKind,
  type SharedModel,
  type UseCase,
} from "@leitplanken/core";
import { createGuidelineRepository, createSharedModelRepository, createUseCaseRepository, type Database, type Queryable } from "@leitplanken/db";
import type { NodeIdentity } from "@leitplanken/graphql";
import type { Config } from "./config.ts";

/** Who this node is: the city's actor, and the origin under which it names its records. */
export function nodeIdentity(config: Config): NodeIdentity {
  return { actor: `${config.origin}/actors/${config.handle}`, origin: config.origin };
}

const newIri = (identity: NodeIdentity, kind: RecordKind) => recordIri(identity.origin, kind, randomUUID());

export function recordRepositories(db: Queryable) {
  return {
    guidelines: createGuidelineRepository(db),
    useCases: createUseCaseRepository(db),
    sharedModels: createSharedModelRepository(db),
  };
}

interface NewRecords {
  guidelines: Guideline[];
  useCases: UseCase[];
  models: SharedModel[];
}

/** Stores records in one transaction: all of them or, when one fails, none. */
export async function saveRecords(db: Database, records: NewRecords): Promise<void> {
  await db.transaction(async (tx) => {
    const repositories = recordRepositories(tx);
    for (const model of records.models) await repositories.sharedModels.save(model);
    for (const guideline of records.guidelines) {
      const saved = await repositories.guidelines.save(guideline);
      if (!saved.ok) throw new Error(`guideline ${guideline.id} was not saved: ${saved.error.type}`);
    }
    for (const useCase of records.useCases) await repositories.useCases.save(useCase);
  });
}

export type ImportProblem = ImportError;

/**
 * Imports the records of an import file's text (YAML or JSON, schema/import.schema.json) as
 * drafts, all or none; the problems (with line and column) when the file has any.
 */
export async function importFile(
  db: Database,
  identity: NodeIdentity,
  text: string,
): Promise<{ ok: true; counts: { guidelines: number; useCases: number; models: number } } | { ok: false; problems: ImportProblem[] }> {
  const parsed = parseImportYaml(text);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  const drafts = draftsFromImport(parsed.value, identity);
  await saveRecords(db, drafts);
  return { ok: true, counts: { guidelines: drafts.guidelines.length, useCases: drafts.useCases.length, models: drafts.models.length } };
}

/** An import file's records as new local drafts of this node (models registered as given). */
export function draftsFromImport(file: ImportFile, identity: NodeIdentity): NewRecords {
  const provenance = localProvenance(identity.actor);
  return {
    guidelines: file.guidelines.map((content) =>
      createGuidelineDraft(content, {
        id: newIri(identity, "guideline"),
        documentId: newIri(identity, "guideline-document"),
        provenance,
      }),
    ),
    useCases: file.useCases.map((content) => createUseCaseDraft(content, { id: newIri(identity, "use-case"), provenance })),
    models: file.models.map((content) => ({ ...content, id: newIri(identity, "model"), provenance })),
  };
}

/**
 * Loads the demo city's records into a node that has no records of its own yet, and
 * announces the published ones as the API would, so followers receive them.
 */
export async function seedDemoRecords(db: Database, identity: NodeIdentity, events: RecordEventSink, now = new Date()): Promise<boolean> {
  const existing = await recordRepositories(db).guidelines.list({ source: "local" }, { first: 1 });
  if (existing.totalCount > 0) return false;
  const demo = demoRecords({ actor: identity.actor, iri: (kind, slug) => recordIri(identity.origin, kind, slug), now });
  await saveRecords(db, demo);
  const published: RecordEvent[] = [
    ...demo.models.map((model) => ({ type: "published" as const, kind: "model" as const, id: model.id })),
    ...demo.guidelines.filter((g) => g.state === "published").map((g) => ({ type: "published" as const, kind: "guideline" as const, id: g.id })),
    ...demo.useCases.filter((u) => u.workflow.state === "published").map((u) => ({ type: "published" as const, kind: "use-case" as const, id: u.id })),
  ];
  for (const event of published) await events.recordChanged(event);
  return true;
}
