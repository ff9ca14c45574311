export * from "./database.ts";
export * from "./data-folder-lock.ts";
export { probeDatabaseWrite, type DatabaseHealth } from "./health.ts";
export { queueBacklogs, type QueueBacklog } from "./queue-backlog.ts";
export { BackupError, dumpDatabase, readBackup, restoreDatabase, RestoreTargetNotEmptyError, type BackupHeader, type RestoreSummary } from "./backup.ts";
export * from "./access-token.repository.ts";
export * from "./federation.repository.ts";
export * from "./guideline.repository.ts";
export * from "./use-case.repository.ts";
export * from "./model.repository.ts";
export { migrate, pendingMigrations, migrationsDirectory, MigrationError, DatabaseTooNewError, type MigrateOptions } from "./migrate.ts";
export { PostgresKvStore } from "./kv-store.ts";
export { createDeliveryStatusReader } from "./delivery-status.ts";
export { CachedKvStore, HOT_FEDIFY_KEY_PREFIXES, type CachedKvStoreOptions } from "./kv-cache.ts";
export {
  PostgresMessageQueue,
  defaultQueueConcurrency,
  queueLanes,
  type PostgresMessageQueueOptions,
  type QueueLane,
  type QueueLanesOptions,
} from "./message-queue.ts";
export * from "./catalog.repository.ts";
export * from "./adoption.repository.ts";
export * from "./network.repository.ts";
export * from "./record-reads.ts";
export * from "./node-settings.repository.ts";
export * from "./actor-profile.repository.ts";
export { createRateLimitStore } from "./rate-limit.repository.ts";
export { createSessionPersistence } from "./session.repository.ts";
export { pgliteTemplate } from "./pglite-template.ts";
export { createDomainEventOutbox, createDomainEventRelayStore } from "./outbox.repository.ts";
export { createUnitOfWork, transactionStores } from "./unit-of-work.ts";
export { createRecordPublicationStore } from "./publication.repository.ts";
export { createDeliveryExpediter, type DeliveryExpediter } from "./delivery-expedite.ts";
