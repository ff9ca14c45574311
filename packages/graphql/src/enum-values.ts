import {
  type ActorKind,
  type ActorRef,
  type CatalogServiceError,
  type EntryAction,
  licenceEnumName,
  type LicenceId,
  licences,
  type ListOrder,
  type PrincipleAlignment,
  type SectionChange,
  type UpstreamChanges,
  type WordChange,
  acceptancePolicySchema,
  annexIIIAreas,
  automationLevels,
  catalogRecordKinds,
  entryStates,
  fieldErrorCodes,
  recordActions,
  checkResultSchema,
  consultedParties,
  followStates,
  deliveryCircuits,
  guidelineKinds,
  guidelineOrderFields,
  guidelineRecordShape,
  hostingKinds,
  memberStates,
  moderationActionKinds,
  moderationTargetTypes,
  nodeSettingsFields,
  organisationSchema,
  principleCategories,
  principleSchema,
  reportCategories,
  reportStates,
  riskClasses,
  roles,
  sharedModelContentShape,
  sharedModelOrderFields,
  sharedModelStates,
  techniques,
  trustListKinds,
  trustModes,
  useCaseContentShape,
  useCaseOrderFields,
  useCaseStatuses,
  vettingSchema,
  workflowStates,
} from "@leitplanken/core";

/** GraphQL spells a domain value `in-use` as `IN_USE`: one rule for every enum, so no table to keep in sync. */
export function graphqlEnumName(value: string): string {
  return value.toUpperCase().replaceAll("-", "_");
}

function graphqlEnum<const V extends string>(values: readonly V[]): Record<string, V> {
  return Object.fromEntries(values.map((value) => [graphqlEnumName(value), value]));
}

/** Licence ids as enum values: `CC-BY-4.0` is `CC_BY_4_0` (GraphQL names allow no `-` or `.`). */
function licenceEnum<const V extends string>(values: readonly V[]): Record<string, V> {
  return Object.fromEntries(values.map((value) => [licenceEnumName(value), value]));
}

/** Field names as enum values: `cityName` is `CITY_NAME`. */
function fieldNameEnum<const V extends string>(values: readonly V[]): Record<string, V> {
  return Object.fromEntries(values.map((value) => [value.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase(), value]));
}

const actorKinds = ["city", "catalog", "other"] as const satisfies readonly ActorKind[];
const principleAlignments = ["first", "rule-id", "category", "text"] as const satisfies readonly PrincipleAlignment[];
const wordChangeKinds = ["same", "added", "removed"] as const satisfies readonly WordChange["kind"][];
const changeKinds = ["added", "removed", "changed", "unchanged"] as const satisfies readonly SectionChange["kind"][];
const catalogDecisions = ["approve", "reject", "remove"] as const satisfies readonly EntryAction[];
const reportOutcomes = ["resolved", "dismissed"] as const;
const catalogActorTypes = ["local", "actor", "origin"] as const satisfies readonly (ActorRef["type"] | "origin")[];
const trustSubjects = ["domain", "actor"] as const;
const trustListActions = ["block", "unblock", "allow", "disallow"] as const;
const signInMethods = ["api-token", "identity-provider"] as const;
/** Every state an action can be refused in: use cases, models, guideline versions, catalog entries, reports. */
export const recordStates = [...new Set([...workflowStates, ...sharedModelStates, ...guidelineRecordShape.state.options, ...entryStates, ...reportStates])];
/** Why the catalog service refused an action without a more specific error type (`CatalogRefusedError`). */
export const catalogRefusals = [
  "kind-not-accepted",
  "not-a-member",
  "submitter-not-origin",
  "already-in-catalog",
  "not-origin",
  "document-mismatch",
  "entry-closed",
  "membership-refused",
  "follow-mismatch",
  "member-changed",
] as const satisfies readonly CatalogServiceError["type"][];
const orderDirections = ["asc", "desc"] as const satisfies readonly ListOrder<string>["direction"][];
const upstreamStatuses = ["up-to-date", "upstream-changed", "origin-unknown"] as const satisfies readonly UpstreamChanges["status"][];

/**
 * The internal (domain) value of every GraphQL enum value, taken from the core's own lists.
 * Used by the resolvers at run time and by GraphQL Code Generator (`enumValues`) for the types.
 */
export const enumValues = {
  GuidelineKind: graphqlEnum(guidelineKinds),
  PrincipleLevel: graphqlEnum(principleSchema.shape.level.options),
  PrincipleCategory: graphqlEnum(principleCategories),
  ConsultedParty: graphqlEnum(consultedParties),
  GuidelineVersionState: graphqlEnum(guidelineRecordShape.state.options),
  OrganisationIdScheme: graphqlEnum(organisationSchema.shape.organisationId.unwrap().shape.scheme.options),
  UseCaseStatus: graphqlEnum(useCaseStatuses),
  WorkflowState: graphqlEnum(workflowStates),
  AutomationLevel: graphqlEnum(automationLevels),
  Technique: graphqlEnum(techniques),
  RiskClass: graphqlEnum(riskClasses),
  AnnexIIIArea: graphqlEnum(annexIIIAreas),
  Hosting: graphqlEnum(hostingKinds),
  ReusePotential: graphqlEnum(useCaseContentShape.reuse.unwrap().shape.potential.options),
  VettingResult: graphqlEnum(vettingSchema.shape.result.options),
  RuleSeverity: graphqlEnum(checkResultSchema.shape.severity.options),
  BaseModelRelation: graphqlEnum(sharedModelContentShape.baseModel.unwrap().shape.relation.options),
  OsiOpenSourceAi: graphqlEnum(sharedModelContentShape.sovereignty.shape.osiOpenSourceAi.options),
  ModelState: graphqlEnum(sharedModelStates),
  FollowState: graphqlEnum(followStates),
  DeliveryCircuit: graphqlEnum(deliveryCircuits),
  PrincipleAlignment: graphqlEnum(principleAlignments),
  WordChangeKind: graphqlEnum(wordChangeKinds),
  ChangeKind: graphqlEnum(changeKinds),
  UpstreamStatus: graphqlEnum(upstreamStatuses),
  CatalogRecordKind: graphqlEnum(catalogRecordKinds),
  CatalogOpenTo: graphqlEnum(acceptancePolicySchema.shape.openTo.options),
  CatalogMemberState: graphqlEnum(memberStates),
  CatalogEntryState: graphqlEnum(entryStates),
  CatalogDecision: graphqlEnum(catalogDecisions),
  ReportCategory: graphqlEnum(reportCategories),
  ReportState: graphqlEnum(reportStates),
  ReportOutcome: graphqlEnum(reportOutcomes),
  TrustMode: graphqlEnum(trustModes),
  TrustListKind: graphqlEnum(trustListKinds),
  TrustSubject: graphqlEnum(trustSubjects),
  TrustListAction: graphqlEnum(trustListActions),
  ModerationActionKind: graphqlEnum(moderationActionKinds),
  ModerationTargetType: graphqlEnum(moderationTargetTypes),
  CatalogActorType: graphqlEnum(catalogActorTypes),
  NodeSettingsField: fieldNameEnum(nodeSettingsFields),
  ActorKind: graphqlEnum(actorKinds),
  Role: graphqlEnum(roles),
  SignInMethod: graphqlEnum(signInMethods),
  OrderDirection: graphqlEnum(orderDirections),
  Licence: licenceEnum(Object.keys(licences) as LicenceId[]),
  RecordState: graphqlEnum(recordStates),
  CatalogRefusal: graphqlEnum(catalogRefusals),
  FieldErrorCode: graphqlEnum(fieldErrorCodes),
  RecordAction: graphqlEnum(recordActions),
  UseCaseOrderField: graphqlEnum(useCaseOrderFields),
  GuidelineVersionOrderField: graphqlEnum(guidelineOrderFields),
  ModelOrderField: graphqlEnum(sharedModelOrderFields),
} satisfies Record<string, Record<string, string>>;
