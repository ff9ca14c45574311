import { describe, expect, it } from "@jest/globals";
import { getNamedType, getNullableType, type GraphQLSchema, isInterfaceType, isListType, isObjectType } from "graphql";
import { buildSchema } from "./schema.ts";

// The schema's shape (issue #14), checked on the built schema so a new field is held to it:
// lists of records are connections, and an IRI of something the API has an object for comes with
// that object. What does not (yet) follow is named here with the reason, so the list only shrinks.

/** Lists of records that stay plain lists: closed, small or bounded by the request. */
const plainLists: Record<string, string> = {
  "Query.cities": "the cities this node follows or received records from (tens); priced as 100 items",
  "Query.sharedModels": "a ranking (least energy first) capped at `first` ≤ 100, not a list to page through",
  "Query.nodes": "exactly the ids asked for (≤ 100)",
  "GuidelineComparison.versions": "exactly the versions compared (≤ 20)",
  "Guideline.versions": "one document's versions (a few per year)",
};

/** IRI strings and the object field beside them that a client follows instead. */
const objectBeside: Record<string, string> = {
  "City.actor": "id",
  "Adoption.city": "adoptingCity",
  "CatalogEntry.recordId": "record",
};

/** Strings whose description mentions an IRI without holding one. */
const notIris = new Set(["City.handle"]);

/** IRI strings without an object beside them yet: what a client must still look up with `node(id:)`. */
const iriStringsWithoutObject: Record<string, string> = {
  "CatalogEntry.originCity": "use `record { provenance { city } }`",
  "CatalogViewEntry.recordId": "the record may be on another node; `node(id:)` finds a received copy",
  "CatalogViewEntry.catalogId": "a catalog on another node (no Catalog object for remote catalogs)",
  "CatalogMember.actor": "a member city may not have sent records yet (no City object)",
  "CatalogActor.iri": "a remote moderator, city or catalog",
  "Report.target": "a record or a catalog entry",
  "Report.reporter": "a reporting city that may have sent no records",
  "NotLocalError.originCity": "an error payload: the IRI is enough to name the city",
  "FollowedCity.actor": "a followed city before it sent records has no City object",
  "Follower.actor": "followers are often fediverse accounts, not cities",
  "Model.servedBy": "serving nodes, not necessarily cities this node knows",
  "Maintainer.organisation": "any organisation, not necessarily a city",
  "Coverage.withoutPublishedUseCase": "cities without records here (no City object)",
  "LineageNode.city": "the tree's cities may be unknown to this node",
  "RelatedDocument.iri": "a document anywhere on the web",
  "BaseModel.iri": "a model anywhere on the web (e.g. a model hub)",
  "ModerationLogEntry.target": "an IRI, id or domain name",
  "TrustListEntry.value": "a domain or an actor IRI",
  "CatalogActivitySent.activityId": "an activity, not a record",
  "DeliveryFailure.activityId": "an activity, not a record",
};

function fields(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith("__") && (isObjectType(type) || isInterfaceType(type)))
    .flatMap((type) =>
      Object.values((type as { getFields(): Record<string, import("graphql").GraphQLField<unknown, unknown>> }).getFields()).map((field) => ({ type, field })),
    );
}

describe("schema shape", () => {
  it("pages every list of records as a connection, except the plain lists named here", async () => {
    const schema = await buildSchema();
    const node = schema.getType("Node");
    if (!isInterfaceType(node)) throw new Error("Node is not an interface");
    const lists = fields(schema)
      .filter(({ type, field }) => {
        const named = getNamedType(field.type);
        const isRecord = named === node || ((isObjectType(named) || isInterfaceType(named)) && schema.isSubType(node, named));
        return isListType(getNullableType(field.type)) && isRecord && !(type.name.endsWith("Connection") && field.name === "nodes");
      })
      .map(({ type, field }) => `${type.name}.${field.name}`);
    expect(lists.sort()).toEqual(Object.keys(plainLists).sort());
  });

  it("gives every IRI string an object beside it, except those named here with the reason", async () => {
    const schema = await buildSchema();
    const iriStrings = fields(schema)
      .filter(({ field }) => getNamedType(field.type).name === "String" && /\bIRIs?\b/.test(field.description ?? "") && !field.deprecationReason)
      .filter(({ field }) => !/signed and served|document exactly/.test(field.description ?? ""))
      .map(({ type, field }) => ({ name: `${type.name}.${field.name}`, type }))
      .filter(({ name }) => !notIris.has(name));
    const without: string[] = [];
    for (const { name, type } of iriStrings) {
      const beside = objectBeside[name];
      if (beside !== undefined) {
        const sibling = (type as { getFields(): Record<string, { type: unknown }> }).getFields()[beside];
        expect([name, sibling !== undefined]).toEqual([name, true]);
        continue;
      }
      without.push(name);
    }
    expect(without.sort()).toEqual(Object.keys(iriStringsWithoutObject).sort());
  });
});
