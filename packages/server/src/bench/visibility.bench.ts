// pnpm bench:visibility — publish → visible at a follower, on the demo network: starts `pnpm demo`
// (four node processes, each on its own PGlite folder, the cities following each other) in a
// temporary folder, then publishes models at Dortmund through its GraphQL API and asks Münster's
// and Bochum's GraphQL APIs until each shows the model. The figure per follower and publication:
// the publish request sent → the follower's API answers the model. Polling every BENCH_POLL_MS
// (25) ms, so a figure is at most that much late; the polls rotate over each follower's staff
// tokens and the anonymous budget, so the node's rate limits are not what is measured.
// The first publication after the demo printed its URLs is reported on its own (the demo's own
// backlog of catalog and follow activities is still being delivered then).
//
//   pnpm bench:visibility    (BENCH_ITERATIONS=100, BENCH_DEMO_PORT=18081: four ports from there)
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { modelInput } from "../../../graphql/src/testing/records.fixture.ts";
import { ms, percentile, printTable } from "./bench-node.ts";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 100);
const pollMs = Number(process.env.BENCH_POLL_MS ?? 25);
const basePort = Number(process.env.BENCH_DEMO_PORT ?? 18081);
const warmUp = 5;
const demoScript = resolve(import.meta.dirname, "../demo.ts");
const dataDir = await mkdtemp(join(tmpdir(), "lp-bench-visibility-"));

const demo = spawn(process.execPath, [demoScript], {
  env: { ...process.env, DEMO_BASE_PORT: String(basePort), DEMO_DATA_DIR: dataDir, DATABASE_URL: "" },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
demo.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString("utf8")));
demo.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString("utf8")));
const exited = new Promise<number | null>((done) => demo.once("exit", (code) => done(code)));

async function stopDemo(): Promise<void> {
  if (demo.exitCode === null) demo.kill("SIGTERM");
  await exited;
  await rm(dataDir, { recursive: true, force: true });
}

const origin = (index: number) => `http://localhost:${basePort + index}`;
const [dortmund, muenster, bochum] = [origin(0), origin(1), origin(2)];

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<{ status: number; data?: T }> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T };
  return { status: response.status, ...(body.data ? { data: body.data } : {}) };
}

const register = `mutation ($input: ModelInput!) { registerModel(input: $input) { __typename ... on ModelSuccess { model { id } } } }`;

try {
  const deadline = Date.now() + 300_000;
  while (!output.includes("follow each other")) {
    if (demo.exitCode !== null) throw new Error(`the demo stopped:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the demo did not start within 300 s:\n${output}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  const token = async (city: string, who: string) => (await readFile(join(dataDir, `${city}-${who}-token.txt`), "utf8")).trim();
  const publisher = await token("dortmund", "admin");
  const budgets = async (city: string) => [undefined, await token(city, "admin"), await token(city, "editor"), await token(city, "vetter")];
  const followers = [
    { name: "muenster", url: muenster, tokens: await budgets("muenster") },
    { name: "bochum", url: bochum, tokens: await budgets("bochum") },
  ];
  let poll = 0;

  /** Publishes one model; resolves with each follower's time until its API answers the model. */
  async function publishOnce(index: number): Promise<{ request: number; visible: number[] }> {
    const started = performance.now();
    const result = await graphql<{ registerModel: { __typename: string; model?: { id: string } } }>(
      dortmund,
      register,
      { input: modelInput(`Sichtbarkeit ${index}`) },
      publisher,
    );
    const request = performance.now() - started;
    const id = result.data?.registerModel.model?.id;
    if (!id) throw new Error(`registerModel answered ${result.status} ${JSON.stringify(result.data)}`);
    const visible = await Promise.all(
      followers.map(async (follower) => {
        for (;;) {
          const tokenOfPoll = follower.tokens[poll++ % follower.tokens.length];
          const answer = await graphql<{ model: { id: string } | null }>(
            follower.url,
            `
              query ($id: ID!) {
                model(id: $id) {
                  id
                }
              }
            `,
            { id },
            tokenOfPoll,
          );
          if (answer.status === 429) throw new Error(`${follower.name} refused a poll with 429: the benchmark polls too often`);
          if (answer.data?.model) return performance.now() - started;
          if (performance.now() - started > 120_000) throw new Error(`${follower.name} did not show ${id} within 120 s`);
          await new Promise((wait) => setTimeout(wait, pollMs));
        }
      }),
    );
    return { request, visible };
  }

  const first = await publishOnce(0);
  console.log(`  first publication after the demo started: visible after ${first.visible.map(ms).join(" and ")}`);
  const samples: number[] = [];
  const requests: number[] = [];
  for (let index = 1; index <= warmUp + iterations; index++) {
    const { request, visible } = await publishOnce(index);
    if (index > warmUp) {
      samples.push(...visible);
      requests.push(request);
    }
    if (index % 20 === 0) console.log(`  ${index} publications`);
  }
  printTable(
    `visibility on the demo (4 processes, PGlite): ${iterations} models published at Dortmund, seen at Münster and Bochum (${samples.length} samples)`,
    [
      ["", "p50", "p95", "max"],
      ["publish request sent → the follower's API shows the model", ms(percentile(samples, 50)), ms(percentile(samples, 95)), ms(Math.max(...samples))],
      ["registerModel request (answers before fan-out)", ms(percentile(requests, 50)), ms(percentile(requests, 95)), ms(Math.max(...requests))],
      ["first publication right after the demo started", ms(Math.min(...first.visible)), ms(Math.max(...first.visible)), ""],
    ],
  );
} finally {
  await stopDemo();
}
