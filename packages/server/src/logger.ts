import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs on stdout. Headers that carry secrets are redacted wherever they
 * appear, so a token or signature never reaches a log file.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "leitplanken" },
      redact: {
        paths: ["req.headers.authorization", "req.headers.cookie", "req.headers.signature", 'req.headers["signature-input"]', 'res.headers["set-cookie"]'],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
