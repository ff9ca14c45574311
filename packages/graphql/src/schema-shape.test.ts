import { describe, expect, it } from "@jest/globals";
import { getNamedType, getNullableType, type GraphQLSchema, isInterfaceType, isListType, isObjectType, isUnionType } from "graphql";
import { buildSchema } from "./schema.ts";

// The schema's shape (issue #14), checked on the built schema so a new field is held to it:
// lists of objects are connections of the one shape, and an IRI of something the API has an object for comes with
// that object. What does not (yet) follow is named here with the reason, so the list only shrinks.

/** Lists that stay plain lists because they are closed and small: parts of one record or answer, or bounded by the request. */
const closedLists: Record<string, string> = {
  "Query.nodes": "exactly the ids asked for (≤ 100)",
  "Query.rules": "the rule catalog of this version of Leitplanken (tens, changes with a release)",
  "GuidelineComparison.versions": "exactly the versions compared (≤ 20)",
  "GuidelineComparison.rows": "one row per aligned principle of the compared versions (bounded by their principles)",
  "PrincipleMatrixRow.cells": "one cell per compared version (≤ 20)",
  "GuidelineDiff.principles": "the principles of two versions (bounded by a guideline's principles)",
  "GuidelineDiff.sections": "the sections of two versions (bounded by a guideline's sections)",
  "PrincipleChange.statementDiff": "the words of one statement (bounded by its length limit)",
  "SectionChange.bodyDiff": "the words of one section (bounded by its length limit)",
  "GuidelineVersion.principles": "part of one record (bounded by the record's limits)",
  "GuidelineVersion.sections": "part of one record (bounded by the record's limits)",
  "GuidelineVersion.consulted": "part of one record (bounded by the record's limits)",
  "GuidelineVersion.relatedDocuments": "part of one record (bounded by the record's limits)",
  "UseCase.models": "part of one record (bounded by the record's limits)",
  "UseCase.datasets": "part of one record (bounded by the record's limits)",
  "UseCase.suppliers": "part of one record (bounded by the record's limits)",
  "Risk.risks": "part of one record (bounded by the record's limits)",
  "Model.evaluation": "part of one record (bounded by the record's limits)",
  "Model.maintainers": "part of one record (bounded by the record's limits)",
  "Model.servingNodes": "part of one record (`servedBy`, bounded by the record's limits)",
  "Catalog.moderators": "part of one catalog's settings (bounded by its limits)",
  "ConformanceReport.results": "one result per rule (the rule catalog: tens)",
  "Conformance.results": "one result per rule (the rule catalog: tens)",
  "RuleCheck.results": "one result per rule (the rule catalog: tens)",
  "CatalogRuleCheck.results": "one result per rule (the rule catalog: tens)",
  "RuleViolationsError.results": "one result per rule (the rule catalog: tens)",
  "FailingUseCase.violations": "one result per rule (the rule catalog: tens)",
  "FailingUseCase.warnings": "one result per rule (the rule catalog: tens)",
  "ValidationError.fieldErrors": "the fields of one input (bounded by the input's shape)",
  "EnergyStatistics.distribution": "fixed buckets",
  "NetworkStatistics.riskClasses": "one share per risk class (an enum)",
  "CitizenFacingAutomation.levels": "one share per automation level (an enum)",
  "SovereigntyStatistics.modelHosting": "one share per hosting kind (an enum)",
  "SovereigntyStatistics.useCaseHosting": "one share per hosting kind (an enum)",
  "NetworkStatistics.modelReuse": "a top list capped at `first` ≤ 100, not a list to page through",
  "DeliveryState.permanentFailures": "the newest failures of one follower, capped at `first` ≤ 100",
  "LineageNode.versions": "one document's versions in a fork tree (a few per year)",
  "UpstreamChanges.newerVersions": "the origin document's versions after the fork (a few per year)",
  "Query.actorProfiles": "exactly the actor IRIs asked for (≤ 200)",
};

/** IRI strings and the object field beside them that a client follows instead. */
const objectBeside: Record<string, string> = {
  "City.actor": "id",
  "Adoption.city": "adoptingCity",
  "CatalogEntry.recordId": "record",
  "CatalogEntry.originCity": "city",
  "CatalogViewEntry.recordId": "record",
  "CatalogViewEntry.catalogId": "catalogProfile",
  "CatalogMember.actor": "city",
  "CatalogActor.iri": "profile",
  "Report.target": "targetRecord",
  "Report.reporter": "reporterProfile",
  "NotLocalError.originCity": "city",
  "FollowedCity.actor": "city",
  "Follower.actor": "profile",
  "Model.servedBy": "servingNodes",
  "Maintainer.organisation": "organisationProfile",
  "Coverage.withoutPublishedUseCase": "citiesWithoutPublishedUseCase",
  "LineageNode.city": "publishingCity",
  "BaseModel.iri": "model",
  "ModerationLogEntry.target": "concerns",
  "TrustListEntry.value": "actorProfile",
};

/** Strings whose description mentions an IRI without holding one. */
const notIris = new Set(["City.handle"]);

/** IRI strings of things the API has no object type for: there is nothing to follow but the IRI. */
const iriStringsWithoutObject: Record<string, string> = {
  "RelatedDocument.iri": "a document anywhere on the web (a law, a council decision): not a register record",
  "CatalogActivitySent.activityId": "an ActivityPub activity this node sent: activities are not records the API describes",
  "DeliveryFailure.activityId": "an ActivityPub activity that could not be delivered: activities are not records the API describes",
};

function fields(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith("__") && (isObjectType(type) || isInterfaceType(type)))
    .flatMap((type) =>
      Object.values((type as { getFields(): Record<string, import("graphql").GraphQLField<unknown, unknown>> }).getFields()).map((field) => ({ type, field })),
    );
}

describe("schema shape", () => {
  it("pages every list of objects as a connection, except the closed lists named here with the reason", async () => {
    const schema = await buildSchema();
    const lists = fields(schema)
      .filter(({ type, field }) => {
        const named = getNamedType(field.type);
        const ofObjects = isObjectType(named) || isInterfaceType(named) || isUnionType(named);
        const connectionPart = type.name.endsWith("Connection") && (field.name === "nodes" || field.name === "edges");
        // Deprecated lists are announced for removal beside the connection that replaces them.
        return isListType(getNullableType(field.type)) && ofObjects && !connectionPart && !field.deprecationReason;
      })
      .map(({ type, field }) => `${type.name}.${field.name}`);
    expect(lists.sort()).toEqual(Object.keys(closedLists).sort());
  });

  it("gives every connection the one shape: nodes, edges with cursors, pageInfo, totalCount and first/after/last/before on its fields", async () => {
    const schema = await buildSchema();
    const connections = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && type.name.endsWith("Connection"));
    expect(connections.length).toBeGreaterThan(10);
    for (const connection of connections) {
      expect([connection.name, Object.keys((connection as { getFields(): Record<string, unknown> }).getFields()).sort()]).toEqual([
        connection.name,
        ["edges", "nodes", "pageInfo", "totalCount"],
      ]);
    }
    const pagedFields = fields(schema).filter(({ field }) => getNamedType(field.type).name.endsWith("Connection"));
    for (const { type, field } of pagedFields) {
      expect([`${type.name}.${field.name}`, ["first", "after", "last", "before"].every((name) => field.args.some((arg) => arg.name === name))]).toEqual([
        `${type.name}.${field.name}`,
        true,
      ]);
    }
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
