// The composition root's programmatic entry: the one place a node is put together
// (`leitplanken serve`, the demo, the benchmarks and the test harnesses all call `assembleNode`).
export { assembleNode, SHUTDOWN_GRACE_MS, type NodeOverrides, type RunningNode } from "./node.ts";
export { loadConfig, ConfigError, type Config, type NodeRole } from "./config.ts";
export { createLogger, type Logger } from "./logger.ts";
