import express, { type Request, type Response } from "express";
import { runQuery } from "./graphql-client.ts";
import { isHttps, requestScope, sendPage, type WebRouterDeps } from "./page.ts";
import { reportCategories, reportRecordMutation, type ReportResult } from "./report.queries.ts";
import { reportRefusedPage, reportThanksPage, type ReportFormToken } from "./report.views.ts";
import { messagePage, recordHref, type RecordPageKind } from "./register.views.ts";
import { VisitorTokens } from "./visitor-token.ts";

const reportBody = express.urlencoded({ extended: false, limit: "20kb", parameterLimit: 20 });
const recordKinds: readonly RecordPageKind[] = ["use-case", "guideline", "model"];

/**
 * Citizens' error reports: record pages get a form token for the visitor (`formToken`), and
 * `POST /report` passes the report to the API's `reportRecord` with the visitor's address, which
 * the API rate-limits by.
 */
export function reportRoutes(deps: WebRouterDeps) {
  const tokens = new VisitorTokens(deps.visitorFormSecret === undefined ? undefined : Buffer.from(deps.visitorFormSecret, "utf8"));
  const cookieName = isHttps(deps.origin) ? "__Host-leitplanken-visitor" : "leitplanken-visitor";

  /** The visitor's form token; a visitor without the cookie gets one with this response. */
  function formToken(req: Request, res: Response): ReportFormToken {
    let visitorId = requestScope(req, res, deps).cookies[cookieName];
    if (!visitorId) {
      visitorId = tokens.newVisitorId();
      // Lax is enough: another site's POST does not carry it. HttpOnly: no script needs it.
      res.cookie(cookieName, visitorId, { httpOnly: true, sameSite: "lax", secure: isHttps(deps.origin), path: "/" });
    }
    return { csrfToken: tokens.tokenFor(visitorId) };
  }

  const router = express.Router();
  router.post("/report", reportBody, async (req, res) => {
    const { context, cookies } = requestScope(req, res, deps);
    res.set("Cache-Control", "no-store");
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (!tokens.matches(cookies[cookieName], form._csrf)) {
      return sendPage(res, messagePage(context, context.t.t("errorTitle"), context.t.t("csrfRefused")), 403);
    }
    const target = typeof form.target === "string" ? form.target.trim() : "";
    const kind = recordKinds.find((entry) => entry === form.kind);
    const back = kind && URL.canParse(target) ? recordHref(deps.origin, kind, target) : "/";
    const category = reportCategories.find((entry) => entry === form.category);
    if (!category) return sendPage(res, reportRefusedPage(context, { message: context.t.t("invalidReportCategory") }, back), 422);
    const text = typeof form.text === "string" && form.text.trim() ? form.text.trim() : undefined;
    const { result } = await runQuery<{ result: ReportResult }>(
      deps.graphql,
      reportRecordMutation,
      { lang: context.t.language, target, category, text },
      undefined,
      { clientAddress: req.ip ?? req.socket.remoteAddress ?? "" },
    );
    if (result.__typename === "ReportRecordSuccess") return sendPage(res, reportThanksPage(context, back));
    if ("retryAfterSeconds" in result) {
      res.set("Retry-After", String(result.retryAfterSeconds));
      const message = context.t.t("tooManyReports").replace("{seconds}", context.t.number(result.retryAfterSeconds));
      return sendPage(res, reportRefusedPage(context, { message }, back), 429);
    }
    const refusal = result as { message: { text: string }; fieldErrors?: { path: string; message: { text: string } }[] };
    sendPage(res, reportRefusedPage(context, { message: refusal.message.text, fieldErrors: refusal.fieldErrors }, back), 422);
  });
  return { router, formToken };
}
