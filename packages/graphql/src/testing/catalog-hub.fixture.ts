import {
  type ActorRef,
  type CatalogHubPort,
  type CatalogModerationStore,
  type CatalogServiceError,
  type CatalogServiceResult,
  type EntryAction,
  type NewModerationLogEntry,
  type Principal,
  type ReportError,
  type TrustChange,
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
  moderateEntry,
  moderateMember,
  refuseNonModerator,
  rateWindowStart,
  reportRateLimit,
  updateCatalogSettings,
} from "@leitplanken/core";

/**
 * The catalog hub as the API sees it, on the core's workflows and the real repository, without
 * federation (which the activitypub package's `createCatalogService` adds and test/federation
 * tests across nodes). It keeps the service's contract: every attempt logged, refusals with text.
 */
export function localCatalogHub(store: CatalogModerationStore, options: { origin: string; addressSecret: string }): CatalogHubPort {
  const refused = (error: CatalogServiceError, message: { de: string; en: string }) => ({ ok: false as const, error, message });
  const log = async (entry: NewModerationLogEntry | null) => void (entry && (await store.appendModerationLog(entry)));
  const asModerator = (by: Principal): ActorRef => ({ type: "local", name: by.name });
  const catalogNotFound = (catalog: string) =>
    refused({ type: "catalog-not-found", catalog }, { de: `Den Katalog „${catalog}“ gibt es nicht.`, en: `There is no catalog "${catalog}".` });

  async function moderate(catalogId: string, entryId: string, action: EntryAction, by: Principal, reason: string | null) {
    const catalog = await store.getCatalog(catalogId);
    if (!catalog) return catalogNotFound(catalogId);
    const early = refuseNonModerator(catalog, { entryId, action }, asModerator(by), new Date(), reason);
    if (early) {
      await log(early.log);
      return refused(early.error, describeCatalogError(early.error));
    }
    const entry = await store.getEntry(entryId);
    if (!entry) return refused({ type: "entry-not-found", entryId }, { de: "Diesen Eintrag gibt es nicht.", en: "There is no such entry." });
    const result = moderateEntry(catalog, entry, action, asModerator(by), new Date(), { reason });
    await log(result.log);
    if (!result.ok) return refused(result.error, describeCatalogError(result.error));
    await store.saveEntry(result.entry);
    return { ok: true as const, entry: result.entry };
  }

  async function applyTrust(scope: TrustScope, change: TrustChange, by: Principal, reason: string | null): Promise<CatalogServiceResult<object>> {
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

  const list = (type: "add" | "remove", kind: "blocked" | "allowed") => (input: Parameters<CatalogHubPort["block"]>[0]) =>
    applyTrust(input.scope, { type, list: `${kind}-${input.kind}` as TrustListKind, value: input.value }, input.by, input.reason ?? null);

  return {
    async createCatalog(settings, by) {
      const handle = typeof settings === "object" && settings !== null && "handle" in settings ? String(settings.handle) : "";
      if (handle !== "" && (await store.findCatalogByHandle(handle))) {
        return refused({ type: "handle-taken", handle }, { de: `Der Name „${handle}“ ist vergeben.`, en: `The name "${handle}" is taken.` });
      }
      const result = createCatalog(settings, { id: `${options.origin}/actors/${handle || "-"}` }, by, new Date());
      await log(result.log);
      if (!result.ok) return refused(result.error, describeCatalogError(result.error));
      await store.saveCatalog(result.catalog);
      return { ok: true, catalog: result.catalog };
    },
    async updateCatalog(catalogId, settings, by) {
      const catalog = await store.getCatalog(catalogId);
      if (!catalog) return catalogNotFound(catalogId);
      const result = updateCatalogSettings(catalog, settings, by, new Date());
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
      const early = refuseNonModerator(catalog, { member: actor, action }, asModerator(by), new Date(), reason);
      if (early) {
        await log(early.log);
        return refused(early.error, describeCatalogError(early.error));
      }
      const member = await store.findMember(catalogId, actor);
      if (!member) return refused({ type: "member-not-found", actor }, { de: "Kein Mitglied.", en: "Not a member." });
      const result = moderateMember(catalog, member, action, asModerator(by), new Date(), { reason: reason ?? null });
      await log(result.log);
      if (!result.ok) return refused(result.error, describeCatalogError(result.error));
      await store.saveMember(result.member);
      return { ok: true, member: result.member };
    },
    async fileReport({ catalogId, report: input, clientAddress }) {
      if (catalogId !== null && !(await store.getCatalog(catalogId))) return catalogNotFound(catalogId);
      const now = new Date();
      const addressHash = hashClientAddress(clientAddress, options.addressSecret);
      const filed = fileReport(input, { id: `${options.origin}/reports/${crypto.randomUUID()}`, catalogId, reporter: { type: "anonymous", addressHash }, now });
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
      const authority = catalog ? { scope: "catalog" as const, catalog } : { scope: "node" as const, role: by.role };
      const result = closeReport(report, outcome, asModerator(by), authority, reason, new Date());
      await log(result.log);
      if (!result.ok) return refused(result.error, describeReportError(result.error));
      await store.saveReport(result.report);
      return { ok: true, report: result.report };
    },
    setTrustMode: ({ scope, mode, by, reason }) => applyTrust(scope, { type: "set-mode", mode }, by, reason ?? null),
    block: list("add", "blocked"),
    unblock: list("remove", "blocked"),
    allow: list("add", "allowed"),
    disallow: list("remove", "allowed"),
  };
}
