import type { Catalog, CatalogMember } from "../catalog/catalog.entity.ts";
import type { CatalogEntry } from "../catalog/catalog-entry.entity.ts";
import type { CatalogError, EntryAction, MemberAction } from "../catalog/catalog.workflow.ts";
import type { Report } from "../catalog/report.entity.ts";
import type { ReportError } from "../catalog/report.workflow.ts";
import type { TrustChangeError, TrustMode, TrustScope } from "../network-trust.ts";
import type { Principal } from "../principal.ts";
import type { BilingualMessage } from "../validation.ts";
import type { FederatedRecord, FollowState } from "./federation.ts";
import { describeFollowError, type FollowError, type FollowResult, type UnfollowResult } from "./following.ts";

/**
 * What the API asks of catalog federation; implemented by the activitypub package's
 * `createCatalogService` (the hub: catalogs this node hosts) and `createCatalogMembershipService`
 * (this city as a member of catalogs anywhere), which satisfy these ports structurally.
 * Reads go through `CatalogModerationStore` (ports/catalog.ts).
 */

// ── The hub: catalogs hosted on this node ───────────────────────────────────

/** A hub action refused before or by core's workflows; see `CatalogServiceError`. */
export type CatalogActionError =
  | CatalogError
  | { type: "catalog-not-found"; catalog: string }
  | { type: "entry-not-found"; entryId: string }
  | { type: "member-not-found"; actor: string }
  /** Another moderator decided on the entry between this one's read and save: nothing of this decision was stored, logged or sent. */
  | { type: "entry-changed"; entryId: string; currentLockVersion: number | null }
  /** Another moderator decided on the member between this one's read and save: nothing of this decision was stored, logged or sent. */
  | { type: "member-changed"; actor: string };

export type CatalogServiceError =
  | CatalogActionError
  /** The handle is the city's or another catalog's. */
  | { type: "handle-taken"; handle: string }
  | { type: "report-not-found"; reportId: string }
  | ReportError
  | TrustChangeError;

/** A refusal carries its bilingual text, since several workflows share error type names. */
export type CatalogServiceResult<T> = ({ ok: true } & T) | { ok: false; error: CatalogServiceError; message: BilingualMessage };

/** A change of a trust list of the node or of a catalog. */
export interface TrustListChange {
  scope: TrustScope;
  value: string;
  by: Principal;
  reason?: string | null;
}

export interface CatalogHubPort {
  /** The node's admin sets up a catalog (a Group actor at `/actors/{handle}`). */
  createCatalog(settings: unknown, by: Principal): Promise<CatalogServiceResult<{ catalog: Catalog }>>;
  updateCatalog(catalogId: string, settings: unknown, by: Principal): Promise<CatalogServiceResult<{ catalog: Catalog }>>;
  /** Local moderators act by principal name; the catalog's `moderators` decide, and every attempt is logged. */
  approve(input: { catalogId: string; entryId: string; by: Principal }): Promise<CatalogServiceResult<{ entry: CatalogEntry }>>;
  reject(input: { catalogId: string; entryId: string; by: Principal; reason: string }): Promise<CatalogServiceResult<{ entry: CatalogEntry }>>;
  remove(input: { catalogId: string; entryId: string; by: Principal; reason: string }): Promise<CatalogServiceResult<{ entry: CatalogEntry }>>;
  moderateMember(input: {
    catalogId: string;
    actor: string;
    action: MemberAction;
    by: Principal;
    reason?: string | null;
  }): Promise<CatalogServiceResult<{ member: CatalogMember }>>;
  /** A citizen's report: the service hashes `clientAddress` and refuses the 21st within a minute (`rate-limited`). */
  fileReport(input: { catalogId: string | null; report: unknown; clientAddress: string }): Promise<CatalogServiceResult<{ report: Report }>>;
  closeReport(input: { reportId: string; outcome: "resolved" | "dismissed"; by: Principal; reason: string }): Promise<CatalogServiceResult<{ report: Report }>>;
  setTrustMode(input: { scope: TrustScope; mode: TrustMode; by: Principal; reason?: string | null }): Promise<CatalogServiceResult<object>>;
  /** Adds to (`block`, `allow`) or removes from (`unblock`, `disallow`) a list of the node or a catalog. */
  block(input: TrustListChange & { kind: "domain" | "actor" }): Promise<CatalogServiceResult<object>>;
  unblock(input: TrustListChange & { kind: "domain" | "actor" }): Promise<CatalogServiceResult<object>>;
  allow(input: TrustListChange & { kind: "domain" | "actor" }): Promise<CatalogServiceResult<object>>;
  disallow(input: TrustListChange & { kind: "domain" | "actor" }): Promise<CatalogServiceResult<object>>;
}

// ── This city as a member of catalogs ───────────────────────────────────────

export type CatalogMembershipError =
  | { type: "catalog-not-found"; catalog: string }
  /** Only this city's public records can be submitted: the catalog fetches them from here. */
  | { type: "not-own-public-record"; recordId: string };

export type CatalogMembershipResult<T> = ({ ok: true } & T) | { ok: false; error: CatalogMembershipError };

export const catalogViewStates = ["submitted", "approved", "rejected", "removed"] as const;
export type CatalogViewState = (typeof catalogViewStates)[number];

/** A record as this city sees it in a catalog it belongs to. */
export interface CatalogViewEntry {
  /** The catalog's Group actor IRI. */
  catalogId: string;
  recordId: string;
  state: CatalogViewState;
  /** The moderator's reason for a rejection or removal. */
  reason: string | null;
  /** The Create with which this city submitted the record; null for records of other cities. */
  submissionActivityId: string | null;
  updatedAt: string;
}

/** A catalog on any node as its Group actor presents it: what a city sees before and after joining. */
export interface CatalogProfile {
  /** The Group actor's IRI. */
  id: string;
  /** Its preferredUsername, e.g. `ki-katalog-nrw`. */
  handle: string | null;
  name: string | null;
  /** The catalog's description. */
  summary: string | null;
  /** Whether a moderator reviews each city that joins (`manuallyApprovesFollowers`). */
  membersNeedApproval: boolean;
}

/** A catalog this city joined or asked to join, with the state of its membership (the Follow's answer). */
export interface JoinedCatalog {
  catalog: CatalogProfile;
  state: FollowState;
  since: Date;
}

/** Looking a catalog up refuses what follows cannot reach, and actors that are no catalog (a city). */
export type CatalogLookupError = FollowError | { type: "not-a-catalog"; target: string };

export interface CatalogMembershipPort {
  /** Looks a catalog up by its address (actor URL or `@handle@host`) without joining. */
  lookup(address: string): Promise<{ ok: true; catalog: CatalogProfile } | { ok: false; error: CatalogLookupError }>;
  /** The catalogs this city joined (or asked to join), newest first, each with its membership's state. */
  joined(): Promise<JoinedCatalog[]>;
  /** Follows the catalog's Group actor; the catalog accepts at once or after a moderator's review. */
  join(catalogIri: string): Promise<FollowResult>;
  leave(catalogIri: string): Promise<UnfollowResult>;
  /** Submits one of this city's published records. */
  submit(catalogIri: string, recordId: string): Promise<CatalogMembershipResult<{ submissionActivityId: string }>>;
  /** What the catalog approved (verified copies held here), rejected or removed, with reasons. */
  view(catalogIri: string, filter?: { state?: CatalogViewState }): Promise<CatalogViewEntry[]>;
  /** This city acting as a remote moderator of a catalog (Accept, Reject or Remove of an entry). */
  moderate(input: {
    catalogIri: string;
    entryId: string;
    action: EntryAction;
    reason?: string | null;
  }): Promise<CatalogMembershipResult<{ activityId: string }>>;
  /** A report (`Flag`) to a catalog or a city about a record or entry. */
  report(input: { to: string; target: string; text?: string | null }): Promise<CatalogMembershipResult<{ activityId: string }>>;
}

/**
 * What a catalog's moderators read of an entry beyond its IRIs (implemented in activitypub from
 * the document the catalog keeps, so that the queue shows titles, cities and rule results).
 */
export interface CatalogEntryReader {
  /** The record in the origin's signed document the entry keeps; null while the catalog has no document, or when it does not read. */
  record(entry: CatalogEntry): FederatedRecord | null;
  /** A city's display name (its actor's `name`); null when it cannot be told in a few seconds. */
  cityName(actorIri: string): Promise<string | null>;
}

export function describeCatalogLookupError(error: CatalogLookupError): BilingualMessage {
  if (error.type === "not-a-catalog") {
    return {
      de: `Unter „${error.target}“ ist eine Stadt, kein Katalog. Städten folgen Sie unter „Städten folgen“.`,
      en: `"${error.target}" is a city, not a catalog. Follow cities under "Following".`,
    };
  }
  return describeFollowError(error);
}

export function describeCatalogMembershipError(error: CatalogMembershipError): BilingualMessage {
  switch (error.type) {
    case "catalog-not-found":
      return { de: `Unter „${error.catalog}“ wurde kein Katalog gefunden.`, en: `No catalog was found at "${error.catalog}".` };
    case "not-own-public-record":
      return { de: "Einreichen lassen sich nur eigene, veröffentlichte Einträge.", en: "Only this city's own published records can be submitted." };
  }
}
