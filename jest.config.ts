import { availableParallelism } from "node:os";
import type { Config } from "jest";
import { nodeFlags } from "./packages/server/src/node-flags.ts";

// Jest forks its workers with this process's execArgv: they get the node flags of every Leitplanken
// process (--liftoff-only, --max-semi-space-size=8; ADR 0045, 0150). Without V8's optimising compiler
// tiering up PGlite's WebAssembly in each worker, a storage test file needs 20-40 % less CPU and half
// the memory. (A single file runs in jest's own process, without them: same results.)
for (const flag of nodeFlags) if (!process.execArgv.includes(flag)) process.execArgv.push(flag);

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
    // Subpath entries (\`@leitplanken/core/demo\`, \`@leitplanken/db/testing\`), as the packages' exports name them.
    "^@leitplanken/([a-z-]+)/([a-z-]+)$": "<rootDir>/packages/$1/src/$2/index.ts",
  },
  // Generous: tests wait on events, and a shared 2-core machine can take a minute to start a few nodes.
  testTimeout: 180_000,
  // Most test files wait on HTTP between nodes, not on the CPU: two files at a time even on two cores
  // (jest's default there is one); CI must stay under 20 minutes. One worker more for the files named
  // `*.long.test.ts` (a follower down for 10 minutes): they mostly wait, start first and keep it.
  maxWorkers: Math.max(2, availableParallelism() - 1) + 1,
  testSequencer: "<rootDir>/test/long-first.sequencer.ts",
};

export default config;
