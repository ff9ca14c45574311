import { describe, expect, it } from "@jest/globals";
import { type CatalogServiceError, fieldErrorCodes, licences, recordActions } from "@leitplanken/core";
import { isEnumType } from "graphql";
import { catalogRefusals, recordStates } from "./enum-values.ts";
import { catalogServiceError } from "./payload-errors.ts";
import { buildSchema } from "./schema.ts";

// Closed sets as enums (issue #14): each enum holds exactly the core's values, so a value the
// core adds cannot reach a client as an unknown string or fail to serialise.

const internalValues = async (name: string) => {
  const type = (await buildSchema()).getType(name);
  if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
  return type.getValues().map((value) => value.value as string);
};

describe("closed sets as enums", () => {
  it("spells every licence the core knows as a Licence value", async () => {
    expect((await internalValues("Licence")).sort()).toEqual(Object.keys(licences).sort());
  });

  it("names every state a refused action can meet as a RecordState", async () => {
    expect((await internalValues("RecordState")).sort()).toEqual([...recordStates].sort());
  });

  it("spells every field error code and every refused action of the core as FieldErrorCode and RecordAction", async () => {
    expect((await internalValues("FieldErrorCode")).sort()).toEqual([...fieldErrorCodes].sort());
    expect((await internalValues("RecordAction")).sort()).toEqual([...recordActions].sort());
  });

  it("answers each of the catalog service's plain refusals as CatalogRefusedError with its CatalogRefusal", async () => {
    expect((await internalValues("CatalogRefusal")).sort()).toEqual([...catalogRefusals].sort());
    const message = { de: "Abgelehnt.", en: "Refused." };
    for (const type of catalogRefusals) {
      const answer = catalogServiceError({ type } as CatalogServiceError, message);
      expect(answer).toMatchObject({ __typename: "CatalogRefusedError", reason: type, code: type });
    }
  });
});
