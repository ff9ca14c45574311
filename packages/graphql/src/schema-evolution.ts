import { readdir, readFile, writeFile } from "node:fs/promises";
import { buildSchema as buildSdlSchema, findBreakingChanges, findDangerousChanges, type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema, schemaDirectory } from "./schema.ts";

/**
 * Schema evolution (issue #14): each release commits its schema as `schema/releases/<version>.graphql`;
 * `schema/CHANGELOG.md` announces, under "Unreleased", every breaking change since the last one
 * (graphql-js's own `findBreakingChanges`, by its description). `schema-evolution.test.ts` fails on
 * an unannounced one; `pnpm schema:release` writes the snapshot when a version is released.
 */
export const releasesDirectory = new URL("releases/", schemaDirectory);
export const schemaChangelog = new URL("CHANGELOG.md", schemaDirectory);

const versionOf = (file: string) =>
  file
    .replace(/\.graphql$/, "")
    .split(".")
    .map(Number);

/** The newest release snapshot: its version and schema. */
export async function lastReleasedSchema(): Promise<{ version: string; schema: GraphQLSchema }> {
  const files = (await readdir(releasesDirectory)).filter((file) => /^\d+\.\d+\.\d+\.graphql$/.test(file));
  const newest = files
    .sort((a, b) => {
      const [x, y] = [versionOf(a), versionOf(b)];
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    })
    .at(-1);
  if (newest === undefined) throw new Error(`no release snapshot in ${releasesDirectory.pathname}`);
  return { version: newest.replace(/\.graphql$/, ""), schema: buildSdlSchema(await readFile(new URL(newest, releasesDirectory), "utf8")) };
}

/** The schema as a release snapshot prints it: sorted, with descriptions, stable across runs. */
export function snapshotOf(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export interface SchemaChange {
  type: string;
  description: string;
}

/** What changed from `before` to `after` that can break a client (breaking) or change what it gets (dangerous). */
export function schemaChanges(before: GraphQLSchema, after: GraphQLSchema): { breaking: SchemaChange[]; dangerous: SchemaChange[] } {
  const plain = ({ type, description }: SchemaChange) => ({ type, description });
  return { breaking: findBreakingChanges(before, after).map(plain), dangerous: findDangerousChanges(before, after).map(plain) };
}

/** The "Unreleased" section of schema/CHANGELOG.md (up to the next `## ` heading). */
export function unreleasedSection(changelog: string): string {
  const start = /^## Unreleased\b/m.exec(changelog);
  if (start === null) return "";
  const rest = changelog.slice(start.index + start[0].length);
  const next = /^## /m.exec(rest);
  return next === null ? rest : rest.slice(0, next.index);
}

/** Breaking changes whose description the changelog's "Unreleased" section does not carry verbatim. */
export function unannounced(breaking: readonly SchemaChange[], changelog: string): SchemaChange[] {
  const section = unreleasedSection(changelog);
  return breaking.filter((change) => !section.includes(change.description));
}

/** `pnpm schema:release`: writes the current schema as the snapshot of the root package.json's version. */
async function release(): Promise<void> {
  const { version } = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  const file = new URL(`${version}.graphql`, releasesDirectory);
  await writeFile(file, snapshotOf(await buildSchema()));
  console.log(`wrote ${file.pathname}; move schema/CHANGELOG.md's "Unreleased" entries under "## ${version}"`);
}

if (import.meta.url === `file://${process.argv[1]}`) await release();
