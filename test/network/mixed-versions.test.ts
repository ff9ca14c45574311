// Two nodes of different wire versions exchange every record kind both ways (FEDERATION.md,
// "Compatibility"). The older one serves its records as Leitplanken 0.1.0 did (wire 1.0: the
// unversioned context IRI) and without fields a later version added; the newer one serves wire 1.2
// documents with fields this version does not know, at the top and nested. Both are real nodes of
// this version behind their record routes: what differs is the document each serves, signed with
// its own key. Nothing may be refused or lost; a record with unknown fields is passed on with its
// proof intact (the API's `signedDocument`) and verifies at a third node.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { guidelineMapper, modelMapper, signRecord, useCaseMapper, verifyRecordProof, type JsonDocument } from "@leitplanken/activitypub";
import { recordIri, type FederatedRecord, type Guideline, type SharedModel, type UseCase } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { eventually, logged, startNode, type TestNode } from "../federation/harness.ts";
import { startNetworkNode, type NetworkNode } from "./network-node.ts";

type Kind = "guideline" | "use-case" | "model";
const mappers = { guideline: guidelineMapper, "use-case": useCaseMapper, model: modelMapper } as const;
const kindOf = (record: FederatedRecord): Kind => ("documentId" in record ? "guideline" : "workflow" in record ? "use-case" : "model");

const contextOf = (document: JsonDocument, iri: string) => ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1", iri];

/** What a 1.2 node adds to each kind (fields this version does not know), at the top and nested. */
const newerFields: Record<Kind, (document: JsonDocument) => JsonDocument> = {
  guideline: (document) => ({
    ...document,
    reviewCycleMonths: 24,
    principles: (document.principles as JsonDocument[]).map((principle, index) => (index === 0 ? { ...principle, weight: 3 } : principle)),
  }),
  "use-case": (document) => ({
    ...document,
    carbonLabel: "A+",
    decisionProcess: {
      ...(document.decisionProcess as JsonDocument),
      explainability: { de: "Jede Empfehlung nennt ihre Gründe.", en: "Each recommendation gives its reasons." },
    },
  }),
  model: (document) => ({ ...document, certifications: ["BSI C5"], sovereignty: { ...(document.sovereignty as JsonDocument), dataResidency: "DE" } }),
};

/** What an older node did not have yet: optional fields it leaves out (by their wire names). */
const olderFields: Record<Kind, (document: JsonDocument) => JsonDocument> = {
  guideline: ({ summaryMap: _summary, adoptingBody: _adoptingBody, ...document }) => document,
  "use-case": ({ reuse: _reuse, energy: _energy, ...document }) => document,
  model: ({ inferenceEnergy: _inferenceEnergy, ...document }) => document,
};
const withoutOlderFields: Record<Kind, (record: FederatedRecord) => FederatedRecord> = {
  guideline: (record) => {
    const { summary: _summary, adoptingBody: _adoptingBody, ...rest } = record as Guideline;
    return rest as FederatedRecord;
  },
  "use-case": (record) => {
    const { reuse: _reuse, energy: _energy, ...rest } = record as UseCase;
    return rest as FederatedRecord;
  },
  model: (record) => {
    const { inferenceEnergy: _inferenceEnergy, ...rest } = record as SharedModel;
    return rest as FederatedRecord;
  },
};

/** What travels (a use case's internal review stays home), without the receiver's provenance. */
function travelling(record: FederatedRecord): object {
  const { provenance: _provenance, ...content } = record;
  if (!("workflow" in content)) return content;
  const { submitted: _submitted, sentBack: _sentBack, ...workflow } = content.workflow;
  return { ...content, workflow };
}

describe("a network of mixed versions", () => {
  let older: NetworkNode;
  let newer: NetworkNode;
  let third: TestNode;
  const refusals = (node: TestNode) => node.logs.filter((entry) => entry.message === "received record refused");

  const recordsOf = (node: TestNode, slugPrefix: string): FederatedRecord[] => {
    const demo = demoRecords({
      actor: node.actorUrl,
      iri: (kind, slug) => recordIri(node.origin, kind, `${slugPrefix}-${slug.replace("/", ".")}`),
      now: new Date("2026-03-01T09:00:00Z"),
    });
    const useCase = demo.useCases.find((candidate) => candidate.workflow.state === "published" && candidate.reuse && candidate.energy);
    const model = demo.models.find((candidate) => candidate.inferenceEnergy);
    const guideline = demo.guidelines[0]!;
    // Each has the optional fields an older version leaves out, so that leaving them out is seen.
    if (!useCase || !model || !guideline.summary || !guideline.adoptingBody) throw new Error("the demo records lack the fields this test leaves out");
    return [guideline, useCase, model];
  };

  /** Has the node serve `serve(document)` (signed) at the record's IRI, and publishes the record through its application layer. */
  async function publishAs(publisher: NetworkNode, record: FederatedRecord, serve: (document: JsonDocument) => JsonDocument) {
    const { node } = publisher;
    const kind = kindOf(record);
    const document = serve((mappers[kind] as { toDocument(record: FederatedRecord): JsonDocument }).toDocument(record));
    publisher.extraDocuments.set(new URL(record.id).pathname, await signRecord(node.federation, node.deps, document));
    await node.app.records.seedRecords({
      guidelines: kind === "guideline" ? [record as Guideline] : [],
      useCases: kind === "use-case" ? [record as UseCase] : [],
      models: kind === "model" ? [record as SharedModel] : [],
    });
  }

  const copyOn = (node: TestNode, record: FederatedRecord): Promise<FederatedRecord | null> => {
    const kind = kindOf(record);
    if (kind === "guideline") return node.records.guidelines.get(record.id);
    return kind === "use-case" ? node.records.useCases.get(record.id) : node.records.sharedModels.get(record.id);
  };

  beforeAll(async () => {
    [older, newer] = await Promise.all([startNetworkNode("olpe"), startNetworkNode("neuss")]);
    third = await startNode({ handle: "dritte" });
    expect(await older.node.following.followCity(newer.node.actorUrl)).toMatchObject({ ok: true });
    expect(await newer.node.following.followCity(older.node.actorUrl)).toMatchObject({ ok: true });
    await Promise.all([logged(older.node, "backfill done"), logged(newer.node, "backfill done")]);
  });
  afterAll(async () => {
    await Promise.all([older?.node.stop(), newer?.node.stop(), third?.stop()]);
  });

  it("the older node receives every record kind written in 1.2 with unknown fields: stored, nothing refused, the fields kept in the signed document", async () => {
    const records = recordsOf(newer.node, "neu");
    for (const record of records) {
      const kind = kindOf(record);
      await publishAs(newer, record, (document) =>
        newerFields[kind]({ ...document, "@context": contextOf(document, `${newer.node.origin}/ns/leitplanken/1.2.jsonld`) }),
      );
    }
    for (const record of records) {
      const copy = await eventually(() => copyOn(older.node, record));
      expect(travelling(copy)).toEqual(travelling(record));
      expect(copy.provenance).toMatchObject({ source: "received", originActor: newer.node.actorUrl, proofVerified: true });
      const kept = (await older.node.deps.store.findReceivedDocument(record.id))!.document;
      expect(kept).toEqual(newer.extraDocuments.get(new URL(record.id).pathname));
    }
    expect(refusals(older.node)).toEqual([]);
    const ignored = older.node.logs
      .filter((entry) => entry.message === "received record has fields this version does not know")
      .map((entry) => entry.fields.ignored);
    expect(ignored).toEqual(
      expect.arrayContaining(
        [
          ["reviewCycleMonths", "principles[0].weight"].sort(),
          ["carbonLabel", "decisionProcess.explainability"].sort(),
          ["certifications", "sovereignty.dataResidency"].sort(),
        ].map((fields) => expect.arrayContaining(fields)),
      ),
    );
  });

  it("passes such a record on with its proof intact (the API's signedDocument); it verifies at a third node", async () => {
    const useCase = recordsOf(newer.node, "neu")[1]!;
    const answer = await older.graphql("query ($id: ID!) { useCase(id: $id) { id signedDocument provenance { local proofVerified } } }", { id: useCase.id });
    const passedOn = answer.data?.useCase as { signedDocument: string; provenance: { local: boolean; proofVerified: boolean } };
    expect(passedOn.provenance).toEqual({ local: false, proofVerified: true });
    const document = JSON.parse(passedOn.signedDocument) as JsonDocument;
    expect(document).toMatchObject({ carbonLabel: "A+", decisionProcess: { explainability: { en: "Each recommendation gives its reasons." } } });
    expect((await verifyRecordProof(third.federation, third.deps, document))?.controllerId?.href).toBe(newer.node.actorUrl);
    // Changed by whoever passed it on, it no longer verifies.
    expect(await verifyRecordProof(third.federation, third.deps, { ...document, carbonLabel: "B" })).toBeNull();
    // Own records have none: their IRI serves them signed.
    const own = await newer.graphql("query ($id: ID!) { useCase(id: $id) { signedDocument } }", { id: useCase.id });
    expect(own.data?.useCase).toEqual({ signedDocument: null });
  });

  it("the newer node receives every record kind as 0.1.0 wrote it (wire 1.0, fewer fields): stored, nothing refused, nothing lost", async () => {
    const records = recordsOf(older.node, "alt");
    for (const record of records) {
      const kind = kindOf(record);
      await publishAs(older, record, (document) =>
        olderFields[kind]({ ...document, "@context": contextOf(document, `${older.node.origin}/ns/leitplanken.jsonld`) }),
      );
    }
    for (const record of records) {
      const copy = await eventually(() => copyOn(newer.node, record));
      expect(travelling(copy)).toEqual(travelling(withoutOlderFields[kindOf(record)](record)));
      expect(copy.provenance).toMatchObject({ source: "received", originActor: older.node.actorUrl, proofVerified: true });
    }
    expect(refusals(newer.node)).toEqual([]);
  });

  it("a record in a later major version is refused with a reason and left for after an upgrade", async () => {
    const [, useCase] = recordsOf(newer.node, "major");
    await publishAs(newer, useCase!, (document) => ({ ...document, "@context": contextOf(document, `${newer.node.origin}/ns/leitplanken/2.0.jsonld`) }));
    const refused = await eventually(async () => refusals(older.node).find((entry) => JSON.stringify(entry.fields).includes("unsupported-wire-version")));
    expect(JSON.stringify(refused.fields)).toContain("Please upgrade Leitplanken");
    expect(await older.node.records.useCases.get(useCase!.id)).toBeNull();
    // Not recorded as applied: the catch-up after an upgrade reads it again.
    const [create] = await newer.node.deps.store
      .listOutboxActivities({ limit: 3 })
      .then((entries) => entries.filter((entry) => entry.objectId === useCase!.id));
    expect(await older.node.deps.store.hasInboundActivity(create!.activityId)).toBe(false);
  });
});
