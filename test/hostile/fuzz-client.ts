// The fuzzer's client: generates requests from the node's introspection and sends them. It runs
// in a worker thread (fuzzer.test.ts starts it), so that generating and reading large bodies
// never delays the node's event loop: what the /healthz probe measures is the node alone.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import {
  buildClientSchema,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { leaksInternals } from "./leaks.ts";

export interface FuzzOptions {
  url: string;
  adminToken: string;
  introspection: IntrospectionQuery;
  seed: number;
  requests: number;
  concurrency: number;
  /** Log requests slower than this many milliseconds (FUZZ_SLOW). */
  slowMs?: number;
}

export interface FuzzResult {
  sent: number;
  failures: string[];
  statuses: Record<number, number>;
  slowest: { ms: number; label: string; bytes: number }[];
  /** Requests sent a second time because the node closed a reused keep-alive connection before answering. */
  retriedResets: number;
}

/** The node closed the connection before any answer: on a reused keep-alive socket this is the known
 * race with the server's keep-alive timer (likelier while the node's event loop is starved for seconds);
 * clients such as browsers send again once. A refused connection (node down) is not one of these. */
function isConnectionReset(error: unknown): boolean {
  const code = ((error as { cause?: { code?: string } }).cause ?? {}).code;
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE";
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seedValue: number) {
  let state = seedValue >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

const nasty = [
  "",
  " ",
  "Straße",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "🦙🇩🇪",
  "'; DROP TABLE use_cases; --",
  "%E0%A4%A",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "https://ki.nowhere.example/use-cases/00000000-0000-4000-8000-000000000000",
  "http://127.0.0.1:1/",
  "javascript:alert(1)",
  "\u202e\u200b\ufeff",
  "9".repeat(400),
  "NaN",
  "-1",
  "null",
  "{}",
];

function randomString(rng: Random): string {
  const roll = rng.next();
  if (roll < 0.35) return rng.pick(nasty);
  if (roll < 0.4) return rng.pick(["a ", "Wort "]).repeat(1 + rng.int(rng.chance(0.2) ? 10_000 : 300));
  const length = rng.int(rng.chance(0.05) ? 5_000 : 40);
  let text = "";
  for (let i = 0; i < length; i++) {
    const kind = rng.next();
    text += String.fromCharCode(kind < 0.6 ? 32 + rng.int(95) : kind < 0.9 ? 0xa0 + rng.int(0x2000) : rng.int(0x10000));
  }
  return text;
}

function wrongValue(rng: Random, depth: number): unknown {
  switch (rng.int(9)) {
    case 0:
      return randomString(rng);
    case 1:
      return rng.pick([0, -1, 2 ** 31, -(2 ** 53), 2 ** 53 + 7, 1.5, Number.MAX_VALUE, 1e308]);
    case 2:
      return rng.chance(0.5);
    case 3:
      return null;
    case 4:
      // Long lists only at the top, so one generated value stays small.
      return depth > 3
        ? []
        : depth === 0 && rng.chance(0.1)
          ? Array.from({ length: 2_000 }, () => randomString(rng))
          : Array.from({ length: rng.int(4) }, () => wrongValue(rng, depth + 1));
    case 5:
      return depth > 3 ? {} : { [randomString(rng).slice(0, 20) || "x"]: wrongValue(rng, depth + 1) };
    case 6: {
      // Deep nesting, as JSON allows and GraphQL input objects do not.
      let value: unknown = "tief";
      for (let i = 0; i < 50 + rng.int(500); i++) value = rng.chance(0.5) ? [value] : { a: value };
      return value;
    }
    case 7:
      return "ENUM_THAT_DOES_NOT_EXIST";
    default:
      return {};
  }
}

/** A value for `type`: mostly of the right shape (so requests reach the resolvers), often not. */
function valueFor(type: GraphQLInputType, rng: Random, depth = 0): unknown {
  if (rng.chance(0.12)) return wrongValue(rng, depth);
  if (isNonNullType(type)) return valueFor(type.ofType, rng, depth);
  if (rng.chance(0.05)) return null;
  if (isListType(type)) {
    const long = depth <= 1 && rng.chance(0.05);
    const item = long ? valueFor(type.ofType, rng, depth + 1) : undefined;
    return Array.from({ length: long ? 1_500 : rng.int(4) }, () => (long ? item : valueFor(type.ofType, rng, depth + 1)));
  }
  if (isEnumType(type)) return rng.pick(type.getValues()).name;
  if (isScalarType(type)) {
    switch (type.name) {
      case "Int":
        return rng.pick([1, 20, 100, 0, -1, 101, -100_000_000, 2 ** 31 - 1, rng.int(200)]);
      case "Float":
        return rng.pick([0, 0.5, -1, 1e9, 3.14]);
      case "Boolean":
        return rng.chance(0.5);
      case "DateTime":
        return rng.pick(["2026-11-25T10:00:00.000Z", "2026-13-45T99:00:00Z", randomString(rng)]);
      case "Date":
        return rng.pick(["2026-11-25", "0000-00-00", randomString(rng)]);
      default:
        return randomString(rng);
    }
  }
  if (isInputObjectType(type)) {
    if (depth > 6) return {};
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type);
      if (required ? rng.chance(0.95) : rng.chance(0.4)) value[field.name] = valueFor(field.type, rng, depth + 1);
    }
    if (rng.chance(0.05)) value["notAField"] = randomString(rng);
    return value;
  }
  return null;
}

/** GraphQL literal syntax for a value (strings escaped as JSON, which GraphQL strings accept). */
function literal(value: unknown, type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, isListType(type) ? type.ofType : type)).join(", ")}]`;
  if (typeof value === "object") {
    return `{ ${Object.entries(value)
      .map(
        ([key, item]) =>
          `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(key) ? key : "_"}: ${literal(item, isInputObjectType(named) ? (named.getFields()[key]?.type ?? type) : type)}`,
      )
      .join(", ")} }`;
  }
  if (typeof value === "string" && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  return JSON.stringify(value);
}

/** Mutations that reach out to other servers: fuzzed anonymously only (refused before they run), so the run stays offline and fast. */
const outbound = new Set(["followCity", "unfollowCity", "joinCatalog", "leaveCatalog", "submitToCatalog", "moderateRemoteCatalogEntry", "reportToCatalog"]);

function operation(schema: GraphQLSchema, rng: Random): { body: string; token: boolean; label: string } {
  const kind = rng.chance(0.55) ? "query" : "mutation";
  const root = kind === "query" ? schema.getQueryType()! : schema.getMutationType()!;
  const field: GraphQLField<unknown, unknown> = rng.pick(Object.values(root.getFields()));
  const args = field.args.filter((arg) => isNonNullType(arg.type) || rng.chance(0.6));
  const values = Object.fromEntries(args.map((arg) => [arg.name, valueFor(arg.type, rng)]));
  const asLiterals = rng.chance(0.25);
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? "" : " { __typename }";
  const passed = args.map((arg) => `${arg.name}: ${asLiterals ? literal(values[arg.name], arg.type) : `$${arg.name}`}`);
  const definitions = asLiterals || args.length === 0 ? "" : `(${args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ")})`;
  const query = `${kind}${definitions} { ${field.name}${passed.length ? `(${passed.join(", ")})` : ""}${selection} }`;
  const token = kind === "mutation" ? !outbound.has(field.name) && rng.chance(0.6) : rng.chance(0.2);
  return { body: JSON.stringify(asLiterals ? { query } : { query, variables: values }), token, label: `${kind} ${field.name}` };
}

/** Sends `requests` generated requests, `concurrency` at a time; stops early after 20 failures. */
export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const schema = buildClientSchema(options.introspection);
  const rng = random(options.seed);
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  const slowest: FuzzResult["slowest"] = [];
  let sent = 0;
  let retriedResets = 0;
  const worker = async () => {
    while (sent < options.requests && failures.length < 20) {
      const index = sent++;
      let generated = operation(schema, rng);
      // Bodies over the 1 MB limit are refused before they are read (hostile-input.test.ts checks the 413);
      // here they would only test the client.
      while (generated.body.length > 900_000) generated = operation(schema, rng);
      const { body, token, label } = generated;
      let status = 0;
      let text = "";
      const started = performance.now();
      const send = () =>
        fetch(`${options.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${options.adminToken}` } : {}) },
          body,
        });
      try {
        let response: Response;
        try {
          response = await send();
        } catch (error) {
          if (!isConnectionReset(error)) throw error;
          retriedResets++;
          response = await send();
        }
        status = response.status;
        text = await response.text();
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        failures.push(`#${index} ${label}: no answer (${(error as Error).message}${cause ? `: ${cause.code ?? cause.message}` : ""})`);
        continue;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      const took = performance.now() - started;
      slowest.push({ ms: Math.round(took), label, bytes: body.length });
      slowest.sort((a, b) => b.ms - a.ms).splice(5);
      if (options.slowMs && took > options.slowMs)
        console.log(`slow #${index} ${label} ${Math.round(took)} ms ${status} ${body.length} bytes: ${body.slice(0, 200)}`);
      const leak = leaksInternals(text);
      if (status >= 500 || leak)
        failures.push(`#${index} ${label}: HTTP ${status}${leak ? ` leaks ${leak}` : ""}: ${body.slice(0, 300)} → ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { sent, failures, statuses, slowest, retriedResets };
}

if (!isMainThread && (workerData as { fuzz?: FuzzOptions } | undefined)?.fuzz) {
  parentPort!.postMessage(await fuzz((workerData as { fuzz: FuzzOptions }).fuzz));
}
