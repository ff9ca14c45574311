import express, { type Response } from "express";
import { adminTexts, staffRoles } from "./admin.i18n.ts";
import { problemsForFields, type FormProblem } from "./form.views.ts";
import { sendPage } from "./page.ts";
import type { StaffKit } from "./staff-kit.ts";
import {
  apiTokensQuery,
  createApiTokenMutation,
  revokeApiTokenMutation,
  type ApiTokenEntry,
  type CreateApiTokenResult,
  type RevokeApiTokenResult,
} from "./tokens.queries.ts";
import { revokeConfirmPage, tokenCreatedPage, tokensPage, type TokensPageState } from "./tokens.views.ts";

/** `/staff/tokens`: the admin creates, lists and revokes API tokens (the API refuses other roles: FORBIDDEN). */
export function tokenRoutes(kit: StaffKit): express.Router {
  const router = express.Router();
  const list = async (res: Response, includeRevoked: boolean) =>
    (await kit.query<{ apiTokens: { nodes: ApiTokenEntry[] } }>(res, apiTokensQuery, { includeRevoked })).apiTokens.nodes;

  const render = async (res: Response, state: Omit<TokensPageState, "tokens">, status = 200) =>
    sendPage(res, tokensPage(kit.view(res), { ...state, tokens: await list(res, state.showRevoked) }), status);

  router.get("/tokens", async (req, res) => {
    await render(res, {
      showRevoked: req.query.revoked === "1",
      form: { name: "", role: "" },
      problems: [],
      revoked: req.query.done === "revoked",
    });
  });

  router.post("/tokens", kit.checkCsrf, async (req, res) => {
    const a = adminTexts(kit.view(res).context.t.language);
    const body = req.body as Record<string, unknown>;
    const form = { name: typeof body.name === "string" ? body.name : "", role: typeof body.role === "string" ? body.role : "" };
    // A role the form does not offer never reaches the API.
    const role = staffRoles.find((candidate) => candidate === form.role);
    if (!role) {
      const problems: FormProblem[] = [{ name: "role", label: a.tokenRole, message: a.tokenRoleMissing }];
      return render(res, { showRevoked: false, form, problems, revoked: false }, 422);
    }
    const { result } = await kit.query<{ result: CreateApiTokenResult }>(res, createApiTokenMutation, { input: { name: form.name, role } });
    switch (result.__typename) {
      case "CreateApiTokenSuccess":
        // Rendered, never redirected: the secret must not land in a URL, a log or the history.
        return sendPage(res, tokenCreatedPage(kit.view(res), result.token, result.secret), 201);
      case "ValidationError": {
        const problems = problemsForFields(result.fieldErrors, [
          { path: "name", name: "name", label: a.tokenName },
          { path: "role", name: "role", label: a.tokenRole },
        ]);
        return render(res, { showRevoked: false, form, problems, revoked: false }, 422);
      }
      case "TokenNameTakenError":
        return render(res, { showRevoked: false, form, problems: [{ name: "name", label: a.tokenName, message: result.message.text }], revoked: false }, 422);
    }
  });

  const findToken = async (res: Response, id: unknown) => (typeof id === "string" ? (await list(res, false)).find((token) => token.id === id) : undefined);

  router.get("/tokens/revoke", async (req, res) => {
    const token = await findToken(res, req.query.id);
    if (!token) return kit.notFound(res);
    sendPage(res, revokeConfirmPage(kit.view(res), token, undefined));
  });

  router.post("/tokens/revoke", kit.checkCsrf, async (req, res) => {
    const id = (req.body as Record<string, unknown>).id;
    const token = await findToken(res, id);
    if (!token) return kit.notFound(res);
    const { result } = await kit.query<{ result: RevokeApiTokenResult }>(res, revokeApiTokenMutation, { id: token.id });
    if (result.__typename !== "ApiTokenSuccess") return sendPage(res, revokeConfirmPage(kit.view(res), token, result.message.text), 422);
    // Revoking the token one is signed in with ends the session: the next page asks to sign in.
    res.redirect(303, token.current ? "/staff/sign-in" : "/staff/tokens?done=revoked");
  });

  return router;
}
