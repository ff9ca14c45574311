import { createRequire } from "node:module";

// Required, not imported: the package is CommonJS with its class on `exports.default`.
const { default: TestSequencer } = createRequire(import.meta.url)("@jest/test-sequencer") as typeof import("@jest/test-sequencer");

type Test = Parameters<InstanceType<typeof TestSequencer>["sort"]>[0][number];

/**
 * Jest's order (failed first, then slowest), with the files named `*.long.test.ts` before all:
 * they mostly wait (a follower down for 10 minutes), so each starts at once and holds the extra
 * worker that jest.config.ts adds for it while the other files share the rest.
 */
export default class LongTestsFirst extends TestSequencer {
  override async sort(tests: Array<Test>) {
    const sorted = await super.sort(tests);
    const long = (test: Test) => test.path.endsWith(".long.test.ts");
    return [...sorted.filter(long), ...sorted.filter((test) => !long(test))];
  }
}
