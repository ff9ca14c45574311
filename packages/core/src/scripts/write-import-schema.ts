// Rewrites schema/import.schema.json from the zod schemas: `pnpm exec node packages/core/src/scripts/write-import-schema.ts`
import { writeFile } from "node:fs/promises";
import { importJsonSchema } from "../import/import.schema.ts";

const importSchemaFile = new URL("../../../../schema/import.schema.json", import.meta.url);

await writeFile(importSchemaFile, `${JSON.stringify(importJsonSchema(), null, 2)}\n`);
