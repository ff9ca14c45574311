import type { UnitOfWork } from "@leitplanken/core";
import { guidelineUses, type GuidelineUses } from "./guideline.uses.ts";
import { transactionRunner } from "./transaction.ts";

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
   * Called after a use committed events to the outbox: federation's dispatcher picks them up.
   * It must not wait for delivery; a missed call only delays delivery until the dispatcher's
   * next poll.
   */
  onEventsCommitted?: () => void;
}

/** What the doors of a node (GraphQL, pages, CLI) call to change anything: one function per use. */
export interface Application {
  guidelines: GuidelineUses;
}

/** Every change goes through here: load, decide with core, save, and write the events, in one transaction. */
export function createApplication(deps: ApplicationDeps): Application {
  const context = { transact: transactionRunner(deps.unitOfWork, deps.onEventsCommitted), identity: deps.identity, now: deps.now ?? (() => new Date()) };
  return {
    guidelines: guidelineUses(context),
  };
}

/** What every use gets from the application. */
export interface UseContext {
  transact: ReturnType<typeof transactionRunner>;
  identity: NodeIdentity;
  now(): Date;
}
