import {
  type ActorRef,
  type Catalog,
  type CatalogMembershipResult,
  type CatalogHubPort,
  type CatalogModerationStore,
  type CatalogServiceError,
  type BilingualMessage,
  type FieldError,
  fieldError,
  isCatalogModerator,
  may,
  parseRecordIri,
  type Principal,
  type TrustScope,
} from "@leitplanken/core";
import { badUserInput, forbidden, type GraphQLContext, requireCatalogs } from "../context.ts";
import { actingPrincipal, requirePermission } from "../permissions.ts";
import type { CatalogActorInput, CatalogEntryState, CatalogSettingsInput, Resolvers } from "../generated/resolvers.ts";
import { withoutNulls } from "../input.ts";
import { catalogEntryView, type NetworkTrustView, reportView } from "../mappers.ts";
import {
  catalogEntryError,
  catalogServiceError,
  onlyErrors,
  followError,
  remoteCatalogNotFoundError,
  submissionError,
  unexpected,
  unfollowError,
  validationError,
} from "../payload-errors.ts";
import { listing, maxPageSize, pageRequest } from "./common.resolvers.ts";
import { pageInfoOf, pageOfList } from "./connections.resolvers.ts";

const asLocalActor = (principal: Principal): ActorRef => ({ type: "local", name: principal.name });

function isModerator(context: GraphQLContext, catalog: Catalog): boolean {
  return context.principal !== null && isCatalogModerator(catalog, asLocalActor(context.principal));
}

/** Reads of a catalog's queue, reports and non-public members: its moderators only. */
function requireModerator(context: GraphQLContext, catalog: Catalog): void {
  requirePermission(context, "catalog.moderate");
  if (!isModerator(context, catalog)) throw forbidden(`Only moderators of the catalog ${catalog.handle} may see this.`);
}

/** The whole moderation log of a scope, newest first (read 100 entries a statement), for paging it as a connection. */
/** A hub refusal as one of the errors the mutation's union lists (see `onlyErrors`). */
const catalogError = <const N extends ReturnType<typeof catalogServiceError>["__typename"]>(
  error: CatalogServiceError,
  message: BilingualMessage,
  typenames: readonly N[],
) => onlyErrors(catalogServiceError(error, message), typenames, error);

/** The refusals every moderation mutation can meet; some mutations' unions add one of their own. */
const moderationErrors = ["ValidationError", "NotFoundError", "InvalidTransitionError", "WrongCatalogError", "CatalogRefusedError"] as const;
const trustChangeErrors = ["ValidationError", "NotFoundError", "WrongCatalogError"] as const;

/** A moderator's decision on an entry (approve, reject, remove); another decision stored meanwhile is a ConflictError. */
function entryDecision(result: Awaited<ReturnType<CatalogHubPort["approve"]>>) {
  return result.ok
    ? { __typename: "CatalogEntrySuccess" as const, entry: catalogEntryView(result.entry) }
    : onlyErrors(catalogEntryError(result.error, result.message), [...moderationErrors, "ConflictError"], result.error);
}

function logPage(first: number, before: number | null | undefined) {
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) throw badUserInput(`first must be between 1 and ${maxPageSize}.`);
  return { before: before ?? undefined, limit: first };
}

async function trustOf(store: CatalogModerationStore, scope: TrustScope): Promise<NetworkTrustView> {
  const [mode, entries] = await Promise.all([store.getTrustMode(scope), store.listTrustListEntries(scope)]);
  return { mode, entries };
}

/** This city's view of a catalog it belongs to (on any node), optionally one state only. */
function catalogView(context: GraphQLContext, catalog: string, state: CatalogEntryState | null | undefined) {
  requirePermission(context, "catalog.membership");
  const { membership } = requireCatalogs(context);
  if (httpUrlError("catalog", catalog)) throw badUserInput("catalog must be the catalog's actor IRI (https://…).");
  return membership.view(catalog, state ? { state } : undefined);
}

const trustScope = (catalogId: string | null | undefined): TrustScope => (catalogId ? { type: "catalog", catalogId } : { type: "node" });

/** The settings as the core's schema takes them, or why a moderator entry is neither a person nor an actor. */
function catalogSettings(input: CatalogSettingsInput): { ok: true; settings: unknown } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const moderators = input.moderators.map((moderator: CatalogActorInput, index): ActorRef | null => {
    const iri = moderator.iri?.trim() || null;
    const name = moderator.name?.trim() || null;
    if ((iri === null) === (name === null)) {
      errors.push(
        fieldError(
          `moderators[${index}]`,
          "one-of-required",
          "Bitte genau eines angeben: iri (entfernter Actor) oder name (Person auf diesem Knoten).",
          "Please give exactly one: iri (a remote actor) or name (a person on this node).",
        ),
      );
      return null;
    }
    return iri !== null ? { type: "actor", id: iri } : { type: "local", name: name! };
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, settings: withoutNulls({ ...input, moderators }) };
}

/** The member side's targets are fetched or sent to: an http(s) URL, or a clear error. */
function httpUrlError(path: string, value: string): FieldError | null {
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return null;
  return fieldError(path, "invalid-iri", `„${value}“ ist keine Adresse (https://…).`, `"${value}" is not an address (https://…).`);
}

/** Sending to a catalog elsewhere fails only when no catalog answers there. */
function activitySent(result: CatalogMembershipResult<{ activityId: string }>) {
  if (result.ok) return { __typename: "CatalogActivitySent" as const, activityId: result.activityId };
  if (result.error.type !== "catalog-not-found") throw unexpected(result.error);
  return remoteCatalogNotFoundError(result.error.catalog);
}

export const catalogResolvers: Resolvers = {
  Query: {
    catalogs: (_parent, _args, context) => requireCatalogs(context).store.listCatalogs(),
    catalog: (_parent, { id }, context) => requireCatalogs(context).store.getCatalog(id),
    nodeReports: (_parent, { state, ...page }, context) => {
      requirePermission(context, "node-reports.handle");
      const { store } = requireCatalogs(context);
      return listing(() => store.listReports({ catalogId: null, state: state ?? undefined }, pageRequest(page)));
    },
    nodeModerationLog: (_parent, { first, before }, context) => {
      const { store } = requireCatalogs(context);
      const includeConfidential = context.principal !== null && may(context.principal, "node-reports.handle");
      return store.listModerationLog({ catalogId: null, includeConfidential }, logPage(first, before));
    },
    nodeModerationHistory: (_parent, page, context) => {
      const { store } = requireCatalogs(context);
      const includeConfidential = context.principal !== null && may(context.principal, "node-reports.handle");
      return listing(() => store.pageModerationLog({ catalogId: null, includeConfidential }, pageRequest(page)));
    },
    hostedCatalogs: (_parent, page, context) =>
      listing(async () => pageOfList("catalogs", await requireCatalogs(context).store.listCatalogs(), (catalog) => catalog.id, pageRequest(page))),
    nodeTrust: (_parent, _args, context) => {
      requirePermission(context, "node-trust.read");
      return trustOf(requireCatalogs(context).store, { type: "node" });
    },
    catalogView: (_parent, { catalog, state }, context) => catalogView(context, catalog, state),
    catalogViewEntries: (_parent, { catalog, state, ...page }, context) =>
      listing(async () =>
        pageOfList(`catalog-view:${catalog}:${state ?? ""}`, await catalogView(context, catalog, state), (entry) => entry.recordId, pageRequest(page)),
      ),
  },
  Catalog: {
    viewerIsModerator: (catalog, _args, context) => isModerator(context, catalog),
    members: (catalog, { state }, context) => {
      if (state !== "accepted") requireModerator(context, catalog);
      return requireCatalogs(context).store.listMembers(catalog.id, { state });
    },
    memberships: (catalog, { state, ...page }, context) => {
      if (state !== "accepted") requireModerator(context, catalog);
      return listing(async () =>
        pageOfList(
          `catalog-members:${catalog.id}`,
          await requireCatalogs(context).store.listMembers(catalog.id, { state }),
          (member) => member.actor,
          pageRequest(page),
        ),
      );
    },
    moderationHistory: (catalog, page, context) => {
      const includeConfidential = isModerator(context, catalog) || context.principal?.role === "admin";
      const { store } = requireCatalogs(context);
      return listing(() => store.pageModerationLog({ catalogId: catalog.id, includeConfidential }, pageRequest(page)));
    },
    entries: (catalog, { state, ...page }, context) => {
      if (state !== "approved") requireModerator(context, catalog);
      const { store } = requireCatalogs(context);
      return listing(() => store.listEntries(catalog.id, { state }, pageRequest(page)));
    },
    reports: (catalog, { state, ...page }, context) => {
      requireModerator(context, catalog);
      const { store } = requireCatalogs(context);
      return listing(() => store.listReports({ catalogId: catalog.id, state: state ?? undefined }, pageRequest(page)));
    },
    moderationLog: (catalog, { first, before }, context) => {
      const includeConfidential = isModerator(context, catalog) || context.principal?.role === "admin";
      return requireCatalogs(context).store.listModerationLog({ catalogId: catalog.id, includeConfidential }, logPage(first, before));
    },
    trust: (catalog, _args, context) => {
      if (context.principal?.role !== "admin") requireModerator(context, catalog);
      return trustOf(requireCatalogs(context).store, { type: "catalog", catalogId: catalog.id });
    },
  },
  NetworkTrust: {
    listEntries: (trust, page) => listing(async () => pageOfList("trust-list", trust.entries, (entry) => `${entry.list}:${entry.value}`, pageRequest(page))),
  },
  ModerationLogEntry: {
    concerns: async (logEntry, _args, context) => {
      const store = context.catalogs?.store;
      if (!store || (logEntry.targetType !== "entry" && logEntry.targetType !== "report")) return null;
      const recordOfEntry = async (id: string) => {
        const entry = await store.getEntry(id);
        return entry ? { id: entry.record.id, kind: entry.record.kind } : null;
      };
      if (logEntry.targetType === "entry") return recordOfEntry(logEntry.target);
      const report = await store.getReport(logEntry.target);
      if (!report) return null;
      const ofEntry = await recordOfEntry(report.target);
      if (ofEntry) return ofEntry;
      // A report about one of the node's own records names the record itself.
      const own = parseRecordIri(context.identity.origin, report.target);
      return own && own.kind !== "guideline-document" ? { id: report.target, kind: own.kind } : null;
    },
  },
  CatalogActor: {
    iri: (actor) => (actor.type === "local" ? null : actor.id),
    name: (actor) => (actor.type === "local" ? actor.name : null),
  },
  CatalogEntry: {
    id: ({ entry }) => entry.id,
    catalogId: ({ entry }) => entry.catalogId,
    recordId: ({ entry }) => entry.record.id,
    originCity: ({ entry }) => entry.record.originActor,
    submittedAt: ({ entry }) => entry.submittedAt,
    decidedBy: ({ entry }) => (entry.status.state === "submitted" ? null : entry.status.by),
    decidedAt: ({ entry }) => (entry.status.state === "submitted" ? null : entry.status.at),
    reason: ({ entry }) => ("reason" in entry.status ? entry.status.reason : null),
    approvedAt: ({ entry: { status } }) => (status.state === "approved" ? status.at : status.state === "removed" ? status.approvedAt : null),
    recordUpdatedAt: ({ entry }) => entry.recordUpdatedAt,
  },
  CatalogEntryConnection: {
    nodes: (page) => page.items.map(catalogEntryView),
    pageInfo: (page) => pageInfoOf(page),
  },
  Report: {
    id: ({ report }) => report.id,
    catalogId: ({ report }) => report.catalogId,
    target: ({ report }) => report.target,
    text: ({ report }) => report.text,
    reporter: ({ report }) => (report.reporter.type === "actor" ? report.reporter.id : null),
    createdAt: ({ report }) => report.createdAt,
    closedBy: ({ report }) => (report.status.state === "open" ? null : report.status.by),
    closedAt: ({ report }) => (report.status.state === "open" ? null : report.status.at),
    reason: ({ report }) => (report.status.state === "open" ? null : report.status.reason),
  },
  ReportConnection: {
    nodes: (page) => page.items.map(reportView),
    pageInfo: (page) => pageInfoOf(page),
  },
  TrustListEntry: {
    createdAt: (entry) => entry.createdAt.toISOString(),
  },
  Mutation: {
    createCatalog: async (_parent, { input }, context) => {
      const by = actingPrincipal(context);
      const { hub } = requireCatalogs(context);
      const parsed = catalogSettings(input);
      if (!parsed.ok) return validationError(parsed.errors);
      const result = await hub.createCatalog(parsed.settings, by);
      return result.ok
        ? { __typename: "CatalogSuccess" as const, catalog: result.catalog }
        : catalogError(result.error, result.message, ["ValidationError", "HandleTakenError"]);
    },
    updateCatalog: async (_parent, { id, input }, context) => {
      const by = actingPrincipal(context);
      const { hub } = requireCatalogs(context);
      const parsed = catalogSettings(input);
      if (!parsed.ok) return validationError(parsed.errors);
      const result = await hub.updateCatalog(id, parsed.settings, by);
      return result.ok
        ? { __typename: "CatalogSuccess" as const, catalog: result.catalog }
        : catalogError(result.error, result.message, ["ValidationError", "NotFoundError", "HandleTakenError"]);
    },
    approveCatalogEntry: async (_parent, { catalogId, entryId }, context) => {
      const by = actingPrincipal(context);
      return entryDecision(await requireCatalogs(context).hub.approve({ catalogId, entryId, by }));
    },
    rejectCatalogEntry: async (_parent, { catalogId, entryId, reason }, context) => {
      const by = actingPrincipal(context);
      return entryDecision(await requireCatalogs(context).hub.reject({ catalogId, entryId, by, reason }));
    },
    removeCatalogEntry: async (_parent, { catalogId, entryId, reason }, context) => {
      const by = actingPrincipal(context);
      return entryDecision(await requireCatalogs(context).hub.remove({ catalogId, entryId, by, reason }));
    },
    moderateCatalogMember: async (_parent, { catalogId, actor, action, reason }, context) => {
      const by = actingPrincipal(context);
      const result = await requireCatalogs(context).hub.moderateMember({ catalogId, actor, action, by, reason: reason ?? null });
      return result.ok ? { __typename: "CatalogMemberSuccess" as const, member: result.member } : catalogError(result.error, result.message, moderationErrors);
    },
    closeReport: async (_parent, { reportId, outcome, reason }, context) => {
      const by = actingPrincipal(context);
      const result = await requireCatalogs(context).hub.closeReport({ reportId, outcome, by, reason });
      return result.ok
        ? { __typename: "CloseReportSuccess" as const, report: reportView(result.report) }
        : catalogError(result.error, result.message, moderationErrors);
    },
    reportRecord: async (_parent, { target, category, text, catalogId }, context) => {
      const { store, hub } = requireCatalogs(context);
      // Without an address the per-address limit would not hold: a composition error, not the citizen's.
      if (context.clientAddress === null) throw new Error("reportRecord needs the client address (req.ip, or execute's clientAddress)");
      const queue = catalogId ?? (await store.getEntry(target))?.catalogId ?? null;
      const report = withoutNulls({ target, category, text });
      const result = await hub.fileReport({ catalogId: queue, report, clientAddress: context.clientAddress });
      return result.ok
        ? { __typename: "ReportRecordSuccess" as const, reportId: result.report.id }
        : catalogError(result.error, result.message, [...moderationErrors, "RateLimitedError"]);
    },
    setTrustMode: async (_parent, { mode, catalogId, reason }, context) => {
      const by = actingPrincipal(context);
      const { store, hub } = requireCatalogs(context);
      const scope = trustScope(catalogId);
      const result = await hub.setTrustMode({ scope, mode, by, reason: reason ?? null });
      return result.ok
        ? { __typename: "TrustChangeSuccess" as const, trust: await trustOf(store, scope) }
        : catalogError(result.error, result.message, trustChangeErrors);
    },
    changeTrustList: async (_parent, { action, subject, value, catalogId, reason }, context) => {
      const by = actingPrincipal(context);
      const { store, hub } = requireCatalogs(context);
      const scope = trustScope(catalogId);
      const result = await hub[action]({ scope, value, by, reason: reason ?? null, kind: subject });
      return result.ok
        ? { __typename: "TrustChangeSuccess" as const, trust: await trustOf(store, scope) }
        : catalogError(result.error, result.message, trustChangeErrors);
    },
    joinCatalog: async (_parent, { catalog }, context) => {
      const result = await requireCatalogs(context).membership.join(catalog);
      return result.ok ? { __typename: "FollowCitySuccess" as const, following: result.following } : followError(result.error);
    },
    leaveCatalog: async (_parent, { catalog }, context) => {
      const result = await requireCatalogs(context).membership.leave(catalog);
      return result.ok ? { __typename: "UnfollowCitySuccess" as const, target: catalog } : unfollowError(result.error);
    },
    submitToCatalog: async (_parent, { catalog, recordId }, context) => {
      const { membership } = requireCatalogs(context);
      const invalid = httpUrlError("catalog", catalog) ?? httpUrlError("recordId", recordId);
      if (invalid) return validationError([invalid]);
      const result = await membership.submit(catalog, recordId);
      return result.ok ? { __typename: "SubmitToCatalogSuccess" as const, submissionActivityId: result.submissionActivityId } : submissionError(result.error);
    },
    moderateRemoteCatalogEntry: async (_parent, { catalog, entryId, action, reason }, context) => {
      const { membership } = requireCatalogs(context);
      const invalid = httpUrlError("catalog", catalog) ?? httpUrlError("entryId", entryId);
      if (invalid) return validationError([invalid]);
      const result = await membership.moderate({ catalogIri: catalog, entryId, action, reason: reason ?? null });
      return activitySent(result);
    },
    reportToCatalog: async (_parent, { to, target, text }, context) => {
      const { membership } = requireCatalogs(context);
      const invalid = httpUrlError("to", to) ?? httpUrlError("target", target);
      if (invalid) return validationError([invalid]);
      const result = await membership.report({ to, target, text: text ?? null });
      return activitySent(result);
    },
  },
};
