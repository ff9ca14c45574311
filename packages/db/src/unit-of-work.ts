import type { TransactionStores, UnitOfWork } from "@leitplanken/core";
import { createAdoptionRepository } from "./adoption.repository.ts";
import type { Database, Queryable } from "./database.ts";
import { createGuidelineRepository } from "./guideline.repository.ts";
import { createSharedModelRepository } from "./model.repository.ts";
import { createDomainEventOutbox } from "./outbox.repository.ts";
import { createRecordPublicationStore } from "./publication.repository.ts";
import { createUseCaseRepository } from "./use-case.repository.ts";

/** The stores of one transaction (or of the database outside one). */
export function transactionStores(db: Queryable): TransactionStores {
  return {
    guidelines: createGuidelineRepository(db),
    useCases: createUseCaseRepository(db),
    sharedModels: createSharedModelRepository(db),
    publications: createRecordPublicationStore(db),
    adoptions: createAdoptionRepository(db),
    outbox: createDomainEventOutbox(db),
  };
}

/** Core's UnitOfWork on our database: each `run` is one transaction over every store. */
export function createUnitOfWork(db: Database): UnitOfWork {
  return { run: (work) => db.transaction((tx) => work(transactionStores(tx))) };
}
