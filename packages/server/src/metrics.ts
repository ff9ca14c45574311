import type { IncomingMessage, ServerResponse } from "node:http";
import { metrics, type Attributes, type ObservableResult } from "@opentelemetry/api";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { queueBacklogs, type Database } from "@leitplanken/db";
import type { OperationReport } from "@leitplanken/graphql";
import type { Logger } from "./logger.ts";
import { softwareVersion } from "./version.ts";

/**
 * The node's metrics, in OpenTelemetry and served for Prometheus at `/metrics`. One meter
 * provider per process, installed as OpenTelemetry's global one, so that Fedify's own
 * instruments (deliveries by outcome, inbound activities, signature failures, its queue depth)
 * land beside ours. Ours:
 *
 * - `http_server_request_duration_seconds{http_request_method, http_route, http_response_status_code}`
 * - `graphql_operation_duration_seconds{graphql_operation_name, graphql_operation_type, outcome}`
 * - `leitplanken_refusals_total{door, reason}`: requests and activities the node refused, and why
 * - `leitplanken_queue_depth{queue}`, `leitplanken_queue_oldest_age_seconds{queue}`
 *
 * Labels are bounded sets: routes are grouped, operation names are capped. Our names carry their
 * unit (`_seconds`) as Prometheus names do; the exporter does not add it.
 */
export interface NodeMetrics {
  /** Counts an HTTP request once its response is sent. */
  httpRequest(method: string, path: string, status: number, seconds: number): void;
  /** Counts a GraphQL operation (from the API's operation report). */
  graphqlOperation(operation: OperationReport): void;
  /** Counts something the node refused at one of its doors. */
  refused(door: "http" | "graphql" | "inbox", reason: string): void;
  /** Answers a Prometheus scrape. */
  scrape(req: IncomingMessage, res: ServerResponse): void;
  /** Stops observing this node's database (the process's meter provider stays). */
  close(): void;
}

interface ProcessMetrics {
  exporter: PrometheusExporter;
  provider: MeterProvider;
}

let processMetrics: ProcessMetrics | undefined;

/** The process's meter provider, made and installed globally once (before Fedify reads it). */
export function installProcessMetrics(): ProcessMetrics {
  if (processMetrics) return processMetrics;
  // Served by the node's own HTTP server at /metrics, not on a port of the exporter's.
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "leitplanken", "service.version": softwareVersion }),
    readers: [exporter],
  });
  metrics.setGlobalMeterProvider(provider);
  processMetrics = { exporter, provider };
  return processMetrics;
}

/** Known queues, reported as 0 while empty (a missing series cannot be alerted on). */
const knownQueues = ["inbox", "outbox", "fanout", "outbox-events"];

/** The route of a path as a bounded label. */
export function routeGroup(path: string): string {
  if (path === "/graphql") return "/graphql";
  if (path === "/healthz" || path === "/readyz" || path === "/metrics") return path;
  if (path.startsWith("/.well-known/") || path.startsWith("/nodeinfo/")) return "/.well-known";
  if (/^\/actors\/[^/]+\/inbox$/.test(path) || path === "/inbox") return "/actors/:handle/inbox";
  if (path.startsWith("/actors/")) return "/actors";
  if (/^\/(guidelines|guideline-documents|use-cases|models|adoptions)\//.test(path)) return "/:record";
  if (path.startsWith("/staff")) return "/staff";
  if (path.startsWith("/assets/")) return "/assets";
  return "/pages";
}

/** Refusals by HTTP status: what a person or a program was told no, without a 404 (that is no refusal). */
const refusalOfStatus: Record<number, string> = {
  400: "bad-request",
  401: "unauthenticated",
  403: "forbidden",
  405: "method-not-allowed",
  413: "too-large",
  415: "unsupported-media-type",
  429: "rate-limited",
};

const operationNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const maxOperationNames = 200;

export function createNodeMetrics(deps: { db: Database; logger: Logger }): NodeMetrics {
  const { exporter, provider } = installProcessMetrics();
  const meter = provider.getMeter("leitplanken", softwareVersion);
  const httpDuration = meter.createHistogram("http.server.request.duration_seconds", {
    description: "HTTP requests the node answered, by method, route group and status.",
    unit: "s",
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  const graphqlDuration = meter.createHistogram("graphql.operation.duration_seconds", {
    description: "GraphQL operations (over HTTP and from the node's pages), by operation name, type and outcome.",
    unit: "s",
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  const refusals = meter.createCounter("leitplanken.refusals", {
    description: "Requests and activities the node refused, by door (http, graphql, inbox) and reason.",
  });
  const queueDepth = meter.createObservableGauge("leitplanken.queue.depth", { description: "Messages waiting or in hand, per queue." });
  const queueAge = meter.createObservableGauge("leitplanken.queue.oldest_age_seconds", {
    description: "Seconds since the oldest waiting message of each queue was queued (0 when empty).",
    unit: "s",
  });

  // Observed at scrape time, bounded: a frozen database must not hold the scrape.
  const observeQueues = async (result: ObservableResult, pick: "depth" | "oldestAgeSeconds") => {
    try {
      const backlogs = await Promise.race([
        queueBacklogs(deps.db),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("queue backlog query timed out")), 2_000).unref()),
      ]);
      const byQueue = new Map(knownQueues.map((queue) => [queue, 0]));
      for (const backlog of backlogs) byQueue.set(backlog.queue, backlog[pick]);
      for (const [queue, value] of byQueue) result.observe(value, { queue });
    } catch (error) {
      deps.logger.warn({ err: error }, "queue metrics unavailable");
    }
  };
  const depthCallback = (result: ObservableResult) => observeQueues(result, "depth");
  const ageCallback = (result: ObservableResult) => observeQueues(result, "oldestAgeSeconds");
  queueDepth.addCallback(depthCallback);
  queueAge.addCallback(ageCallback);

  const operationNames = new Set<string>();
  const operationLabel = (name: string | null) => {
    if (name === null) return "(anonymous)";
    if (!operationNamePattern.test(name)) return "(other)";
    if (!operationNames.has(name) && operationNames.size >= maxOperationNames) return "(other)";
    operationNames.add(name);
    return name;
  };
  const refused = (door: string, reason: string) => refusals.add(1, { door, reason });

  return {
    httpRequest(method, path, status, seconds) {
      const attributes: Attributes = {
        "http.request.method": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].includes(method) ? method : "_OTHER",
        "http.route": routeGroup(path),
        "http.response.status_code": status,
      };
      httpDuration.record(seconds, attributes);
      const reason = refusalOfStatus[status];
      if (reason) refused("http", reason);
    },
    graphqlOperation(operation) {
      graphqlDuration.record(operation.durationMs / 1000, {
        "graphql.operation.name": operationLabel(operation.name),
        "graphql.operation.type": operation.type ?? "unknown",
        outcome: operation.errorCodes.length === 0 ? "ok" : "error",
      });
      for (const code of new Set(operation.errorCodes)) if (code !== "INTERNAL_SERVER_ERROR") refused("graphql", code.toLowerCase());
    },
    refused,
    scrape(req, res) {
      exporter.getMetricsRequestHandler(req, res);
    },
    close() {
      queueDepth.removeCallback(depthCallback);
      queueAge.removeCallback(ageCallback);
    },
  };
}
