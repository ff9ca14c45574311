import { describe, expect, test } from "@jest/globals";
import { buildClientSchema, buildSchema as buildSdl, getIntrospectionQuery, graphql, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { buildSchema } from "./schema.ts";

// The schema is the API's documentation (issue #14): every type, field, argument, enum value and
// input field carries an English description. This test introspects the schema as a client does
// and names every element without one; it is the CI check.

const builtInScalars = new Set(["String", "Int", "Float", "Boolean", "ID"]);

/** Introspects `schema` (the same query GraphiQL and codegen clients send) and lists every element without a description. */
export async function undescribedElements(schema: GraphQLSchema): Promise<string[]> {
  const result = await graphql({ schema, source: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) });
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join("; "));
  const introspection = result.data as unknown as IntrospectionQuery;
  const missing: string[] = [];
  const described = (text: string | null | undefined, name: string) => typeof text === "string" && text.trim().length > 0 && text.trim() !== name;
  for (const type of introspection.__schema.types) {
    if (type.name.startsWith("__") || (type.kind === "SCALAR" && builtInScalars.has(type.name))) continue;
    if (!described(type.description, type.name)) missing.push(type.name);
    if (type.kind === "OBJECT" || type.kind === "INTERFACE") {
      for (const field of type.fields) {
        if (!described(field.description, field.name)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!described(arg.description, arg.name)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (type.kind === "INPUT_OBJECT")
      for (const field of type.inputFields) if (!described(field.description, field.name)) missing.push(`${type.name}.${field.name}`);
    if (type.kind === "ENUM") for (const value of type.enumValues) if (!described(value.description, value.name)) missing.push(`${type.name}.${value.name}`);
  }
  // The client's view must be a valid schema, too (what tools build from the introspection).
  buildClientSchema(introspection);
  return missing;
}

describe("schema descriptions", () => {
  test("every type, field, argument, enum value and input field of the API is described", async () => {
    const missing = await undescribedElements(await buildSchema());
    expect(missing).toEqual([]);
  });

  test("the check names each kind of undescribed element (it would fail on a new one)", async () => {
    const schema = buildSdl(`
      "Root." type Query { "Described." a(x: Int): Thing b: Kind }
      type Thing { "Described." id: ID! name: String }
      "Kind." enum Kind { "One." ONE TWO }
      "Filter." input Filter { "Described." q: String r: Int }
      "Extra." type Extra { "Extra." f(filter: Filter): Int }
      scalar Day
    `);
    expect((await undescribedElements(schema)).sort()).toEqual(
      ["Day", "Extra.f(filter)", "Filter.r", "Kind.TWO", "Query.a(x)", "Query.b", "Thing", "Thing.name"].sort(),
    );
  });

  test("a description that only repeats the element's name does not count", async () => {
    const schema = buildSdl(`"Query" type Query { "a" a: Int }`);
    expect(await undescribedElements(schema)).toEqual(["Query", "Query.a"]);
  });
});
