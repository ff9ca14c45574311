// The GraphQL operations of the API token pages (role admin) and the shapes they select.

export interface ApiTokenEntry {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  current: boolean;
}

const tokenFields = "id name role createdAt lastUsedAt revokedAt current";

export const apiTokensQuery = `query ApiTokens($includeRevoked: Boolean!) { apiTokens: accessTokens(includeRevoked: $includeRevoked, first: 100) { nodes { ${tokenFields} } } }`;

export type CreateApiTokenResult =
  | { __typename: "CreateApiTokenSuccess"; secret: string; token: ApiTokenEntry }
  | { __typename: "ValidationError"; message: { text: string }; fieldErrors: { path: string; message: { text: string } }[] }
  | { __typename: "TokenNameTakenError"; message: { text: string }; name: string };

export const createApiTokenMutation = `mutation CreateApiToken($lang: String!, $input: CreateApiTokenInput!) {
  result: createApiToken(input: $input) {
    __typename
    ... on CreateApiTokenSuccess { secret token { ${tokenFields} } }
    ... on PayloadError { message { text(lang: $lang) } }
    ... on ValidationError { fieldErrors { path message { text(lang: $lang) } } }
    ... on TokenNameTakenError { name }
  }
}`;

export type RevokeApiTokenResult =
  { __typename: "ApiTokenSuccess"; token: { id: string } } | { __typename: "NotFoundError" | "LastAdminTokenError"; message: { text: string } };

export const revokeApiTokenMutation = `mutation RevokeApiToken($lang: String!, $id: ID!) {
  result: revokeApiToken(id: $id) { __typename ... on ApiTokenSuccess { token { id } } ... on PayloadError { message { text(lang: $lang) } } }
}`;
