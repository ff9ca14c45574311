import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";

/**
 * Arguments for any field of the schema, generated from the schema itself (tests that must
 * cover every query and mutation, today's and tomorrow's: the permission matrix, the fuzzer).
 */

/** A plain, valid value of a scalar: what a well-behaved client would send. */
export function plainScalar(name: string): unknown {
  switch (name) {
    case "Int":
      return 1;
    case "Float":
      return 1.5;
    case "Boolean":
      return false;
    case "DateTime":
      return "2026-11-25T10:00:00.000Z";
    case "Date":
      return "2026-11-25";
    case "ID":
    case "IRI":
    case "URL":
      return "https://ki.nowhere.example/records/00000000-0000-4000-8000-000000000000";
    default:
      return "https://ki.nowhere.example/x";
  }
}

/**
 * A value that passes GraphQL's own validation for `type`: required fields and list items
 * filled with plain values, optional ones left out (`full` fills them too).
 */
export function validValue(type: GraphQLInputType, options: { full?: boolean; scalar?: (name: string) => unknown } = {}, depth = 0): unknown {
  const scalar = options.scalar ?? plainScalar;
  if (isNonNullType(type)) return validValue(type.ofType, options, depth);
  if (isListType(type)) return [validValue(type.ofType, options, depth + 1)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isScalarType(type)) return scalar(type.name);
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (required || (options.full && depth < 4)) value[field.name] = validValue(field.type, options, depth + 1);
    }
    return value;
  }
  throw new Error(`unexpected input type ${String(type)}`);
}

/** The required arguments of a field (optional ones are left to their defaults). */
export function requiredArguments(field: GraphQLField<unknown, unknown>): GraphQLArgument[] {
  return field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
}

/**
 * Argument sets that cover a field's choices: every value of each top-level enum argument and
 * each optional top-level argument left out and given (at most `limit` sets).
 */
export function argumentVariants(field: GraphQLField<unknown, unknown>, limit = 64): { args: GraphQLArgument[]; values: Record<string, unknown> }[] {
  let variants: { args: GraphQLArgument[]; values: Record<string, unknown> }[] = [{ args: [], values: {} }];
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    const named = getNamedType(arg.type);
    const choices: unknown[] =
      isEnumType(named) && !isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type)
        ? named.getValues().map((value) => value.name)
        : [validValue(arg.type)];
    const next: typeof variants = [];
    for (const variant of variants) {
      if (!required) next.push(variant);
      for (const choice of choices) next.push({ args: [...variant.args, arg], values: { ...variant.values, [arg.name]: choice } });
    }
    variants = next.slice(0, limit);
  }
  return variants;
}

/**
 * An operation that calls one field with its arguments as variables and selects only
 * `__typename`, so it is valid whatever the field returns (objects, unions, interfaces).
 */
export function operationFor(
  kind: "query" | "mutation",
  field: GraphQLField<unknown, unknown>,
  args: readonly GraphQLArgument[] = requiredArguments(field),
): { query: string; variableTypes: Record<string, GraphQLInputType> } {
  const variables = args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`);
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? "" : " { __typename }";
  const query = `${kind}${variables.length ? `(${variables.join(", ")})` : ""} { ${field.name}${passed.length ? `(${passed.join(", ")})` : ""}${selection} }`;
  return { query, variableTypes: Object.fromEntries(args.map((arg) => [arg.name, arg.type])) };
}

export function mutationFields(schema: GraphQLSchema): GraphQLField<unknown, unknown>[] {
  return Object.values(schema.getMutationType()?.getFields() ?? {});
}

export function queryFields(schema: GraphQLSchema): GraphQLField<unknown, unknown>[] {
  return Object.values(schema.getQueryType()?.getFields() ?? {});
}
