import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import { guidelineMapper, modelMapper, type RecordMapper, useCaseMapper } from "@leitplanken/activitypub";
import { type FederatedRecord, type Provenance, textLimits } from "@leitplanken/core";

/**
 * Records from other nodes are held to the same field limits as local input (FEDERATION.md,
 * "Limits"): a document over a limit is refused as an invalid record, at its field, before
 * anything is stored; at the limit it is read.
 */
const received: Provenance = {
  source: "received",
  originActor: "https://ki.example.org/actors/beispielstadt",
  originHost: "ki.example.org",
  receivedAt: "2026-03-02T08:00:00Z",
  proofVerified: true,
};
const example = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../federation/examples/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown> & {
    sections?: { body: Record<string, string> }[];
  };

describe("received records over a field limit", () => {
  it.each([
    ["use-case", useCaseMapper, (document: Record<string, unknown>, text: string) => ({ ...document, purpose: { de: text } }), "purpose.de"],
    ["model", modelMapper, (document: Record<string, unknown>, text: string) => ({ ...document, intendedUse: { de: text } }), "intendedUse.de"],
    [
      "guideline",
      guidelineMapper,
      (document: Record<string, unknown>, text: string) => ({
        ...document,
        sections: [{ heading: { de: "Zweck" }, body: { de: text } }, ...(document["sections"] as unknown[]).slice(1)],
      }),
      "sections[0].body.de",
    ],
  ] as const)("a %s document with a long text over 20,000 characters is refused at the field; 20,000 are read", async (name, mapper, withText, path) => {
    const document = await example(name);
    const read = (mapper as RecordMapper<FederatedRecord>).fromDocument(withText(document, "ä".repeat(textLimits.long)), received);
    expect(read.ok).toBe(true);
    for (const size of [textLimits.long + 1, 500_000]) {
      const refused = (mapper as RecordMapper<FederatedRecord>).fromDocument(withText(document, "ä".repeat(size)), received);
      expect(refused).toMatchObject({ ok: false, errors: [expect.objectContaining({ path, code: "too-long" })] });
      // The refusal (which the receiver logs) names the field and the limit, never the text.
      expect(JSON.stringify(refused).length).toBeLessThan(1_000);
    }
  });

  it("a use case with 10,000 risks is refused at the list", async () => {
    const document = await example("use-case");
    const risks = Array.from({ length: 10_000 }, () => ({ risk: { de: "Fehler" }, mitigation: { de: "Prüfung" } }));
    const refused = useCaseMapper.fromDocument({ ...document, risk: { ...(document["risk"] as object), risks } }, received);
    expect(refused).toMatchObject({ ok: false, errors: [expect.objectContaining({ path: "risk.risks", code: "too-long" })] });
  });
});
