import { createHmac } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { rolesFor } from "../permissions.ts";
import type { Role } from "../principal.ts";
import type { BilingualMessage, FieldError } from "../validation.ts";
import { type ActorRef, type Catalog, isCatalogModerator } from "./catalog.entity.ts";
import { moderationReasonSchema } from "./catalog-entry.entity.ts";
import { type NewModerationLogEntry, performedAction, refusedAction } from "./moderation-log.entity.ts";
import { type Report, type Reporter, validateReportInput } from "./report.entity.ts";

/** Citizens may file at most 20 reports per client address per minute; the 21st is refused. */
export const reportRateLimit = { maxReports: 20, windowMs: 60_000 } as const;

/**
 * How long a citizen's address hash stays with a report: it serves only the rate limit (a
 * minute), so after a day it is forgotten (data minimisation; the privacy notice says so).
 */
export const reporterAddressRetentionMs = 24 * 3600 * 1000;
export type RateLimit = { maxReports: number; windowMs: number };

export type ReportError =
  | { type: "invalid-report"; errors: FieldError[] }
  | { type: "rate-limited"; retryAfterSeconds: number }
  | { type: "not-moderator"; actor: ActorRef }
  | { type: "wrong-catalog"; catalogId: string | null; actualCatalogId: string | null }
  | { type: "report-closed"; state: "resolved" | "dismissed" }
  | { type: "invalid-reason"; errors: FieldError[] };

export type FileReportResult = { ok: true; report: Report } | { ok: false; error: ReportError };
export type CloseReportResult = { ok: true; report: Report; log: NewModerationLogEntry } | { ok: false; error: ReportError; log: NewModerationLogEntry | null };

export function describeReportError(error: ReportError): BilingualMessage {
  switch (error.type) {
    case "invalid-report":
      return {
        de: `Die Meldung ist unvollständig oder ungültig (${error.errors.map((e) => e.path).join(", ")}).`,
        en: `The report is incomplete or invalid (${error.errors.map((e) => e.path).join(", ")}).`,
      };
    case "rate-limited":
      return {
        de: `Zu viele Meldungen in kurzer Zeit. Bitte in ${error.retryAfterSeconds} Sekunden noch einmal versuchen.`,
        en: `Too many reports in a short time. Please try again in ${error.retryAfterSeconds} seconds.`,
      };
    case "not-moderator":
      return { de: "Meldungen bearbeitet nur die Moderation.", en: "Only moderators handle reports." };
    case "wrong-catalog":
      return { de: "Die Meldung gehört zu einem anderen Katalog.", en: "The report belongs to another catalog." };
    case "report-closed":
      return { de: "Diese Meldung ist schon abgeschlossen.", en: "This report is already closed." };
    case "invalid-reason":
      return { de: "Bitte eine Begründung angeben (höchstens 2.000 Zeichen).", en: "Please give a reason (at most 2,000 characters)." };
  }
}

/**
 * Whether one more report fits the limit, given the times of the address's recent reports
 * (from the database, so the limit survives restarts and holds across processes).
 */
export function checkReportRate(
  recent: readonly Date[],
  now: Date,
  limit: RateLimit = reportRateLimit,
): { ok: true } | { ok: false; error: { type: "rate-limited"; retryAfterSeconds: number } } {
  const windowStart = now.getTime() - limit.windowMs;
  const inWindow = recent
    .map((time) => time.getTime())
    .filter((time) => time > windowStart && time <= now.getTime())
    .sort((a, b) => a - b);
  if (inWindow.length < limit.maxReports) return { ok: true };
  // A slot frees up once enough of the oldest reports have left the window.
  const freedAt = inWindow[inWindow.length - limit.maxReports]! + limit.windowMs;
  return { ok: false, error: { type: "rate-limited", retryAfterSeconds: Math.max(1, Math.ceil((freedAt - now.getTime()) / 1000)) } };
}

/** Where the reports of the last window start: ask the repository for reports after this. */
export const rateWindowStart = (now: Date, limit: RateLimit = reportRateLimit) => new Date(now.getTime() - limit.windowMs);

/**
 * A keyed hash of a client address: the same address gives the same hash on this node, and
 * nobody without the node's secret can test addresses against it (IPv4 has only 2³² values).
 * IPv6 addresses count per /64, the block one household or server usually gets.
 */
export function hashClientAddress(address: string, secret: string): string {
  if (secret.length < 16) throw new Error("the address-hashing secret must have at least 16 characters");
  return createHmac("sha256", secret).update(normalizeClientAddress(address)).digest("hex");
}

export function normalizeClientAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(trimmed)) return trimmed;
  if (isIPv6(trimmed)) return `${expandIPv6(trimmed).slice(0, 4).join(":")}::/64`;
  return trimmed;
}

function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(Math.max(0, missing)).fill("0"), ...tailGroups].map((group) => group.replace(/^0+(?=.)/, ""));
}

/**
 * A report arrives. `recentFromAddress` are the times of the anonymous reporter's reports in
 * the current window (ignored for actors, whose node is answerable for them).
 */
export function fileReport(
  input: unknown,
  context: { id: string; catalogId: string | null; reporter: Reporter; now: Date; recentFromAddress?: readonly Date[] },
): FileReportResult {
  if (context.reporter.type === "anonymous") {
    const rate = checkReportRate(context.recentFromAddress ?? [], context.now);
    if (!rate.ok) return rate;
  }
  const parsed = validateReportInput(input);
  if (!parsed.ok) return { ok: false, error: { type: "invalid-report", errors: parsed.errors } };
  const text = parsed.value.text;
  return {
    ok: true,
    report: {
      id: context.id,
      catalogId: context.catalogId,
      target: parsed.value.target,
      category: parsed.value.category,
      text: text === undefined || text === "" ? null : text,
      reporter: context.reporter,
      status: { state: "open" },
      createdAt: context.now.toISOString(),
    },
  };
}

/**
 * Who may close a report: for a catalog's report, its moderators; for a report about the
 * node's own records, a local principal with the admin or moderator role.
 */
export type ReportAuthority = { scope: "catalog"; catalog: Catalog } | { scope: "node"; role: Role | null };

export function closeReport(
  report: Report,
  outcome: "resolved" | "dismissed",
  moderator: ActorRef,
  authority: ReportAuthority,
  reason: string,
  now: Date,
  options: { confidential?: boolean } = {},
): CloseReportResult {
  const authorityCatalog = authority.scope === "catalog" ? authority.catalog.id : null;
  const log = {
    catalogId: report.catalogId,
    kind: outcome === "resolved" ? ("report-resolved" as const) : ("report-dismissed" as const),
    actor: moderator,
    targetType: "report" as const,
    target: report.id,
    at: now.toISOString(),
    reason,
  };
  if (authorityCatalog !== report.catalogId) {
    return {
      ok: false,
      error: { type: "wrong-catalog", catalogId: authorityCatalog, actualCatalogId: report.catalogId },
      log: refusedAction(log, "wrong-catalog"),
    };
  }
  const permitted =
    authority.scope === "catalog"
      ? isCatalogModerator(authority.catalog, moderator)
      : moderator.type === "local" && authority.role !== null && rolesFor("node-reports.handle").includes(authority.role);
  if (!permitted) return { ok: false, error: { type: "not-moderator", actor: moderator }, log: refusedAction(log, "not-moderator") };
  const parsedReason = moderationReasonSchema.safeParse(reason);
  if (!parsedReason.success) {
    return {
      ok: false,
      error: {
        type: "invalid-reason",
        errors: [{ path: "reason", code: "invalid-reason", message: describeReportError({ type: "invalid-reason", errors: [] }) }],
      },
      log: null,
    };
  }
  if (report.status.state !== "open") return { ok: false, error: { type: "report-closed", state: report.status.state }, log: null };
  return {
    ok: true,
    report: { ...report, status: { state: outcome, by: moderator, at: now.toISOString(), reason: parsedReason.data } },
    log: performedAction({ ...log, reason: parsedReason.data, ...(options.confidential === undefined ? {} : { confidential: options.confidential }) }),
  };
}
