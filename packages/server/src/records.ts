import type { Application, NodeIdentity } from "@leitplanken/app";
import { parseImportYaml, recordIri, type ImportError } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import {
  createGuidelineRepository,
  createSharedModelRepository,
  createUseCaseRepository,
  readGuidelineAndUseCase,
  readUseCaseDetail,
  type Queryable,
} from "@leitplanken/db";
import type { Config } from "./config.ts";

/** Who this node is: the city's actor, and the origin under which it names its records. */
export function nodeIdentity(config: Config): NodeIdentity {
  return { actor: `${config.origin}/actors/${config.handle}`, origin: config.origin };
}

/** The record repositories on a database, for reads (writes go through the application layer). */
export function recordRepositories(db: Queryable) {
  return {
    guidelines: createGuidelineRepository(db),
    useCases: createUseCaseRepository(db),
    sharedModels: createSharedModelRepository(db),
    combined: {
      useCaseDetail: (id: string) => readUseCaseDetail(db, id),
      guidelineAndUseCase: (guidelineId: string, useCaseId: string) => readGuidelineAndUseCase(db, guidelineId, useCaseId),
    },
  };
}

/**
 * Loads the demo city's records into a node that has no records of its own yet, through the
 * application layer: the published ones are published as the API would publish them, so
 * followers receive them (from the outbox, in the same transaction as the records).
 */
export async function seedDemoRecords(app: Application, db: Queryable, identity: NodeIdentity, now = new Date()): Promise<boolean> {
  const existing = await recordRepositories(db).guidelines.list({ source: "local" }, { first: 1 });
  if (existing.items.length > 0) return false;
  await app.records.seedRecords(demoRecords({ actor: identity.actor, iri: (kind, slug) => recordIri(identity.origin, kind, slug), now }));
  return true;
}

export type ImportProblem = ImportError;

/**
 * Imports the records of an import file's text (YAML or JSON, schema/import.schema.json) as
 * drafts through the application layer, all or none; the problems (with line and column) when
 * the file has any.
 */
export async function importFile(
  app: Application,
  text: string,
): Promise<{ ok: true; counts: { guidelines: number; useCases: number; models: number } } | { ok: false; problems: ImportProblem[] }> {
  const parsed = parseImportYaml(text);
  if (!parsed.ok) return { ok: false, problems: parsed.errors };
  const drafts = await app.records.importDrafts(parsed.value);
  return { ok: true, counts: { guidelines: drafts.guidelines.length, useCases: drafts.useCases.length, models: drafts.models.length } };
}
