import { readFileSync } from "node:fs";
import { parseCookie } from "cookie";
import { recordRoute, type RecordKind } from "@leitplanken/core";
import express, { type NextFunction, type Request, type Response } from "express";
import { explorerContentSecurityPolicy, explorerPage, serveExplorerAsset, wantsExplorer } from "./explorer.ts";
import { GraphQLRequestError, runQuery, unlessRefused } from "./graphql-client.ts";
import { requestScope, sendPage, type WebRouterDeps } from "./page.ts";
import {
  cityPageQuery,
  guidelineDocumentQuery,
  guidelineVersionQuery,
  modelQuery,
  searchQuery,
  useCaseQuery,
  type CityPageData,
  type GuidelineRecord,
  type RuleTitle,
  type ModelRecord,
  type SearchData,
  type UseCaseRecord,
} from "./register.queries.ts";
import {
  cityPage,
  guidelinePage,
  isPublic,
  messagePage,
  modelPage,
  recordHref,
  searchPage,
  useCasePage,
  type RecordPageKind,
  type SearchForm,
} from "./register.views.ts";
import { SessionStore, sessionCookieName } from "./session.ts";
import { signInFlowCookieName } from "./oidc.routes.ts";
import { loadSiteInfo } from "./site.ts";
import { fetchActorNames } from "./names.ts";
import { nodeSettingsQuery, type NodeSettingsData } from "./legal.queries.ts";
import { accessibilityPage, imprintPage, legalPaths, privacyPage, type LegalPage } from "./legal.views.ts";
import { peerActivityFeed } from "./feed.ts";
import { peerActivity, peerActivityQuery, peerCities, peerRecordKinds, type PeerActivityData, type PeerActivityFilter } from "./peers.queries.ts";
import { peersPage } from "./peers.views.ts";
import {
  comparableVersionsQuery,
  compareQuery,
  lineageQuery,
  statisticsQuery,
  actorKindsQuery,
  type ComparableVersion,
  type CompareData,
  type LineageData,
  type StatisticsData,
} from "./network.queries.ts";
import { comparePage, lineagePage, statisticsPage } from "./network.views.ts";
import { createErrorPages } from "./error-pages.ts";
import { staffRoutes } from "./staff.routes.ts";
import { reportRoutes } from "./report.routes.ts";
import { moderationLogQuery, type ModerationLogData } from "./moderation.queries.ts";
import { moderationLogPage } from "./moderation.views.ts";
import { formatOpenDataCursor, openDataCsv, openDataJson, parseOpenDataCursor, readOpenDataPage, type OpenDataCursor } from "./open-data.ts";
import { openDataPage, openDataPaths } from "./open-data.views.ts";
import { archivePage, archivePaths, archiveQuery, type ArchiveData } from "./archive.ts";
import { publicCatalogQuery, publicCatalogsQuery, type PublicCatalog, type PublicCatalogSummary } from "./catalog-public.queries.ts";
import { catalogFeed, catalogPage, catalogsPage } from "./catalog-public.views.ts";

export type { WebRouterDeps } from "./page.ts";

const stylesheet = readFileSync(new URL("./assets/site.css", import.meta.url), "utf8");

const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | "" => (allowed.includes(value as T) ? (value as T) : "");

function searchForm(req: Request): SearchForm {
  return {
    q: typeof req.query.q === "string" ? req.query.q.slice(0, 200) : "",
    origin: oneOf(req.query.origin, ["local", "received"] as const),
    status: oneOf(req.query.status, ["IDEA", "PILOT", "IN_USE", "RETIRED"] as const),
    riskClass: oneOf(req.query.riskClass, ["PROHIBITED", "HIGH", "LIMITED", "MINIMAL"] as const),
    automationLevel: oneOf(req.query.automationLevel, ["INFORMATION_ONLY", "DECISION_SUPPORT", "HUMAN_APPROVES_EACH_ACTION", "AUTOMATED_ACTION"] as const),
    directlyAffectsCitizens: oneOf(req.query.directlyAffectsCitizens, ["yes", "no"] as const),
  };
}

/**
 * The web pages of a node: the public register (city page, search, a page per record at the
 * record's own IRI), the GraphQL explorer for browsers, and the staff area. Mount it after the
 * federation middleware (which answers ActivityPub clients at the same IRIs) and before the
 * GraphQL router (so a browser's GET /graphql gets the explorer).
 */
export function createWebRouter(deps: WebRouterDeps): express.Router {
  const router = express.Router();
  const sessions = deps.sessions ?? new SessionStore();
  // Public pages know a signed-in staff member too: the header shows it, and staff-only actions
  // (fork, adopt, "would our use cases pass") appear for them and never for citizens.
  const publicScope = (req: Request, res: Response) => {
    const session = sessions.get(requestScope(req, res, deps).cookies[sessionCookieName(deps.origin)]);
    return requestScope(req, res, deps, session?.principal ? { csrfToken: session.csrfToken, principal: session.principal } : undefined);
  };
  const query = <T>(document: string, variables: Record<string, unknown>) => runQuery<T>(deps.graphql, document, variables);
  // The downloads read as a citizen would, also for signed-in staff: drafts never end up in a public file.
  const anonymous: typeof deps.graphql = (document, variables, _token, options) =>
    deps.graphql(document, variables, undefined, options?.clientAddress ? { clientAddress: options.clientAddress } : undefined);
  const reports = reportRoutes(deps);
  const errorPages = createErrorPages(deps);

  router.use(loadSiteInfo(deps));
  // With sessions in the database (several web processes), the browser's session is read afresh for each request.
  router.use(async (req, _res, next) => {
    if (!req.headers.cookie) return next();
    const cookies = parseCookie(req.headers.cookie);
    await sessions.load([cookies[sessionCookieName(deps.origin)], cookies[signInFlowCookieName(deps.origin)]]);
    next();
  });

  router.get("/assets/site.css", (_req, res) => {
    res.set({ "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" }).send(stylesheet);
  });
  router.get("/assets/explorer/:file", serveExplorerAsset);

  router.get("/graphql", (req, res, next) => {
    if (!wantsExplorer(req)) return next();
    const { context } = publicScope(req, res);
    res
      .set({ "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": explorerContentSecurityPolicy, Vary: "Accept" })
      .send(explorerPage(context));
  });

  // The catalogs this node runs as a coordinator's hub; null when the node was composed without catalogs.
  const hostedCatalogs = async (language: string) =>
    (await unlessRefused(["CATALOGS_UNAVAILABLE"], () => query<{ hostedCatalogs: { nodes: PublicCatalogSummary[] } }>(publicCatalogsQuery, { lang: language })))
      ?.hostedCatalogs.nodes ?? null;

  router.get("/", async (req, res) => {
    const { context } = publicScope(req, res);
    const [data, catalogs] = await Promise.all([query<CityPageData>(cityPageQuery, { lang: context.t.language }), hostedCatalogs(context.t.language)]);
    sendPage(res, cityPage(context, deps.origin, data, catalogs ?? []));
  });

  router.get("/catalogs", async (req, res) => {
    const { context } = publicScope(req, res);
    sendPage(res, catalogsPage(context, await hostedCatalogs(context.t.language)));
  });
  // A catalog by its handle (the Group actor's preferredUsername); its approved entries, 50 a page.
  const readCatalog = async (req: Request, language: string, first: number): Promise<PublicCatalog | null> => {
    const handle = String(req.params.handle);
    if (!/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(handle) || handle.length > 64) return null;
    const summary = (await hostedCatalogs(language))?.find((catalog) => catalog.handle === handle);
    if (!summary) return null;
    const after = typeof req.query.after === "string" ? req.query.after.slice(0, 300) : undefined;
    const { catalog } = await query<{ catalog: PublicCatalog | null }>(publicCatalogQuery, { lang: language, id: summary.id, first, after });
    return catalog;
  };
  const catalogNotFound = (req: Request, res: Response) => errorPages.send(req, res, 404);
  router.get("/catalogs/:handle", async (req, res) => {
    const { context } = publicScope(req, res);
    const catalog = await readCatalog(req, context.t.language, 50);
    if (!catalog) return catalogNotFound(req, res);
    const next = catalog.entries.pageInfo.hasNextPage && catalog.entries.pageInfo.endCursor ? nextPageHref(req, catalog.entries.pageInfo.endCursor) : undefined;
    const names = await fetchActorNames(
      deps.graphql,
      catalog.memberships.nodes.map((member) => member.actor),
    );
    sendPage(res, catalogPage(context, deps.origin, catalog, next, names));
  });
  // Feed readers send no Accept-Language: German unless ?lang= says otherwise.
  router.get("/catalogs/:handle/feed.atom", async (req, res) => {
    const { context } = publicScope(req, res);
    const catalog = await readCatalog(req, context.t.language, 100);
    if (!catalog) return catalogNotFound(req, res);
    res
      .set({ "Content-Type": "application/atom+xml; charset=utf-8", "X-Content-Type-Options": "nosniff", Vary: "Accept-Language, Cookie" })
      .send(catalogFeed(context.t, deps.origin, context.cityName, catalog));
  });

  router.get("/search", async (req, res) => {
    const { context } = publicScope(req, res);
    const form = searchForm(req);
    const local = form.origin === "" ? undefined : form.origin === "local";
    const useCaseFilter = {
      workflowState: "PUBLISHED",
      ...(form.q ? { search: form.q } : {}),
      ...(local === undefined ? {} : { local }),
      ...(form.status ? { status: form.status } : {}),
      ...(form.riskClass ? { riskClass: form.riskClass } : {}),
      ...(form.automationLevel ? { automationLevel: form.automationLevel } : {}),
      ...(form.directlyAffectsCitizens ? { directlyAffectsCitizens: form.directlyAffectsCitizens === "yes" } : {}),
    };
    const after = typeof req.query.after === "string" ? req.query.after : undefined;
    // Guidelines and models have none of the use-case filters: list them only for a plain text search.
    const withOthers = !form.status && !form.riskClass && !form.automationLevel && !form.directlyAffectsCitizens && !after;
    const data = await query<SearchData>(searchQuery, {
      lang: context.t.language,
      useCaseFilter,
      after,
      search: form.q || undefined,
      local,
      withOthers,
    });
    const next = data.useCases.pageInfo.hasNextPage && data.useCases.pageInfo.endCursor ? nextPageHref(req, data.useCases.pageInfo.endCursor) : undefined;
    sendPage(res, searchPage(context, deps.origin, form, data, next));
  });

  const peerFilter = (req: Request): PeerActivityFilter => ({
    kind: oneOf(req.query.kind, peerRecordKinds),
    city: typeof req.query.city === "string" && URL.canParse(req.query.city) ? req.query.city : "",
  });

  router.get("/peers", async (req, res) => {
    const { context } = publicScope(req, res);
    const data = await query<PeerActivityData>(peerActivityQuery, { lang: context.t.language });
    const filter = peerFilter(req);
    const cities = peerCities(data);
    const names = await fetchActorNames(deps.graphql, cities);
    sendPage(res, peersPage(context, deps.origin, { filter, entries: peerActivity(data, filter), cities, following: data.following.nodes, names }));
  });

  // Feed readers send no Accept-Language: German unless ?lang= says otherwise.
  router.get("/feed.atom", async (req, res) => {
    const { context } = publicScope(req, res);
    const data = await query<PeerActivityData>(peerActivityQuery, { lang: context.t.language });
    const filter = peerFilter(req);
    const feed = peerActivityFeed({ t: context.t, origin: deps.origin, cityName: context.cityName, filter, entries: peerActivity(data, filter) });
    res.set({ "Content-Type": "application/atom+xml; charset=utf-8", "X-Content-Type-Options": "nosniff", Vary: "Accept-Language, Cookie" }).send(feed);
  });

  router.get("/compare", async (req, res) => {
    const { context } = publicScope(req, res);
    const ids = [req.query.v]
      .flat()
      .filter((id): id is string => typeof id === "string" && URL.canParse(id))
      .slice(0, 20);
    const variables = { lang: context.t.language, ids };
    if (ids.length < 2) {
      const { guidelines } = await query<{ guidelines: { nodes: ComparableVersion[] } }>(comparableVersionsQuery, variables);
      return sendPage(res, comparePage(context, deps.origin, ids, guidelines.nodes, undefined));
    }
    const data = await query<CompareData>(compareQuery, variables);
    sendPage(res, comparePage(context, deps.origin, ids, data.guidelines.nodes, data.result), data.result.__typename === "GuidelineComparison" ? 200 : 422);
  });

  router.get("/lineage", async (req, res) => {
    const { context } = publicScope(req, res);
    const id = typeof req.query.id === "string" && URL.canParse(req.query.id) ? req.query.id : undefined;
    const { lineage } = id ? await query<LineageData>(lineageQuery, { lang: context.t.language, id }) : { lineage: null };
    if (!lineage) return sendPage(res, messagePage(context, context.t.t("notFoundTitle"), context.t.t("notFound")), 404);
    sendPage(
      res,
      lineagePage(
        context,
        deps.origin,
        lineage,
        await fetchActorNames(
          deps.graphql,
          lineage.tree.nodes.map((node) => node.city),
        ),
      ),
    );
  });

  router.get("/moderation-log", async (req, res) => {
    const { context } = publicScope(req, res);
    const result = await deps.graphql(moderationLogQuery, { lang: context.t.language });
    if (result.errors?.[0]?.extensions?.code === "CATALOGS_UNAVAILABLE") return sendPage(res, moderationLogPage(context, deps.origin, null));
    sendPage(res, moderationLogPage(context, deps.origin, await query<ModerationLogData>(moderationLogQuery, { lang: context.t.language })));
  });

  router.get("/statistics", async (req, res) => {
    const { context } = publicScope(req, res);
    const data = await query<StatisticsData>(statisticsQuery, { lang: context.t.language });
    // Municipalities are city actors: a catalog (a Group) this node follows is not one.
    const others = data.cities.nodes.filter((city) => !city.own).map((city) => city.actor);
    const profiles =
      others.length === 0
        ? []
        : (
            await query<{ actorProfiles: { id: string; kind: string }[] }>(actorKindsQuery, {
              ids: others.slice(0, 200),
            })
          ).actorProfiles;
    const catalogs = new Set(profiles.filter((profile) => profile.kind === "CATALOG").map((profile) => profile.id));
    sendPage(res, statisticsPage(context, { ...data, cities: { ...data.cities, nodes: data.cities.nodes.filter((city) => !catalogs.has(city.actor)) } }));
  });

  router.get([...archivePaths], async (req, res) => {
    const { context } = publicScope(req, res);
    const after = typeof req.query.after === "string" ? req.query.after.slice(0, 300) : undefined;
    const data = await query<ArchiveData>(archiveQuery, { lang: context.t.language, after });
    const next = data.useCases.pageInfo.hasNextPage && data.useCases.pageInfo.endCursor ? nextPageHref(req, data.useCases.pageInfo.endCursor) : undefined;
    sendPage(res, archivePage(context, deps.origin, data, next));
  });

  router.get([...openDataPaths.page], (req, res) => {
    sendPage(res, openDataPage(publicScope(req, res).context));
  });
  // Paged: a file holds at most openDataPageSize records and names the next; `after` is ours (section~cursor).
  const openDataFile = (path: string, format: "json" | "csv") =>
    router.get(path, async (req, res) => {
      const { context } = publicScope(req, res);
      const start = parseOpenDataCursor(req.query.after);
      if (!start) return errorPages.send(req, res, 400, { detail: context.t.t("openDataBadCursor") });
      const page = await readOpenDataPage(anonymous, context.t.language, start);
      const base = `${deps.origin.replace(/\/$/, "")}${path}`;
      const href = (cursor: OpenDataCursor | null) => (cursor ? `${base}?after=${encodeURIComponent(formatOpenDataCursor(cursor))}` : null);
      const next = href(page.next);
      const headers: Record<string, string> = { "X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300", Vary: "Accept-Language" };
      if (next) headers.Link = `<${next}>; rel="next"`;
      if (format === "csv") {
        const body = openDataCsv(page, {
          cityName: context.cityName,
          pageHref: (record) => new URL(recordHref(deps.origin, record.kind, record.id), deps.origin).href,
        });
        const name = req.query.after === undefined ? "register.csv" : "register-continued.csv";
        return res.set({ ...headers, "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` }).send(body);
      }
      const body = await openDataJson(page, {
        origin: deps.origin,
        cityName: context.cityName,
        self: href(start) ?? base,
        first: base,
        next,
        ownDocument: deps.ownRecordDocument,
      });
      res.set({ ...headers, "Content-Type": "application/json; charset=utf-8" }).send(body);
    });
  openDataFile(openDataPaths.json, "json");
  openDataFile(openDataPaths.csv, "csv");

  const legalPages = { imprint: imprintPage, privacy: privacyPage, accessibility: accessibilityPage } as const;
  for (const [page, paths] of Object.entries(legalPaths) as [LegalPage, readonly string[]][]) {
    router.get([...paths], async (req, res) => {
      const { context } = publicScope(req, res);
      const { nodeSettings } = await query<{ nodeSettings: NodeSettingsData }>(nodeSettingsQuery, {});
      sendPage(res, legalPages[page](context, nodeSettings));
    });
  }

  const renderRecord = async (req: Request, res: Response, kind: RecordPageKind, id: string) => {
    const { context } = publicScope(req, res);
    const variables = { lang: context.t.language, id };
    const notFound = () => sendPage(res, messagePage(context, context.t.t("notFoundTitle"), context.t.t("notFound")), 404);
    if (kind === "use-case") {
      const { useCase } = await query<{ useCase: UseCaseRecord | null }>(useCaseQuery, variables);
      return useCase && isPublic(useCase) ? sendPage(res, useCasePage(context, deps.origin, useCase, reports.formToken(req, res))) : notFound();
    }
    if (kind === "guideline") {
      const { guidelineVersion, rules } = await query<{ guidelineVersion: GuidelineRecord | null; rules: RuleTitle[] }>(guidelineVersionQuery, variables);
      return guidelineVersion && guidelineVersion.state === "PUBLISHED"
        ? sendPage(res, guidelinePage(context, deps.origin, guidelineVersion, reports.formToken(req, res), rules))
        : notFound();
    }
    const { model } = await query<{ model: ModelRecord | null }>(modelQuery, variables);
    return model
      ? sendPage(res, modelPage(context, deps.origin, model, reports.formToken(req, res), await fetchActorNames(deps.graphql, model.servedBy)))
      : notFound();
  };

  // The record's own IRI: ActivityPub clients were answered by the federation middleware before us.
  const ownIri = (req: Request) => `${deps.origin.replace(/\/$/, "")}${req.path}`;
  for (const kind of ["use-case", "guideline", "model"] as const satisfies readonly RecordKind[]) {
    router.get(recordRoute(kind), (req, res, next) => (req.accepts("html") ? renderRecord(req, res, kind, ownIri(req)) : next()));
  }
  router.get(recordRoute("guideline-document"), async (req, res, next) => {
    if (!req.accepts("html")) return next();
    const { guideline } = await query<{ guideline: { current: { id: string } | null } | null }>(guidelineDocumentQuery, { id: ownIri(req) });
    if (!guideline?.current) return renderRecord(req, res, "guideline", ownIri(req));
    res.redirect(303, recordHref(deps.origin, "guideline", guideline.current.id));
  });
  // Copies received from other cities live under their own IRIs elsewhere; this node shows them here.
  router.get("/records/:kind", (req, res, next) => {
    const kind = oneOf(req.params.kind, ["use-case", "guideline", "model"] as const);
    const id = req.query.id;
    if (!kind || typeof id !== "string" || !URL.canParse(id)) return next();
    return renderRecord(req, res, kind, id);
  });

  router.use(reports.router);
  router.use("/staff", staffRoutes({ deps, sessions }));

  // Only errors of our own pages: an error of a middleware mounted before us is not ours to render.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!res.locals.webPage || res.headersSent) return next(error);
    if (error instanceof GraphQLRequestError) {
      // A mistake in the request (a made-up cursor, an unknown option, a too long search) is the visitor's, not ours.
      if (error.code === "BAD_USER_INPUT" || error.code === "QUERY_TOO_COMPLEX") return errorPages.send(req, res, 400, { detail: error.message });
      if (error.code === "RATE_LIMITED") return errorPages.send(req, res, 429, { retryAfterSeconds: error.retryAfterSeconds ?? 60 });
      if (error.code === "SERVICE_UNAVAILABLE") return errorPages.send(req, res, 503);
    }
    deps.onUnexpectedError?.(error);
    errorPages.send(req, res, 500);
  });
  return router;
}

function nextPageHref(req: Request, cursor: string): string {
  const url = new URL(req.originalUrl, "http://page.invalid");
  url.searchParams.set("after", cursor);
  return `${url.pathname}${url.search}`;
}
