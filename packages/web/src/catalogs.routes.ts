import { may } from "@leitplanken/core";
import express, { type Response } from "express";
import { adminTexts } from "./admin.i18n.ts";
import {
  catalogMutations,
  catalogSettingsQuery,
  catalogViewQuery,
  hostedCatalogSummariesQuery,
  joinedCatalogsQuery,
  lookUpCatalogQuery,
  ownRecordQuery,
  type CatalogSettings,
  type CatalogViewEntry,
  type HostedCatalogSummary,
  type JoinedCatalog,
  type LookUpCatalogResult,
  type MutationOutcome,
  type OwnRecord,
} from "./catalogs.queries.ts";
import {
  catalogCreatedPage,
  catalogFormFields,
  catalogFormPage,
  catalogKinds,
  catalogOpenTo,
  catalogsPage,
  catalogViewPage,
  emptyCatalogForm,
  foundCatalogPage,
  leaveCatalogPage,
  submitPage,
  type CatalogForm,
} from "./catalogs.views.ts";
import { problemsForFields } from "./form.views.ts";
import { unlessRefused } from "./graphql-client.ts";
import { sendPage } from "./page.ts";
import { recordHref } from "./register.views.ts";
import type { StaffKit } from "./staff-kit.ts";

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" ? value : "");

/** What was typed into the catalog form. */
function catalogFormOf(body: Body): CatalogForm {
  return {
    handle: text(body.handle).trim(),
    "name.de": text(body["name.de"]),
    "name.en": text(body["name.en"]),
    "description.de": text(body["description.de"]),
    "description.en": text(body["description.en"]),
    "rules.de": text(body["rules.de"]),
    "rules.en": text(body["rules.en"]),
    kinds: catalogKinds.filter((kind) => body[`kind-${kind}`] === "yes"),
    openTo: text(body.openTo),
    memberApproval: body.memberApproval === "yes",
    moderators: text(body.moderators),
  };
}

const textMap = (de: string, en: string) => {
  const map: { de?: string; en?: string } = {};
  if (de.trim()) map.de = de.trim();
  if (en.trim()) map.en = en.trim();
  return map;
};

/** The form as the API's CatalogSettingsInput; moderators one per line (an https address is a remote actor, anything else a person's name). */
function catalogInput(form: CatalogForm) {
  const rules = textMap(form["rules.de"], form["rules.en"]);
  return {
    handle: form.handle,
    name: textMap(form["name.de"], form["name.en"]),
    description: textMap(form["description.de"], form["description.en"]),
    ...(rules.de || rules.en ? { rules } : {}),
    moderators: form.moderators
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => (/^https?:\/\//i.test(line) ? { iri: line } : { name: line })),
    policy: { acceptedKinds: form.kinds, openTo: form.openTo, memberApprovalRequired: form.memberApproval },
  };
}

function formOfSettings(settings: CatalogSettings): CatalogForm {
  return {
    handle: settings.handle,
    "name.de": settings.name.de ?? "",
    "name.en": settings.name.en ?? "",
    "description.de": settings.description.de ?? "",
    "description.en": settings.description.en ?? "",
    "rules.de": settings.rules?.de ?? "",
    "rules.en": settings.rules?.en ?? "",
    kinds: settings.policy.acceptedKinds,
    openTo: settings.policy.openTo,
    memberApproval: settings.policy.memberApprovalRequired,
    moderators: settings.moderators.map((moderator) => (moderator.type === "LOCAL" ? moderator.name : moderator.iri) ?? "").join("\n"),
  };
}

/**
 * `/staff/catalogs`: a member city finds a catalog by its address, joins, sees its membership and
 * its submissions, leaves; submits a published record (`/staff/catalogs/submit?record=`); the
 * node's admin (a coordinator's hub) creates catalogs and changes their settings. The API checks
 * every role again (FORBIDDEN: the "not allowed" page).
 */
export function catalogRoutes(kit: StaffKit): express.Router {
  const router = express.Router();
  const texts = (res: Response) => adminTexts(kit.view(res).context.t.language);
  const run = async (res: Response, name: keyof typeof catalogMutations, variables: Record<string, unknown>) =>
    (await kit.query<{ result: MutationOutcome }>(res, catalogMutations[name], variables)).result;
  const joinedCatalogs = async (res: Response) =>
    (await kit.query<{ catalogMemberships: { nodes: JoinedCatalog[] } }>(res, joinedCatalogsQuery, {})).catalogMemberships.nodes;
  const joinedOne = async (res: Response, catalog: unknown) =>
    typeof catalog === "string" ? (await joinedCatalogs(res)).find((joined) => joined.catalog.id === catalog) : undefined;

  router.get("/catalogs", async (req, res) => {
    const principal = kit.viewer(res);
    const canJoin = may(principal, "catalog.membership");
    const hosted = await unlessRefused(
      ["CATALOGS_UNAVAILABLE"],
      async () => (await kit.query<{ hostedCatalogs: { nodes: HostedCatalogSummary[] } }>(res, hostedCatalogSummariesQuery, {})).hostedCatalogs.nodes,
    );
    const joined = canJoin && hosted !== null ? await joinedCatalogs(res) : null;
    const done = text(req.query.done);
    const notice = done === "joined" || done === "left" || done === "saved" ? done : undefined;
    sendPage(res, catalogsPage(kit.view(res), { joined, hosted, notice, canJoin, canConfigure: may(principal, "catalog.configure") }));
  });

  router.get("/catalogs/find", async (req, res) => {
    const address = text(req.query.address).trim().slice(0, 500);
    if (!address) return sendPage(res, foundCatalogPage(kit.view(res), "", undefined, undefined));
    const { result } = await kit.query<{ result: LookUpCatalogResult }>(res, lookUpCatalogQuery, { address });
    if (result.__typename === "CatalogProfile")
      return sendPage(res, foundCatalogPage(kit.view(res), address, result as Extract<LookUpCatalogResult, { id: string }>, undefined));
    sendPage(res, foundCatalogPage(kit.view(res), address, undefined, (result as { message: { text: string } }).message.text), 422);
  });

  router.post("/catalogs/join", kit.checkCsrf, async (req, res) => {
    const catalog = text((req.body as Body).catalog);
    const result = await run(res, "joinCatalog", { catalog });
    if (result.__typename === "FollowCitySuccess") return res.redirect(303, "/staff/catalogs?done=joined");
    sendPage(res, foundCatalogPage(kit.view(res), catalog, undefined, result.message?.text), 422);
  });

  router.get("/catalogs/leave", async (req, res) => {
    const joined = await joinedOne(res, req.query.catalog);
    if (!joined) return kit.notFound(res);
    sendPage(res, leaveCatalogPage(kit.view(res), joined));
  });

  router.post("/catalogs/leave", kit.checkCsrf, async (req, res) => {
    const result = await run(res, "leaveCatalog", { catalog: text((req.body as Body).catalog) });
    if (result.__typename === "UnfollowCitySuccess") return res.redirect(303, "/staff/catalogs?done=left");
    kit.refused(res, { __typename: result.__typename, message: result.message ?? { text: result.__typename } });
  });

  /** The titles of this city's own records among `ids` (others keep their IRI). */
  const titlesOf = async (res: Response, ids: readonly string[]) => {
    const titles = new Map<string, string>();
    for (const id of ids.slice(0, 100)) {
      const record = await kit.query<OwnRecord>(res, ownRecordQuery, { id });
      const title =
        record.useCase?.name.text ??
        (record.guidelineVersion ? `${record.guidelineVersion.title.text} ${record.guidelineVersion.version}` : undefined) ??
        (record.model ? `${record.model.name.text} ${record.model.version}` : undefined);
      if (title) titles.set(id, title);
    }
    return titles;
  };

  router.get("/catalogs/view", async (req, res) => {
    const joined = await joinedOne(res, req.query.catalog);
    if (!joined) return kit.notFound(res);
    const catalogView = (await kit.query<{ catalogViewEntries: { nodes: CatalogViewEntry[] } }>(res, catalogViewQuery, { catalog: joined.catalog.id }))
      .catalogViewEntries.nodes;
    const ours = catalogView.filter((entry) => entry.submissionActivityId);
    sendPage(
      res,
      catalogViewPage(
        kit.view(res),
        joined,
        catalogView,
        await titlesOf(
          res,
          ours.map((entry) => entry.recordId),
        ),
      ),
    );
  });

  /** One of this city's published records, with its title and its public page. */
  const publishedOwnRecord = async (res: Response, id: unknown) => {
    if (typeof id !== "string" || !URL.canParse(id)) return undefined;
    const { useCase, guidelineVersion, model } = await kit.query<OwnRecord>(res, ownRecordQuery, { id });
    const origin = kit.deps.origin;
    if (useCase?.provenance.local && useCase.workflow.state === "PUBLISHED")
      return { id, title: useCase.name.text, publicHref: recordHref(origin, "use-case", id) };
    if (guidelineVersion?.provenance.local && guidelineVersion.state === "PUBLISHED")
      return { id, title: `${guidelineVersion.title.text} ${guidelineVersion.version}`, publicHref: recordHref(origin, "guideline", id) };
    if (model?.provenance.local) return { id, title: `${model.name.text} ${model.version}`, publicHref: recordHref(origin, "model", id) };
    return undefined;
  };

  const renderSubmit = async (res: Response, id: unknown, notice: boolean) => {
    const record = await publishedOwnRecord(res, id);
    if (!record) return kit.notFound(res);
    const joined = await joinedCatalogs(res);
    const targets = await Promise.all(
      joined.map(async (each) => {
        if (each.state !== "ACCEPTED") return { joined: each, entry: undefined };
        const catalogView = (await kit.query<{ catalogViewEntries: { nodes: CatalogViewEntry[] } }>(res, catalogViewQuery, { catalog: each.catalog.id }))
          .catalogViewEntries.nodes;
        return { joined: each, entry: catalogView.find((entry) => entry.recordId === record.id) };
      }),
    );
    sendPage(res, submitPage(kit.view(res), record, targets, notice));
  };

  router.get("/catalogs/submit", async (req, res) => {
    await renderSubmit(res, req.query.record, req.query.done === "1");
  });

  router.post("/catalogs/submit", kit.checkCsrf, async (req, res) => {
    const body = req.body as Body;
    const record = text(body.record);
    const result = await run(res, "submitToCatalog", { catalog: text(body.catalog), recordId: record });
    if (result.__typename === "SubmitToCatalogSuccess") return res.redirect(303, `/staff/catalogs/submit?record=${encodeURIComponent(record)}&done=1`);
    kit.refused(res, { __typename: result.__typename, message: result.message ?? { text: result.__typename } });
  });

  const configureOnly = (res: Response) => {
    if (may(kit.viewer(res), "catalog.configure")) return true;
    kit.forbidden(res);
    return false;
  };

  router.get("/catalogs/new", (_req, res) => {
    if (configureOnly(res)) sendPage(res, catalogFormPage(kit.view(res), emptyCatalogForm, [], undefined, undefined));
  });

  const saveCatalog = async (res: Response, body: Body, id: string | undefined) => {
    const form = catalogFormOf(body);
    const a = texts(res);
    const { t } = kit.view(res).context;
    // A choice the form does not offer never reaches the API.
    if (!(catalogOpenTo as readonly string[]).includes(form.openTo)) {
      return sendPage(res, catalogFormPage(kit.view(res), form, [{ name: "openTo", label: a.openTo, message: a.chooseOne }], id, undefined), 422);
    }
    const result = await run(res, id ? "updateCatalog" : "createCatalog", { ...(id ? { id } : {}), input: catalogInput(form) });
    if (result.__typename === "CatalogSuccess" && result.catalog) {
      return id ? res.redirect(303, "/staff/catalogs?done=saved") : sendPage(res, catalogCreatedPage(kit.view(res), result.catalog), 201);
    }
    const problems = result.fieldErrors ? problemsForFields(result.fieldErrors, catalogFormFields(a, t.t("german"), t.t("english"))) : [];
    const refusal = result.fieldErrors ? undefined : result.message?.text;
    const handleTaken = result.__typename === "HandleTakenError";
    sendPage(
      res,
      catalogFormPage(
        kit.view(res),
        form,
        handleTaken ? [{ name: "handle", label: a.catalogHandle, message: result.message?.text ?? "" }] : problems,
        id,
        handleTaken ? undefined : refusal,
      ),
      422,
    );
  };

  router.post("/catalogs/new", kit.checkCsrf, async (req, res) => {
    if (configureOnly(res)) await saveCatalog(res, req.body as Body, undefined);
  });

  router.get("/catalogs/edit", async (req, res) => {
    if (!configureOnly(res)) return;
    const { catalog } =
      typeof req.query.id === "string"
        ? await kit.query<{ catalog: CatalogSettings | null }>(res, catalogSettingsQuery, { id: req.query.id })
        : { catalog: null };
    if (!catalog) return kit.notFound(res);
    sendPage(res, catalogFormPage(kit.view(res), formOfSettings(catalog), [], catalog.id, undefined));
  });

  router.post("/catalogs/edit", kit.checkCsrf, async (req, res) => {
    if (!configureOnly(res)) return;
    const body = req.body as Body;
    const { catalog } = await kit.query<{ catalog: CatalogSettings | null }>(res, catalogSettingsQuery, { id: text(body.id) });
    if (!catalog) return kit.notFound(res);
    // The handle cannot change: the stored one goes to the API, whatever the form says.
    await saveCatalog(res, { ...body, handle: catalog.handle }, catalog.id);
  });

  return router;
}
