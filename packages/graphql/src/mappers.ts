import type { BilingualMessage, CheckResult, DeliveryFailureRecord, Guideline, LanguageMap, Page, SharedModel, UseCase } from "@leitplanken/core";

/**
 * What the resolvers of some GraphQL types receive as parent, where that is not a core
 * record itself (GraphQL Code Generator `mappers`, see codegen.ts).
 */

/** A guideline document across its versions: the core stores versions, each naming its document. */
export interface GuidelineDocument {
  documentId: string;
}

export type ModelReference = UseCase["models"][number];
export type Conformance = NonNullable<UseCase["conformance"]>;

export interface ConformanceReport {
  __typename?: "ConformanceReport";
  guidelineVersion: Guideline;
  results: CheckResult[];
}

export type UseCasePage = Page<UseCase>;
export type SharedModelPage = Page<SharedModel>;
export type GuidelinePage = Page<Guideline>;

/** Texts come as the core's language maps or as its bilingual messages (errors). */
export type LocalizedText = LanguageMap | BilingualMessage;

/** The permanent delivery failures of one follower, newest first. */
export interface FollowerDeliveries {
  failures: DeliveryFailureRecord[];
}

/** A blocked domain, stored by an admin (with its date) or from the node's configuration. */
export interface DomainBlockEntry {
  domain: string;
  reason: string | null;
  createdAt: Date | null;
  fromConfiguration: boolean;
}
