import { resolve } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { ESLint } from "eslint";

// The dependency direction of DESIGN.md, checked through the project's own lint configuration.
const root = resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("package boundaries (pnpm lint)", () => {
  it("fails when core imports from db, by package name or by path", async () => {
    expect(await boundaryErrors("packages/core/src/x.ts", `import { openDatabase } from "@leitplanken/db";\nexport const x = openDatabase;\n`)).toEqual([
      expect.stringContaining("may not depend on @leitplanken/db"),
    ]);
    expect(await boundaryErrors("packages/core/src/x.ts", `import { migrate } from "../../db/src/migrate.ts";\nexport const x = migrate;\n`)).toEqual([
      expect.stringContaining("may not reach into packages/db"),
    ]);
  });

  it("fails when an adapter imports another adapter, and allows imports of core", async () => {
    expect(
      await boundaryErrors("packages/graphql/src/x.ts", `import { createFederation } from "@leitplanken/activitypub";\nexport const x = createFederation;\n`),
    ).toHaveLength(1);
    expect(await boundaryErrors("packages/db/src/x.ts", `import { roles } from "@leitplanken/core";\nexport const x = roles;\n`)).toEqual([]);
    expect(await boundaryErrors("packages/server/src/x.ts", `import { migrate } from "@leitplanken/db";\nexport const x = migrate;\n`)).toEqual([]);
  });

  it("keeps the application layer between the doors and core: it imports only core; graphql may call it, db and web may not", async () => {
    const uses = `import { createApplication } from "@leitplanken/app";\nexport const x = createApplication;\n`;
    expect(await boundaryErrors("packages/app/src/x.ts", `import { openDatabase } from "@leitplanken/db";\nexport const x = openDatabase;\n`)).toEqual([
      expect.stringContaining("may not depend on @leitplanken/db"),
    ]);
    expect(
      await boundaryErrors("packages/app/src/x.ts", `import { createGraphQLApi } from "@leitplanken/graphql";\nexport const x = createGraphQLApi;\n`),
    ).toHaveLength(1);
    expect(await boundaryErrors("packages/app/src/x.ts", `import { publishUseCase } from "@leitplanken/core";\nexport const x = publishUseCase;\n`)).toEqual(
      [],
    );
    expect(await boundaryErrors("packages/graphql/src/x.ts", uses)).toEqual([]);
    expect(await boundaryErrors("packages/core/src/x.ts", uses)).toHaveLength(1);
    expect(await boundaryErrors("packages/db/src/x.ts", uses)).toHaveLength(1);
    expect(await boundaryErrors("packages/web/src/x.ts", uses)).toHaveLength(1);
    // Its tests run the uses on the real database.
    expect(
      await boundaryErrors("packages/app/src/x.test.ts", `import { createUnitOfWork } from "@leitplanken/db";\nexport const x = createUnitOfWork;\n`),
    ).toEqual([]);
  });
});
