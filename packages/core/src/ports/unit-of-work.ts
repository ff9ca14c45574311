import type { DomainEventOutbox } from "./domain-events.ts";
import type { AdoptionRepository } from "./network.ts";
import type { RecordPublicationStore } from "./publications.ts";
import type { GuidelineRepository, SharedModelRepository, UseCaseRepository } from "./records.ts";

/** The stores a use may write to in one transaction; implemented in @leitplanken/db. */
export interface TransactionStores {
  guidelines: GuidelineRepository;
  useCases: UseCaseRepository;
  sharedModels: SharedModelRepository;
  /** What the network sees of our records (written whenever a record is published, republished or withdrawn). */
  publications: RecordPublicationStore;
  /** Our adoption records (published with an adopted use case). */
  adoptions: AdoptionRepository;
  outbox: DomainEventOutbox;
}

/**
 * One database transaction around a use: `run` commits when `work` resolves and rolls back
 * when it throws, so the records and their outbox events are stored together or not at all.
 * Everything inside `work` must go through `stores` (the embedded database serves one
 * transaction at a time: a query outside it would wait for it forever).
 */
export interface UnitOfWork {
  run<T>(work: (stores: TransactionStores) => Promise<T>): Promise<T>;
}
