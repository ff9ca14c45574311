import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import type { Provenance } from "@leitplanken/core";
import { adoptionIri, adoptionMapper, isAdoptionIri } from "./adoption.mapper.ts";

const example = async () =>
  JSON.parse(await readFile(new URL("../../../federation/examples/adoption.json", import.meta.url), "utf8")) as Record<string, unknown>;
const adopter = "https://ki.example.org/actors/beispielstadt";
const received: Provenance = {
  source: "received",
  originActor: adopter,
  originHost: "ki.example.org",
  receivedAt: "2026-03-02T08:00:00Z",
  proofVerified: true,
};

describe("adoption mapper", () => {
  it("reads the example in federation/examples field for field and writes the same document back", async () => {
    const document = await example();
    const result = adoptionMapper.fromDocument(document, received);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value).toEqual({
      id: "https://ki.example.org/adoptions/buergerservice-chatbot",
      adopter,
      adoptingUseCase: "https://ki.example.org/use-cases/buergerservice-chatbot",
      origin: {
        useCase: "https://ki.muenster.example/use-cases/buergerservice-chatbot",
        actor: "https://ki.muenster.example/actors/muenster",
        publishedAt: "2025-06-02T08:00:00.000Z",
      },
      publishedAt: "2025-10-01T00:00:00.000Z",
      provenance: received,
    });
    expect(adoptionMapper.toDocument(result.value)).toEqual(document);
  });

  it("refuses a claim in another city's name, a self-adoption and other types; sets unknown fields aside", async () => {
    const document = await example();
    const inOtherName = adoptionMapper.fromDocument(document, { ...received, originActor: "https://ki.evil.example/actors/x", originHost: "ki.evil.example" });
    expect(inOtherName).toMatchObject({ ok: false, errors: [{ path: "adopter", code: "adopter-not-publisher" }] });
    expect(adoptionMapper.fromDocument({ ...document, adoptedFromCity: adopter }, received)).toMatchObject({
      ok: false,
      errors: [{ path: "origin.actor", code: "self-adoption" }],
    });
    expect(adoptionMapper.fromDocument({ ...document, usedBy: 12 }, received)).toMatchObject({ ok: true, ignored: ["usedBy"] });
    expect(adoptionMapper.fromDocument({ ...document, type: "UseCase" }, received)).toMatchObject({
      ok: false,
      errors: [{ path: "type", code: "wrong-type" }],
    });
  });

  it("names one adoption per adopting use case of the node", () => {
    expect(adoptionIri("https://ki.example.org", "https://ki.example.org/use-cases/chatbot.1")).toBe("https://ki.example.org/adoptions/chatbot.1");
    expect(adoptionIri("https://ki.example.org", "https://ki.other.org/use-cases/chatbot")).toBeNull();
    expect(adoptionIri("https://ki.example.org", "https://ki.example.org/models/chatbot")).toBeNull();
    expect(isAdoptionIri(new URL("https://ki.other.org/adoptions/x"))).toBe(true);
    expect(isAdoptionIri(new URL("https://ki.other.org/use-cases/x"))).toBe(false);
  });
});
