import { isIP } from "node:net";
import { resolve } from "node:path";
import { z } from "zod";
import { oidcConfigFrom, oidcConfigurationVariables, oidcEnvironmentShape, secretVariables, type OidcConfig } from "./oidc-config.ts";

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
  /** A secret that lets a monitoring system read /metrics from elsewhere than this machine (see metrics-access.ts). */
  metricsToken: string | undefined;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** The address the HTTP server listens on. */
  bindAddress: string;
  /**
   * Which proxies in front of the node may name the client (`X-Forwarded-For`): false = none (the
   * connection's address is the client), a hop count, or addresses/CIDRs (express's `trust proxy`).
   */
  trustProxy: false | number | string[];
  /** How long one request may take before the node answers 503 (and PostgreSQL cancels its statement), in ms. */
  requestTimeoutMs: number;
  /** Staff sign-in through the city's identity provider; undefined: API tokens only. */
  oidc: OidcConfig | undefined;
  /**
   * What this process does: `web` answers HTTP (pages, API, federation) and leaves the queue to
   * others, `worker` works the queue (deliveries, inbound activities, the outbox, catch-up) and
   * answers only /healthz, /readyz and /metrics, `all` does both (the only choice on PGlite).
   */
  role: NodeRole;
}

export const nodeRoles = ["all", "web", "worker"] as const;
export type NodeRole = (typeof nodeRoles)[number];

export class ConfigError extends Error {
  override name = "ConfigError";
}

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no"], { error: "must be true or false" })
  .transform((value) => ["1", "true", "yes"].includes(value));

const environmentSchema = z.object({
  ...oidcEnvironmentShape,
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
  LEITPLANKEN_BIND: z
    .string()
    .refine((value) => value === "localhost" || isIP(value) !== 0, "must be an IP address to listen on, such as 127.0.0.1, 0.0.0.0 or ::")
    .default("0.0.0.0"),
  LEITPLANKEN_TRUST_PROXY: z
    .string()
    .transform((value, context) => {
      const trimmed = value.trim();
      if (/^\d+$/.test(trimmed)) return Number(trimmed);
      const entries = trimmed
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
      const invalid = entries.find((entry) => !isTrustedProxyEntry(entry));
      if (invalid !== undefined) {
        context.addIssue({
          code: "custom",
          message: `must be a number of proxies or a comma-separated list of addresses or CIDRs such as 10.0.0.5, 10.0.0.0/8 or loopback ("${invalid}" is neither)`,
        });
        return z.NEVER;
      }
      return entries;
    })
    .optional(),
  LEITPLANKEN_REQUEST_TIMEOUT: z.coerce
    .number({ error: "must be a number of seconds from 1 to 300" })
    .min(1, "must be a number of seconds from 1 to 300")
    .max(300, "must be a number of seconds from 1 to 300")
    .default(10),
  LEITPLANKEN_METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{24,200}$/, "must be 24 to 200 printable characters without spaces (e.g. from: openssl rand -hex 24)")
    .optional(),
  LEITPLANKEN_ROLE: z.enum(nodeRoles, { error: "must be all, web or worker" }).default("all"),
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
    const shown =
      variable === "DATABASE_URL" || variable === "LEITPLANKEN_METRICS_TOKEN" || secretVariables.has(variable) ? "" : ` (got "${present[variable]}")`;
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}.`);
  }
  const env = parsed.data;
  const oidc = oidcConfigFrom(env);
  if (oidc && "missing" in oidc) throw new ConfigError(`Invalid configuration: ${oidc.missing} must be set when LEITPLANKEN_OIDC_ISSUER is.`);
  if (env.LEITPLANKEN_ROLE !== "all" && !env.DATABASE_URL) {
    throw new ConfigError(
      `Invalid configuration: LEITPLANKEN_ROLE ${env.LEITPLANKEN_ROLE} needs DATABASE_URL (PostgreSQL): a PGlite data folder is served by one process, which does everything (all).`,
    );
  }
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
    metricsToken: env.LEITPLANKEN_METRICS_TOKEN,
    logLevel: env.LOG_LEVEL,
    bindAddress: env.LEITPLANKEN_BIND,
    trustProxy: env.LEITPLANKEN_TRUST_PROXY === undefined || env.LEITPLANKEN_TRUST_PROXY === 0 ? false : env.LEITPLANKEN_TRUST_PROXY,
    requestTimeoutMs: Math.round(env.LEITPLANKEN_REQUEST_TIMEOUT * 1000),
    oidc,
    role: env.LEITPLANKEN_ROLE,
  };
}

/** A proxy address, a CIDR range or one of express's names for ranges (loopback, linklocal, uniquelocal). */
function isTrustedProxyEntry(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split("/");
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
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
  ["LEITPLANKEN_BIND", "0.0.0.0", "Address the node listens on; 127.0.0.1 when a reverse proxy on the same machine is the only way in."],
  [
    "LEITPLANKEN_TRUST_PROXY",
    "(none)",
    "Reverse proxies allowed to name the client in X-Forwarded-For: their addresses or CIDRs (comma-separated, e.g. 127.0.0.1 or 10.0.0.0/8), or the number of proxies in front. Unset: nobody is trusted and the connection's address is the client (rate limits, report limits). Set it to exactly your proxies: a trusted range that clients can reach lets them pick their own address.",
  ],
  ["LEITPLANKEN_REQUEST_TIMEOUT", "10", "Seconds one request may take; then the node answers 503 and PostgreSQL cancels its statement."],
  [
    "LEITPLANKEN_METRICS_TOKEN",
    "(unset)",
    "Lets a monitoring system read `/metrics` with `Authorization: Bearer TOKEN` from elsewhere; without it only this machine (not through a proxy) and admin tokens may.",
  ],
  [
    "LEITPLANKEN_ROLE",
    "all",
    "What this process does (also `serve --role`): all; web (pages, API, federation endpoints; the queue is left to workers); worker (deliveries, inbound activities, outbox, catch-up; answers only /healthz, /readyz, /metrics). web and worker need DATABASE_URL; run any number of each on one PostgreSQL database.",
  ],
  ["LOG_LEVEL", "info", "fatal, error, warn, info, debug, trace or silent."],
  ...oidcConfigurationVariables,
] as const;
