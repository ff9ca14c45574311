// The GraphQL operations of the staff area and the shapes they select.
import { ruleResultFields, useCaseSummaryFields, type RuleResult, type Text, type UseCaseSummary } from "./register.queries.ts";
import { useCaseContentFields } from "./use-case.form.ts";

/** Any payload error of a mutation, with what the staff pages show of it. */
export interface PayloadError {
  __typename: string;
  message: Text;
  fieldErrors?: { path: string; message: Text }[];
  results?: RuleResult[];
}

// A fragment may only name types of the mutation's result union, so each mutation lists its own.
export const validationErrorFields = "... on ValidationError { fieldErrors { path message { text(lang: $lang) } } }";
const ruleViolationFields = `... on RuleViolationsError { results { ${ruleResultFields} } }`;

/** A mutation result: the success type has `__typename` ending in `Success`. */
export type MutationResult = { __typename: string; guidelineVersion?: { id: string }; useCase?: { id: string } } & Partial<PayloadError>;

/** A mutation document selecting `__typename`, the payload error's message and `errorFields` (fragments of the result union). */
export const mutation = (name: string, signature: string, args: string, ...errorFields: string[]) =>
  `mutation ${name[0]?.toUpperCase()}${name.slice(1)}($lang: String!, ${signature}) {
  result: ${name}(${args}) { __typename ... on PayloadError { message { text(lang: $lang) } } ${errorFields.join(" ")} }
}`;

const useCaseSuccess = "... on UseCaseSuccess { useCase { id } }";

export const mutations = {
  createGuideline: mutation("createGuideline", "$input: GuidelineInput!", "input: $input", validationErrorFields),
  createGuidelineDraft: mutation(
    "createGuidelineDraft",
    "$guidelineId: ID!, $input: GuidelineInput!",
    "guidelineId: $guidelineId, input: $input",
    validationErrorFields,
  ),
  // A change names the record's lockVersion the page was shown with: someone else's change since is a ConflictError.
  updateGuidelineDraft: mutation(
    "updateGuidelineDraft",
    "$versionId: ID!, $lockVersion: Int!, $input: GuidelineInput!",
    "versionId: $versionId, lockVersion: $lockVersion, input: $input",
    validationErrorFields,
  ),
  publishGuidelineVersion: mutation("publishGuidelineVersion", "$versionId: ID!, $lockVersion: Int!", "versionId: $versionId, lockVersion: $lockVersion"),
  createUseCase: mutation("createUseCase", "$input: UseCaseInput!", "input: $input", validationErrorFields, useCaseSuccess),
  updateUseCase: mutation(
    "updateUseCase",
    "$id: ID!, $lockVersion: Int!, $input: UseCaseInput!",
    "id: $id, lockVersion: $lockVersion, input: $input",
    validationErrorFields,
    useCaseSuccess,
  ),
  submitUseCase: mutation("submitUseCase", "$id: ID!, $lockVersion: Int!", "id: $id, lockVersion: $lockVersion"),
  vetUseCase: mutation(
    "vetUseCase",
    "$id: ID!, $lockVersion: Int!, $guidelineVersionId: ID!",
    "id: $id, lockVersion: $lockVersion, guidelineVersionId: $guidelineVersionId",
    validationErrorFields,
    ruleViolationFields,
  ),
  sendBackUseCase: mutation(
    "sendBackUseCase",
    "$id: ID!, $lockVersion: Int!, $reason: LocalizedTextInput!",
    "id: $id, lockVersion: $lockVersion, reason: $reason",
    validationErrorFields,
  ),
  publishUseCase: mutation("publishUseCase", "$id: ID!, $lockVersion: Int!", "id: $id, lockVersion: $lockVersion"),
  followCity: mutation("followCity", "$target: String!", "target: $target"),
  unfollowCity: mutation("unfollowCity", "$target: String!", "target: $target"),
  forkGuideline: mutation("forkGuideline", "$versionId: ID!", "versionId: $versionId", "... on GuidelineVersionSuccess { guidelineVersion { id } }"),
  adoptUseCase: mutation("adoptUseCase", "$useCaseId: ID!", "useCaseId: $useCaseId", "... on UseCaseSuccess { useCase { id } }"),
} as const;

/** What the use-case form offers: the city's current guideline (to check against) and the shared models to choose. */
export interface EditorGuideline {
  id: string;
  kind: string;
  title: Text;
  version: string;
}
export interface UseCaseEditorData {
  guidelines: { nodes: EditorGuideline[] };
  models: { nodes: { id: string; name: Text; version: string }[] };
}
export const useCaseEditorQuery = `query UseCaseEditor($lang: String!) {
  guidelines(filter: { local: true, currentOnly: true, state: PUBLISHED }, first: 20) { nodes { id kind title { text(lang: $lang) } version } }
  models(filter: { state: PUBLISHED }, first: 100) { nodes { id name { text(lang: $lang) } version } }
}`;

/** A stored use case with every field of UseCaseInput (both languages) and its workflow, for the form. */
export interface StoredUseCase extends Record<string, unknown> {
  id: string;
  lockVersion: number;
  provenance: { local: boolean };
  workflow: {
    state: string;
    submitted: { at: string } | null;
    sentBack: { by: string; at: string; reason: { de: string | null; en: string | null } } | null;
  };
}

/**
 * Whether a use case is a draft because a vetter sent it back: `sentBack` is the LAST send-back
 * ever, so it counts only while no submission came after it (a revision of a published use case
 * is a draft too, but not a sent-back one).
 */
export const isSentBack = (workflow: { state: string; submitted: { at: string } | null; sentBack: { at: string } | null }): boolean =>
  workflow.state === "DRAFT" && workflow.sentBack !== null && (!workflow.submitted || Date.parse(workflow.sentBack.at) >= Date.parse(workflow.submitted.at));

export const useCaseContentQuery = `query UseCaseContent($id: ID!) {
  useCase(id: $id) {
    id lockVersion provenance { local } workflow { state submitted { at } sentBack { by at reason { de en } } }
    ${useCaseContentFields}
  }
}`;

/** The rule check of a stored use case or of an unsaved one (what the form holds). */
export const checkCandidateQuery = `query CheckCandidate($lang: String!, $useCaseId: ID, $useCase: UseCaseInput, $guidelineVersionId: ID!) {
  result: checkUseCase(useCaseId: $useCaseId, useCase: $useCase, guidelineVersionId: $guidelineVersionId) {
    __typename
    ... on ConformanceReport { passed results { ${ruleResultFields} } }
    ... on PayloadError { message { text(lang: $lang) } }
  }
}`;

export interface FollowedCity {
  actor: string;
  state: string;
  since: string;
  updatedAt: string;
}

export const followingQuery = "query StaffFollowing { following: followedCities(first: 100) { nodes { actor state since updatedAt } } }";

/** A query that any valid token may run: signing in checks the token with it and learns who it is. */
export const tokenCheckQuery = "query TokenCheck { viewer { name role } }";

export interface StaffGuidelineEntry {
  id: string;
  lockVersion: number;
  kind: string;
  title: Text;
  version: string;
  state: string;
  publishedAt: string | null;
  guideline: { id: string; current: { id: string } | null; draft: { id: string } | null };
}

export interface DashboardData {
  guidelines: { nodes: StaffGuidelineEntry[] };
  useCases: { nodes: (UseCaseSummary & { lockVersion: number; workflow: { submitted: { at: string } | null; sentBack: { at: string } | null } })[] };
}

export const dashboardQuery = `query StaffDashboard($lang: String!) {
  guidelines(filter: { local: true, currentOnly: false }, first: 100) {
    nodes { id lockVersion kind title { text(lang: $lang) } version state publishedAt guideline { id current { id } draft { id } } }
  }
  useCases(filter: { local: true }, first: 100) { nodes { ${useCaseSummaryFields} lockVersion workflow { submitted { at } sentBack { at } } } }
}`;

export interface LanguageMap {
  de?: string | null;
  en?: string | null;
}

/** A guideline version's full content in the shape of GuidelineInput (plus what identifies it). */
export interface GuidelineContent {
  id: string;
  lockVersion: number;
  state: string;
  guideline: { id: string; versions: { nodes: { version: string }[] } };
  title: LanguageMap;
  summary: LanguageMap | null;
  changeSummary: LanguageMap | null;
  version: string;
  validFrom: string;
  principles: { key: string; statement: LanguageMap; level: string; category: string; ruleIds: string[] }[];
  sections: { heading: LanguageMap; body: LanguageMap }[];
  [field: string]: unknown;
}

const map = "{ de en }";
/**
 * The label a new version drafted from `current` suggests: its last number one up (1.0 → 1.1, 2 → 3,
 * 2026-1 → 2026-2; a label without a number gets ".1"), skipping labels the guideline already used.
 */
export function nextVersionLabel(current: string, taken: readonly string[]): string {
  const used = new Set(taken);
  const match = /^(.*?)(\d+)(\D*)$/.exec(current);
  let candidate = current;
  for (let step = 1; step < 1000; step++) {
    candidate = match ? `${match[1]}${String(BigInt(match[2]!) + BigInt(step)).padStart(match[2]!.length, "0")}${match[3]}` : `${current}.${step}`;
    if (!used.has(candidate)) return candidate;
  }
  return candidate;
}

export const guidelineContentQuery = `query GuidelineContent($id: ID!) {
  guidelineVersion(id: $id) {
    id lockVersion state guideline { id versions: allVersions(first: 100) { nodes { version } } }
    kind title ${map} summary ${map}
    issuingBody { name ${map} organisationId { scheme value } }
    adoptingBody { name ${map} councilDecision decidedOn }
    version validFrom relatedDocuments { kind iri title ${map} }
    audience ${map} consulted { party note ${map} date } licence: licenceId
    sections { heading ${map} body ${map} }
    principles { key statement ${map} level category ruleIds }
    origin attribution ${map} changeSummary ${map}
  }
}`;

export interface VetPageData {
  useCase: (UseCaseSummary & { lockVersion: number; responsible: { role: Text; office: Text } | null }) | null;
  guidelines: { nodes: { id: string; title: Text; version: string; provenance: { local: boolean; node: string } }[] };
}

export const vetPageQuery = `query VetPage($lang: String!, $id: ID!) {
  useCase(id: $id) { ${useCaseSummaryFields} lockVersion responsible { role { text(lang: $lang) } office { text(lang: $lang) } } }
  guidelines(filter: { state: PUBLISHED }, first: 100) { nodes { id title { text(lang: $lang) } version provenance { local node } } }
}`;

export interface CheckData {
  result: { __typename: string; passed?: boolean; results?: RuleResult[]; message?: Text };
}

export const checkUseCaseQuery = `query CheckUseCase($lang: String!, $id: ID!, $guidelineVersionId: ID!) {
  result: checkUseCase(useCaseId: $id, guidelineVersionId: $guidelineVersionId) {
    __typename
    ... on ConformanceReport { passed results { ${ruleResultFields} } }
    ... on PayloadError { message { text(lang: $lang) } }
  }
}`;

export interface FailingUseCasesData {
  result:
    | {
        __typename: "UseCasesFailingGuideline";
        guidelineVersion: { id: string; title: Text; version: string };
        checked: number;
        failing: { nodes: { useCase: { id: string; name: Text; workflow: { state: string } }; violations: RuleResult[]; warnings: RuleResult[] }[] };
      }
    | { __typename: "NotFoundError"; message: Text };
}

/** Which of this city's use cases (drafts too, with a staff token) would fail a guideline version's rules. */
export const failingUseCasesQuery = `query UseCasesFailingGuideline($lang: String!, $id: ID!) {
  result: useCasesFailingGuideline(guidelineVersionId: $id, local: true) {
    __typename
    ... on UseCasesFailingGuideline {
      guidelineVersion { id title { text(lang: $lang) } version }
      checked
      failing: failingUseCases(first: 100) { nodes { useCase { id name { text(lang: $lang) } workflow { state } } violations { ${ruleResultFields} } warnings { ${ruleResultFields} } } }
    }
    ... on PayloadError { message { text(lang: $lang) } }
  }
}`;
