import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import { guidelineFieldLimits, sharedModelFieldLimits, useCaseFieldLimits, type FieldLimit } from "@leitplanken/core";
import { getNamedType, type GraphQLInputObjectType, isInputObjectType } from "graphql";
import { buildSchema } from "./schema.ts";

/** How a field's description states its limit ("At most 2,000 characters per language."). */
function limitNote(limit: FieldLimit): string {
  return `At most ${limit.max.toLocaleString("en")} ${limit.unit}${limit.path.endsWith(".*") ? " per language" : ""}.`;
}

const roots = [
  ["UseCaseInput", useCaseFieldLimits],
  ["GuidelineInput", guidelineFieldLimits],
  ["ModelInput", sharedModelFieldLimits],
] as const;

describe("the API states every field limit of core's records", () => {
  it.each(roots)("%s: each limited input field's description gives its limit", async (root, limits) => {
    const schema = await buildSchema();
    const missing: string[] = [];
    for (const limit of limits) {
      let type = schema.getType(root) as GraphQLInputObjectType;
      const segments = limit.path.replace(/\.\*$/, "").split(".");
      segments.forEach((segment, index) => {
        const field = type.getFields()[segment.replace(/\[\]$/, "")];
        if (!field) throw new Error(`${root} has no input field for ${limit.path} (at ${segment})`);
        if (index === segments.length - 1) {
          if (!field.description?.includes(limitNote(limit))) missing.push(`${type.name}.${field.name}: "${limitNote(limit)}"`);
        } else {
          const next = getNamedType(field.type);
          if (!isInputObjectType(next)) throw new Error(`${limit.path}: ${segment} is not an input object`);
          type = next;
        }
      });
    }
    expect(missing).toEqual([]);
  });

  it("packages/core/README.md has each limit in its table", async () => {
    const readme = await readFile(new URL("../../core/README.md", import.meta.url), "utf8");
    const missing = roots.flatMap(([root, limits]) =>
      limits
        .filter((limit) => !readme.includes(`| ${root} | \`${limit.path}\` | ${limit.max.toLocaleString("en")} ${limit.unit} |`))
        .map((limit) => `${root} ${limit.path}`),
    );
    expect(missing).toEqual([]);
  });
});
