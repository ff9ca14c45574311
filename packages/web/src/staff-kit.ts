import type { Principal } from "@leitplanken/core";
import type { Request, RequestHandler, Response } from "express";
import type { WebRouterDeps } from "./page.ts";
import type { Session, SessionStore } from "./session.ts";
import type { PayloadError } from "./staff.queries.ts";
import type { StaffView } from "./staff.views.ts";

/**
 * What the staff router hands to the staff areas it mounts behind its sign-in check (shared
 * models, catalogs, API tokens): each area is a router of its own file that reads and writes
 * through the API as the signed-in person. Errors an area throws reach the staff router's error
 * handler (signed out: back to sign-in; FORBIDDEN: the "not allowed" page).
 */
export interface StaffKit {
  deps: WebRouterDeps;
  /** Parses a form post and refuses it (403) unless it carries the session's CSRF token. */
  checkCsrf: RequestHandler;
  /** The signed-in person's view: page context and CSRF token. */
  view(res: Response): StaffView;
  /** Who is signed in (name and role), as the session knows it since sign-in. */
  viewer(res: Response): Principal;
  /** Runs an operation as the signed-in person; `$lang` is set. Throws GraphQLRequestError for errors. */
  query<T>(res: Response, document: string, variables: Record<string, unknown>): Promise<T>;
  /** The 403 page of the staff area ("not allowed"), for pages that need a role the person lacks. */
  forbidden(res: Response): void;
  /** The 404 page of the staff area. */
  notFound(res: Response): void;
  /** The API refused an action: its message on a 422 page with a way back. */
  refused(res: Response, error: PayloadError): void;
}

/** What the sign-in routes of other files (the identity provider's) need of the staff router. */
export interface SignInKit {
  deps: WebRouterDeps;
  sessions: SessionStore;
  /** The browser's session (from the SameSite=Strict session cookie), if any. */
  sessionOf(req: Request): Session | undefined;
  /** A new anonymous session, its cookie set. */
  newSession(res: Response): Promise<Session>;
  setSessionCookie(res: Response, session: Session): void;
  checkCsrf: RequestHandler;
}
