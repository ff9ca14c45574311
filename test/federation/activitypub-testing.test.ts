// activitypub-testing (socialweb.coop's black-box conformance suite) against a real
// `leitplanken serve` process. The CLI prints one JSON assertion per line and exits 0 even
// when tests fail, so the outcomes are read from its output.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migratedDataFolder, repositoryRoot, startServeProcess, type ServeProcess } from "@leitplanken/testkit";

const requireFromActivityPub = createRequire(resolve(repositoryRoot, "packages/activitypub/package.json"));
const cliPath = join(dirname(requireFromActivityPub.resolve("activitypub-testing")), "cli.js");

interface Assertion {
  result: { outcome: "passed" | "failed" | "inapplicable" | "untested" | "cantTell"; info?: string };
  test: { slug: string };
}

function testActor(actorUrl: string): Promise<Assertion[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cliPath, "test", "actor", actorUrl], { env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return fail(new Error(`activitypub-testing exited with ${code}: ${stderr}`));
      done(
        stdout
          .split("\n")
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as Assertion),
      );
    });
  });
}

describe("activitypub-testing against a node", () => {
  let dataDir: string;
  let node: ServeProcess;
  beforeAll(async () => {
    dataDir = await migratedDataFolder(await mkdtemp(join(tmpdir(), "leitplanken-ap-testing-")));
    // The demo records fill the outbox, so the collections are not trivially empty.
    node = await startServeProcess({ LEITPLANKEN_DATA_DIR: dataDir, LEITPLANKEN_HANDLE: "attendorn", LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true" }, [
      "--seed-demo",
    ]);
  });
  afterAll(async () => {
    await node?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("reports no failed test for the city actor", async () => {
    const assertions = await testActor(`${node.url}/actors/attendorn`);
    const outcomes = assertions.map(
      (assertion) => `${assertion.result.outcome} ${assertion.test.slug}${assertion.result.info ? `: ${assertion.result.info}` : ""}`,
    );
    expect(outcomes.filter((outcome) => !/^(passed|inapplicable) /.test(outcome))).toEqual([]);
    // The checks that apply to a read-only server ran and passed (POST to the outbox is not offered: 405).
    expect(
      assertions
        .filter((assertion) => assertion.result.outcome === "passed")
        .map((assertion) => assertion.test.slug)
        .sort(),
    ).toEqual([
      "actor-must-serve-as2-object-to-get",
      "actor-objects-must-have-inbox-outbox-properties",
      "followers-collection-must-be-a-collection",
      "following-collection-must-be-a-collection",
      "inbox-must-be-an-orderedcollection",
      "outbox-must-be-an-orderedcollection",
    ]);
  });
});
