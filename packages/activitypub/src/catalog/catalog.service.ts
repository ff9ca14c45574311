import {
  type ActorRef,
  type BilingualMessage,
  type CatalogActionError,
  type CatalogHubPort,
  type CatalogServiceError,
  type CatalogServiceResult,
  type NewModerationLogEntry,
  type Principal,
  type ReportError,
  type TrustChange,
  type TrustListChange,
  type TrustListKind,
  type TrustScope,
  changeTrust,
  checkReportRate,
  closeReport,
  createCatalog,
  describeCatalogError,
  describeReportError,
  describeTrustChangeError,
  fileReport,
  hashClientAddress,
  rateWindowStart,
  reportRateLimit,
  updateCatalogSettings,
} from "@leitplanken/core";
import type { FederationDeps } from "../federation.deps.ts";
import type { CityFederation } from "../federation.ts";
import { describeCatalogActionError, moderateCatalogEntry, moderateCatalogMember } from "./catalog-moderation.ts";

const refused = (error: CatalogServiceError, message: BilingualMessage) => ({ ok: false as const, error, message });

export interface CatalogServiceOptions {
  /** Keys the hash of citizens' client addresses (at least 16 characters; a node secret). */
  addressSecret: string;
}

const asModerator = (by: Principal): ActorRef => ({ type: "local", name: by.name });

const handleTaken = (handle: string) =>
  refused(
    { type: "handle-taken", handle },
    { de: `Der Name „${handle}“ ist auf diesem Knoten schon vergeben.`, en: `The name "${handle}" is already taken on this node.` },
  );

/**
 * What the node's admin and moderators do with catalogs, reports and network trust (for GraphQL).
 * Each action goes through core's workflow, is logged (refused attempts included) and then
 * federated: Announce, Reject or Remove from the catalog's Group actor.
 */
export function createCatalogService(federation: CityFederation, deps: FederationDeps, options: CatalogServiceOptions): CatalogHubPort {
  const catalogs = deps.catalogs;
  if (!catalogs) throw new Error("createCatalogService needs deps.catalogs (the catalog store and state)");
  const { store } = catalogs;
  const context = () => federation.createContext(new URL(deps.origin), deps);
  const log = async (entry: NewModerationLogEntry | null) => void (entry && (await store.appendModerationLog(entry)));
  const catalogNotFound = (catalog: string) => {
    const error = { type: "catalog-not-found" as const, catalog };
    return refused(error, describeCatalogActionError(error));
  };
  const withMessage = async <T extends { ok: true }>(
    pending: Promise<T | { ok: false; error: CatalogActionError }>,
  ): Promise<T | ReturnType<typeof refused>> => {
    const result = await pending;
    return result.ok ? result : refused(result.error, describeCatalogActionError(result.error));
  };

  async function moderate(catalogId: string, entryId: string, action: "approve" | "reject" | "remove", by: Principal, reason: string | null) {
    const catalog = await store.getCatalog(catalogId);
    if (!catalog) return catalogNotFound(catalogId);
    return withMessage(moderateCatalogEntry(context(), catalog, entryId, action, asModerator(by), reason));
  }

  async function changeList(input: TrustListChange, kind: "domain" | "actor", type: "add" | "remove", list: "blocked" | "allowed") {
    const listKind = `${list}-${kind}` as TrustListKind;
    return applyTrustChange(input.scope, { type, list: listKind, value: input.value }, input.by, input.reason ?? null);
  }

  async function applyTrustChange(scope: TrustScope, change: TrustChange, by: Principal, reason: string | null): Promise<CatalogServiceResult<object>> {
    const catalog = scope.type === "catalog" ? await store.getCatalog(scope.catalogId) : null;
    if (scope.type === "catalog" && !catalog) return catalogNotFound(scope.catalogId);
    const result = changeTrust(scope, change, { actor: asModerator(by), role: by.role }, catalog, new Date(), reason);
    await log(result.log);
    if (!result.ok) return refused(result.error, describeTrustChangeError(result.error));
    const applied = result.change;
    if (applied.type === "set-mode") await store.setTrustMode(scope, applied.mode);
    else if (applied.type === "add") await store.addTrustListEntry(scope, applied.list, applied.value, reason);
    else await store.removeTrustListEntry(scope, applied.list, applied.value);
    return { ok: true };
  }

  return {
    async createCatalog(settings, by) {
      const handle = typeof settings === "object" && settings !== null && "handle" in settings ? String(settings.handle) : "";
      if (handle === deps.city.handle || (handle !== "" && (await store.findCatalogByHandle(handle)))) return handleTaken(handle);
      const iri = handle === "" ? `${deps.origin}/actors/-` : context().getActorUri(handle).href;
      const result = createCatalog(settings, { id: iri }, by, new Date());
      await log(result.log);
      if (!result.ok) return refused(result.error, describeCatalogError(result.error));
      await store.saveCatalog(result.catalog);
      return { ok: true, catalog: result.catalog };
    },

    async updateCatalog(catalogId, settings, by) {
      const catalog = await store.getCatalog(catalogId);
      if (!catalog) return catalogNotFound(catalogId);
      const result = updateCatalogSettings(catalog, settings, by, new Date());
      if (result.ok && result.catalog.handle !== catalog.handle) return handleTaken(result.catalog.handle);
      await log(result.log);
      if (!result.ok) return refused(result.error, describeCatalogError(result.error));
      await store.saveCatalog(result.catalog);
      return { ok: true, catalog: result.catalog };
    },

    approve: ({ catalogId, entryId, by }) => moderate(catalogId, entryId, "approve", by, null),
    reject: ({ catalogId, entryId, by, reason }) => moderate(catalogId, entryId, "reject", by, reason),
    remove: ({ catalogId, entryId, by, reason }) => moderate(catalogId, entryId, "remove", by, reason),

    async moderateMember({ catalogId, actor, action, by, reason }) {
      const catalog = await store.getCatalog(catalogId);
      if (!catalog) return catalogNotFound(catalogId);
      return withMessage(moderateCatalogMember(context(), catalog, actor, action, asModerator(by), reason ?? null));
    },

    async fileReport({ catalogId, report: input, clientAddress }) {
      if (catalogId !== null && !(await store.getCatalog(catalogId))) return catalogNotFound(catalogId);
      const now = new Date();
      const addressHash = hashClientAddress(clientAddress, options.addressSecret);
      const filed = fileReport(input, { id: `${deps.origin}/reports/${crypto.randomUUID()}`, catalogId, reporter: { type: "anonymous", addressHash }, now });
      if (!filed.ok) return refused(filed.error, describeReportError(filed.error));
      if (await store.saveReportWithinLimit(filed.report, reportRateLimit)) return { ok: true, report: filed.report };
      const rate = checkReportRate(await store.reportTimesFromAddress(addressHash, rateWindowStart(now)), now);
      const error: ReportError = rate.ok ? { type: "rate-limited", retryAfterSeconds: 1 } : rate.error;
      return refused(error, describeReportError(error));
    },

    async closeReport({ reportId, outcome, by, reason }) {
      const report = await store.getReport(reportId);
      if (!report) return refused({ type: "report-not-found", reportId }, { de: "Diese Meldung gibt es nicht.", en: "There is no such report." });
      const catalog = report.catalogId ? await store.getCatalog(report.catalogId) : null;
      if (report.catalogId && !catalog) return catalogNotFound(report.catalogId);
      const authority = catalog ? { scope: "catalog" as const, catalog } : { scope: "node" as const, role: by.role };
      const result = closeReport(report, outcome, asModerator(by), authority, reason, new Date());
      await log(result.log);
      if (!result.ok) return refused(result.error, describeReportError(result.error));
      await store.saveReport(result.report);
      return { ok: true, report: result.report };
    },

    setTrustMode: ({ scope, mode, by, reason }) => applyTrustChange(scope, { type: "set-mode", mode }, by, reason ?? null),
    block: (input) => changeList(input, input.kind, "add", "blocked"),
    unblock: (input) => changeList(input, input.kind, "remove", "blocked"),
    allow: (input) => changeList(input, input.kind, "add", "allowed"),
    disallow: (input) => changeList(input, input.kind, "remove", "allowed"),
  };
}
