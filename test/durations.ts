// Refreshes test/durations.json, the seconds per test file by which test/long-first.sequencer.ts
// starts the longest files first, from the JSON report of a jest run (best the whole suite as CI
// runs it, on a quiet machine):
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm test --json --outputFile=/tmp/jest.json
//   pnpm exec node test/durations.ts /tmp/jest.json [the checkout that ran it, default this one]
//
// The files of that run get its figures, the others keep theirs, and files that are gone are dropped.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { durationsFile, type Durations } from "./long-first.sequencer.ts";

interface JestReport {
  testResults: { name: string; startTime: number; endTime: number }[];
}

const root = path.dirname(path.dirname(fileURLToPath(durationsFile)));
const [reportFile, reportRoot = root] = process.argv.slice(2);
if (!reportFile) {
  console.error("usage: node test/durations.ts <the output file of jest --json> [the checkout that ran it]");
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportFile, "utf8")) as JestReport;
const durations = JSON.parse(readFileSync(durationsFile, "utf8")) as Durations;
for (const { name, startTime, endTime } of report.testResults) {
  durations[path.relative(path.resolve(reportRoot), name).split(path.sep).join("/")] = Math.round((endTime - startTime) / 100) / 10;
}
const kept = Object.keys(durations)
  .filter((file) => existsSync(path.join(root, file)))
  .sort();
writeFileSync(durationsFile, `${JSON.stringify(Object.fromEntries(kept.map((file) => [file, durations[file]])), null, 2)}\n`);
console.log(`${fileURLToPath(durationsFile)}: ${kept.length} files, ${report.testResults.length} from ${reportFile}`);
