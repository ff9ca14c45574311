import express, { type Request, type Response } from "express";
import { roles, type Role } from "@leitplanken/core";
import { OidcClient, pendingSignInLifetimeMs, principalFor, type OidcFailure } from "./oidc.ts";
import { chooseRolePage, failureMessage, identityProviderSignIn, signedInPage } from "./oidc.views.ts";
import { isHttps, requestScope, sendPage } from "./page.ts";
import type { SignInKit } from "./staff-kit.ts";
import { signInPage } from "./staff.views.ts";

const failureStatus: Record<OidcFailure["type"], number> = {
  "provider-unavailable": 503,
  "no-sign-in-started": 400,
  "provider-refused": 401,
  "invalid-response": 401,
  "no-role": 403,
  "no-name": 403,
};

/**
 * Sign-in through the city's identity provider: `/staff/sign-in/oidc` starts it (a browser
 * that returns to the callback carries the flow in a SameSite=Lax cookie: the session cookie is
 * SameSite=Strict and does not come along on the way back from the provider), the callback
 * checks the answer and signs in, and a person with several roles chooses one.
 */
/** The cookie that carries a sign-in through the identity provider (its flow is a session of its own). */
export const signInFlowCookieName = (origin: string) => (isHttps(origin) ? "__Host-leitplanken-sign-in" : "leitplanken-sign-in");

export function oidcRoutes(kit: SignInKit, oidc: OidcClient): express.Router {
  const router = express.Router();
  const flowCookie = signInFlowCookieName(kit.deps.origin);
  const flowCookieOptions = { httpOnly: true, sameSite: "lax", secure: isHttps(kit.deps.origin), path: "/" } as const;

  const refuse = async (req: Request, res: Response, failure: OidcFailure) => {
    const session = kit.sessionOf(req) ?? (await kit.newSession(res));
    const { context } = requestScope(req, res, kit.deps);
    sendPage(
      res,
      signInPage(context, session.csrfToken, failureMessage(context, failure), identityProviderSignIn(context, oidc.providerName)),
      failureStatus[failure.type],
    );
  };

  router.get("/sign-in/oidc", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const started = await oidc.start(Date.now());
    if (!started.ok) return refuse(req, res, started.failure);
    const flow = await kit.sessions.create({ pending: started.pending });
    res.cookie(flowCookie, flow.id, { ...flowCookieOptions, maxAge: pendingSignInLifetimeMs });
    res.redirect(303, started.url.href);
  });

  router.get("/sign-in/callback", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const { cookies } = requestScope(req, res, kit.deps);
    // A flow is good for one answer: taken from the store before anything is checked.
    const flow = kit.sessions.get(cookies[flowCookie]);
    if (flow) await kit.sessions.destroy(flow.id);
    res.clearCookie(flowCookie, flowCookieOptions);
    const completed = await oidc.complete(new URL(req.originalUrl, kit.deps.origin), flow?.signInFlow?.pending, Date.now());
    if (!completed.ok) {
      if (completed.failure.type === "invalid-response" || completed.failure.type === "provider-unavailable")
        kit.deps.onSignInRefused?.(completed.failure.type, completed.cause);
      return refuse(req, res, completed.failure);
    }
    const { identity } = completed;
    if (identity.roles.length === 1) return signInAs(req, res, principalFor(identity, identity.roles[0]!));
    // Several roles: the person picks one; until then the session only knows who they are.
    const choosing = await kit.sessions.create({ identity });
    kit.setSessionCookie(res, choosing);
    const { context } = requestScope(req, res, kit.deps);
    sendPage(res, chooseRolePage(context, choosing.csrfToken, identity));
  });

  router.post("/sign-in/role", kit.checkCsrf, async (req, res) => {
    const identity = kit.sessionOf(req)?.signInFlow?.identity;
    const role = (req.body as Record<string, unknown>).role;
    if (!identity) return refuse(req, res, { type: "no-sign-in-started" });
    if (!identity.roles.includes(role as Role) || !(roles as readonly unknown[]).includes(role)) {
      const { context } = requestScope(req, res, kit.deps);
      return sendPage(res, chooseRolePage(context, kit.sessionOf(req)!.csrfToken, identity), 422);
    }
    await signInAs(req, res, principalFor(identity, role as Role), true);
  });

  async function signInAs(req: Request, res: Response, principal: ReturnType<typeof principalFor>, redirect = false) {
    const session = await kit.sessions.signIn(kit.sessionOf(req), { principal });
    kit.setSessionCookie(res, session);
    if (redirect) return res.redirect(303, "/staff");
    const { context } = requestScope(req, res, kit.deps);
    sendPage(res, signedInPage(context, principal.name, principal.role));
  }

  return router;
}
