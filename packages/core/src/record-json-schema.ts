import { z } from "zod";
import { catalogMemberSchema, catalogSchema } from "./catalog/catalog.entity.ts";
import { guidelineSchema } from "./guideline.entity.ts";
import { sharedModelSchema } from "./shared-model.entity.ts";
import { useCaseSchema } from "./use-case.entity.ts";

/**
 * JSON Schemas of the records as the node stores and serves them (zod's output side: defaults
 * filled in, so a defaulted field counts as always present). The GraphQL package checks its
 * schema's nullability against them, so the API never promises a field a record may lack.
 */
export function recordJsonSchemas(): Record<"useCase" | "guideline" | "sharedModel" | "catalog" | "catalogMember", Record<string, unknown>> {
  const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    useCase: toJson(useCaseSchema),
    guideline: toJson(guidelineSchema),
    sharedModel: toJson(sharedModelSchema),
    catalog: toJson(catalogSchema),
    catalogMember: toJson(catalogMemberSchema),
  };
}
