// The node settings as the legal pages and the settings page read them.

export interface LanguagePair {
  de: string | null;
  en: string | null;
}

export interface NodeContact {
  email: string | null;
  phone: string | null;
  address: LanguagePair | null;
  url: string | null;
}

export type NodeSettingsField =
  "CITY_NAME" | "ISSUING_BODY" | "WEBSITE" | "CONTACT" | "IMPRINT" | "PRIVACY_POLICY" | "ACCESSIBILITY_STATEMENT" | "ACCESSIBILITY_CONTACT";

export interface NodeSettingsData {
  cityName: string;
  issuingBody: { name: LanguagePair; organisationId: { scheme: string; value: string } | null };
  website: string;
  contact: NodeContact;
  imprint: LanguagePair | null;
  privacyPolicy: LanguagePair | null;
  accessibilityStatement: LanguagePair | null;
  accessibilityContact: NodeContact | null;
  overridden: NodeSettingsField[];
  updatedAt: string | null;
  updatedBy: string | null;
}

const contactFields = "email phone address { de en } url";

export const nodeSettingsFields = `cityName issuingBody { name { de en } organisationId { scheme value } } website
  contact { ${contactFields} } imprint { de en } privacyPolicy { de en } accessibilityStatement { de en }
  accessibilityContact { ${contactFields} } overridden updatedAt updatedBy`;

export const nodeSettingsQuery = `query NodeSettings { nodeSettings { ${nodeSettingsFields} } }`;

export const updateNodeSettingsMutation = `mutation UpdateNodeSettings($input: NodeSettingsInput!, $lang: String!) {
  result: updateNodeSettings(input: $input) {
    __typename
    ... on NodeSettingsSuccess { settings { ${nodeSettingsFields} } }
    ... on ValidationError { message { text(lang: $lang) } fieldErrors { path message { text(lang: $lang) } } }
  }
}`;

export type UpdateNodeSettingsResult =
  | { __typename: "NodeSettingsSuccess"; settings: NodeSettingsData }
  | { __typename: "ValidationError"; message: { text: string }; fieldErrors: { path: string; message: { text: string } }[] };
