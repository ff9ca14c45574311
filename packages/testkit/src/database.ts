import { testDatabase } from "@leitplanken/db/testing";

// The implementation lives in @leitplanken/db: that package's own tests need it and may not
// import testkit (dependency direction), so testkit passes it on for everyone else.
export { storageBackends, testDatabase, type StorageBackend, type TestDatabase, type TestDatabaseOptions } from "@leitplanken/db/testing";

/**
 * Fills a new (or empty) PGlite data folder with a migrated database from testDatabase's template
 * and closes it, so that a node, the CLI or a `serve` process opens it as an existing node's folder:
 * under a second instead of initdb and the migrations of a first start (3 s, 20 s and more on a
 * busy machine). Tests of the first start itself leave their folder empty. Returns the folder.
 */
export async function migratedDataFolder(folder: string): Promise<string> {
  await (await testDatabase({ backend: "pglite", dataDir: folder })).close();
  return folder;
}
