import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { isoDateSchema, isoDateTimeSchema } from "@leitplanken/core";

type StringSchema = { safeParse(value: unknown): { success: true; data: string } | { success: false }; _zod: { pattern: RegExp } };

/** ISO strings in and out (the core keeps dates as strings), checked with the core's own formats. */
function isoStringScalar(name: string, description: string, schema: StringSchema, example: string): GraphQLScalarType<string, string> {
  const parse = (value: unknown): string => {
    const result = schema.safeParse(value);
    if (!result.success) throw new GraphQLError(`${name} must be an ISO 8601 string such as ${example}.`);
    return result.data;
  };
  // The format's own pattern (all the check there is for a string): a tree of 200 forks serializes
  // hundreds of dates, and a parse costs several times the test.
  const { pattern } = schema._zod;
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => (typeof value === "string" && pattern.test(value) ? value : parse(value)),
    parseValue: parse,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string such as ${example}.`, { nodes: ast });
      return parse(ast.value);
    },
  });
}

export const DateTimeScalar = isoStringScalar("DateTime", "An ISO 8601 timestamp with time zone.", isoDateTimeSchema, "2026-11-25T10:00:00Z");
export const DateScalar = isoStringScalar("Date", "A calendar date, ISO 8601 YYYY-MM-DD.", isoDateSchema, "2026-11-25");
