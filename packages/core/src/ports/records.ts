import type { Guideline, GuidelineKind } from "../guideline.entity.ts";
import type { HostingKind, AutomationLevel, RiskClass, UseCase, UseCaseStatus, WorkflowState } from "../use-case.entity.ts";
import type { SharedModel, SharedModelState } from "../shared-model.entity.ts";
import type { LicenceId } from "../licence.ts";
import type { Provenance } from "../provenance.ts";

/**
 * What the GraphQL layer (and federation) calls to store and find records.
 * Implemented in @leitplanken/db; every record is validated again when read back.
 */

/**
 * Cursor pagination (GraphQL connections): a page of `first` items (up to 100) after the cursor
 * `after` and before the cursor `before`, in the list's `order`. With `fromEnd` the page is the
 * last `first` items of that range (GraphQL's `last`), still in the list's order.
 */
export interface PageRequest {
  first: number;
  after?: string | null | undefined;
  before?: string | null | undefined;
  fromEnd?: boolean | undefined;
  order?: ListOrder<string> | undefined;
}

/** The order of a list: a field the store knows for that kind of record, and its direction; ties go by insertion, in the same direction. */
export interface ListOrder<F extends string> {
  field: F;
  direction: "asc" | "desc";
}

/** What a list of records can be ordered by (unset: `created`, newest first). `created` is when this node first stored the record. */
export const useCaseOrderFields = ["created", "updated", "name"] as const;
export const guidelineOrderFields = ["created", "updated", "published", "title"] as const;
export const sharedModelOrderFields = ["created", "updated", "name"] as const;

/** A repository's `list` was given an `after` it never handed out; the caller's mistake, not the store's. */
export class InvalidCursorError extends Error {
  override name = "InvalidCursorError";
}

export interface Page<T> {
  items: T[];
  /** Cursor of the last item, to pass as `after` for the next page. */
  endCursor: string | null;
  hasNextPage: boolean;
  /**
   * How many items the whole list holds: a number, or a count the store runs only when called
   * (GraphQL's default resolver calls it only when a query selects `totalCount`). Read it with `totalOf`.
   */
  totalCount: number | (() => Promise<number>);
  /** The cursor of each item, in order (where the store gives them): a client resumes after any item. */
  cursors?: string[];
  /** True when items come before this page (paging forward: when it was asked for after a cursor). */
  hasPreviousPage?: boolean;
}

/** How many items the whole list of `page` holds (runs the store's count when it deferred it). */
export async function totalOf(page: Pick<Page<unknown>, "totalCount">): Promise<number> {
  return typeof page.totalCount === "number" ? page.totalCount : page.totalCount();
}

/** Filters shared by all record kinds. */
export interface RecordFilter {
  /** Full-text search over names, descriptions and statements (German and English). */
  search?: string | undefined;
  /** Actor IRI of the city the record comes from. */
  originActor?: string | undefined;
  /** Only records of these cities (actor IRIs); an empty list matches none. */
  originActors?: readonly string[] | undefined;
  source?: Provenance["source"] | undefined;
}

export interface GuidelineFilter extends RecordFilter {
  state?: Guideline["state"] | undefined;
  kind?: GuidelineKind | undefined;
  documentId?: string | undefined;
  /** Versions forked from this guideline version IRI (ForgeFed `forks`). */
  forkedFrom?: string | undefined;
  /** Only the newest published version of each document. */
  currentOnly?: boolean | undefined;
}

export interface UseCaseFilter extends RecordFilter {
  workflowState?: WorkflowState | undefined;
  status?: UseCaseStatus | undefined;
  riskClass?: RiskClass | undefined;
  automationLevel?: AutomationLevel | undefined;
  directlyAffectsCitizens?: boolean | undefined;
  department?: string | undefined;
  /** IRI of a shared model the use case runs (any version). */
  model?: string | undefined;
  adoptedFrom?: string | undefined;
}

export interface SharedModelFilter extends RecordFilter {
  /** Only models in these states (anonymous readers see published and retired ones). */
  states?: readonly SharedModelState[] | undefined;
  hosting?: HostingKind | undefined;
  licence?: LicenceId | undefined;
  openWeights?: boolean | undefined;
}

export type SaveGuidelineError =
  /** A published version is immutable: it cannot be saved again with other content. */
  | { type: "guideline-version-published"; id: string }
  /** Another version of the same document already uses this version label. */
  | { type: "version-label-taken"; documentId: string; version: string };

/**
 * Optimistic concurrency: every stored record has a `lockVersion` (1 when created, one more with
 * every save). A writer names the version it read (`expectedLockVersion`); when the record
 * changed since, nothing is written and the save answers `stale` with the version now stored
 * (null when the record is gone).
 */
export interface StaleWrite {
  type: "stale";
  id: string;
  currentLockVersion: number | null;
}

export interface SaveOptions {
  /** The `lockVersion` the caller read; without it the save replaces whatever is stored (received copies, imports). */
  expectedLockVersion?: number | undefined;
}

/** What a save did: created or updated the record (and its new `lockVersion`), or why it refused. */
export type SaveResult<E = never> = { ok: true; outcome: "created" | "updated"; lockVersion: number } | { ok: false; error: E | StaleWrite };

/** A record with the `lockVersion` it had when read. */
export interface Versioned<T> {
  record: T;
  lockVersion: number;
}

interface RecordRepository<T, F> {
  get(id: string): Promise<T | null>;
  /** The record with its `lockVersion`, for a write that must not overwrite someone else's change. */
  getVersioned(id: string): Promise<Versioned<T> | null>;
  /** The `lockVersion` of each id, in the order of `ids`, null where there is no such record. */
  lockVersions(ids: readonly string[]): Promise<(number | null)[]>;
  /** In the order of `ids`, null where there is no such record (shape DataLoaders expect). */
  getManyByIds(ids: readonly string[]): Promise<(T | null)[]>;
  /** As `getManyByIds`, each record with its `lockVersion` (one read where a client asks for both). */
  getManyVersionedByIds(ids: readonly string[]): Promise<(Versioned<T> | null)[]>;
  list(filter: F, page: PageRequest): Promise<Page<T>>;
  /** Deletes a record (e.g. a peer's Delete of a received copy); false when there was none. */
  remove(id: string): Promise<boolean>;
}

export interface GuidelineRepository extends RecordRepository<Guideline, GuidelineFilter> {
  save(guideline: Guideline, options?: SaveOptions): Promise<SaveResult<SaveGuidelineError>>;
  /** All versions of a document, oldest first. */
  listVersions(documentId: string): Promise<Guideline[]>;
  /** `listVersions` of several documents in one read: in the order of `documentIds`, [] for an unknown one. */
  listVersionsMany(documentIds: readonly string[]): Promise<Guideline[][]>;
  /** The newest published version of a document. */
  getCurrent(documentId: string): Promise<Guideline | null>;
}

export interface UseCaseRepository extends RecordRepository<UseCase, UseCaseFilter> {
  /** Insert or replace by id (only the `expectedLockVersion` when given). */
  save(useCase: UseCase, options?: SaveOptions): Promise<SaveResult>;
}

export interface SharedModelRepository extends RecordRepository<SharedModel, SharedModelFilter> {
  /** Insert or replace by id (only the `expectedLockVersion` when given). */
  save(model: SharedModel, options?: SaveOptions): Promise<SaveResult>;
}
