import { classifyHttpError, type HttpErrorStatus } from "@leitplanken/core";
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { html, type SafeHtml } from "./html.ts";
import type { Language } from "./i18n.ts";
import { layout, type PageContext } from "./layout.ts";
import { requestScope, sendPage, type WebRouterDeps } from "./page.ts";

/** The statuses a visitor can meet, each with a calm page in German and English. */
export type ErrorStatus = HttpErrorStatus;

type Bilingual = Record<Language, string>;

const texts: Record<ErrorStatus, { title: Bilingual; text: Bilingual }> = {
  400: {
    title: { de: "Diese Anfrage ist ungültig", en: "This request is not valid" },
    text: {
      de: "Die Adresse oder das Formular enthält etwas, das dieses Register nicht versteht. Bitte prüfen Sie die Eingabe.",
      en: "The address or the form contains something this register does not understand. Please check what you entered.",
    },
  },
  403: {
    title: { de: "Nicht erlaubt", en: "Not allowed" },
    text: { de: "Dafür fehlt die Berechtigung.", en: "You do not have permission for this." },
  },
  404: {
    title: { de: "Seite nicht gefunden", en: "Page not found" },
    text: {
      de: "Diese Adresse gibt es in diesem Register nicht. Vielleicht hilft die Suche weiter.",
      en: "This address does not exist in this register. The search may help.",
    },
  },
  413: {
    title: { de: "Zu viele Daten", en: "Too much data" },
    text: {
      de: "Die Anfrage ist zu groß. Bitte kürzen Sie die Eingabe und senden Sie sie erneut.",
      en: "The request is too large. Please shorten what you entered and send it again.",
    },
  },
  415: {
    title: { de: "Format nicht unterstützt", en: "Format not supported" },
    text: {
      de: "Die Anfrage ist in einem Format oder einer Kodierung, die dieses Register nicht liest (erwartet: UTF-8).",
      en: "The request uses a format or encoding this register does not read (expected: UTF-8).",
    },
  },
  429: {
    title: { de: "Zu viele Anfragen", en: "Too many requests" },
    text: {
      de: "Von Ihrer Adresse kamen in kurzer Zeit zu viele Anfragen. Bitte warten Sie einen Moment.",
      en: "Too many requests came from your address in a short time. Please wait a moment.",
    },
  },
  500: {
    title: { de: "Ein Fehler ist aufgetreten", en: "Something went wrong" },
    text: {
      de: "Die Seite konnte nicht geladen werden. Bitte versuchen Sie es später erneut.",
      en: "The page could not be loaded. Please try again later.",
    },
  },
  503: {
    title: { de: "Gerade nicht verfügbar", en: "Not available right now" },
    text: {
      de: "Die Anfrage hat zu lange gedauert oder das Register ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.",
      en: "The request took too long or the register is busy right now. Please try again in a moment.",
    },
  },
};

const retryText: Bilingual = { de: "Bitte versuchen Sie es in {s} Sekunden erneut.", en: "Please try again in {s} seconds." };
const referenceText: Bilingual = { de: "Kennung der Anfrage (für Rückfragen):", en: "Request reference (for enquiries):" };
const searchText: Bilingual = { de: "Zur Suche", en: "Go to the search" };

export interface ErrorPageDetails {
  /** A message written for the visitor (never an internal error's text). */
  detail?: string;
  retryAfterSeconds?: number;
  requestId?: string;
}

/** The styled page for an error status, in the visitor's language, inside the site's layout. */
export function errorPage(context: PageContext, status: ErrorStatus, details: ErrorPageDetails = {}): SafeHtml {
  const language = context.t.language;
  const { title, text } = texts[status];
  return layout(
    context,
    title[language],
    html`<h1>${title[language]}</h1>
      <p>${text[language]}</p>
      ${details.detail ? html`<p class="notice error">${details.detail}</p>` : null}
      ${details.retryAfterSeconds !== undefined ? html`<p>${retryText[language].replace("{s}", String(details.retryAfterSeconds))}</p>` : null}
      ${details.requestId ? html`<p class="muted">${referenceText[language]} <code>${details.requestId}</code></p>` : null}
      <p><a href="/">${context.t.t("backToRegister")}</a>${status === 404 ? html` · <a href="/search">${searchText[language]}</a>` : null}</p>`,
  );
}

/** Browsers get the styled page; API and ActivityPub clients get JSON in the GraphQL error shape. */
function wantsPage(req: Request): boolean {
  if (req.path === "/graphql" && req.method !== "GET") return false;
  return req.accepts(["json", "html", "application/activity+json", "application/ld+json"]) === "html";
}

function requestIdOf(res: Response): string | undefined {
  const id = res.getHeader("X-Request-Id");
  return typeof id === "string" ? id : undefined;
}

/**
 * The end of the node's chain: every unknown URL gets a 404 and every error that reached here
 * a 4xx/5xx, as the styled page (German/English, the site's layout, no stack trace or path) for
 * browsers and as JSON (`{ errors: [{ message, extensions: { code } }] }`) for everyone else.
 */
export function createErrorPages(deps: Pick<WebRouterDeps, "origin" | "city" | "onUnexpectedError">): {
  notFound: RequestHandler;
  errorHandler: ErrorRequestHandler;
  /** Answers with a status directly (e.g. the request deadline's 503, a rate limit's 429). */
  send(req: Request, res: Response, status: ErrorStatus, details?: ErrorPageDetails & { code?: string; message?: string }): void;
} {
  const send = (req: Request, res: Response, status: ErrorStatus, details: ErrorPageDetails & { code?: string; message?: string } = {}) => {
    if (res.headersSent) return;
    if (details.retryAfterSeconds !== undefined) res.set("Retry-After", String(details.retryAfterSeconds));
    res.set("Cache-Control", "no-store");
    if (wantsPage(req)) {
      const { context } = requestScope(req, res, deps);
      sendPage(res, errorPage(context, status, { ...details, requestId: requestIdOf(res) }), status);
      return;
    }
    const code = details.code ?? classifyHttpError({ status }).code;
    const message = details.message ?? classifyHttpError({ status }).message;
    res
      .status(status)
      .type("application/json")
      .send(
        JSON.stringify({
          errors: [{ message, extensions: { code, ...(details.retryAfterSeconds !== undefined ? { retryAfterSeconds: details.retryAfterSeconds } : {}) } }],
        }),
      );
  };
  return {
    send,
    notFound: (req, res) => send(req, res, 404, { message: `No route for ${req.method} ${req.path.slice(0, 200)}.` }),
    errorHandler: (error, req, res, next) => {
      // A handler that answers after the request deadline already sent the 503: nothing left to say.
      if (res.headersSent && (error as { code?: unknown } | null)?.code === "ERR_HTTP_HEADERS_SENT") return;
      if (res.headersSent) return next(error);
      const classified = classifyHttpError(error);
      if (classified.status === 500) deps.onUnexpectedError?.(error);
      send(req, res, classified.status, {
        code: classified.code,
        message: classified.message,
        ...(classified.retryAfterSeconds !== undefined ? { retryAfterSeconds: classified.retryAfterSeconds } : {}),
      });
    },
  };
}
