// For tests and benchmarks only (\`@leitplanken/db/testing\`): throwaway databases on each backend
// and generated network records. Not part of db's entry point.
export { testDatabase, storageBackends, type TestDatabase, type TestDatabaseOptions, type StorageBackend } from "../test-database.ts";
export { cityActor, cityHost, cityRecords, principlesPerGuideline, useCasesPerCity } from "../fixtures/network-records.ts";
