import type { Config } from "jest";

// One jest run covers unit tests beside the code and cross-node tests in test/.
// SWC strips types; ESM stays ESM (Fedify and PGlite ship ESM only).
const config: Config = {
  testEnvironment: "node",
  roots: ["<rootDir>/packages", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2023" },
        module: { type: "es6" },
      },
    ],
  },
  moduleNameMapper: {
    "^@leitplanken/([a-z-]+)$": "<rootDir>/packages/$1/src/index.ts",
  },
  // Generous: tests wait on events, and a shared 2-core machine can take a minute to start a few nodes.
  testTimeout: 180_000,
};

export default config;
