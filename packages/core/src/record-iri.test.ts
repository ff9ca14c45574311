import { describe, expect, it } from "@jest/globals";
import { parseRecordIri, recordIri, recordRoute } from "./record-iri.ts";

describe("record IRIs", () => {
  it("round-trips every kind", () => {
    const origin = "https://ki.dortmund.example";
    for (const kind of ["guideline-document", "guideline", "use-case", "model"] as const) {
      const iri = recordIri(`${origin}/`, kind, "ki-leitlinie.1.0");
      expect(iri.startsWith(`${origin}/`)).toBe(true);
      expect(parseRecordIri(origin, iri)).toEqual({ kind, slug: "ki-leitlinie.1.0" });
    }
    expect(recordRoute("use-case")).toBe("/use-cases/:slug");
  });

  it("rejects slugs that would leave their path segment, and foreign IRIs", () => {
    expect(() => recordIri("https://a.example", "model", "../admin")).toThrow("invalid record slug");
    expect(() => recordIri("https://a.example", "model", "A")).toThrow("invalid record slug");
    expect(parseRecordIri("https://a.example", "https://b.example/models/x")).toBeNull();
    expect(parseRecordIri("https://a.example", "https://a.example/models/x/y")).toBeNull();
    expect(parseRecordIri("https://a.example", "https://a.example/actors/x")).toBeNull();
  });
});
