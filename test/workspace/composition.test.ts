// Two guards of the workspace's shape (grep-style, on the sources):
// - the packages' production entry points (package.json's "." export) reach no test helpers,
//   fixtures or demo data: those have subpath entries of their own (`@leitplanken/core/demo`,
//   `@leitplanken/db/testing`) or stay inside the package's `src/testing/`;
// - a node is composed in one place, server's `assembleNode` (src/node.ts): no harness, benchmark
//   or test wires Fedify, the queue, the outbox dispatcher, the catch-up, the API or the pages itself.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "@jest/globals";

const root = resolve(import.meta.dirname, "../..");
/** The packages a node runs; testkit is for tests only and may pass test helpers on. */
const productionPackages = readdirSync(join(root, "packages")).filter((name) => name !== "testkit" && statSync(join(root, "packages", name)).isDirectory());

/** Where test helpers, fixtures and demo data live; none of it belongs behind a production entry point. */
const testOnly = /\/(testing|demo|fixtures)\/|test-database\.ts$|\.fixture\.ts$|\.test\.ts$|@leitplanken\/[a-z-]+\/(testing|demo)$/;

/** Every module an entry file re-exports from, followed through the package's own files. */
function reexportedModules(entry: string, seen = new Set<string>()): string[] {
  if (seen.has(entry)) return [];
  seen.add(entry);
  const source = readFileSync(entry, "utf8");
  const targets = [...source.matchAll(/^export\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+"([^"]+)"/gm)].map((match) => match[1]!);
  return targets.flatMap((target) => {
    if (!target.startsWith(".")) return [target];
    const file = resolve(dirname(entry), target);
    return [relative(root, file), ...reexportedModules(file, seen)];
  });
}

/** TypeScript sources under a folder, without node_modules. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("production entry points", () => {
  it.each(productionPackages)("@leitplanken/%s exports no test helpers, fixtures or demo data", (name) => {
    const manifest = JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8")) as { exports: Record<string, string> };
    const entry = resolve(root, "packages", name, manifest.exports["."]!);
    const modules = reexportedModules(entry);
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((module) => testOnly.test(module))).toEqual([]);
  });

  it("finds a test helper behind an entry point (the guard itself works)", () => {
    expect(testOnly.test("packages/db/src/test-database.ts")).toBe(true);
    expect(testOnly.test("packages/core/src/demo/demo-records.ts")).toBe(true);
    expect(testOnly.test("@leitplanken/db/testing")).toBe(true);
    expect(testOnly.test("packages/db/src/kv-store.ts")).toBe(false);
  });
});

describe("one composition of a node", () => {
  /** The building blocks of a node; only server's assembleNode puts them together. */
  const buildingBlocks =
    /\b(createFederation|createFederationMiddleware|createRecordRoutes|createGraphQLApi|createWebRouter|createDomainEventDispatcher|runCatchUp|queueLanes)\(|\.startQueue\(/;
  /** Files that use a building block on purpose, and why. */
  const allowed: Record<string, string> = {
    "packages/server/src/node.ts": "assembleNode itself",
    "test/federation/node.test.ts": "builds a second federation on a running node's deps to show its keys persist",
  };
  const files = [...sources(join(root, "test")), ...sources(join(root, "packages/server/src")), ...sources(join(root, "packages/testkit/src"))].map((file) =>
    relative(root, file),
  );

  it("no harness, benchmark or test wires a node itself", () => {
    const composing = files.filter((file) => !(file in allowed) && buildingBlocks.test(readFileSync(join(root, file), "utf8")));
    expect(composing).toEqual([]);
  });

  it("every harness and the benchmarks' node start a node through assembleNode", () => {
    const harnesses = files.filter((file) => /^test\/.*(harness|-node)\.ts$/.test(file) || file === "packages/server/src/bench/bench-node.ts");
    expect(harnesses.length).toBeGreaterThanOrEqual(5);
    const elsewhere = harnesses.filter((file) => {
      const source = readFileSync(join(root, file), "utf8");
      return !source.includes("assembleNode(") && !source.includes('from "../federation/harness.ts"');
    });
    expect(elsewhere).toEqual([]);
  });
});
