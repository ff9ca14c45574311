import { AsyncLocalStorage } from "node:async_hooks";
import { configure, type LogLevel, type LogRecord } from "@logtape/logtape";
import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs on stdout, one object per line. What a line may hold is decided here:
 * no client addresses and no request headers (a reporter's address is hashed before it is
 * stored; a log line with it would undo that), and fields that carry secrets are removed
 * wherever they appear, so a token, signature or key never reaches a log file.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "leitplanken" },
      redact: {
        paths: ["req.headers", "req.remoteAddress", "req.remotePort", "res.headers", "*.authorization", "*.cookie", "*.privateKey", "*.password", "*.secret"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

/** A request as the log shows it: its id, method and path; no query (search terms), headers or address. */
export function requestForLog(req: { id?: unknown; method?: string; url?: string }): { id: unknown; method: string | undefined; path: string | undefined } {
  return { id: req.id, method: req.method, path: req.url?.split("?")[0] };
}

const levelOfLogTape: Record<LogLevel, "trace" | "debug" | "info" | "warn" | "error" | "fatal"> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warning: "warn",
  error: "error",
  fatal: "fatal",
};

const logTapeLevelOf: Record<string, LogLevel | null> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warn: "warning",
  error: "error",
  fatal: "fatal",
  silent: null,
};

// Property names of library log records that may carry a secret or a person's address.
const secretKey = /authorization|cookie|signature|private|password|secret|token|remote_?addr|client_?ip|forwarded/i;

/** A LogTape property as a JSON field: errors as name, message and stack; secrets out; bounded size. */
function fieldValue(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  if (value instanceof URL) return value.href;
  if (value === null || typeof value !== "object") return typeof value === "string" && value.length > 2_000 ? `${value.slice(0, 2_000)}…` : value;
  if (depth >= 3) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => fieldValue(item, depth + 1));
  if (value instanceof Headers || value instanceof Request || value instanceof Response) return `[${value.constructor.name}]`;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !secretKey.test(key))
      .slice(0, 50)
      .map(([key, item]) => [key, fieldValue(item, depth + 1)]),
  );
}

function messageText(record: LogRecord): string {
  return record.message
    .map((part, index) => {
      if (index % 2 === 0) return String(part);
      const shown = fieldValue(part);
      return typeof shown === "string" ? shown : JSON.stringify(shown);
    })
    .join("")
    .slice(0, 4_000);
}

/**
 * Routes LogTape (Fedify's logs, our queue's) into the node's JSON log at the configured level:
 * a stalled delivery or a database outage shows up there. LogTape is configured once per
 * process; a later call (several nodes in one test process) routes into the newest logger.
 */
export async function routeLibraryLogs(logger: Logger, level: string): Promise<void> {
  const lowestLevel = logTapeLevelOf[level] ?? "info";
  await configure({
    reset: true,
    sinks: {
      node: (record: LogRecord) => {
        const fields: Record<string, unknown> = { category: record.category.join(".") };
        for (const [key, value] of Object.entries(record.properties)) {
          if (!secretKey.test(key) && key !== "level" && key !== "msg" && key !== "time") fields[key] = fieldValue(value);
        }
        logger[levelOfLogTape[record.level]](fields, messageText(record));
      },
    },
    // Fedify keeps per-request context (e.g. which activity a line is about) in it.
    contextLocalStorage: new AsyncLocalStorage(),
    loggers: [
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["node"] },
      { category: ["fedify"], lowestLevel, sinks: ["node"] },
      // Fedify's request log sees every request (pages too, which it passes on with a 404) with its
      // full URL, search terms included: the node's own request log (without queries) replaces it.
      { category: ["fedify", "federation", "http"], lowestLevel: "error", sinks: ["node"], parentSinks: "override" },
      { category: ["leitplanken"], lowestLevel, sinks: ["node"] },
    ],
  });
}
