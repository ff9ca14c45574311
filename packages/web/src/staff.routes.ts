import { classifyHttpError } from "@leitplanken/core";
import express, { type NextFunction, type Request, type Response } from "express";
import { GraphQLRequestError, runQuery } from "./graphql-client.ts";
import { isHttps, requestScope, sendPage, type WebRouterDeps } from "./page.ts";
import {
  guidelinePreviewQuery,
  guidelineVersionQuery,
  licenceOf,
  useCaseQuery,
  type GuidelineRecord,
  type RuleTitle,
  type UseCaseRecord,
} from "./register.queries.ts";
import { messagePage } from "./register.views.ts";
import { csrfTokenMatches, type Session, type SessionStore, sessionCookieName } from "./session.ts";
import { settingsRoutes } from "./settings.routes.ts";
import { nodeSettingsQuery, type NodeSettingsData } from "./legal.queries.ts";
import {
  checkCandidateQuery,
  checkUseCaseQuery,
  dashboardQuery,
  failingUseCasesQuery,
  followingQuery,
  guidelineContentQuery,
  isSentBack,
  nextVersionLabel,
  mutations,
  tokenCheckQuery,
  vetPageQuery,
  type CheckData,
  type EditorGuideline,
  type StoredUseCase,
  type UseCaseEditorData,
  useCaseContentQuery,
  useCaseEditorQuery,
  type DashboardData,
  type FailingUseCasesData,
  type FollowedCity,
  type GuidelineContent,
  type MutationResult,
  type PayloadError,
  type VetPageData,
} from "./staff.queries.ts";
import { adminRoutes, principalOf } from "./admin.routes.ts";
import {
  apiProblems,
  applyGuidelineForm,
  blankGuideline,
  formProblems,
  guidelineEditorPage,
  ruleCatalogQuery,
  withAddedRow,
  type CatalogRule,
} from "./guideline-editor.ts";
import type { SignInKit, StaffKit } from "./staff-kit.ts";
import { OidcClient } from "./oidc.ts";
import { oidcRoutes } from "./oidc.routes.ts";
import { identityProviderSignIn } from "./oidc.views.ts";
import {
  dashboardPage,
  failingUseCasesPage,
  followingPage,
  guidelinePublishPreviewPage,
  refusalPage,
  reuseConfirmPage,
  signInPage,
  vetPage,
  type StaffView,
} from "./staff.views.ts";
import type { FormProblem } from "./form.views.ts";
import { fieldNameOfPath, labelOfPath, useCaseFormOf, useCaseInputOf } from "./use-case.form.ts";
import { useCaseEditorPage, type UseCaseCheck } from "./use-case.views.ts";

type Form = Record<string, unknown>;

/**
 * The record's lockVersion the form was shown with; a missing or garbled one counts as 0, which no
 * stored record has, so the API refuses the change as a conflict rather than overwriting anything.
 */
function lockVersionIn(form: Form): number {
  const value = Number(form.lockVersion);
  return Number.isInteger(value) && value > 0 && value <= 2_147_483_647 ? value : 0;
}

const formBody = express.urlencoded({ extended: false, limit: "200kb", parameterLimit: 500 });

/** The session behind a signed-in request (set by `requireStaff`). */
interface StaffLocals {
  session: Session;
  view: StaffView;
}

/** The staff member's session ended or their token was revoked: back to the sign-in page. */
class SignedOut extends Error {}

export function staffRoutes({ deps, sessions }: { deps: WebRouterDeps; sessions: SessionStore }): express.Router {
  const router = express.Router();
  const cookieName = sessionCookieName(deps.origin);
  const cookieOptions = { httpOnly: true, sameSite: "strict", secure: isHttps(deps.origin), path: "/" } as const;

  const sessionOf = (req: Request) => sessions.get(requestScope(req, req.res as Response, deps).cookies[cookieName]);
  const staffOf = (res: Response) => res.locals as unknown as StaffLocals;

  const requireStaff = (req: Request, res: Response, next: NextFunction) => {
    res.set("Cache-Control", "no-store");
    const session = sessionOf(req);
    if (!session?.principal) return res.redirect(303, "/staff/sign-in");
    const { context } = requestScope(req, res, deps, { csrfToken: session.csrfToken, principal: session.principal });
    Object.assign(res.locals, { session, view: { context, csrfToken: session.csrfToken } } satisfies StaffLocals);
    next();
  };

  /** Every form post: parse it, and refuse it unless it carries this session's CSRF token. */
  const checkCsrf = (req: Request, res: Response, next: NextFunction) => {
    formBody(req, res, (error?: unknown) => {
      if (error) return next(error);
      const form = (req.body ?? {}) as Form;
      if (csrfTokenMatches(sessionOf(req), form._csrf)) return next();
      const { context } = requestScope(req, res, deps);
      sendPage(res, messagePage(context, context.t.t("errorTitle"), context.t.t("csrfRefused")), 403);
    });
  };

  const asStaff = async <T>(res: Response, document: string, variables: Record<string, unknown>): Promise<T> => {
    const { session, view } = staffOf(res);
    try {
      // A token sign-in acts with its token; a sign-in through the identity provider as its principal.
      const options = session.apiToken ? undefined : { principal: session.principal! };
      return await runQuery<T>(deps.graphql, document, { lang: view.context.t.language, ...variables }, session.apiToken, options);
    } catch (error) {
      if (error instanceof GraphQLRequestError && error.code === "UNAUTHENTICATED") {
        await sessions.destroy(session.id);
        throw new SignedOut();
      }
      throw error;
    }
  };
  const run = async (res: Response, name: keyof typeof mutations, variables: Record<string, unknown>): Promise<MutationResult> =>
    (await asStaff<{ result: MutationResult }>(res, mutations[name], variables)).result;
  const errorOf = (result: MutationResult) => (result.__typename.endsWith("Success") ? undefined : (result as PayloadError));
  const mutate = async (res: Response, name: keyof typeof mutations, variables: Record<string, unknown>): Promise<PayloadError | undefined> =>
    errorOf(await run(res, name, variables));
  const done = (res: Response) => res.redirect(303, "/staff?saved=1");

  // Staff with the city's identity provider sign in there (oidc.routes.ts); API tokens work besides.
  const oidc = deps.oidc ? new OidcClient(deps.oidc, deps.origin) : undefined;
  const identityProvider = (req: Request, res: Response) =>
    oidc ? identityProviderSignIn(requestScope(req, res, deps).context, oidc.providerName) : undefined;
  const newSession = async (res: Response) => {
    const session = await sessions.create();
    res.cookie(cookieName, session.id, cookieOptions);
    return session;
  };
  if (oidc) {
    const signInKit: SignInKit = {
      deps,
      sessions,
      sessionOf,
      newSession,
      setSessionCookie: (res, session) => res.cookie(cookieName, session.id, cookieOptions),
      checkCsrf,
    };
    router.use(oidcRoutes(signInKit, oidc));
  }

  router.get("/sign-in", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const session = sessionOf(req) ?? (await newSession(res));
    const { context } = requestScope(req, res, deps);
    sendPage(res, signInPage(context, session.csrfToken, undefined, identityProvider(req, res)));
  });

  router.post("/sign-in", checkCsrf, async (req, res) => {
    const token = String((req.body as Form).token ?? "").trim();
    const result = token ? await deps.graphql(tokenCheckQuery, {}, token) : { errors: [{ message: "no token" }] };
    const previous = sessionOf(req);
    const viewer = (result as { data?: { viewer?: { name: string; role: string } | null } | null }).data?.viewer;
    if (result.errors?.length || !previous || !viewer) {
      const { context } = requestScope(req, res, deps);
      return sendPage(res, signInPage(context, previous?.csrfToken ?? "", context.t.t("invalidToken"), identityProvider(req, res)), 401);
    }
    const session = await sessions.signIn(previous, { apiToken: token, principal: principalOf(viewer) });
    res.cookie(cookieName, session.id, cookieOptions);
    res.redirect(303, "/staff");
  });

  router.post("/sign-out", checkCsrf, async (req, res) => {
    const session = sessionOf(req);
    if (session) await sessions.destroy(session.id);
    res.clearCookie(cookieName, cookieOptions);
    res.redirect(303, "/");
  });

  router.use(requireStaff);
  router.use(settingsRoutes({ checkCsrf, asStaff, view: (res) => staffOf(res).view }));

  // The areas of other files behind the same sign-in: shared models, catalogs, API tokens.
  const kit: StaffKit = {
    deps,
    checkCsrf,
    view: (res) => staffOf(res).view,
    viewer: (res) => staffOf(res).session.principal!,
    query: (res, document, variables) => asStaff(res, document, variables),
    notFound: (res) => notFound(res),
    forbidden: (res) => forbiddenPage(res),
    refused: (res, error) => sendError(res, error),
  };
  router.use(adminRoutes(kit));

  router.get("/", async (req, res) => {
    const data = await asStaff<DashboardData>(res, dashboardQuery, {});
    sendPage(res, dashboardPage(staffOf(res).view, deps.origin, data, req.query.saved === "1"));
  });

  // The query reads the licence as the API's enum value; GuidelineInput takes its id.
  const loadGuideline = async (res: Response, id: unknown) => {
    if (typeof id !== "string") return null;
    const stored = (await asStaff<{ guidelineVersion: GuidelineContent | null }>(res, guidelineContentQuery, { id })).guidelineVersion;
    return stored && { ...stored, licence: licenceOf(String(stored.licence)) };
  };
  const notFound = (res: Response) => {
    const { context } = staffOf(res).view;
    sendPage(res, messagePage(context, context.t.t("notFoundTitle"), context.t.t("notFound")), 404);
  };

  const ruleCatalog = async (res: Response) => (await asStaff<{ rules: CatalogRule[] }>(res, ruleCatalogQuery, {})).rules;

  /** A new guideline's empty form, issued by our city as the node settings name it (as a fork is). */
  const newGuideline = async (res: Response): Promise<GuidelineContent> => {
    const { name, organisationId } = (await asStaff<{ nodeSettings: NodeSettingsData }>(res, nodeSettingsQuery, {})).nodeSettings.issuingBody;
    const names = Object.fromEntries(Object.entries(name).filter(([, text]) => text));
    return { ...blankGuideline(), issuingBody: { name: names, ...(organisationId ? { organisationId } : {}) } };
  };

  // The guideline editor (guideline-editor.ts): a first guideline, a new version, a draft.
  router.get("/guidelines/new", async (_req, res) => {
    sendPage(res, guidelineEditorPage(staffOf(res).view, await newGuideline(res), await ruleCatalog(res), undefined, []));
  });

  router.get("/guidelines/edit", async (req, res) => {
    const stored = await loadGuideline(res, req.query.id);
    if (!stored) return notFound(res);
    // A new version from a published one suggests the next free label, not the published one (which saving would refuse as taken).
    const taken = stored.guideline.versions.nodes.map((entry) => entry.version);
    const content = stored.state === "DRAFT" ? stored : { ...stored, version: nextVersionLabel(stored.version, taken) };
    sendPage(res, guidelineEditorPage(staffOf(res).view, content, await ruleCatalog(res), undefined, []));
  });

  router.post("/guidelines/save", checkCsrf, async (req, res) => {
    const form = req.body as Form;
    const { view } = staffOf(res);
    const isNew = typeof form.id !== "string" || form.id === "";
    const stored = isNew ? await newGuideline(res) : await loadGuideline(res, form.id);
    if (!stored) return notFound(res);
    const rules = await ruleCatalog(res);
    // "Add a principle" / "Add a section" / "Move up" / "Move down": the form again with one more empty row or the row moved, nothing saved.
    if (form.add === "principle" || form.add === "section" || typeof form.move === "string") {
      const content = withAddedRow(applyGuidelineForm(stored, form, false), form.add);
      return sendPage(res, guidelineEditorPage(view, content, rules, undefined, []));
    }
    const edited = applyGuidelineForm(stored, form, true);
    const problems = formProblems(view, edited, rules);
    if (problems.length > 0) return sendPage(res, guidelineEditorPage(view, edited, rules, undefined, problems), 422);
    const input = guidelineInput(edited);
    const error = isNew
      ? await mutate(res, "createGuideline", { input })
      : stored.state === "DRAFT"
        ? await mutate(res, "updateGuidelineDraft", { versionId: stored.id, lockVersion: lockVersionIn(form), input })
        : await mutate(res, "createGuidelineDraft", { guidelineId: stored.guideline.id, input });
    if (!error) return done(res);
    sendPage(res, guidelineEditorPage(view, edited, rules, error, apiProblems(view, edited, error)), 422);
  });

  // Publishing goes through a preview: the draft as its public page will show it, "publish now" or back to the draft.
  router.get("/guidelines/publish", async (req, res) => {
    if (typeof req.query.id !== "string") return notFound(res);
    const { guidelineVersion, rules } = await asStaff<{ guidelineVersion: (GuidelineRecord & { lockVersion: number }) | null; rules: RuleTitle[] }>(
      res,
      guidelinePreviewQuery,
      { id: req.query.id },
    );
    if (!guidelineVersion || !guidelineVersion.provenance.local) return notFound(res);
    sendPage(res, guidelinePublishPreviewPage(staffOf(res).view, guidelineVersion, rules), guidelineVersion.state === "DRAFT" ? 200 : 409);
  });

  router.post("/guidelines/publish", checkCsrf, async (req, res) => {
    const form = req.body as Form;
    const error = await mutate(res, "publishGuidelineVersion", { versionId: String(form.id), lockVersion: lockVersionIn(form) });
    // Refused (an unchanged fork, a stale page): the draft to change is one click away.
    const draft = { href: `/staff/guidelines/edit?id=${encodeURIComponent(String(form.id))}`, label: staffOf(res).view.context.t.t("editDraft") };
    return error ? sendError(res, error, draft) : done(res);
  });

  // The use-case form: register, edit a draft, revise a published one (use-case.form.ts, use-case.views.ts).
  const editorData = async (res: Response) => {
    const data = await asStaff<UseCaseEditorData>(res, useCaseEditorQuery, {});
    const guideline = data.guidelines.nodes.find((entry) => entry.kind === "GUIDELINE") ?? data.guidelines.nodes[0];
    return {
      guideline,
      models: data.models.nodes.map((model) => ({ id: model.id, version: model.version, label: `${model.name.text} ${model.version}` })),
    };
  };
  /** The rule check of a stored use case (`id`) or of an unsaved one (`input`) against the city's current guideline. */
  const checkOf = async (
    res: Response,
    guideline: EditorGuideline | undefined,
    what: { id: string } | { input: unknown },
  ): Promise<UseCaseCheck | null | undefined> => {
    if (!guideline) return null;
    const variables = "id" in what ? { useCaseId: what.id } : { useCase: what.input };
    const { result } = await asStaff<CheckData>(res, checkCandidateQuery, { ...variables, guidelineVersionId: guideline.id });
    return result.__typename === "ConformanceReport"
      ? { guideline: `${guideline.title.text} ${guideline.version}`, passed: result.passed ?? false, results: result.results ?? [] }
      : undefined; // What cannot be read as a use case yet has no check; its problems are at the fields.
  };
  const loadUseCase = async (res: Response, id: unknown) => {
    if (typeof id !== "string") return null;
    const { useCase } = await asStaff<{ useCase: StoredUseCase | null }>(res, useCaseContentQuery, { id });
    return useCase?.provenance.local ? useCase : null;
  };
  const storedView = (useCase: StoredUseCase) => ({
    id: useCase.id,
    lockVersion: useCase.lockVersion,
    state: useCase.workflow.state,
    sentBack: useCase.workflow.sentBack && isSentBack(useCase.workflow) ? useCase.workflow.sentBack : null,
  });

  router.get("/use-cases/new", async (_req, res) => {
    const { models } = await editorData(res);
    const form = { status: "PILOT", technique: "ML", "decisionProcess.automationLevel": "DECISION_SUPPORT" };
    sendPage(res, useCaseEditorPage(staffOf(res).view, { form, problems: [], check: undefined, saved: false, models }));
  });

  router.get("/use-cases/edit", async (req, res) => {
    const useCase = await loadUseCase(res, req.query.id);
    if (!useCase) return notFound(res);
    const { guideline, models } = await editorData(res);
    sendPage(
      res,
      useCaseEditorPage(staffOf(res).view, {
        form: useCaseFormOf(useCase),
        problems: [],
        stored: storedView(useCase),
        check: await checkOf(res, guideline, { id: useCase.id }),
        saved: req.query.saved === "1",
        models,
      }),
    );
  });

  /** Saves the form (a new use case or a change of `stored`); shows problems at their fields, with the rule check of what was typed. */
  const saveUseCase = async (req: Request, res: Response, stored: StoredUseCase | undefined) => {
    const { _csrf, id: _id, lockVersion: _lockVersion, ...form } = stringFields(req.body as Form);
    const { t } = staffOf(res).view.context;
    const { guideline, models } = await editorData(res);
    const { input, problems: unreadable } = useCaseInputOf(form, models);
    const problems: FormProblem[] = unreadable.map((problem) => ({
      name: problem.name,
      label: labelOfPath(form, t.language, problem.name),
      message:
        problem.kind === "number"
          ? t.language === "de"
            ? "Bitte eine Zahl eingeben, z. B. 1.234,5."
            : "Please enter a number, e.g. 1,234.5."
          : t.language === "de"
            ? "Bitte ein Datum als JJJJ-MM-TT eingeben, z. B. 2026-11-25."
            : "Please enter a date as YYYY-MM-DD, e.g. 2026-11-25.",
    }));
    if (problems.length === 0) {
      const result = stored
        ? await run(res, "updateUseCase", { id: stored.id, lockVersion: lockVersionIn(req.body as Form), input })
        : await run(res, "createUseCase", { input });
      if (result.__typename === "UseCaseSuccess" && result.useCase)
        return res.redirect(303, `/staff/use-cases/edit?id=${encodeURIComponent(result.useCase.id)}&saved=1`);
      if (!result.fieldErrors) return sendError(res, errorOf(result) ?? unexpectedResult(result));
      problems.push(
        ...result.fieldErrors.map((error) => ({
          name: fieldNameOfPath(form, error.path),
          label: labelOfPath(form, t.language, error.path),
          message: error.message.text,
        })),
      );
    }
    // What was typed, checked against the guideline too: every rule it breaks, not only the first refusal.
    const check = problems.every((problem) => problem.name !== null) ? await checkOf(res, guideline, { input }).catch(() => undefined) : undefined;
    sendPage(res, useCaseEditorPage(staffOf(res).view, { form, problems, stored: stored && storedView(stored), check, saved: false, models }), 422);
  };

  router.post("/use-cases", checkCsrf, (req, res) => saveUseCase(req, res, undefined));

  router.post("/use-cases/edit", checkCsrf, async (req, res) => {
    const stored = await loadUseCase(res, (req.body as Form).id);
    if (!stored) return notFound(res);
    await saveUseCase(req, res, stored);
  });

  for (const action of ["submit", "publish"] as const) {
    router.post(`/use-cases/${action}`, checkCsrf, async (req, res) => {
      const form = req.body as Form;
      const error = await mutate(res, action === "submit" ? "submitUseCase" : "publishUseCase", { id: String(form.id), lockVersion: lockVersionIn(form) });
      return error ? sendError(res, error) : done(res);
    });
  }

  const renderVetPage = async (res: Response, id: string, chosen: string | undefined, refusal: PayloadError | undefined) => {
    const data = await asStaff<VetPageData>(res, vetPageQuery, { id });
    const guidelineVersionId = chosen ?? data.guidelines.nodes.find((entry) => entry.provenance.local)?.id ?? data.guidelines.nodes[0]?.id;
    let check: { passed: boolean; results: NonNullable<CheckData["result"]["results"]> } | undefined;
    if (data.useCase && guidelineVersionId) {
      const { result } = await asStaff<CheckData>(res, checkUseCaseQuery, { id, guidelineVersionId });
      if (result.__typename === "ConformanceReport") check = { passed: result.passed ?? false, results: result.results ?? [] };
    }
    sendPage(res, vetPage(staffOf(res).view, { data, guidelineVersionId, check, refusal }), !data.useCase ? 404 : refusal ? 422 : 200);
  };

  router.get("/use-cases/vet", async (req, res) => {
    if (typeof req.query.id !== "string") return notFound(res);
    await renderVetPage(res, req.query.id, typeof req.query.guideline === "string" ? req.query.guideline : undefined, undefined);
  });

  router.post("/use-cases/vet", checkCsrf, async (req, res) => {
    const form = stringFields(req.body as Form);
    const id = form.id ?? "";
    const guidelineVersionId = form.guidelineVersionId ?? "";
    const error = await mutate(res, "vetUseCase", { id, lockVersion: lockVersionIn(form), guidelineVersionId });
    if (!error) return done(res);
    if (error.__typename === "RuleViolationsError") return renderVetPage(res, id, guidelineVersionId, error);
    sendError(res, error);
  });

  router.post("/use-cases/send-back", checkCsrf, async (req, res) => {
    const form = stringFields(req.body as Form);
    const reason = form.reason ?? "";
    const error = await mutate(res, "sendBackUseCase", {
      id: form.id ?? "",
      lockVersion: lockVersionIn(form),
      reason: { [staffOf(res).view.context.t.language]: reason },
    });
    return error ? sendError(res, error) : done(res);
  });

  // Fork and adopt: the record pages link here (they are public and carry no CSRF token); this
  // page confirms with a form, so that a link alone never creates anything.
  router.get("/guidelines/fork", async (req, res) => {
    const { guidelineVersion } =
      typeof req.query.id === "string"
        ? await asStaff<{ guidelineVersion: GuidelineRecord | null }>(res, guidelineVersionQuery, { id: req.query.id })
        : { guidelineVersion: null };
    if (!guidelineVersion) return notFound(res);
    sendPage(
      res,
      reuseConfirmPage(
        staffOf(res).view,
        "fork",
        guidelineVersion.id,
        `${guidelineVersion.title.text} ${guidelineVersion.version}`,
        guidelineVersion.provenance.city.id,
        licenceOf(guidelineVersion.licenceId),
      ),
    );
  });

  router.post("/guidelines/fork", checkCsrf, async (req, res) => {
    const result = await run(res, "forkGuideline", { versionId: String((req.body as Form).id ?? "") });
    const error = errorOf(result);
    if (error || !result.guidelineVersion) return sendError(res, error ?? unexpectedResult(result));
    res.redirect(303, `/staff/guidelines/edit?id=${encodeURIComponent(result.guidelineVersion.id)}`);
  });

  router.get("/guidelines/check", async (req, res) => {
    if (typeof req.query.id !== "string") return notFound(res);
    const { result } = await asStaff<FailingUseCasesData>(res, failingUseCasesQuery, { id: req.query.id });
    if (result.__typename !== "UseCasesFailingGuideline") return notFound(res);
    sendPage(res, failingUseCasesPage(staffOf(res).view, deps.origin, result));
  });

  router.get("/use-cases/adopt", async (req, res) => {
    const { useCase } =
      typeof req.query.id === "string" ? await asStaff<{ useCase: UseCaseRecord | null }>(res, useCaseQuery, { id: req.query.id }) : { useCase: null };
    if (!useCase) return notFound(res);
    sendPage(res, reuseConfirmPage(staffOf(res).view, "adopt", useCase.id, useCase.name.text, useCase.provenance.city.id, undefined));
  });

  router.post("/use-cases/adopt", checkCsrf, async (req, res) => {
    const result = await run(res, "adoptUseCase", { useCaseId: String((req.body as Form).id ?? "") });
    const error = errorOf(result);
    if (error || !result.useCase) return sendError(res, error ?? unexpectedResult(result));
    // The adopted draft opens in the form: responsible, contact and impact assessments are ours to fill.
    res.redirect(303, `/staff/use-cases/edit?id=${encodeURIComponent(result.useCase.id)}`);
  });

  const renderFollowing = async (res: Response, outcome: Parameters<typeof followingPage>[2], status = 200) => {
    const following = (await asStaff<{ following: { nodes: FollowedCity[] } }>(res, followingQuery, {})).following.nodes;
    sendPage(res, followingPage(staffOf(res).view, following, outcome), status);
  };

  router.get("/following", async (req, res) => {
    const notice = req.query.done === "followed" || req.query.done === "unfollowed" ? req.query.done : undefined;
    await renderFollowing(res, { notice, error: undefined, target: "" });
  });

  for (const action of ["follow", "unfollow"] as const) {
    router.post(`/following/${action}`, checkCsrf, async (req, res) => {
      const target = String((req.body as Form).target ?? "").trim();
      const error = await mutate(res, action === "follow" ? "followCity" : "unfollowCity", { target });
      if (!error) return res.redirect(303, `/staff/following?done=${action}ed`);
      // The refused target stays in the field, so it can be corrected.
      await renderFollowing(res, { notice: undefined, error, target: action === "follow" ? target : "" }, 422);
    });
  }

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof SignedOut) return res.redirect(303, "/staff/sign-in");
    // A form the body parser refused (too large, too many fields, garbled): the sender's mistake, as a page.
    const { status } = classifyHttpError(error);
    if ((status === 413 || status === 400 || status === 415) && (error as { type?: unknown }).type) {
      const { context } = requestScope(_req, res, deps);
      return sendPage(res, messagePage(context, context.t.t("errorTitle"), context.t.t(status === 413 ? "formTooLarge" : "formInvalid")), status);
    }
    // The API refused the staff member's role for this action (and logged the attempt).
    if (error instanceof GraphQLRequestError && error.code === "FORBIDDEN") return forbiddenPage(res);
    next(error);
  });
  return router;
}

function forbiddenPage(res: Response): void {
  const { context } = (res.locals as unknown as StaffLocals).view;
  sendPage(res, messagePage(context, context.t.t("refusedTitle"), context.t.t("forbiddenAction")), 403);
}

/** A success without what it promised: the API broke its contract. */
function unexpectedResult(result: MutationResult): never {
  throw new Error(`unexpected mutation result ${result.__typename}`);
}

function sendError(res: Response, error: PayloadError, next?: { href: string; label: string }): void {
  sendPage(res, refusalPage((res.locals as unknown as StaffLocals).view, error, next), 422);
}

function stringFields(form: Form): Record<string, string> {
  return Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** GraphQL leaves out what is null: the API's input types take the same field names as its output types. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== null)
        .map(([key, item]) => [key, withoutNulls(item)]),
    );
  }
  return value;
}

export function guidelineInput(content: GuidelineContent): unknown {
  // What identifies the stored version (and its lockVersion, sent beside the input) is not part of the input.
  const { id: _id, lockVersion: _lockVersion, state: _state, guideline: _guideline, ...input } = content;
  return withoutNulls(input);
}
