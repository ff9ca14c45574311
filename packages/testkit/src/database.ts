// The implementation lives in @leitplanken/db: that package's own tests need it and may not
// import testkit (dependency direction), so testkit passes it on for everyone else.
export { storageBackends, testDatabase, type StorageBackend, type TestDatabase, type TestDatabaseOptions } from "@leitplanken/db/testing";
