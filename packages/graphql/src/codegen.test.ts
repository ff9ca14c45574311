import { readFile } from "node:fs/promises";
import { expect, test } from "@jest/globals";
import { generate } from "@graphql-codegen/cli";
import config, { generatedFile } from "../../../codegen.ts";

test("the committed resolver types are generated from the current SDL (else run `pnpm --filter @leitplanken/graphql codegen`)", async () => {
  const outputs = await generate(config, false);
  expect(outputs).toHaveLength(1);
  const committed = await readFile(generatedFile, "utf8");
  expect(committed).toBe(outputs[0]?.content);
});
