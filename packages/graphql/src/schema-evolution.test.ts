import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import { buildSchema as buildSdlSchema } from "graphql";
import { buildSchema } from "./schema.ts";
import { lastReleasedSchema, schemaChangelog, schemaChanges, unannounced } from "./schema-evolution.ts";

// The CI check for schema evolution (issue #14): nodes of different versions federate and clients
// are built against a release, so a change that can break a client is made only when
// schema/CHANGELOG.md announces it. graphql-js's own findBreakingChanges compares the current
// schema with the last release's committed snapshot (schema/releases/).

describe("schema evolution", () => {
  it('announces every breaking change since the last release in schema/CHANGELOG.md (copy the description into "Unreleased")', async () => {
    const { schema: released } = await lastReleasedSchema();
    const { breaking } = schemaChanges(released, await buildSchema());
    expect(unannounced(breaking, await readFile(schemaChangelog, "utf8"))).toEqual([]);
  });

  it("gives every deprecated field a reason that names what to use instead", async () => {
    const schema = await buildSchema();
    const vague: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || !("getFields" in type)) continue;
      for (const field of Object.values(type.getFields())) {
        const reason = "deprecationReason" in field ? field.deprecationReason : undefined;
        if (reason !== undefined && reason !== null && !/`[^`]+`/.test(reason)) vague.push(`${type.name}.${field.name}: ${reason}`);
      }
    }
    expect(vague).toEqual([]);
  });

  it("catches a removed field, a narrowed argument and a changed type, and accepts them once announced", () => {
    const before = buildSdlSchema(`type Query { city(id: ID): City cities: [City!]! } type City { id: ID! name: String }`);
    const after = buildSdlSchema(`type Query { city(id: ID!): City cities: [City] } type City { id: ID! }`);
    const { breaking, dangerous } = schemaChanges(before, after);
    expect(breaking.map((change) => change.type).sort()).toEqual(["ARG_CHANGED_KIND", "FIELD_CHANGED_KIND", "FIELD_REMOVED"]);
    expect(dangerous).toEqual([]);
    expect(unannounced(breaking, "# Schema changelog\n\n## Unreleased\n\n- nothing\n")).toHaveLength(3);
    const changelog = `## Unreleased\n\n${breaking.map((change) => `- ${change.description}`).join("\n")}\n\n## 0.1.0\n`;
    expect(unannounced(breaking, changelog)).toEqual([]);
    // Announced under an older release does not count.
    expect(unannounced(breaking, `## Unreleased\n\n## 0.1.0\n\n${breaking.map((change) => `- ${change.description}`).join("\n")}\n`)).toHaveLength(3);
  });

  it("sees an additive change as neither breaking nor dangerous, and a new enum value as dangerous", () => {
    const before = buildSdlSchema(`type Query { a: Int e: E } enum E { X }`);
    expect(schemaChanges(before, buildSdlSchema(`type Query { a: Int b: String e: E } enum E { X }`))).toEqual({ breaking: [], dangerous: [] });
    expect(schemaChanges(before, buildSdlSchema(`type Query { a: Int e: E } enum E { X Y }`)).dangerous.map((change) => change.type)).toEqual([
      "VALUE_ADDED_TO_ENUM",
    ]);
  });
});
