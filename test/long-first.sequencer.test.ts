import { readFileSync } from "node:fs";
import { expect, it } from "@jest/globals";
import { durationsFile, longFirst, type Durations } from "./long-first.sequencer.ts";

it("starts the files named *.long.test.ts first, then the others longest first by their durations, an unknown file as the average one", () => {
  const durations: Durations = { "test/a/slow.test.ts": 90, "test/a/quick.test.ts": 10, "test/a/catch-up.long.test.ts": 600, "test/b/other.long.test.ts": 700 };
  // The unknown file counts as the average, 350 s, so it comes before the 90 s one.
  const files = ["test/a/quick.test.ts", "test/a/new.test.ts", "test/a/slow.test.ts", "test/b/other.long.test.ts", "test/a/catch-up.long.test.ts"];
  expect(longFirst(files, durations)).toEqual([
    "test/b/other.long.test.ts",
    "test/a/catch-up.long.test.ts",
    "test/a/new.test.ts",
    "test/a/slow.test.ts",
    "test/a/quick.test.ts",
  ]);
  expect(longFirst(["test/x.long.test.ts.orig.test.ts", "test/y.test.ts"], { "test/y.test.ts": 1, "test/x.long.test.ts.orig.test.ts": 0.5 })).toEqual([
    "test/y.test.ts",
    "test/x.long.test.ts.orig.test.ts",
  ]);
});

it("reads the committed durations: seconds per test file, by its path from the repository root", () => {
  const durations = JSON.parse(readFileSync(durationsFile, "utf8")) as Durations;
  for (const [file, seconds] of Object.entries(durations)) {
    expect(file).toMatch(/^(packages|test)\/.+\.test\.ts$/);
    expect(seconds).toBeGreaterThanOrEqual(0);
  }
});
