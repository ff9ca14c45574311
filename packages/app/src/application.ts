import type { NodeSettings, UnitOfWork } from "@leitplanken/core";
import { guidelineUses, type GuidelineUses } from "./guideline.uses.ts";
import { importUses, type ImportUses } from "./import.uses.ts";
import { modelUses, type ModelUses } from "./model.uses.ts";
import { reuseUses, type ReuseUses } from "./reuse.uses.ts";
import { transactionRunner } from "./transaction.ts";
import { useCaseUses, type UseCaseUses } from "./use-case.uses.ts";

/** Who this node is: new local records get its provenance, and IRIs under its origin (core `recordIri`). */
export interface NodeIdentity {
  /** Actor IRI of the node's municipality (the Organization actor). */
  actor: string;
  /** The node's public origin, e.g. `https://ki.dortmund.de`. */
  origin: string;
}

export interface ApplicationDeps {
  /** One transaction per use over the record stores and the outbox (`createUnitOfWork(db)` of @leitplanken/db). */
  unitOfWork: UnitOfWork;
  identity: NodeIdentity;
  now?: () => Date;
  /**
   * The node settings in force (an admin's saved ones over the configuration's): the vetting
   * policy, the issuing body of forks, our contact on adopted drafts. Read before a use's
   * transaction starts. Without it: the defaults (four-eyes principle on, nothing of ours).
   */
  settings?: () => Promise<NodeSettings | null>;
  /**
   * Called after a use committed events to the outbox: federation's dispatcher picks them up.
   * It must not wait for delivery; a missed call only delays delivery until the dispatcher's
   * next poll.
   */
  onEventsCommitted?: () => void;
}

/** What the doors of a node (GraphQL, pages, CLI) call to change anything: one function per use. */
export interface Application {
  guidelines: GuidelineUses;
  useCases: UseCaseUses;
  models: ModelUses;
  reuse: ReuseUses;
  records: ImportUses;
}

/** What every use gets from the application. */
export interface UseContext {
  transact: ReturnType<typeof transactionRunner>;
  identity: NodeIdentity;
  now(): Date;
  /** The node settings in force, or null (defaults); never call it inside a transaction. */
  settings(): Promise<NodeSettings | null>;
}

/** Every change goes through here: load, decide with core, save, and write the events, in one transaction. */
export function createApplication(deps: ApplicationDeps): Application {
  const context: UseContext = {
    transact: transactionRunner(deps.unitOfWork, deps.onEventsCommitted),
    identity: deps.identity,
    now: deps.now ?? (() => new Date()),
    settings: deps.settings ?? (async () => null),
  };
  return {
    guidelines: guidelineUses(context),
    useCases: useCaseUses(context),
    models: modelUses(context),
    reuse: reuseUses(context),
    records: importUses(context),
  };
}
