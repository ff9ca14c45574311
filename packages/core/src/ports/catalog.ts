import type { Catalog, CatalogMember, MemberState } from "../catalog/catalog.entity.ts";
import type { CatalogEntry, EntryState } from "../catalog/catalog-entry.entity.ts";
import type { ModerationLogEntry, NewModerationLogEntry } from "../catalog/moderation-log.entity.ts";
import type { Report, ReportState } from "../catalog/report.entity.ts";
import type { RateLimit } from "../catalog/report.workflow.ts";
import type { TrustListKind, TrustLists, TrustMode, TrustScope } from "../network-trust.ts";
import type { Page, PageRequest } from "./records.ts";

/**
 * Storage for catalogs, reports, the moderation log and network trust; implemented in
 * @leitplanken/db. Every row is validated with the entity schema when read back. The workflows
 * in `catalog/` decide; these only store.
 */

export interface CatalogStore {
  /** Insert or replace by id. */
  saveCatalog(catalog: Catalog): Promise<void>;
  getCatalog(id: string): Promise<Catalog | null>;
  findCatalogByHandle(handle: string): Promise<Catalog | null>;
  listCatalogs(): Promise<Catalog[]>;
  /** Deletes the catalog with its members, entries and trust settings (the log stays). */
  removeCatalog(id: string): Promise<boolean>;

  /** Insert or replace the member with this catalog and actor. */
  saveMember(member: CatalogMember): Promise<void>;
  findMember(catalogId: string, actor: string): Promise<CatalogMember | null>;
  /** Replaces the member as `read` had it; false (nothing stored) when its state or Follow changed since. */
  replaceMember(member: CatalogMember, read: CatalogMember): Promise<boolean>;
  /** Oldest request first. */
  listMembers(catalogId: string, filter?: { state?: MemberState | undefined }): Promise<CatalogMember[]>;
  /** A member that left (Undo of its Follow); false when there was none. */
  forgetMember(catalogId: string, actor: string): Promise<boolean>;

  /** Insert or replace by id. At most one submitted or approved entry per catalog and record. */
  saveEntry(entry: CatalogEntry): Promise<void>;
  getEntry(id: string): Promise<CatalogEntry | null>;
  /** The entry with the count of its saves, for a moderator's decision that must not overwrite another one's. */
  getEntryVersioned(id: string): Promise<{ entry: CatalogEntry; lockVersion: number } | null>;
  /**
   * Stores a decided entry only if it was not saved since it was read at `lockVersion`; otherwise
   * nothing changes and the entry's current count comes back (null: it is gone).
   */
  replaceEntry(entry: CatalogEntry, lockVersion: number): Promise<{ ok: true; lockVersion: number } | { ok: false; currentLockVersion: number | null }>;
  /** The newest entry of a record in a catalog, in whatever state. */
  findEntryByRecord(catalogId: string, recordId: string): Promise<CatalogEntry | null>;
  /** The newest entry of the record in each catalog that has one, for an Update or Delete from its origin. */
  listEntriesOfRecord(recordId: string): Promise<CatalogEntry[]>;
  /** Newest submission first: the moderation queue is `{ state: "submitted" }`, the catalog's content `{ state: "approved" }`. */
  listEntries(catalogId: string, filter: { state?: EntryState | undefined }, page: PageRequest): Promise<Page<CatalogEntry>>;
}

export interface ReportFilter {
  /** A catalog's reports; `null` the reports about the node's own records; left out: all. */
  catalogId?: string | null | undefined;
  state?: ReportState | undefined;
  target?: string | undefined;
}

export interface ReportStore {
  /** Insert or replace by id (closing a report saves it again). */
  saveReport(report: Report): Promise<void>;
  /**
   * Inserts a new report unless its anonymous reporter's address already filed
   * `limit.maxReports` in the window before `report.createdAt`; false when refused. Exact
   * under concurrent requests and across processes (the check and the insert are one step).
   */
  saveReportWithinLimit(report: Report, limit: RateLimit): Promise<boolean>;
  getReport(id: string): Promise<Report | null>;
  /** Newest first. */
  listReports(filter: ReportFilter, page: PageRequest): Promise<Page<Report>>;
  /** When reports came from this (hashed) client address after `since`, for `checkReportRate`. */
  reportTimesFromAddress(addressHash: string, since: Date): Promise<Date[]>;
  /** Forgets the address hashes of reports filed before `before` (core `reporterAddressRetentionMs`); returns how many. */
  forgetReporterAddresses(before: Date): Promise<number>;
}

export interface ModerationLogFilter {
  /** One catalog's log; `null` the node-wide entries; left out: all. */
  catalogId?: string | null | undefined;
  /** The public log leaves confidential entries (and so every refused attempt) out. */
  includeConfidential: boolean;
  target?: string | undefined;
}

export interface ModerationLogStore {
  appendModerationLog(entry: NewModerationLogEntry): Promise<ModerationLogEntry>;
  /** Newest first; `before` is the position of the last entry of the previous page. */
  listModerationLog(filter: ModerationLogFilter, page: { before?: number | undefined; limit: number }): Promise<ModerationLogEntry[]>;
  /** One page of the log, newest first, by keyset on the position (cursors as `list`'s); `totalCount` counts when called. */
  pageModerationLog(filter: ModerationLogFilter, page: PageRequest): Promise<Page<ModerationLogEntry>>;
}

export interface TrustListEntry {
  list: TrustListKind;
  /** A normalised domain (`host` or `host:port`) or actor IRI. */
  value: string;
  reason: string | null;
  createdAt: Date;
}

/**
 * Trust mode and lists of the node and of each catalog. The node's blocked domains are the
 * federation's domain block list (`DomainBlockStore` in ports/federation.ts): this store reads
 * and writes that one list for them, so there is never a second list of node domain blocks.
 */
export interface NetworkTrustStore {
  /** `open` until set. */
  getTrustMode(scope: TrustScope): Promise<TrustMode>;
  setTrustMode(scope: TrustScope, mode: TrustMode): Promise<void>;
  /** Insert, or replace the reason of, a list entry. */
  addTrustListEntry(scope: TrustScope, list: TrustListKind, value: string, reason?: string | null): Promise<TrustListEntry>;
  removeTrustListEntry(scope: TrustScope, list: TrustListKind, value: string): Promise<boolean>;
  listTrustListEntries(scope: TrustScope): Promise<TrustListEntry[]>;
  /** Mode and lists in the shape `trustDecision` takes. */
  trustSettings(scope: TrustScope): Promise<{ mode: TrustMode; lists: TrustLists }>;
}

export interface CatalogModerationStore extends CatalogStore, ReportStore, ModerationLogStore, NetworkTrustStore {}
