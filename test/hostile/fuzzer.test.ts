import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { storageBackends } from "@leitplanken/db/testing";
import { getIntrospectionQuery, type IntrospectionQuery } from "graphql";
import type { CpuShareSample } from "./cpu-share.ts";
import type { FuzzOptions, FuzzResult } from "./fuzz-client.ts";
import { type HostileNode, startHostileNode } from "./hostile-node.ts";

/**
 * A schema-driven fuzzer: the node's own introspection gives every query and mutation with its
 * arguments; each request fills them with random, huge, wrong-typed, unicode, NUL, unpaired
 * surrogate or deeply nested values (as variables, sometimes as literals), anonymously or as an
 * admin (fuzz-client.ts). No answer may be a 5xx or carry a stack trace, and /healthz must answer
 * within 1 s throughout. The client runs in a worker thread, so the probe measures the node and
 * not the client's own work on the same event loop; and since a shared machine gives the node a
 * fraction of a core, each probe's time is divided by the CPU share measured beside it
 * (cpu-share.ts): 1 s of the CPU the node got (on an idle machine: 1 s). Deterministic:
 * FUZZ_SEED picks the run (printed with every failure), FUZZ_REQUESTS the count (10,000 per
 * backend by default).
 */
const requests = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? 20261206);
const concurrency = 8;
const healthBoundMs = 1_000;

function runClient(options: FuzzOptions): Promise<FuzzResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./fuzz-client.ts", import.meta.url), { workerData: { fuzz: options } });
    worker.once("message", (result: FuzzResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the fuzzer's worker stopped (exit code ${code}) before it reported`)));
  });
}

/** Measures the CPU share until stopped; the samples come with the answer. */
function measureCpuShare(): { stop(): Promise<CpuShareSample[]> } {
  const samples: CpuShareSample[] = [];
  const worker = new Worker(new URL("./cpu-share.ts", import.meta.url), { workerData: { cpuShare: true } });
  worker.on("message", (sample: CpuShareSample) => samples.push(sample));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      worker.postMessage("stop");
      await exited;
      return samples;
    },
  };
}

/** The CPU-share factor while [from, to] ran: the median of the samples overlapping it, else the nearest one. */
function factorDuring(samples: CpuShareSample[], from: number, to: number): number {
  const overlapping = samples.filter((sample) => sample.to >= from && sample.from <= to).map((sample) => sample.factor);
  if (overlapping.length === 0) {
    const nearest = samples.reduce<CpuShareSample | undefined>(
      (best, sample) => (!best || Math.abs(sample.from - from) < Math.abs(best.from - from) ? sample : best),
      undefined,
    );
    return nearest?.factor ?? 1;
  }
  overlapping.sort((a, b) => a - b);
  return overlapping[Math.floor(overlapping.length / 2)]!;
}

describe.each(storageBackends())("schema-driven fuzzer on %s", (backend) => {
  let node: HostileNode;
  let introspection: IntrospectionQuery;

  beforeAll(async () => {
    // The budgets would stop a fuzzer long before 10,000 requests: they have tests of their own.
    node = await startHostileNode(backend, {}, { rateLimit: { limit: 1_000_000_000, costLimit: 1_000_000_000_000 } });
    const response = await fetch(`${node.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    introspection = ((await response.json()) as { data: IntrospectionQuery }).data;
  });
  afterAll(() => node?.close());

  it(`sends ${requests} generated requests: no 5xx, no stack trace, /healthz within 1 s throughout (seed ${seed})`, async () => {
    const problems: string[] = [];
    const probes: { from: number; to: number }[] = [];
    const cpuShare = measureCpuShare();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let running = true;
    const probe = (async () => {
      while (running) {
        const from = performance.timeOrigin + performance.now();
        try {
          const answer = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
          await answer.text();
          if (answer.status !== 200) problems.push(`/healthz answered ${answer.status}`);
        } catch (error) {
          problems.push(`/healthz gave no answer (${(error as Error).message})`);
        }
        probes.push({ from, to: performance.timeOrigin + performance.now() });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const started = performance.now();
    const result = await runClient({
      url: node.url,
      adminToken: node.tokens.admin,
      introspection,
      seed: seed + (backend === "postgres" ? 1 : 0),
      requests,
      concurrency,
      ...(process.env.FUZZ_SLOW ? { slowMs: Number(process.env.FUZZ_SLOW) } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    running = false;
    await probe;
    loopDelay.disable();
    const samples = await cpuShare.stop();

    const health = probes
      .map(({ from, to }) => ({ ms: to - from, factor: factorDuring(samples, from, to) }))
      .map((probe) => ({ ...probe, cpuMs: probe.ms / probe.factor }));
    const quantile = (values: number[], q: number) =>
      Math.round([...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN);
    const slowest = health.reduce((worst, probe) => (probe.cpuMs > worst.cpuMs ? probe : worst), health[0]!);
    const factors = samples.map((sample) => sample.factor);
    console.log(
      `fuzzer on ${backend}: ${result.sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(result.statuses)}; ` +
        `CPU share factor median ${quantile(factors, 0.5)}, max ${quantile(factors, 1)}; ` +
        `/healthz ${health.length} probes: clock median ${quantile(
          health.map((probe) => probe.ms),
          0.5,
        )} ms, slowest ${quantile(
          health.map((probe) => probe.ms),
          1,
        )} ms; ` +
        `divided by the CPU share: median ${quantile(
          health.map((probe) => probe.cpuMs),
          0.5,
        )} ms, slowest ${Math.round(slowest.cpuMs)} ms (${Math.round(slowest.ms)} ms at factor ${slowest.factor.toFixed(1)}); ` +
        `node's event loop delay max ${Math.round(loopDelay.max / 1e6)} ms, p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms; ` +
        `slowest requests ${JSON.stringify(result.slowest)}; sent again after a closed keep-alive connection: ${result.retriedResets}`,
    );
    const failures = [...result.failures, ...problems];
    if (failures.length > 0) throw new Error(`fuzzer seed ${seed} on ${backend} (FUZZ_SEED=${seed} to repeat):\n${failures.join("\n")}`);
    expect(result.sent).toBeGreaterThanOrEqual(requests);
    // A closed keep-alive connection is resent once (as browsers do), but it must stay rare.
    expect(result.retriedResets).toBeLessThanOrEqual(10);
    expect(health.length).toBeGreaterThan(10);
    expect(samples.length).toBeGreaterThan(10);
    expect(slowest.cpuMs).toBeLessThan(healthBoundMs);
    // Most requests should get past validation to the resolvers: a fuzzer that only ever hears 400 tests little.
    expect((result.statuses[200] ?? 0) / requests).toBeGreaterThan(0.2);
  }, 1_200_000);
});
