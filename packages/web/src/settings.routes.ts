import express, { type Request, type RequestHandler, type Response } from "express";
import { GraphQLRequestError } from "./graphql-client.ts";
import { nodeSettingsQuery, updateNodeSettingsMutation, type NodeSettingsData, type UpdateNodeSettingsResult } from "./legal.queries.ts";
import { sendPage } from "./page.ts";
import { inputOfPath, settingsFormOf, settingsInputNames, settingsInputOf, settingsPage, type SettingsForm } from "./settings.views.ts";
import type { StaffView } from "./staff.views.ts";

/** What the staff area lends a page of its own: the session's CSRF check, the API as the signed-in member, the view. */
export interface StaffToolkit {
  /** Parses a form post and refuses it unless it carries the session's CSRF token. */
  checkCsrf: RequestHandler;
  /** Runs an operation as the signed-in staff member (`$lang` is the page's language). */
  asStaff<T>(res: Response, document: string, variables: Record<string, unknown>): Promise<T>;
  view(res: Response): StaffView;
}

const formOf = (req: Request): SettingsForm =>
  Object.fromEntries(
    settingsInputNames.flatMap((name) => {
      const value = (req.body as Record<string, unknown> | undefined)?.[name];
      return typeof value === "string" ? [[name, value]] : [];
    }),
  );

/** `/staff/settings`: the node's name, issuing body, contact and legal texts (admin). Mounted inside the staff area. */
export function settingsRoutes(staff: StaffToolkit): express.Router {
  const router = express.Router();
  const load = async (res: Response) => (await staff.asStaff<{ nodeSettings: NodeSettingsData }>(res, nodeSettingsQuery, {})).nodeSettings;

  router.get("/settings", async (req, res) => {
    const settings = await load(res);
    const { context, csrfToken } = staff.view(res);
    sendPage(
      res,
      settingsPage(context, csrfToken, { settings, form: settingsFormOf(settings), saved: req.query.saved === "1", refusal: undefined, forbidden: false }),
    );
  });

  router.post("/settings", staff.checkCsrf, async (req, res) => {
    const form = formOf(req);
    const { context, csrfToken } = staff.view(res);
    let result: UpdateNodeSettingsResult;
    try {
      result = (await staff.asStaff<{ result: UpdateNodeSettingsResult }>(res, updateNodeSettingsMutation, { input: settingsInputOf(form) })).result;
    } catch (error) {
      if (!(error instanceof GraphQLRequestError && error.code === "FORBIDDEN")) throw error;
      const settings = await load(res);
      return sendPage(res, settingsPage(context, csrfToken, { settings, form, saved: false, refusal: undefined, forbidden: true }), 403);
    }
    if (result.__typename === "NodeSettingsSuccess") return res.redirect(303, "/staff/settings?saved=1");
    const refusal = {
      message: result.message.text,
      fieldErrors: result.fieldErrors.map((error) => ({ input: inputOfPath[error.path], path: error.path, message: error.message.text })),
    };
    sendPage(res, settingsPage(context, csrfToken, { settings: await load(res), form, saved: false, refusal, forbidden: false }), 422);
  });
  return router;
}
