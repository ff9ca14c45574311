import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// Required, not imported: the package is CommonJS with its class on `exports.default`.
const { default: TestSequencer } = createRequire(import.meta.url)("@jest/test-sequencer") as typeof import("@jest/test-sequencer");

type Test = Parameters<InstanceType<typeof TestSequencer>["sort"]>[0][number];

/** Seconds per test file (paths from the repository root), as test/durations.json holds them. */
export type Durations = Record<string, number>;

/** test/durations.json: written by `node test/durations.ts <jest --json output>` (see there). */
export const durationsFile = new URL("./durations.json", import.meta.url);

/**
 * The files named `*.long.test.ts` first (they mostly wait, a follower down for 10 minutes, and each
 * holds the extra worker that jest.config.ts adds for it), then the others longest first by their
 * committed durations; a file not in them counts as the average one. Jest's own order comes from a
 * timing cache that a clean clone (CI) does not have, so it falls back to file size and a slow small
 * file could start last and hold the whole run up.
 */
export function longFirst(paths: string[], durations: Durations): string[] {
  const known = Object.values(durations);
  const average = known.length > 0 ? known.reduce((sum, seconds) => sum + seconds, 0) / known.length : 0;
  const rank = (file: string) => [file.endsWith(".long.test.ts") ? 0 : 1, -(durations[file] ?? average)] as const;
  return [...paths].sort((a, b) => {
    const [longA, secondsA] = rank(a);
    const [longB, secondsB] = rank(b);
    return longA - longB || secondsA - secondsB || a.localeCompare(b);
  });
}

export default class LongTestsFirst extends TestSequencer {
  override async sort(tests: Array<Test>) {
    const durations = JSON.parse(readFileSync(durationsFile, "utf8")) as Durations;
    const byFile = new Map(tests.map((test) => [path.relative(test.context.config.rootDir, test.path).split(path.sep).join("/"), test]));
    return longFirst([...byFile.keys()], durations).map((file) => byFile.get(file)!);
  }
}
