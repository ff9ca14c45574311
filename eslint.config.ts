import js from "@eslint/js";
import tseslint from "typescript-eslint";
import type { Linter } from "eslint";

// The dependency direction of DESIGN.md: core depends on nothing; app (the application layer)
// only on core; db, activitypub and web depend only on core, graphql on core and app (its
// mutations call the uses); they meet in server (and testkit).
const outer = ["app", "db", "activitypub", "graphql", "web", "server", "testkit"];
const forbid = (names: string[]): Linter.RulesRecord => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: names.flatMap((name) => [
        {
          group: [`@leitplanken/${name}`, `@leitplanken/${name}/*`],
          message: `This package may not depend on @leitplanken/${name} (see DESIGN.md, dependency direction).`,
        },
        {
          group: [`**/${name}/src/**`, `**/packages/${name}/**`],
          message: `This package may not reach into packages/${name} (see DESIGN.md, dependency direction).`,
        },
      ]),
    },
  ],
});

export default tseslint.config(
  { ignores: ["**/node_modules/**", "data/**", "**/*.generated.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["packages/core/**/*.ts"], rules: forbid(outer) },
  { files: ["packages/app/**/*.ts"], rules: forbid(outer.filter((n) => n !== "app")) },
  { files: ["packages/db/**/*.ts"], rules: forbid(outer.filter((n) => n !== "db")) },
  { files: ["packages/activitypub/**/*.ts"], rules: forbid(outer.filter((n) => n !== "activitypub")) },
  { files: ["packages/graphql/**/*.ts"], rules: forbid(outer.filter((n) => n !== "graphql" && n !== "app")) },
  { files: ["packages/web/**/*.ts"], rules: forbid(outer.filter((n) => n !== "web")) },
  // Tests compose real parts: an adapter's tests may store through the real database.
  ...["app", "activitypub", "graphql", "web"].map((name) => ({
    files: [`packages/${name}/**/*.test.ts`, `packages/${name}/src/testing/**/*.ts`],
    rules: forbid(outer.filter((n) => n !== name && n !== "db" && n !== "app")),
  })),
);
