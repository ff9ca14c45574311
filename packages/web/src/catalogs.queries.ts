// The GraphQL operations of the catalog pages (coordinators and member cities) and the shapes they select.
import type { CatalogProfile } from "@leitplanken/core";
import type { Text } from "./register.queries.ts";
import { mutation, validationErrorFields } from "./staff.queries.ts";

export interface CatalogModerator {
  type: string;
  name: string | null;
  iri: string | null;
}

export interface CatalogPolicy {
  acceptedKinds: string[];
  openTo: string;
  memberApprovalRequired: boolean;
}

export interface LanguageText {
  de: string | null;
  en: string | null;
}

export interface HostedCatalogSummary {
  id: string;
  handle: string;
  name: Text;
  description: Text;
  policy: CatalogPolicy;
  moderators: CatalogModerator[];
  viewerIsModerator: boolean;
  memberships: { totalCount: number };
}

const policyFields = "policy { acceptedKinds openTo memberApprovalRequired }";
const moderatorFields = "moderators { type name iri }";

export const hostedCatalogSummariesQuery = `query HostedCatalogSummaries($lang: String!) {
  hostedCatalogs(first: 100) { nodes { id handle name { text(lang: $lang) } description { text(lang: $lang) } ${policyFields} ${moderatorFields} viewerIsModerator memberships(first: 1) { totalCount } } }
}`;

/** A catalog's settings as the edit form shows them (both languages). */
export interface CatalogSettings {
  id: string;
  handle: string;
  name: LanguageText;
  description: LanguageText;
  rules: LanguageText | null;
  policy: CatalogPolicy;
  moderators: CatalogModerator[];
}

export const catalogSettingsQuery = `query CatalogSettings($id: ID!) {
  catalog(id: $id) { id handle name { de en } description { de en } rules { de en } ${policyFields} ${moderatorFields} }
}`;

/** The API's CatalogProfile has core's shape. */
export type { CatalogProfile } from "@leitplanken/core";

const profileFields = "id handle name summary membersNeedApproval";

export interface JoinedCatalog {
  catalog: CatalogProfile;
  state: "PENDING" | "ACCEPTED" | "REJECTED";
  since: string;
}

/** The catalogs this city joined or asked to join (the newest 100). */
export const joinedCatalogsQuery = `query JoinedCatalogs { catalogMemberships(first: 100) { nodes { catalog { ${profileFields} } state since } } }`;

export type LookUpCatalogResult = ({ __typename: "CatalogProfile" } & CatalogProfile) | { __typename: string; message: Text };

export const lookUpCatalogQuery = `query LookUpCatalog($lang: String!, $address: String!) {
  result: lookUpCatalog(address: $address) {
    __typename
    ... on CatalogProfile { ${profileFields} }
    ... on PayloadError { message { text(lang: $lang) } }
  }
}`;

export interface CatalogViewEntry {
  recordId: string;
  state: string;
  reason: string | null;
  updatedAt: string;
  submissionActivityId: string | null;
}

/** This city's view of a catalog: its first 100 records there. */
export const catalogViewQuery = `query CatalogView($catalog: String!) { catalogViewEntries(catalog: $catalog, first: 100) { nodes { recordId state reason updatedAt submissionActivityId } } }`;

/** A record of this city by its IRI, whichever kind it is (the other two answer null). */
export interface OwnRecord {
  useCase: { id: string; name: Text; workflow: { state: string }; provenance: { local: boolean } } | null;
  guidelineVersion: { id: string; title: Text; version: string; state: string; provenance: { local: boolean } } | null;
  model: { id: string; name: Text; version: string; provenance: { local: boolean } } | null;
}

export const ownRecordQuery = `query OwnRecord($lang: String!, $id: ID!) {
  useCase(id: $id) { id name { text(lang: $lang) } workflow { state } provenance { local } }
  guidelineVersion(id: $id) { id title { text(lang: $lang) } version state provenance { local } }
  model(id: $id) { id name { text(lang: $lang) } version provenance { local } }
}`;

export interface MutationOutcome {
  __typename: string;
  message?: Text;
  fieldErrors?: { path: string; message: Text }[];
  catalog?: { id: string; handle: string };
}

const catalogSuccess = "... on CatalogSuccess { catalog { id handle } }";

export const catalogMutations = {
  joinCatalog: mutation("joinCatalog", "$catalog: String!", "catalog: $catalog"),
  leaveCatalog: mutation("leaveCatalog", "$catalog: String!", "catalog: $catalog"),
  submitToCatalog: mutation("submitToCatalog", "$catalog: String!, $recordId: ID!", "catalog: $catalog, recordId: $recordId", validationErrorFields),
  createCatalog: mutation("createCatalog", "$input: CatalogSettingsInput!", "input: $input", catalogSuccess, validationErrorFields),
  updateCatalog: mutation("updateCatalog", "$id: ID!, $input: CatalogSettingsInput!", "id: $id, input: $input", catalogSuccess, validationErrorFields),
} as const;
