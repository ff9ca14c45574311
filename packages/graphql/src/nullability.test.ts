// The API's promises against the records it serves: a GraphQL field is non-null exactly when
// the core's schema says every stored record has it. A field the default resolver reads straight
// from a record is checked by no type checker (codegen types only the resolvers we write), so a
// non-null field over an optional record field answers "Cannot return null" – a 500 for the
// whole list – the first time a record lacks it (`UseCase.responsible` on an adopted draft did).
import { beforeAll, describe, expect, it } from "@jest/globals";
import { recordJsonSchemas } from "@leitplanken/core";
import {
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
} from "graphql";
import { buildSchema } from "./schema.ts";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
};

/** A record's field as the test sees it: the schema of its value, and whether every record has it. */
interface RecordField {
  schema: JsonSchema;
  required: boolean;
}

/** GraphQL fields with another name or place in the record: type.field → path in the record. */
const renamed: Record<string, string[]> = {
  "Conformance.guidelineVersionId": ["guidelineVersion"],
  "RuleResult.ruleId": ["rule", "id"],
  "RuleResult.ruleVersion": ["rule", "version"],
  "RuleResult.principleKey": ["principle", "key"],
  "RuleResult.principle": ["principle", "statement"],
  "ModelReference.modelId": ["model"],
};

/**
 * Fields our own resolvers compute (relations, views, derived values): their return types are
 * checked by TypeScript against the generated resolver types, so they need no entry here. A
 * new field that is neither in the record nor listed here fails the test: say which it is.
 */
const computed = new Set([
  "UseCase.adoptedBy", // the network's verified adoptions (same shape as the record's list, checked below)
  "Conformance.guidelineVersion",
  "RuleResult.rule",
  "ModelReference.model",
  "GuidelineVersion.guideline",
  "GuidelineVersion.licenceAllowsFork",
  "GuidelineVersion.forks",
  "GuidelineVersion.upstreamChanges",
  // Links as objects (relations.resolvers.ts): the record holds their IRIs (`supersedes`, `origin`, `adoptedFrom`).
  "GuidelineVersion.supersedesVersion",
  "GuidelineVersion.originVersion",
  "UseCase.adoptedFromUseCase",
  "GuidelineHistoryEntry.guidelineVersion",
  "Principle.ruleIds", // an empty list where the record has none
  "Vetting.fourEyesWaived", // false where the record leaves it out
  "Model.usedBy",
  "GuidelineVersion.signedDocument", // the origin's signed document of a received copy (federation's store)
  "UseCase.signedDocument",
  "Model.signedDocument",
  "UseCase.ruleCheck", // this node's rule check of a received use case, run when read
  // Storage's save counter (optimistic concurrency), loaded beside the record.
  "UseCase.lockVersion",
  "GuidelineVersion.lockVersion",
  "GuidelineVersion.earlierVersions", // `history` as a connection (guideline.resolvers.ts)
  "Model.lockVersion",
  "Catalog.viewerIsModerator",
  // Lists as connections (connections.resolvers.ts `pageOfList`) beside the plain lists.
  "Catalog.memberships",
  "UseCase.adoptions",
  "Catalog.moderationHistory",
  // IRIs as objects (links.resolvers.ts): the record holds the IRIs (`servedBy`, `iri`, `organisation`, `actor`).
  "Model.servingNodes",
  "BaseModel.model",
  "Maintainer.organisationProfile",
  "CatalogMember.city",
  // Closed sets as enums (closed-sets.resolvers.ts): the record's `licence`.
  "GuidelineVersion.licenceId",
  "Model.licenceId",
  "Catalog.members",
  "Catalog.entries",
  "Catalog.reports",
  "Catalog.moderationLog",
  "Catalog.trust",
  "CatalogActor.name",
  "CatalogActor.local",
]);

/** Types whose fields all come from a resolver of their own (mapped, not read from the record). */
const resolvedTypes = new Set(["Provenance", "LocalizedText", "CatalogActor"]);

/** The object branches of a union (`oneOf`: a discriminated union such as an assessment made or not). */
const branches = (schema: JsonSchema): JsonSchema[] => schema.oneOf ?? schema.anyOf ?? [schema];

/** A field of an object or union of objects: present in every branch and required in all of them to count as required. */
function fieldOf(schema: JsonSchema, name: string): RecordField | undefined {
  const objects = branches(schema).filter((branch) => branch.properties !== undefined);
  const holding = objects.filter((branch) => branch.properties?.[name] !== undefined);
  if (holding.length === 0) return undefined;
  const schemas = holding.map((branch) => branch.properties![name]!);
  return {
    schema: schemas.length === 1 ? schemas[0]! : { oneOf: schemas },
    required: holding.length === objects.length && holding.every((branch) => branch.required?.includes(name)),
  };
}

function fieldAt(schema: JsonSchema, path: readonly string[]): RecordField | undefined {
  let current: RecordField = { schema, required: true };
  for (const name of path) {
    const next = fieldOf(current.schema, name);
    if (next === undefined) return undefined;
    current = { schema: next.schema, required: current.required && next.required };
  }
  return current;
}

const allowsNull = (schema: JsonSchema) =>
  branches(schema).some((branch) => branch.type === "null" || (Array.isArray(branch.type) && branch.type.includes("null")));
const isArray = (schema: JsonSchema) => branches(schema).some((branch) => branch.type === "array");

function describeType(type: GraphQLOutputType): string {
  return type.toString();
}

/** Every disagreement between a GraphQL object type and the record schema it serves, recursively. */
function disagreements(schema: GraphQLSchema, type: GraphQLObjectType, record: JsonSchema, seen = new Set<string>()): string[] {
  if (seen.has(type.name) || resolvedTypes.has(type.name)) return [];
  seen.add(type.name);
  const found: string[] = [];
  for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
    const name = `${type.name}.${field.name}`;
    if (computed.has(name)) continue;
    const stored = fieldAt(record, renamed[name] ?? [field.name]);
    if (stored === undefined) {
      found.push(`${name}: not in the record; list it as computed (with the resolver that makes it) or add it to the core schema`);
      continue;
    }
    const alwaysThere = stored.required && !allowsNull(stored.schema);
    if (isNonNullType(field.type) !== alwaysThere) {
      found.push(`${name}: GraphQL ${describeType(field.type)} but the record's field is ${alwaysThere ? "always there" : "optional"}`);
    }
    const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
    if (isListType(inner)) {
      if (!isArray(stored.schema)) found.push(`${name}: a list in GraphQL but not in the record`);
      else if (!isNonNullType(inner.ofType)) found.push(`${name}: list items are never null in the record; make them non-null`);
    }
    const named = getNamedType(field.type);
    if (isObjectType(named) && !resolvedTypes.has(named.name)) {
      const element = isListType(inner) ? (branches(stored.schema).find((branch) => branch.items)?.items ?? {}) : stored.schema;
      found.push(...disagreements(schema, named, element, seen));
    }
  }
  return found;
}

describe("GraphQL nullability against the core's record schemas", () => {
  let schema: GraphQLSchema;
  const records = recordJsonSchemas();
  beforeAll(async () => {
    schema = await buildSchema();
  });

  const roots = [
    ["UseCase", records.useCase],
    ["GuidelineVersion", records.guideline],
    ["Model", records.sharedModel],
    ["Catalog", records.catalog],
    ["CatalogMember", records.catalogMember],
  ] as const;

  it.each(roots)("%s and every type inside it", (typeName, record) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    expect(disagreements(schema, type, record as JsonSchema)).toEqual([]);
  });

  it("finds a disagreement when there is one (the check itself can fail)", () => {
    const type = schema.getType("UseCase") as GraphQLObjectType;
    const withoutContact = {
      ...(records.useCase as JsonSchema),
      required: ((records.useCase as JsonSchema).required ?? []).filter((name) => name !== "contact"),
    };
    expect(disagreements(schema, type, withoutContact)).toContain("UseCase.contact: GraphQL Contact! but the record's field is optional");
  });
});
