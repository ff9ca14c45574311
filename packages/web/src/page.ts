import { parseCookie } from "cookie";
import type { Request, Response } from "express";
import type { GraphQLExecutor } from "./graphql-client.ts";
import type { SafeHtml } from "./html.ts";
import { chooseLanguage, languageCookie, translator } from "./i18n.ts";
import type { PageContext } from "./layout.ts";
import type { OidcOptions } from "./oidc.ts";
import type { SessionStore } from "./session.ts";
import { siteCityName } from "./site.ts";

export interface WebRouterDeps {
  /** The node's GraphQL API; every page reads and writes through it. */
  graphql: GraphQLExecutor;
  /** The node's public base URL, e.g. `https://ki.dortmund.de`: record IRIs are `origin` + path. */
  origin: string;
  /** The city; its name is a fallback for a node composed without settings (`nodeSettings.cityName` wins). */
  city: { handle: string; name: string };
  /** Staff sessions; one in-memory store per node unless given. */
  sessions?: SessionStore;
  /**
   * The key of the citizens' report-form tokens; every web process of a node needs the same one
   * (the node keeps it in its database). A random one per process unless given.
   */
  visitorFormSecret?: string;
  /** Errors that are not the visitor's fault (the API failing); the visitor sees a calm error page. */
  onUnexpectedError?: (error: unknown) => void;
  /** Staff sign in through the city's identity provider (OpenID Connect) besides API tokens. */
  oidc?: OidcOptions;
  /**
   * One of this node's published records as its IRI serves it (signed, the federation's own
   * bytes), or null when it is not published: the open-data JSON file carries these. Without it
   * the file names the node's own records under `withoutProof`.
   */
  ownRecordDocument?: (iri: string) => Promise<Record<string, unknown> | null>;
  /** A sign-in through the identity provider was refused for a reason worth a log line (an invalid answer, the provider unreachable). */
  onSignInRefused?: (reason: string, cause: unknown) => void;
}

const pageContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** What a handler needs per request: the page context and the visitor's cookies. */
export interface RequestScope {
  context: PageContext;
  cookies: Record<string, string | undefined>;
}

export function requestScope(req: Request, res: Response, deps: Pick<WebRouterDeps, "origin" | "city">, staff?: PageContext["staff"]): RequestScope {
  const cookies = parseCookie(req.headers.cookie ?? "");
  const { language, switched } = chooseLanguage(req, cookies);
  res.locals.webPage = true;
  if (switched) {
    res.cookie(languageCookie, language, { path: "/", sameSite: "lax", httpOnly: true, secure: isHttps(deps.origin), maxAge: 365 * 24 * 3600 * 1000 });
  }
  return { cookies, context: { t: translator(language), cityName: siteCityName(res, deps), requestUrl: req.originalUrl, staff } };
}

export const isHttps = (origin: string) => origin.startsWith("https:");

export function sendPage(res: Response, page: SafeHtml, status = 200): void {
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": pageContentSecurityPolicy,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      Vary: "Accept, Accept-Language, Cookie",
    })
    .send(page.toString());
}
