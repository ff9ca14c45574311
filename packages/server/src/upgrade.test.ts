import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migrate, migrationsDirectory, openDatabase } from "@leitplanken/db";
import { runCli } from "@leitplanken/testkit";
import { softwareVersion } from "./version.ts";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "leitplanken-upgrade-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The next minor version after ours, e.g. 0.1.0 → 0.2.0. */
function nextVersion(version: string): string {
  const [major, minor] = version.split(".").map(Number);
  return `${major}.${minor! + 1}.0`;
}

describe("a database migrated by a newer version", () => {
  it("--version prints the version of the root package.json", async () => {
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(softwareVersion);
    expect(softwareVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("is refused by serve and migrate with one line, and left as it was", async () => {
    // The next version: our migrations plus one more, recorded as applied by that version.
    const future = join(scratch, "migrations-of-the-next-version");
    await cp(migrationsDirectory, future, { recursive: true });
    const extra = (await readdir(future))
      .sort()
      .at(-1)!
      .replace(/^(\d+).*$/, (_, n: string) => `${String(Number(n) + 1).padStart(n.length, "0")}z_next_version.sql`);
    await writeFile(join(future, extra), "CREATE TABLE only_in_the_next_version (id int);");
    const dataDir = join(scratch, "node");
    const db = await openDatabase({ dataDir });
    await migrate(db, { directory: future, softwareVersion: nextVersion(softwareVersion) });
    await db.close();

    for (const command of ["serve", "migrate"]) {
      const result = await runCli([command], { LEITPLANKEN_DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `The database was migrated by a newer version of Leitplanken ${nextVersion(softwareVersion)} (this is ${softwareVersion}); ` +
          `it holds migrations this version does not know: ${extra}. Start that version or a newer one, or restore the backup taken before the upgrade.`,
      );
    }

    const after = await openDatabase({ dataDir });
    try {
      const { rows } = await after.query<{ name: string; software_version: string | null }>(
        "SELECT name, software_version FROM schema_migrations WHERE software_version IS DISTINCT FROM $1",
        [nextVersion(softwareVersion)],
      );
      expect(rows).toEqual([]);
    } finally {
      await after.close();
    }
    // A first start on a new folder (initdb in WebAssembly) and two CLI runs: over 60 s on a busy machine.
  }, 300_000);
});
