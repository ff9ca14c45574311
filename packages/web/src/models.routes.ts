import { may } from "@leitplanken/core";
import express, { type Response } from "express";
import { adminTexts } from "./admin.i18n.ts";
import type { FormProblem } from "./form.views.ts";
import { choiceProblems, modelFormOf, modelFormOfBody, modelInput, problemsAtFields, type ModelForm } from "./models.form.ts";
import { modelContentQuery, modelMutations, staffModelsQuery, type ModelContent, type ModelMutationResult, type StaffModelEntry } from "./models.queries.ts";
import { modelFieldLabel, modelFieldNames, modelFormPage, modelsPage, retireModelPage, staffModelPage, type ModelNotice } from "./models.views.ts";
import { sendPage } from "./page.ts";
import { modelQuery, type ModelRecord } from "./register.queries.ts";
import type { StaffKit } from "./staff-kit.ts";

/**
 * `/staff/models`: the city's shared models (editors and admins; the API refuses other roles):
 * register one with its whole model card, look at it with the use cases that use it, edit it,
 * retire it after a confirmation.
 */
export function modelRoutes(kit: StaffKit): express.Router {
  const router = express.Router();
  // The pages of a role that may not change models would only lead to refusals.
  router.use("/models", (_req, res, next) => (may(kit.viewer(res), "model.edit") ? next() : kit.forbidden(res)));
  const noticeOf = (value: unknown): ModelNotice => (value === "published" || value === "updated" || value === "retired" ? value : undefined);
  const ownModel = async (res: Response, id: unknown) => {
    if (typeof id !== "string") return null;
    const { model } = await kit.query<{ model: ModelRecord | null }>(res, modelQuery, { id });
    return model?.provenance.local ? model : null;
  };

  /** The version of the model a form was shown with; a missing or garbled one is 0, which the API refuses as a conflict. */
  const lockVersionOf = (value: unknown) => {
    const number = Number(value);
    return Number.isInteger(number) && number > 0 && number <= 2_147_483_647 ? number : 0;
  };
  const ownModelContent = async (res: Response, id: unknown) => {
    if (typeof id !== "string") return null;
    const { model } = await kit.query<{ model: ModelContent | null }>(res, modelContentQuery, { id });
    return model?.provenance.local ? model : null;
  };

  router.get("/models", async (req, res) => {
    const { models } = await kit.query<{ models: { nodes: StaffModelEntry[] } }>(res, staffModelsQuery, {});
    sendPage(res, modelsPage(kit.view(res), models.nodes, noticeOf(req.query.done)));
  });

  router.get("/models/view", async (req, res) => {
    const [model, content] = await Promise.all([ownModel(res, req.query.id), ownModelContent(res, req.query.id)]);
    if (!model || !content) return kit.notFound(res);
    sendPage(res, staffModelPage(kit.view(res), kit.deps.origin, model, content.state, noticeOf(req.query.done)));
  });

  router.get("/models/new", (_req, res) => {
    sendPage(
      res,
      modelFormPage(
        kit.view(res),
        { "sovereignty.openWeights": "no", "sovereignty.osiOpenSourceAi": "NOT_ASSESSED", "sovereignty.operatorJurisdiction": "DE" },
        [],
        undefined,
      ),
    );
  });

  /** Checks the form, sends it, and shows the problems at their fields; undefined when the API took it. */
  const save = async (res: Response, form: ModelForm, id: string | undefined): Promise<string | undefined> => {
    // An edit sends the version it was shown: someone else's change since is refused, not overwritten.
    const { t } = kit.view(res).context;
    const a = adminTexts(t.language);
    const names = modelFieldNames(form);
    const label = (name: string) => modelFieldLabel(t, name);
    const { input, problems: unreadable } = modelInput(form);
    const messages = { number: a.problemNumber, required: a.problemRequired, date: a.problemDate } as const;
    const problems: FormProblem[] = [
      ...choiceProblems(form).map((name) => ({ name, label: label(name), message: a.chooseOne })),
      ...unreadable.map((problem) => ({ name: problem.name, label: label(problem.name), message: messages[problem.kind] })),
    ];
    if (problems.length === 0) {
      const { result } = await kit.query<{ result: ModelMutationResult }>(res, id ? modelMutations.updateModel : modelMutations.registerModel, {
        ...(id ? { id, lockVersion: lockVersionOf(form.lockVersion) } : {}),
        input,
      });
      if (result.__typename === "ModelSuccess" && result.model) return result.model.id;
      if (result.fieldErrors) problems.push(...problemsAtFields(result.fieldErrors, names, label));
      else {
        kit.refused(res, { __typename: result.__typename, message: result.message ?? { text: result.__typename } });
        return undefined;
      }
    }
    sendPage(res, modelFormPage(kit.view(res), form, problems, id), 422);
    return undefined;
  };

  router.post("/models/new", kit.checkCsrf, async (req, res) => {
    const id = await save(res, modelFormOfBody(req.body as Record<string, unknown>), undefined);
    if (id) res.redirect(303, `/staff/models/view?id=${encodeURIComponent(id)}&done=published`);
  });

  router.get("/models/edit", async (req, res) => {
    const model = await ownModelContent(res, req.query.id);
    if (!model) return kit.notFound(res);
    // A retired model cannot be changed: its page says so.
    if (model.state === "RETIRED") return res.redirect(303, `/staff/models/view?id=${encodeURIComponent(model.id)}`);
    sendPage(res, modelFormPage(kit.view(res), modelFormOf(model), [], model.id));
  });

  router.post("/models/edit", kit.checkCsrf, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const stored = await ownModel(res, body.id);
    if (!stored) return kit.notFound(res);
    const id = await save(res, modelFormOfBody(body), stored.id);
    if (id) res.redirect(303, `/staff/models/view?id=${encodeURIComponent(id)}&done=updated`);
  });

  router.get("/models/retire", async (req, res) => {
    const [model, content] = await Promise.all([ownModel(res, req.query.id), ownModelContent(res, req.query.id)]);
    if (!model || !content) return kit.notFound(res);
    if (content.state === "RETIRED") return res.redirect(303, `/staff/models/view?id=${encodeURIComponent(model.id)}`);
    sendPage(res, retireModelPage(kit.view(res), model, content.lockVersion));
  });

  router.post("/models/retire", kit.checkCsrf, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const model = await ownModel(res, body.id);
    if (!model) return kit.notFound(res);
    const { result } = await kit.query<{ result: ModelMutationResult }>(res, modelMutations.retireModel, {
      id: model.id,
      lockVersion: lockVersionOf(body.lockVersion),
    });
    if (result.__typename !== "ModelSuccess")
      return kit.refused(res, { __typename: result.__typename, message: result.message ?? { text: result.__typename } });
    res.redirect(303, "/staff/models?done=retired");
  });

  return router;
}
