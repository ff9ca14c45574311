// How much of a core a thread of this process gets right now, measured from a worker thread:
// every 50 ms it runs until it has used 3 ms of CPU and notes how long that took on the clock.
// On an idle machine the factor is 1; on a machine shared by N busy threads per core it is about
// N. The fuzzer divides the /healthz times by it, so its 1 s bound means "1 s of the CPU the
// node was given", the same on an idle CI runner and on a busy shared machine.
import { isMainThread, parentPort, workerData } from "node:worker_threads";

export interface CpuShareSample {
  /** performance.timeOrigin + performance.now() at the start and the end of the measurement. */
  from: number;
  to: number;
  /** Clock time divided by CPU time of the same work (≥ 1 when the thread was waiting for a core). */
  factor: number;
}

const cpuMs = () => {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
};
const now = () => performance.timeOrigin + performance.now();

if (!isMainThread && (workerData as { cpuShare?: boolean } | undefined)?.cpuShare) {
  const port = parentPort!;
  let stopped = false;
  port.on("message", () => {
    stopped = true;
  });
  while (!stopped) {
    const from = now();
    const cpuFrom = cpuMs();
    let x = 0;
    while (cpuMs() - cpuFrom < 3) x += Math.sqrt(x + 1);
    const to = now();
    port.postMessage({ from, to, factor: Math.max(1, (to - from) / (cpuMs() - cpuFrom)) } satisfies CpuShareSample);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  port.close();
}
