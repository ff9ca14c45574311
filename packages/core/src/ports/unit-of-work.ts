import type { DomainEventOutbox } from "./domain-events.ts";
import type { GuidelineRepository, SharedModelRepository, UseCaseRepository } from "./records.ts";

/** The stores a use may write to in one transaction; implemented in @leitplanken/db. */
export interface TransactionStores {
  guidelines: GuidelineRepository;
  useCases: UseCaseRepository;
  sharedModels: SharedModelRepository;
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
