import type { Adoption } from "../adoption.ts";
import type { LineageNode } from "../lineage.ts";
import type { NetworkStatistics } from "../network-statistics.ts";
import type { Page, PageRequest } from "./records.ts";

/**
 * The network as one node sees it: adoption records, the cities it knows, figures and fork
 * trees across them. Implemented in @leitplanken/db (in SQL, so it scales to thousands of
 * cities); the answers equal core's pure functions over the same records.
 */

export interface AdoptionListOptions {
  /** Only adoptions `adoptionProofVerified` accepts: our own, or received with a verified proof. */
  verifiedOnly?: boolean | undefined;
}

export interface AdoptionRepository {
  /** Insert or replace by id (an adopter's Update replaces its record). */
  save(adoption: Adoption): Promise<void>;
  get(id: string): Promise<Adoption | null>;
  /** Adoptions of a use case (the origin's IRI), oldest first. */
  listByOriginUseCase(useCaseId: string, options?: AdoptionListOptions): Promise<Adoption[]>;
  /** `listByOriginUseCase` of several use cases in one read: in the order of `useCaseIds` (DataLoader shape). */
  listByOriginUseCases(useCaseIds: readonly string[], options?: AdoptionListOptions): Promise<Adoption[][]>;
  /** Adoptions a city published (its actor IRI), oldest first. */
  listByAdopter(adopter: string, options?: AdoptionListOptions): Promise<Adoption[]>;
  /** The adopter withdrew it (Delete); false when there was none. */
  remove(id: string): Promise<boolean>;
}

/** Which cities a network query spans: all the node knows (undefined) or the given actor IRIs. */
export interface NetworkScope {
  cities?: readonly string[] | undefined;
}

export interface NetworkCity {
  /** The city's actor IRI. */
  actor: string;
  host: string;
  /** Our own city (it has local records). */
  own: boolean;
  /** We follow it and it accepted. */
  followed: boolean;
  counts: {
    guidelineDocuments: number;
    guidelineVersions: number;
    useCases: number;
    publishedUseCases: number;
    models: number;
    adoptions: number;
    /** Guideline documents and versions with a published version (what anonymous readers may count). */
    publishedGuidelineDocuments: number;
    publishedGuidelineVersions: number;
  };
  /** Received copies whose proof did not verify (0 for our own city). */
  unverifiedRecords: number;
  /** When a record of this city last changed on this node; null for a followed city without records. */
  lastUpdate: Date | null;
  /** When a record the public sees last changed (draft edits do not move it). */
  publicLastUpdate: Date | null;
}

export interface NetworkRepository {
  /** Own city first, then by actor IRI. */
  listCities(scope?: NetworkScope): Promise<NetworkCity[]>;
  /**
   * One page of `listCities` (same order), read in SQL: the page's cities by keyset on (own, actor
   * IRI) and only their records counted; `totalCount` counts the cities when called. A cursor names
   * this list; anywhere else it is refused (`InvalidCursorError`).
   */
  pageCities(scope: NetworkScope | undefined, page: PageRequest): Promise<Page<NetworkCity>>;
  /**
   * `networkStatistics(useCases, models, cities)` over the use cases and models of the scope's
   * cities; coverage is asked for the scope's cities, or for all cities `listCities` knows.
   */
  statistics(scope?: NetworkScope): Promise<NetworkStatistics>;
  /** `lineageOf(buildLineage(all guidelines), iri)`: the fork tree holding a version or document IRI. */
  lineage(iri: string): Promise<LineageNode | null>;
}
