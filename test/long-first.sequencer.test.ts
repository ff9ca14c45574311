import { expect, it } from "@jest/globals";
import LongTestsFirst from "./long-first.sequencer.ts";

type Test = Parameters<LongTestsFirst["sort"]>[0][number];

it("starts the files named *.long.test.ts first and keeps jest's order (here: the larger file first) for the rest", async () => {
  const sizes: Record<string, number> = {
    "/r/test/federation/quick.test.ts": 1_000,
    "/r/test/federation/catch-up.long.test.ts": 10,
    "/r/test/federation/slow.test.ts": 90_000,
    "/r/test/federation/long.test.ts.orig.test.ts": 5,
  };
  const context = { config: { cache: false }, hasteFS: { getSize: (path: string) => sizes[path] } } as unknown as Test["context"];
  const sequencer = new LongTestsFirst({ contexts: [context], globalConfig: {} as never });
  const sorted = await sequencer.sort(Object.keys(sizes).map((path) => ({ path, context })));
  expect(sorted.map((entry) => entry.path.split("/").pop())).toEqual(["catch-up.long.test.ts", "slow.test.ts", "quick.test.ts", "long.test.ts.orig.test.ts"]);
});
