/**
 * The longest text and the longest list each field of a record may hold, in one place: the record
 * schemas (use case, guideline, shared model) are built from these numbers, the GraphQL schema's
 * input descriptions state them, and packages/core/README.md has them as a table (a test compares
 * all three). Generous for a real municipal record, bounded for a hostile one: what is over a limit
 * is refused at its field (GraphQL `ValidationError`, the staff form at the field's label), and a
 * received record over a limit is refused like any other invalid record (FEDERATION.md).
 */
export const textLimits = {
  /** A name or a title: one line. */
  title: 200,
  /** A one-line value: a department, an operator, a person's or supplier's name, a legal basis, a version. */
  line: 200,
  /** A summary, a principle's statement or a short explanation: a paragraph or two. */
  summary: 2_000,
  /** A long text: a purpose, a guideline section's body (Markdown), a model's limitations. */
  long: 20_000,
} as const;

export const listLimits = {
  /** Entries of a list an editor fills (risks, datasets, suppliers, principles, sections, maintainers, …). */
  items: 50,
  /** Languages of one text (the EU's 24 official languages and regional ones). */
  languages: 30,
  /** Languages a model handles (multilingual models name 100 and more). */
  modelLanguages: 300,
  /** Earlier versions in a guideline's history. */
  history: 1_000,
  /** Rule results of a use case's conformance check. */
  checkResults: 500,
  /** Cities that adopted a use case (Germany has about 11,000 municipalities). */
  adoptions: 20_000,
} as const;

export const identifierLimits = {
  /** A web address or IRI (what browsers and servers reliably handle). */
  iri: 2_048,
  /** A key such as a principle's key or a rule id. */
  key: 100,
  /** A BCP 47 language tag. */
  languageTag: 35,
  /** An email address (RFC 5321). */
  email: 254,
  /** A phone number with its notes ("+49 231 50-0, Mo–Fr"). */
  phone: 50,
  /** A host name with port. */
  host: 260,
} as const;

/** One limited field of a record: its path (`[]` for every entry of a list, `*` for every language of a text) and its bound. */
export interface FieldLimit {
  path: string;
  max: number;
  unit: "characters" | "entries";
}

const text = (path: string, max: number): FieldLimit => ({ path, max, unit: "characters" });
const list = (path: string, max: number): FieldLimit => ({ path, max, unit: "entries" });
const { title, line, summary, long } = textLimits;

/** What an editor writes in a use case (GraphQL `UseCaseInput`, import files), and what other nodes send. */
export const useCaseFieldLimits: readonly FieldLimit[] = [
  text("name.*", 100),
  text("shortDescription.*", 350),
  text("purpose.*", long),
  text("department", line),
  text("responsible.role.*", line),
  text("responsible.office.*", line),
  text("contact.email", identifierLimits.email),
  text("contact.phone", identifierLimits.phone),
  text("contact.url", identifierLimits.iri),
  text("decisionProcess.processFit.*", long),
  text("decisionProcess.humanReview.*", long),
  text("decisionProcess.appealPath.*", summary),
  list("models", listLimits.items),
  text("models[].version", 80),
  list("suppliers", listLimits.items),
  text("suppliers[].name", line),
  text("suppliers[].role.*", line),
  list("datasets", listLimits.items),
  text("datasets[].name.*", line),
  text("datasets[].source.*", summary),
  text("datasets[].legalBasis", line),
  text("datasets[].retention.*", summary),
  text("risk.article6_3Reason.*", long),
  list("risk.risks", listLimits.items),
  text("risk.risks[].risk.*", summary),
  text("risk.risks[].mitigation.*", long),
  text("assessments.dpia.summary.*", summary),
  text("assessments.dpia.reason.*", summary),
  text("assessments.fria.summary.*", summary),
  text("assessments.fria.reason.*", summary),
  text("energy.hostingRegion", line),
  text("energy.compensation.*", summary),
  text("sovereignty.operator", line),
  text("sovereignty.exitPlan.*", long),
  text("reuse.note.*", summary),
];

/** What an editor writes in a guideline version (GraphQL `GuidelineInput`, import files), and what other nodes send. */
export const guidelineFieldLimits: readonly FieldLimit[] = [
  text("title.*", title),
  text("summary.*", summary),
  text("issuingBody.name.*", title),
  text("issuingBody.organisationId.value", line),
  text("adoptingBody.name.*", title),
  text("version", 40),
  list("relatedDocuments", listLimits.items),
  text("relatedDocuments[].title.*", title),
  text("audience.*", summary),
  list("consulted", listLimits.items),
  text("consulted[].note.*", summary),
  list("sections", listLimits.items),
  text("sections[].heading.*", title),
  text("sections[].body.*", long),
  list("principles", listLimits.items),
  text("principles[].statement.*", summary),
  list("principles[].ruleIds", listLimits.items),
  text("attribution.*", summary),
  text("changeSummary.*", summary),
];

/** What an editor writes in a shared model (GraphQL `ModelInput`, import files), and what other nodes send. */
export const sharedModelFieldLimits: readonly FieldLimit[] = [
  text("name.*", 100),
  text("version", 80),
  text("revision", line),
  text("baseModel.name", line),
  text("architecture", line),
  list("languages", listLimits.modelLanguages),
  text("intendedUse.*", long),
  text("outOfScopeUse.*", long),
  text("trainingData.*", long),
  list("evaluation", listLimits.items),
  text("evaluation[].benchmark", line),
  text("evaluation[].metric", line),
  text("evaluation[].note.*", summary),
  text("limitations.*", long),
  text("trainingEmissions.hardware", line),
  text("trainingEmissions.region", line),
  text("inferenceEnergy.hardware", line),
  text("sovereignty.weightsLocation", line),
  text("sovereignty.exitStrategy.*", long),
  list("servedBy", listLimits.items),
  text("useTerms.*", long),
  list("maintainers", listLimits.items),
  text("maintainers[].name", line),
  text("maintainers[].contact", line),
];
