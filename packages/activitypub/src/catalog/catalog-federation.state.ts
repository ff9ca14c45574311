import type { KvStore } from "@fedify/fedify";
import type { CatalogModerationStore, CatalogProfile, CatalogViewEntry, CatalogViewState } from "@leitplanken/core";

export interface MemberInbox {
  inboxUrl: string;
  sharedInboxUrl: string | null;
}

/**
 * What catalog federation keeps beside core's catalog port: on a member city, its view of the
 * catalogs it belongs to (what each catalog approved, rejected or removed, and our own
 * submissions, so that an answer can be matched to one); on a catalog's node, where each
 * member's inbox is. Kept in Fedify's KvStore (our database in production) until the catalog
 * port grows tables for them.
 */
export interface CatalogFederationState {
  saveViewEntry(entry: CatalogViewEntry): Promise<void>;
  findViewEntry(catalogId: string, recordId: string): Promise<CatalogViewEntry | null>;
  listViewEntries(catalogId: string, filter?: { state?: CatalogViewState | undefined }): Promise<CatalogViewEntry[]>;
  /** Our submission with this activity id, for a catalog's Reject of it. */
  findSubmission(activityId: string): Promise<{ catalogId: string; recordId: string } | null>;
  saveMemberInbox(actor: string, inbox: MemberInbox): Promise<void>;
  findMemberInbox(actor: string): Promise<MemberInbox | null>;
  /** On a member city: the catalogs it joined, as they presented themselves when it joined. */
  saveJoinedCatalog(profile: CatalogProfile): Promise<void>;
  removeJoinedCatalog(catalogId: string): Promise<void>;
  listJoinedCatalogs(): Promise<CatalogProfile[]>;
}

const prefix = "leitplanken-catalog";

export function catalogFederationStateOnKv(kv: KvStore): CatalogFederationState {
  const viewKey = (catalogId: string, recordId: string) => [prefix, "view", catalogId, recordId] as const;
  return {
    async saveViewEntry(entry) {
      await kv.set(viewKey(entry.catalogId, entry.recordId), entry);
      if (entry.submissionActivityId) {
        await kv.set([prefix, "submission", entry.submissionActivityId], { catalogId: entry.catalogId, recordId: entry.recordId });
      }
    },
    async findViewEntry(catalogId, recordId) {
      return (await kv.get<CatalogViewEntry>(viewKey(catalogId, recordId))) ?? null;
    },
    async listViewEntries(catalogId, filter = {}) {
      const entries: CatalogViewEntry[] = [];
      for await (const { value } of kv.list([prefix, "view", catalogId])) {
        const entry = value as CatalogViewEntry;
        if (filter.state === undefined || entry.state === filter.state) entries.push(entry);
      }
      return entries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },
    async findSubmission(activityId) {
      return (await kv.get<{ catalogId: string; recordId: string }>([prefix, "submission", activityId])) ?? null;
    },
    async saveMemberInbox(actor, inbox) {
      await kv.set([prefix, "inbox", actor], inbox);
    },
    async findMemberInbox(actor) {
      return (await kv.get<MemberInbox>([prefix, "inbox", actor])) ?? null;
    },
    async saveJoinedCatalog(profile) {
      await kv.set([prefix, "joined", profile.id], profile);
    },
    async removeJoinedCatalog(catalogId) {
      await kv.delete([prefix, "joined", catalogId]);
    },
    async listJoinedCatalogs() {
      const profiles: CatalogProfile[] = [];
      for await (const { value } of kv.list([prefix, "joined"])) profiles.push(value as CatalogProfile);
      return profiles;
    },
  };
}

/** The catalog side of a node's federation data (`FederationContextData.catalogs`). */
export interface CatalogFederationData {
  /** Catalogs hosted here, their members, entries and reports, the moderation log and network trust. */
  store: CatalogModerationStore;
  state: CatalogFederationState;
}
