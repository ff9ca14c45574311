// Every GraphQL operation the web pages send, checked against the node's schema: valid, and
// without a deprecated field, argument, input field or enum value (graphql-js's
// NoDeprecatedCustomRule), so the pages move to a replacement before a release removes the old
// field (schema/CHANGELOG.md). The operations are the string exports of packages/web/src that
// parse as documents with an operation; a source file that writes more operations than it exports
// fails the test too, so none escapes the check.
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import { buildSchema } from "@leitplanken/graphql";
import { Kind, NoDeprecatedCustomRule, parse, specifiedRules, validate, type DocumentNode } from "graphql";

const webSource = new URL("../../packages/web/src/", import.meta.url);

/** The operations a module exports (as strings, or as the values of an exported object of them), by export name. */
function exportedOperations(module: Record<string, unknown>): Map<string, DocumentNode> {
  const operations = new Map<string, DocumentNode>();
  const entries = Object.entries(module).flatMap(([name, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value).map(([key, inner]) => [`${name}.${key}`, inner] as const)
      : [[name, value] as const],
  );
  for (const [name, value] of entries) {
    if (typeof value !== "string" || !/^\s*(query|mutation)\b/.test(value)) continue;
    const document = parse(value);
    if (document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) operations.set(name, document);
  }
  return operations;
}

/**
 * The deprecated fields a page still reads, each with why. The staff edit forms send the whole
 * record back (`updateGuidelineVersion`, `updateUseCase` replace it), so they must read the IRI of
 * a fork's origin and of an adopted use case as it is stored: the object fields that replace them
 * (`originVersion`, `adoptedFromUseCase`) are null when this node no longer holds that record, and
 * saving the form would then drop the link. They go once the API offers the IRI another way or the
 * forms save through a patch that cannot drop links. An entry no longer needed fails the test.
 */
const stillNeeded = new Map([
  ["staff.queries.ts guidelineContentQuery: GuidelineVersion.origin", "the guideline form sends `origin` back on save"],
  ["staff.queries.ts useCaseContentQuery: UseCase.adoptedFrom", "the use case form sends `adoptedFrom` back on save"],
]);

/** How many operations a source file writes: `query`/`mutation` at the start of a string literal. */
const writtenOperations = (source: string) => source.match(/[`"]\s*(?:query|mutation)\b(?=\s*[A-Za-z_({$])/g)?.length ?? 0;

describe("the web pages' GraphQL operations", () => {
  it("are valid against the schema and use no deprecated field, argument or enum value", async () => {
    const schema = await buildSchema();
    const files = (await readdir(webSource)).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts")).sort();
    const problems: string[] = [];
    const used = new Set<string>();
    let checked = 0;
    for (const file of files) {
      const url = new URL(file, webSource);
      const operations = exportedOperations((await import(url.href)) as Record<string, unknown>);
      const written = writtenOperations(await readFile(url, "utf8"));
      if (written > operations.size)
        problems.push(`${file}: writes ${written} operations but exports ${operations.size}; export each one so this test sees it`);
      for (const [name, document] of operations) {
        checked += 1;
        for (const error of validate(schema, document, [...specifiedRules, NoDeprecatedCustomRule])) {
          const deprecated = /^The field (\w+\.\w+) is deprecated/.exec(error.message)?.[1];
          const key = `${file} ${name}: ${deprecated}`;
          if (deprecated && stillNeeded.has(key)) used.add(key);
          else problems.push(`${file} ${name}: ${error.message}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(problems).toEqual([]);
    expect([...stillNeeded.keys()].filter((key) => !used.has(key))).toEqual([]);
  });
});
