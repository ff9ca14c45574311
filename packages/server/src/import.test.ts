import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { openDatabase } from "@leitplanken/db";
import { repositoryRoot, runCli } from "@leitplanken/testkit";

let scratch: string;
let env: Record<string, string>;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "leitplanken-import-"));
  env = { LEITPLANKEN_DATA_DIR: join(scratch, "node") };
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function countUseCases(): Promise<number> {
  const db = await openDatabase({ dataDir: env.LEITPLANKEN_DATA_DIR });
  try {
    const { rows } = await db.query<{ n: number }>("SELECT count(*) AS n FROM use_cases");
    return rows[0]!.n;
  } finally {
    await db.close();
  }
}

it("imports the documented example file as drafts", async () => {
  const result = await runCli(["import", join(repositoryRoot, "schema/examples/import.example.yaml")], env);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("Imported 0 guideline(s), 1 use case(s), 0 model(s) as drafts.");
  expect(await countUseCases()).toBe(1);
});

it("reports all three errors of a file with their line numbers and stores nothing", async () => {
  const example = await readFile(join(repositoryRoot, "schema/examples/import.example.yaml"), "utf8");
  const broken = example
    .replace("    department: Bürgerdienste\n", "    department: Bürgerdienste\n    colour: blue\n")
    .replace("status: pilot", "status: testing")
    .replace("      automationLevel: information-only", "      automationLevel: fully-automatic");
  const file = join(scratch, "broken.yaml");
  await writeFile(file, broken);
  const brokenLines = broken.split("\n");
  const lineOf = (text: string) => brokenLines.findIndex((line) => line.includes(text)) + 1;

  const result = await runCli(["import", file], env);
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines[0]).toBe("3 problem(s); nothing was imported:");
  expect(lines.slice(1).map((line) => line.slice(0, line.indexOf(":", file.length + 1 + 4)))).toEqual([
    `${file}:${lineOf("colour: blue")}:5 useCases[0].colour`,
    `${file}:${lineOf("status: testing")}:5 useCases[0].status`,
    `${file}:${lineOf("fully-automatic")}:7 useCases[0].decisionProcess.automationLevel`,
  ]);
  expect(await countUseCases()).toBe(1);
});

it("names a file it cannot read", async () => {
  const result = await runCli(["import", join(scratch, "missing.yaml")], env);
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe(`Cannot read ${join(scratch, "missing.yaml")}: ENOENT`);
});
