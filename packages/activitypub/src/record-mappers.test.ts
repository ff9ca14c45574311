import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import {
  demoRecords,
  guidelineContentShape,
  guidelineRecordShape,
  recordIri,
  sharedModelContentShape,
  sharedModelRecordShape,
  useCaseContentShape,
  useCaseRecordShape,
  type FederatedRecord,
  type Provenance,
  type UseCase,
} from "@leitplanken/core";
import { guidelineMapper } from "./guideline.mapper.ts";
import { modelMapper } from "./model.mapper.ts";
import type { RecordMapper } from "./record-document.ts";
import { useCaseMapper } from "./use-case.mapper.ts";

const origin = "https://ki.example.org";
const actor = `${origin}/actors/beispielstadt`;
const demo = demoRecords({
  actor,
  iri: (kind, slug) => recordIri(origin, kind, slug.replace("/", ".")),
  now: new Date("2025-10-01T00:00:00Z"),
});
const received: Provenance = { source: "received", originActor: actor, originHost: "ki.example.org", receivedAt: "2026-03-02T08:00:00Z", proofVerified: true };

function roundTrip<T extends FederatedRecord>(mapper: RecordMapper<T>, record: T): T {
  const result = mapper.fromDocument(mapper.toDocument(record), record.provenance);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

const example = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../../federation/examples/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown>;

describe("record mappers", () => {
  const published = demo.useCases.filter((useCase) => useCase.workflow.state === "published");

  it("every demo record survives the trip to its wire document and back, field for field", () => {
    expect(published.length).toBeGreaterThan(0);
    for (const guideline of demo.guidelines) expect(roundTrip(guidelineMapper, guideline)).toEqual(guideline);
    for (const useCase of published) expect(roundTrip(useCaseMapper, useCase)).toEqual(useCase);
    for (const model of demo.models) expect(roundTrip(modelMapper, model)).toEqual(model);
  });

  it.each([
    ["guideline", guidelineMapper as RecordMapper<FederatedRecord>, { ...guidelineContentShape, ...guidelineRecordShape }],
    ["use-case", useCaseMapper as RecordMapper<FederatedRecord>, { ...useCaseContentShape, ...useCaseRecordShape }],
    ["model", modelMapper as RecordMapper<FederatedRecord>, { ...sharedModelContentShape, ...sharedModelRecordShape }],
  ])("the %s example in federation/examples sets every field, validates, and maps back to the same document", async (name, mapper, shape) => {
    const document = await example(name);
    const result = mapper.fromDocument(document, received);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const absent = Object.keys(shape).filter((field) => (result.value as Record<string, unknown>)[field] === undefined);
    // Only a published record travels, so a use case's retirement and review notes are never in an example.
    expect(absent).toEqual([]);
    expect(mapper.toDocument(result.value)).toEqual(document);
    expect(result.value.provenance).toEqual(received);
  });

  it("keeps internal review notes at home", () => {
    const useCase = published[0]!;
    const sentBack: UseCase = {
      ...useCase,
      workflow: { ...useCase.workflow, sentBack: { by: "Max Mustermann", at: "2025-09-01T00:00:00Z", reason: { de: "Bitte DSFA nachreichen." } } },
    };
    const document = useCaseMapper.toDocument(sentBack);
    expect(JSON.stringify(document)).not.toContain("DSFA");
    expect(roundTrip(useCaseMapper, sentBack)).toEqual(useCase);
  });

  it("refuses a document of another type and one with fields the schema does not know", () => {
    const document = modelMapper.toDocument(demo.models[0]!);
    expect(guidelineMapper.fromDocument(document, received)).toMatchObject({ ok: false, errors: [{ path: "type", code: "wrong-type" }] });
    expect(modelMapper.fromDocument({ ...document, smuggled: true }, received)).toMatchObject({
      ok: false,
      errors: [{ path: "smuggled", code: "unknown-field" }],
    });
    expect(modelMapper.fromDocument({ ...document, nameMap: undefined }, received)).toMatchObject({ ok: false, errors: [{ path: "name" }] });
  });
});
