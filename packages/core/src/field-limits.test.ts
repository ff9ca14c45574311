import { describe, expect, it } from "@jest/globals";
import type { z } from "zod";
import { demoGuidelineContent } from "./demo/demo-guideline.ts";
import { demoModelContents } from "./demo/demo-models.ts";
import { demoUseCaseContents } from "./demo/demo-use-cases.ts";
import { type FieldLimit, guidelineFieldLimits, identifierLimits, listLimits, sharedModelFieldLimits, textLimits, useCaseFieldLimits } from "./field-limits.ts";
import { guidelineContentSchema, guidelineSchema } from "./guideline.entity.ts";
import { sharedModelContentSchema, sharedModelSchema } from "./shared-model.entity.ts";
import { useCaseContentSchema, useCaseSchema } from "./use-case.entity.ts";
import { validateGuidelineContent, validateSharedModelContent, validateUseCaseContent, type Validated } from "./validation.ts";

type Def = {
  type: string;
  checks?: { _zod: { def: { check: string; maximum?: number; format?: string; pattern?: RegExp } } }[];
  format?: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  keyType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every string and every list in a schema that has no upper bound, by path. */
function unbounded(schema: z.ZodType, path = ""): string[] {
  const def = defOf(schema);
  const checks = (def.checks ?? []).map((check) => check._zod.def);
  // A maximum, or a pattern of fixed length (an anchored pattern without repetition, such as a country code).
  const maximum = checks.some(
    (check) =>
      ["max_length", "length_equals"].includes(check.check) ||
      (check.format === "regex" && /^\^[^*+]*\$$/.test(check.pattern?.source ?? "") && !/\{\d+,\}/.test(check.pattern!.source)),
  );
  switch (def.type) {
    case "string":
      // Dates and times have a fixed shape.
      return maximum || def.format === "date" || def.format === "datetime" ? [] : [path];
    case "array":
      return [...(maximum ? [] : [`${path}#`]), ...unbounded(def.element!, `${path}[]`)];
    case "record":
      return [...unbounded(def.keyType!, `${path}{key}`), ...unbounded(def.valueType!, `${path}.*`)];
    case "object":
      return Object.entries(def.shape ?? {}).flatMap(([key, member]) => unbounded(member, path === "" ? key : `${path}.${key}`));
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
      return unbounded(def.innerType!, path);
    case "pipe":
      return unbounded(def.in!, path);
    case "union":
      return (def.options ?? []).flatMap((option) => unbounded(option, path));
    default:
      return [];
  }
}

const useCaseBase = () => {
  const content = structuredClone(demoUseCaseContents((slug) => `https://ki.example.org/models/${slug}`)["buergerservice-chatbot"]!) as Record<string, unknown>;
  return {
    ...content,
    contact: { email: "a@example.org", phone: "+49 231 50-0", url: "https://example.org/kontakt" },
    suppliers: [{ name: "Lieferant GmbH", role: { de: "Betrieb" }, country: "DE" }],
    datasets: [
      {
        name: { de: "FAQ" },
        source: { de: "Redaktion" },
        personalData: true,
        specialCategories: false,
        legalBasis: "Art. 6 DSGVO",
        retention: { de: "1 Jahr" },
      },
    ],
    risk: {
      aiActClass: "limited",
      annexIIIArea: "essential-services",
      article6_3Reason: { de: "Nur Information." },
      risks: [{ risk: { de: "Fehler" }, mitigation: { de: "Prüfung" } }],
    },
    assessments: { dpia: { performed: true, date: "2025-01-01", summary: { de: "Geprüft." } }, fria: { performed: false, reason: { de: "Nicht nötig." } } },
    energy: { kwhPerYear: 10, hostingRegion: "Dortmund", compensation: { de: "Ökostrom" } },
    sovereignty: { operator: "Stadt", jurisdiction: "DE", hosting: "on-premises", openWeights: true, exitPlan: { de: "Eigenbetrieb" } },
    reuse: { potential: "high", wishToCooperate: true, note: { de: "Gern." } },
  };
};
const withFria = (reason: boolean) => (record: Record<string, unknown>) => {
  // The impact assessment's other form: performed, with a summary (or not, with a reason).
  if (!reason) (record["assessments"] as Record<string, unknown>)["fria"] = { performed: true, date: "2025-01-01", summary: { de: "Geprüft." } };
  if (reason) (record["assessments"] as Record<string, unknown>)["dpia"] = { performed: false, reason: { de: "Keine personenbezogenen Daten." } };
  return record;
};
const guidelineBase = () => ({
  ...structuredClone(demoGuidelineContent),
  summary: { de: "Kurz." },
  issuingBody: { name: { de: "Stadt" }, organisationId: { scheme: "AGS", value: "05913000" } },
  adoptingBody: { name: { de: "Rat" } },
  consulted: [{ party: "staff-council", note: { de: "Zugestimmt." } }],
  relatedDocuments: [{ kind: "guideline", iri: "https://example.org/x", title: { de: "Leitlinie" } }],
  attribution: { de: "Nach Ulm." },
  changeSummary: { de: "Neu." },
});
const modelBase = () => ({
  ...structuredClone(demoModelContents.assistant),
  revision: "abc",
  baseModel: { name: "Basis", relation: "fine-tune" },
  evaluation: [{ benchmark: "B", metric: "M", value: 1, note: { de: "Gut." } }],
  trainingEmissions: { co2eGrams: 1, hardware: "GPU", region: "DE" },
  inferenceEnergy: { whPer1000Requests: 1, hardware: "GPU", testDate: "2025-01-01" },
  sovereignty: { ...demoModelContents.assistant.sovereignty, exitStrategy: { de: "Eigenbetrieb" } },
  servedBy: ["https://ki.example.org/actor"],
  useTerms: { de: "Frei." },
  maintainers: [{ name: "Team", contact: "team@example.org" }],
});

/** A value of exactly `length` characters that the field accepts otherwise (an address stays an address). */
function textOfLength(path: string, length: number): string {
  if (path.endsWith("email")) return `${"a".repeat(60)}@${["b".repeat(60), "c".repeat(60), "d".repeat(length - 60 - 1 - 61 * 2 - 4)].join(".")}.org`;
  if (path.endsWith("url")) return `https://example.org/${"a".repeat(length - "https://example.org/".length)}`;
  return "ä".repeat(length);
}

/** Sets the field at `limit.path` (first entry of lists, German of texts) to a value of `size` characters or entries. */
function sized(record: Record<string, unknown>, limit: FieldLimit, size: number): Record<string, unknown> {
  const segments = limit.path.split(".").flatMap((segment) => (segment.endsWith("[]") ? [segment.slice(0, -2), 0] : [segment === "*" ? "de" : segment]));
  let node: Record<string | number, unknown> = record;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = segments.at(-1)!;
  if (limit.unit === "entries") {
    const entries = node[last] as unknown[];
    expect(entries.length).toBeGreaterThan(0);
    // Entries with keys get distinct keys (a guideline's principles must differ).
    node[last] = Array.from({ length: size }, (_, index) => {
      const entry = structuredClone(entries[index % entries.length]);
      return typeof entry === "object" && entry !== null && "key" in entry ? { ...entry, key: `${String(entry.key)}-${index}` } : entry;
    });
  } else {
    expect(node[last]).toBeDefined();
    node[last] = textOfLength(limit.path, size);
  }
  return record;
}

const errorPath = (path: string) => path.replaceAll("[]", "[0]").replace(/\.\*$/, ".de").replaceAll(".*.", ".de.");

const kinds: {
  name: string;
  limits: readonly FieldLimit[];
  schemas: z.ZodType[];
  base: (path: string) => Record<string, unknown>;
  validate: (input: unknown) => Validated<unknown>;
}[] = [
  {
    name: "use case",
    limits: useCaseFieldLimits,
    schemas: [useCaseContentSchema, useCaseSchema],
    base: (path) =>
      path.startsWith("assessments.fria.summary")
        ? withFria(false)(useCaseBase())
        : path.startsWith("assessments.dpia.reason")
          ? withFria(true)(useCaseBase())
          : useCaseBase(),
    validate: validateUseCaseContent,
  },
  {
    name: "guideline",
    limits: guidelineFieldLimits,
    schemas: [guidelineContentSchema, guidelineSchema],
    base: guidelineBase,
    validate: validateGuidelineContent,
  },
  {
    name: "shared model",
    limits: sharedModelFieldLimits,
    schemas: [sharedModelContentSchema, sharedModelSchema],
    base: modelBase,
    validate: validateSharedModelContent,
  },
];

describe("field limits", () => {
  it("the tiers are the documented numbers", () => {
    expect(textLimits).toEqual({ title: 200, line: 200, summary: 2_000, long: 20_000 });
    expect(listLimits.items).toBe(50);
    expect(identifierLimits.iri).toBe(2_048);
  });

  describe.each(kinds)("$name", ({ limits, schemas, base, validate }) => {
    it("has no text and no list without an upper bound, at any depth (content and stored record)", () => {
      for (const schema of schemas) expect(unbounded(schema)).toEqual([]);
    });

    it("the test's full record is valid", () => {
      for (const limit of limits) expect(validate(base(limit.path))).toMatchObject({ ok: true });
    });

    it.each(limits.map((limit) => [limit.path, limit] as const))("%s: its limit is accepted, one more is refused at the field", (_path, limit) => {
      expect(validate(sized(base(limit.path), limit, limit.max))).toMatchObject({ ok: true });
      const refused = validate(sized(base(limit.path), limit, limit.max + 1));
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.errors).toContainEqual(
        expect.objectContaining({
          path: errorPath(limit.path),
          code: "too-long",
          message: expect.objectContaining({ en: `At most ${limit.max} ${limit.unit} allowed.` }),
        }),
      );
    });
  });

  it("a text in more than 30 languages is refused; 30 are accepted", () => {
    const languages = (count: number) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, index) => [
          index === 0 ? "de" : `x${String.fromCharCode(97 + (index % 26))}-${"a".repeat(2 + Math.floor(index / 26))}`,
          "Text",
        ]),
      );
    expect(validateUseCaseContent({ ...useCaseBase(), purpose: languages(30) })).toMatchObject({ ok: true });
    expect(validateUseCaseContent({ ...useCaseBase(), purpose: languages(31) })).toMatchObject({
      ok: false,
      errors: [expect.objectContaining({ path: "purpose", code: "too-many-languages" })],
    });
  });

  it("the 300,000-character purpose, the 500 KB section body and 10,000 risks of the issue are refused", () => {
    expect(validateUseCaseContent({ ...useCaseBase(), purpose: { de: "a".repeat(300_000) } })).toMatchObject({
      ok: false,
      errors: [{ path: "purpose.de", code: "too-long" }],
    });
    const risks = Array.from({ length: 10_000 }, () => ({ risk: { de: "r" }, mitigation: { de: "m" } }));
    expect(validateUseCaseContent({ ...useCaseBase(), risk: { risks } })).toMatchObject({ ok: false, errors: [{ path: "risk.risks", code: "too-long" }] });
    const guideline = guidelineBase();
    expect(validateGuidelineContent({ ...guideline, sections: [{ heading: { de: "H" }, body: { de: "b".repeat(500_000) } }] })).toMatchObject({
      ok: false,
      errors: [{ path: "sections[0].body.de", code: "too-long" }],
    });
  });
});
