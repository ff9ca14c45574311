import { describe, expect, it } from "@jest/globals";
import type { Catalog } from "./catalog.entity.ts";
import { validateReport, type Report } from "./report.entity.ts";
import {
  checkReportRate,
  closeReport,
  describeReportError,
  fileReport,
  hashClientAddress,
  normalizeClientAddress,
  rateWindowStart,
  reportRateLimit,
  type ReportError,
} from "./report.workflow.ts";

const now = new Date("2026-03-01T10:00:00Z");
const secret = "a-node-secret-of-32-characters!!";
const catalog: Catalog = {
  id: "https://hub.nrw.example/catalogs/ki-katalog-nrw",
  handle: "ki-katalog-nrw",
  name: { de: "KI-Katalog NRW" },
  description: { de: "Katalog" },
  moderators: [{ type: "actor", id: "https://ki.koeln.example/actors/koeln" }],
  policy: { acceptedKinds: ["use-case"], openTo: "anyone", memberApprovalRequired: false },
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};
const citizen = { type: "anonymous" as const, addressHash: hashClientAddress("203.0.113.7", secret) };
const input = { target: "https://ki.dortmund.example/use-cases/chatbot", category: "factual-error", text: "Die Kontaktadresse stimmt nicht." };
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);

function filed(): Report {
  const result = fileReport(input, { id: "https://hub.nrw.example/reports/1", catalogId: catalog.id, reporter: citizen, now, recentFromAddress: [] });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.report;
}

describe("client addresses", () => {
  it("are hashed with the node's secret, never kept", () => {
    const hash = hashClientAddress("203.0.113.7", secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain("203");
    expect(hashClientAddress("::ffff:203.0.113.7", secret)).toBe(hash);
    expect(hashClientAddress("203.0.113.7", `${secret}-other`)).not.toBe(hash);
    expect(() => hashClientAddress("203.0.113.7", "short")).toThrow(/secret/);
  });

  it("count IPv6 addresses per /64", () => {
    expect(normalizeClientAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(normalizeClientAddress("2001:DB8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(normalizeClientAddress("2001:db8::5")).toBe("2001:db8:0:0::/64");
    expect(normalizeClientAddress("::1")).toBe("0:0:0:0::/64");
  });
});

describe("the report rate limit", () => {
  it("takes 20 reports per address and minute and refuses the 21st", () => {
    const twenty = Array.from({ length: 20 }, (_, index) => secondsAgo(index * 2));
    expect(checkReportRate(twenty.slice(0, 19), now)).toEqual({ ok: true });
    const refused = checkReportRate(twenty, now);
    expect(refused.ok).toBe(false);
    // The oldest of the twenty (38 s ago) leaves the window in 22 s.
    expect(!refused.ok && refused.error.retryAfterSeconds).toBe(22);
  });

  it("forgets reports older than a minute", () => {
    const old = Array.from({ length: 40 }, () => secondsAgo(61));
    expect(checkReportRate([...old, ...Array.from({ length: 19 }, () => secondsAgo(1))], now)).toEqual({ ok: true });
    expect(rateWindowStart(now).getTime()).toBe(now.getTime() - reportRateLimit.windowMs);
  });

  it("applies to anonymous reporters, not to actors", () => {
    const full = Array.from({ length: 20 }, () => secondsAgo(5));
    const anonymous = fileReport(input, { id: "https://hub.nrw.example/reports/2", catalogId: null, reporter: citizen, now, recentFromAddress: full });
    expect(!anonymous.ok && anonymous.error.type).toBe("rate-limited");
    const actor = fileReport(input, {
      id: "https://hub.nrw.example/reports/3",
      catalogId: null,
      reporter: { type: "actor", id: "https://ki.muenster.example/actors/m" },
      now,
      recentFromAddress: full,
    });
    expect(actor.ok).toBe(true);
  });
});

describe("reports", () => {
  it("validate the reporter's input with bilingual messages", () => {
    const report = filed();
    expect(validateReport(report).ok).toBe(true);
    expect(report.status).toEqual({ state: "open" });
    const invalid = fileReport(
      { target: "not a url", category: "rumour", text: "x".repeat(2_001) },
      { id: "https://hub.nrw.example/reports/4", catalogId: null, reporter: citizen, now },
    );
    expect(invalid.ok).toBe(false);
    if (invalid.ok || invalid.error.type !== "invalid-report") throw new Error("expected invalid-report");
    expect(invalid.error.errors.map((error) => error.path).sort()).toEqual(["category", "target", "text"]);
    expect(invalid.error.errors.find((error) => error.path === "text")?.message.en).toBe("At most 2000 characters allowed.");
  });

  it("are resolved or dismissed only by the catalog's moderators, with a reason, once", () => {
    const report = filed();
    const moderator = { type: "actor" as const, id: "https://ki.koeln.example/actors/koeln" };
    const byStranger = closeReport(report, "resolved", { type: "local", name: "Erika" }, { scope: "catalog", catalog }, "erledigt", now);
    expect(!byStranger.ok && byStranger.error.type).toBe("not-moderator");
    expect(byStranger.log).toMatchObject({ kind: "report-resolved", refused: true, targetType: "report" });
    const asNode = closeReport(report, "resolved", { type: "local", name: "Ada" }, { scope: "node", role: "admin" }, "erledigt", now);
    expect(!asNode.ok && asNode.error.type).toBe("wrong-catalog");
    expect(!closeReport(report, "dismissed", moderator, { scope: "catalog", catalog }, "", now).ok).toBe(true);

    const dismissed = closeReport(report, "dismissed", moderator, { scope: "catalog", catalog }, "Die Adresse ist richtig.", now, { confidential: true });
    if (!dismissed.ok) throw new Error("expected ok");
    expect(dismissed.report.status).toEqual({ state: "dismissed", by: moderator, at: now.toISOString(), reason: "Die Adresse ist richtig." });
    expect(dismissed.log).toMatchObject({ kind: "report-dismissed", confidential: true, refused: false });
    const again = closeReport(dismissed.report, "resolved", moderator, { scope: "catalog", catalog }, "doch", now);
    expect(!again.ok && again.error.type).toBe("report-closed");
  });

  it("about the node's own records are handled by local admins and moderators", () => {
    const nodeReport = { ...filed(), catalogId: null };
    expect(closeReport(nodeReport, "resolved", { type: "local", name: "Mo" }, { scope: "node", role: "moderator" }, "korrigiert", now).ok).toBe(true);
    const editor = closeReport(nodeReport, "resolved", { type: "local", name: "Ed" }, { scope: "node", role: "editor" }, "korrigiert", now);
    expect(!editor.ok && editor.error.type).toBe("not-moderator");
  });

  it("have bilingual error texts", () => {
    const errors: ReportError[] = [
      { type: "invalid-report", errors: [] },
      { type: "rate-limited", retryAfterSeconds: 12 },
      { type: "not-moderator", actor: { type: "local", name: "x" } },
      { type: "wrong-catalog", catalogId: null, actualCatalogId: "x" },
      { type: "report-closed", state: "resolved" },
      { type: "invalid-reason", errors: [] },
    ];
    for (const error of errors) {
      const message = describeReportError(error);
      expect(message.de).not.toBe(message.en);
    }
    expect(describeReportError({ type: "rate-limited", retryAfterSeconds: 12 }).de).toContain("12 Sekunden");
  });
});
