import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { signRecord, verifyRecordProof } from "../../packages/activitypub/src/index.ts";
import { startNodes, type TestNode } from "./harness.ts";

describe("FEP-8b32 proofs on raw records", () => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    [a, b] = (await startNodes("proofa", "proofb")) as [TestNode, TestNode];
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const record = (origin: string, handle: string) => ({
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
    id: `${origin}/records/guideline-1`,
    type: "Guideline",
    attributedTo: `${origin}/actors/${handle}`,
    name: { de: "KI verantwortlich gestalten", en: "Shaping AI responsibly" },
  });

  const verifyOnB = (document: Record<string, unknown>) => verifyRecordProof(b.federation, b.deps, document);

  it("a record signed by A verifies on B against A's Ed25519 assertion method", async () => {
    const signed = await signRecord(a.federation, a.deps, record(a.origin, a.handle));
    expect(signed.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-jcs-2022", proofPurpose: "assertionMethod" });
    const key = await verifyOnB(signed);
    expect(key?.controllerId?.href).toBe(a.actorUrl);
  });

  it("a tampered record does not verify", async () => {
    const signed = await signRecord(a.federation, a.deps, record(a.origin, a.handle));
    expect(await verifyOnB({ ...signed, name: { de: "geändert", en: "changed" } })).toBeNull();
    expect(await verifyOnB(record(a.origin, a.handle))).toBeNull();
  });
});
