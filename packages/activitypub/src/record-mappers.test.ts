import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import {
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
import { demoRecords } from "@leitplanken/core/demo";
import { guidelineMapper } from "./guideline.mapper.ts";
import { modelMapper } from "./model.mapper.ts";
import { WIRE_VERSION, wireVersionOf, type RecordMapper } from "./record-document.ts";
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

/** A use case as it travels: its internal review (who submitted it, why it was sent back) stays home. */
const travelling = (useCase: UseCase): UseCase => {
  const { submitted: _submitted, sentBack: _sentBack, ...workflow } = useCase.workflow;
  return { ...useCase, workflow };
};

describe("record mappers", () => {
  const published = demo.useCases.filter((useCase) => useCase.workflow.state === "published");

  it("every demo record survives the trip to its wire document and back, field for field", () => {
    expect(published.length).toBeGreaterThan(0);
    for (const guideline of demo.guidelines) expect(roundTrip(guidelineMapper, guideline)).toEqual(guideline);
    for (const useCase of published) expect(roundTrip(useCaseMapper, useCase)).toEqual(travelling(useCase));
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
    expect(roundTrip(useCaseMapper, sentBack)).toEqual(travelling(useCase));
  });

  it("refuses a document of another type; reads one with fields it does not know tolerantly, naming them", () => {
    const document = modelMapper.toDocument(demo.models[0]!);
    expect(guidelineMapper.fromDocument(document, received)).toMatchObject({ ok: false, errors: [{ path: "type", code: "wrong-type" }] });
    const newer = modelMapper.fromDocument(
      { ...document, smuggled: true, sovereignty: { ...(document.sovereignty as object), certified: "BSI C5" } },
      received,
    );
    expect(newer).toMatchObject({ ok: true });
    expect(newer.ignored.sort()).toEqual(["smuggled", "sovereignty.certified"]);
    if (newer.ok) expect(newer.value).toEqual({ ...demo.models[0]!, provenance: received });
    expect(modelMapper.fromDocument({ ...document, nameMap: undefined }, received)).toMatchObject({ ok: false, errors: [{ path: "name" }] });
  });

  it("writes the wire version into the context IRI and reads every minor of its major, but no later major", () => {
    const document = useCaseMapper.toDocument(published[0]!);
    expect(document["@context"]).toContain(`${origin}/ns/leitplanken/${WIRE_VERSION.major}.${WIRE_VERSION.minor}.jsonld`);
    expect(wireVersionOf(document)).toEqual(WIRE_VERSION);
    const as = (context: string) => ({
      ...document,
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1", context],
    });
    // 0.1.0's documents (wire 1.0) and a later minor are read.
    expect(wireVersionOf(as(`${origin}/ns/leitplanken.jsonld`))).toEqual({ major: 1, minor: 0 });
    expect(useCaseMapper.fromDocument(as(`${origin}/ns/leitplanken.jsonld`), received).ok).toBe(true);
    expect(useCaseMapper.fromDocument(as(`${origin}/ns/leitplanken/1.7.jsonld`), received).ok).toBe(true);
    expect(useCaseMapper.fromDocument(as(`${origin}/ns/leitplanken/2.0.jsonld`), received)).toMatchObject({
      ok: false,
      errors: [{ path: "@context", code: "unsupported-wire-version", message: { en: expect.stringContaining("Please upgrade Leitplanken") } }],
    });
  });
});
