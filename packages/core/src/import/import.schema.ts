import { z } from "zod";
import { guidelineContentSchema } from "../guideline.entity.ts";
import { sharedModelContentSchema } from "../shared-model.entity.ts";
import { useCaseContentSchema } from "../use-case.entity.ts";

/**
 * An import file (YAML or JSON) holds records as an editor writes them: without id,
 * provenance or workflow state, which the importing node assigns.
 */
export const importFileSchema = z
  .strictObject({
    guidelines: z.array(guidelineContentSchema).default([]),
    useCases: z.array(useCaseContentSchema).default([]),
    models: z.array(sharedModelContentSchema).default([]),
  })
  .meta({
    title: "Leitplanken import file",
    description: "Guidelines, use cases and shared models to import into a Leitplanken node. Text fields are language maps ({ de, en, … }).",
  });
export type ImportFile = z.infer<typeof importFileSchema>;

/** The JSON Schema committed as schema/import.schema.json (editors get completion in their IDE). */
export function importJsonSchema(): Record<string, unknown> {
  return { $id: "https://leitplanken.example/schema/import.schema.json", ...z.toJSONSchema(importFileSchema, { io: "input", unrepresentable: "any" }) };
}
