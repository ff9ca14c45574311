import { resolve } from "node:path";
import { z } from "zod";

/** The node's configuration, parsed once at start from the environment. */
export interface Config {
  port: number;
  /** Public base URL without trailing slash, e.g. https://ki.dortmund.de */
  origin: string;
  databaseUrl: string | undefined;
  /** PGlite's folder; unused when databaseUrl is set. */
  dataDir: string;
  /** The city's account name, e.g. `stadt` (acct:stadt@host). */
  handle: string;
  /** Display name of the city's actor. */
  displayName: string;
  /** A stable organisation id of the municipality, e.g. the Amtlicher Gemeindeschlüssel. */
  municipalityId: string;
  website: string;
  allowPrivateAddress: boolean;
  /** Domains this node never federates with (subdomains included), in addition to blocks stored by admins. */
  blockedDomains: string[];
  /** Queue handlers at once in this process; unset lanes are sized to the machine (db's `defaultQueueConcurrency`). */
  queueConcurrency: { outbox?: number | undefined; inbox?: number | undefined };
  /** How long a request to another server (a delivery, a fetch) may wait for an answer, in ms. */
  outboundTimeoutMs: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no"], { error: "must be true or false" })
  .transform((value) => ["1", "true", "yes"].includes(value));

const environmentSchema = z.object({
  PORT: z.coerce
    .number({ error: "must be a whole number from 1 to 65535" })
    .int("must be a whole number from 1 to 65535")
    .min(1, "must be a whole number from 1 to 65535")
    .max(65535, "must be a whole number from 1 to 65535")
    .default(8080),
  LEITPLANKEN_ORIGIN: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://ki.example.de" })
    .refine((value) => {
      const url = new URL(value);
      return url.pathname === "/" && !url.search && !url.hash;
    }, "must be a bare origin without path, query or fragment, such as https://ki.example.de")
    .optional(),
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// connection string")
    .optional(),
  LEITPLANKEN_DATA_DIR: z.string().min(1, "must not be empty").default("./data/node"),
  LEITPLANKEN_HANDLE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be lower-case letters, digits, - or _ (e.g. stadt)")
    .default("stadt"),
  LEITPLANKEN_NAME: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
  LEITPLANKEN_MUNICIPALITY_ID: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,64}$/, "must be an organisation id such as 05913000 (letters, digits, : . _ -)")
    .optional(),
  LEITPLANKEN_WEBSITE: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://www.dortmund.de/" }).optional(),
  LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: booleanFlag.default(false),
  LEITPLANKEN_BLOCKED_DOMAINS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((domain) => domain.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((domains) => domains.every((domain) => /^[a-z0-9.-]+$/.test(domain)), "must be a comma-separated list of domain names")
    .default([]),
  LEITPLANKEN_DELIVERY_CONCURRENCY: z.coerce
    .number({ error: "must be a whole number from 1 to 256" })
    .int("must be a whole number from 1 to 256")
    .min(1, "must be a whole number from 1 to 256")
    .max(256, "must be a whole number from 1 to 256")
    .optional(),
  LEITPLANKEN_INBOX_CONCURRENCY: z.coerce
    .number({ error: "must be a whole number from 1 to 64" })
    .int("must be a whole number from 1 to 64")
    .min(1, "must be a whole number from 1 to 64")
    .max(64, "must be a whole number from 1 to 64")
    .optional(),
  LEITPLANKEN_DELIVERY_TIMEOUT: z.coerce
    .number({ error: "must be a number of seconds from 1 to 300" })
    .min(1, "must be a number of seconds from 1 to 300")
    .max(300, "must be a number of seconds from 1 to 300")
    .default(15),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
});

/** Parses the environment; throws a ConfigError whose message names the variable and the problem. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset, as in most deployment tools.
  const present = Object.fromEntries(
    Object.keys(environmentSchema.shape)
      .map((key) => [key, environment[key]])
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    const shown = variable === "DATABASE_URL" ? "" : ` (got "${present[variable]}")`;
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}.`);
  }
  const env = parsed.data;
  const origin = (env.LEITPLANKEN_ORIGIN ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  return {
    port: env.PORT,
    origin,
    databaseUrl: env.DATABASE_URL,
    dataDir: resolve(env.LEITPLANKEN_DATA_DIR),
    handle: env.LEITPLANKEN_HANDLE,
    displayName: env.LEITPLANKEN_NAME ?? env.LEITPLANKEN_HANDLE,
    municipalityId: env.LEITPLANKEN_MUNICIPALITY_ID ?? "",
    website: env.LEITPLANKEN_WEBSITE ?? `${origin}/`,
    allowPrivateAddress: env.LEITPLANKEN_ALLOW_PRIVATE_ADDRESS,
    blockedDomains: env.LEITPLANKEN_BLOCKED_DOMAINS,
    queueConcurrency: { outbox: env.LEITPLANKEN_DELIVERY_CONCURRENCY, inbox: env.LEITPLANKEN_INBOX_CONCURRENCY },
    outboundTimeoutMs: Math.round(env.LEITPLANKEN_DELIVERY_TIMEOUT * 1000),
    logLevel: env.LOG_LEVEL,
  };
}

/** The configuration table of the README, kept next to the parser so they cannot drift. */
export const configurationVariables = [
  ["PORT", "8080", "TCP port the node listens on."],
  ["LEITPLANKEN_ORIGIN", "http://localhost:PORT", "Public base URL of the node (the host in every IRI it publishes)."],
  ["DATABASE_URL", "(unset)", "PostgreSQL connection string; unset = embedded PGlite."],
  ["LEITPLANKEN_DATA_DIR", "./data/node", "Folder of the embedded PGlite database."],
  ["LEITPLANKEN_HANDLE", "stadt", "The city's account name (acct:HANDLE@host)."],
  ["LEITPLANKEN_NAME", "HANDLE", "Display name of the city."],
  ["LEITPLANKEN_MUNICIPALITY_ID", "(empty)", "Stable organisation id of the municipality, e.g. the Amtlicher Gemeindeschlüssel 05913000."],
  ["LEITPLANKEN_WEBSITE", "ORIGIN/", "The city's website, shown on its actor profile."],
  ["LEITPLANKEN_BLOCKED_DOMAINS", "(empty)", "Comma-separated domains this node never federates with (subdomains included)."],
  ["LEITPLANKEN_ALLOW_PRIVATE_ADDRESS", "false", "Allow federation with private/loopback addresses (local networks and tests only)."],
  [
    "LEITPLANKEN_DELIVERY_CONCURRENCY",
    "4 per CPU core (4–32)",
    "Deliveries to other servers in flight at once in this process; one follower that does not answer holds only one of them.",
  ],
  ["LEITPLANKEN_INBOX_CONCURRENCY", "1 per CPU core (2–8)", "Inbound activities handled at once in this process."],
  [
    "LEITPLANKEN_DELIVERY_TIMEOUT",
    "15",
    "Seconds a request to another server (a delivery, a fetch) may wait for an answer; then it counts as failed and is retried later.",
  ],
  ["LOG_LEVEL", "info", "fatal, error, warn, info, debug, trace or silent."],
] as const;
