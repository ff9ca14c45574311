import { outboxNotingAppends, type TransactionStores, type UnitOfWork } from "@leitplanken/core";

/** Thrown inside a transaction to roll it back and hand `result` to the caller. */
class Rollback<R> {
  readonly result: R;
  constructor(result: R) {
    this.result = result;
  }
}

export interface Transaction<R> {
  /** Rolls back everything written so far in this use and returns `result`: nothing half-written stays behind. */
  abort(result: R): never;
}

export interface TransactionRunner {
  /**
   * Runs a use in one transaction. When the use appended events and the transaction committed,
   * `onEventsCommitted` is called (federation's dispatcher wakes up); the caller does not wait
   * for any delivery.
   */
  <R>(work: (stores: TransactionStores, transaction: Transaction<R>) => Promise<R>): Promise<R>;
}

export function transactionRunner(unitOfWork: UnitOfWork, onEventsCommitted: () => void = () => {}): TransactionRunner {
  return async <R>(work: (stores: TransactionStores, transaction: Transaction<R>) => Promise<R>): Promise<R> => {
    let appended = 0;
    const transaction: Transaction<R> = {
      abort(result) {
        throw new Rollback(result);
      },
    };
    let result: R;
    try {
      result = await unitOfWork.run((stores) => work({ ...stores, outbox: outboxNotingAppends(stores.outbox, () => appended++) }, transaction));
    } catch (error) {
      if (error instanceof Rollback) return error.result as R;
      throw error;
    }
    if (appended > 0) onEventsCommitted();
    return result;
  };
}
