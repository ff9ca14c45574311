// The register as open data: every public record (this city's own and the copies received from
// other cities) as JSON with the federation documents and their proofs, and as CSV. Both are
// paged: one file holds at most `pageSize` records and names the next one, so a huge register
// never makes one request read, sign or send an unbounded amount.
import type { Language } from "./i18n.ts";
import { runQuery, type GraphQLExecutor } from "./graphql-client.ts";
import { licenceOf, provenanceFields, type Provenance } from "./register.queries.ts";

/** Records per file; the API's largest page is 100. */
export const openDataPageSize = 250;

/** The licence of the register's compilation; each guideline names its own (field `licence`). */
export const openDataLicence = {
  id: "DL-DE-ZERO-2.0",
  name: { de: "Datenlizenz Deutschland – Zero – Version 2.0", en: "Data licence Germany – Zero – version 2.0" },
  url: "https://www.govdata.de/dl-de/zero-2-0",
} as const;

/** The parts of the register in the order the files list them. */
export const openDataSections = ["guidelines", "use-cases", "retired-use-cases", "models"] as const;
export type OpenDataSection = (typeof openDataSections)[number];

/** Where a file starts: a part of the register and, within it, the API's cursor. */
export interface OpenDataCursor {
  section: OpenDataSection;
  after: string | undefined;
}

/** `section` or `section~cursor`; anything else is not a cursor of ours (null). */
export function parseOpenDataCursor(value: unknown): OpenDataCursor | null {
  if (value === undefined) return { section: "guidelines", after: undefined };
  if (typeof value !== "string" || value.length > 300) return null;
  const [section, after, ...rest] = value.split("~");
  if (rest.length > 0 || !openDataSections.includes(section as OpenDataSection)) return null;
  if (after !== undefined && !/^[A-Za-z0-9+/=_-]{1,256}$/.test(after)) return null;
  return { section: section as OpenDataSection, after };
}

export const formatOpenDataCursor = (cursor: OpenDataCursor) => (cursor.after ? `${cursor.section}~${cursor.after}` : cursor.section);

/** One record as the files describe it. */
export interface OpenDataRecord {
  kind: "guideline" | "use-case" | "model";
  id: string;
  title: string;
  provenance: Provenance;
  /** The received document exactly as its city signed it; null for this node's own records. */
  signedDocument: string | null;
  /** Use cases: IDEA … RETIRED; guidelines and models: their state. */
  status: string;
  workflowState: string;
  version: string;
  department: string;
  riskClass: string;
  automationLevel: string;
  directlyAffectsCitizens: boolean | null;
  publishedAt: string;
  retiredAt: string;
  licence: string;
}

export const guidelinesQuery = `query OpenDataGuidelines($lang: String!, $first: Int!, $after: String) {
  page: guidelines(filter: { currentOnly: false, state: PUBLISHED }, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id title { text(lang: $lang) } version state publishedAt licenceId signedDocument ${provenanceFields} }
  }
}`;

export const useCasesQuery = `query OpenDataUseCases($lang: String!, $first: Int!, $after: String, $state: WorkflowState!) {
  page: useCases(filter: { workflowState: $state }, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes {
      id name { text(lang: $lang) } department status workflow { state publishedAt retiredAt }
      decisionProcess { automationLevel directlyAffectsCitizens } risk { aiActClass } signedDocument ${provenanceFields}
    }
  }
}`;

export const modelsQuery = `query OpenDataModels($lang: String!, $first: Int!, $after: String) {
  page: models(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name { text(lang: $lang) } version state licenceId signedDocument ${provenanceFields} }
  }
}`;

interface Page<T> {
  page: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] };
}
type GuidelineNode = {
  id: string;
  title: { text: string };
  version: string;
  state: string;
  publishedAt: string | null;
  licenceId: string;
  signedDocument: string | null;
  provenance: Provenance;
};
type UseCaseNode = {
  id: string;
  name: { text: string };
  department: string;
  status: string;
  workflow: { state: string; publishedAt: string | null; retiredAt: string | null };
  decisionProcess: { automationLevel: string; directlyAffectsCitizens: boolean };
  risk: { aiActClass: string | null };
  signedDocument: string | null;
  provenance: Provenance;
};
type ModelNode = {
  id: string;
  name: { text: string };
  version: string;
  state: string;
  licenceId: string;
  signedDocument: string | null;
  provenance: Provenance;
};

const blank = { version: "", department: "", riskClass: "", automationLevel: "", directlyAffectsCitizens: null, publishedAt: "", retiredAt: "", licence: "" };

async function readSection(
  graphql: GraphQLExecutor,
  section: OpenDataSection,
  variables: { lang: Language; first: number; after: string | undefined },
): Promise<{ records: OpenDataRecord[]; totalCount: number; next: string | null }> {
  const pageOf = <T>(data: Page<T>) => ({ totalCount: data.page.totalCount, next: data.page.pageInfo.hasNextPage ? data.page.pageInfo.endCursor : null });
  if (section === "guidelines") {
    const data = await runQuery<Page<GuidelineNode>>(graphql, guidelinesQuery, variables);
    const records = data.page.nodes.map((node): OpenDataRecord => ({
      ...blank,
      kind: "guideline",
      id: node.id,
      title: node.title.text,
      provenance: node.provenance,
      signedDocument: node.signedDocument,
      status: node.state,
      workflowState: node.state,
      version: node.version,
      publishedAt: node.publishedAt ?? "",
      licence: licenceOf(node.licenceId),
    }));
    return { records, ...pageOf(data) };
  }
  if (section === "models") {
    const data = await runQuery<Page<ModelNode>>(graphql, modelsQuery, variables);
    const records = data.page.nodes.map((node): OpenDataRecord => ({
      ...blank,
      kind: "model",
      id: node.id,
      title: node.name.text,
      provenance: node.provenance,
      signedDocument: node.signedDocument,
      status: node.state,
      workflowState: node.state,
      version: node.version,
      licence: licenceOf(node.licenceId),
    }));
    return { records, ...pageOf(data) };
  }
  const data = await runQuery<Page<UseCaseNode>>(graphql, useCasesQuery, { ...variables, state: section === "use-cases" ? "PUBLISHED" : "RETIRED" });
  const records = data.page.nodes.map((node): OpenDataRecord => ({
    ...blank,
    kind: "use-case",
    id: node.id,
    title: node.name.text,
    provenance: node.provenance,
    signedDocument: node.signedDocument,
    status: node.status,
    workflowState: node.workflow.state,
    department: node.department,
    riskClass: node.risk.aiActClass ?? "",
    automationLevel: node.decisionProcess.automationLevel,
    directlyAffectsCitizens: node.decisionProcess.directlyAffectsCitizens,
    publishedAt: node.workflow.publishedAt ?? "",
    retiredAt: node.workflow.retiredAt ?? "",
  }));
  return { records, ...pageOf(data) };
}

/** One file's worth of records from `start` on, and where the next file starts (null: this is the last). */
export interface OpenDataPage {
  records: OpenDataRecord[];
  next: OpenDataCursor | null;
  /** Records in the whole register, as the parts read counted them. */
  totalCounts: Partial<Record<OpenDataSection, number>>;
}

/**
 * Reads up to `pageSize` records from `start` on, part by part, through the API as an anonymous
 * visitor (only what citizens may see; every query charged to the visitor's budget).
 */
export async function readOpenDataPage(
  graphql: GraphQLExecutor,
  language: Language,
  start: OpenDataCursor,
  pageSize = openDataPageSize,
): Promise<OpenDataPage> {
  const records: OpenDataRecord[] = [];
  const totalCounts: OpenDataPage["totalCounts"] = {};
  let cursor: OpenDataCursor | null = start;
  while (cursor && records.length < pageSize) {
    const first = Math.min(100, pageSize - records.length);
    const read = await readSection(graphql, cursor.section, { lang: language, first, after: cursor.after });
    records.push(...read.records);
    totalCounts[cursor.section] = read.totalCount;
    const following: OpenDataSection | undefined = openDataSections[openDataSections.indexOf(cursor.section) + 1];
    cursor = read.next ? { section: cursor.section, after: read.next } : following ? { section: following, after: undefined } : null;
  }
  return { records, next: cursor, totalCounts };
}

/** The ActivityStreams type a record's document has on the wire. */
const wireType = { guideline: "Guideline", "use-case": "UseCase", model: "SharedModel" } as const;

/**
 * The JSON file: an ActivityStreams `OrderedCollectionPage` whose items are the records' signed
 * federation documents, byte for byte what their cities signed (anyone can check each proof
 * against the city's key). A record this node keeps without a signed document (an old copy) is
 * named under `withoutProof` instead of being passed off as signed.
 */
export async function openDataJson(
  page: OpenDataPage,
  options: {
    origin: string;
    cityName: string;
    self: string;
    first: string;
    next: string | null;
    ownDocument: ((iri: string) => Promise<Record<string, unknown> | null>) | undefined;
  },
): Promise<string> {
  const items: unknown[] = [];
  const withoutProof: { id: string; type: string; attributedTo: string }[] = [];
  for (const record of page.records) {
    let document: Record<string, unknown> | null = null;
    if (record.signedDocument) document = JSON.parse(record.signedDocument) as Record<string, unknown>;
    else if (record.provenance.local && options.ownDocument) document = await options.ownDocument(record.id);
    if (document && typeof document.proof === "object" && document.proof !== null) items.push(document);
    else withoutProof.push({ id: record.id, type: wireType[record.kind], attributedTo: record.provenance.city.id });
  }
  const file = {
    "@context": "https://www.w3.org/ns/activitystreams",
    type: "OrderedCollectionPage",
    id: options.self,
    partOf: options.first,
    name: options.cityName,
    summary: "Leitplanken: AI register (guidelines, use cases, shared models), this city's records and those received from other cities",
    published: new Date().toISOString(),
    license: openDataLicence.url,
    licenseName: openDataLicence.name.en,
    totalItems: items.length,
    orderedItems: items,
    withoutProof,
    ...(options.next ? { next: options.next } : {}),
  };
  return JSON.stringify(file, null, 1);
}

const csvColumns = [
  "kind",
  "id",
  "page",
  "title",
  "city",
  "city_actor",
  "local",
  "status",
  "workflow_state",
  "version",
  "department",
  "risk_class",
  "automation_level",
  "directly_affects_citizens",
  "published_at",
  "retired_at",
  "received_at",
  "proof_verified",
  "licence",
] as const;

/**
 * A CSV field: quoted, quotes doubled; a text that a spreadsheet would run as a formula
 * (=, +, -, @, tab, carriage return first) gets a leading apostrophe.
 */
export function csvField(value: string | number | boolean | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** The CSV file (RFC 4180, UTF-8 with a byte order mark so that spreadsheets read the umlauts). */
export function openDataCsv(page: OpenDataPage, options: { cityName: string; pageHref: (record: OpenDataRecord) => string }): string {
  const lines = [csvColumns.join(",")];
  for (const record of page.records) {
    const p = record.provenance;
    const row: Record<(typeof csvColumns)[number], string | boolean | null> = {
      kind: record.kind,
      id: record.id,
      page: options.pageHref(record),
      title: record.title,
      city: p.local ? options.cityName : (p.originCityName ?? new URL(p.city.id).host),
      city_actor: p.city.id,
      local: p.local,
      status: record.status,
      workflow_state: record.workflowState,
      version: record.version,
      department: record.department,
      risk_class: record.riskClass,
      automation_level: record.automationLevel,
      directly_affects_citizens: record.directlyAffectsCitizens,
      published_at: record.publishedAt,
      retired_at: record.retiredAt,
      received_at: p.receivedAt ?? "",
      proof_verified: p.proofVerified,
      licence: record.licence,
    };
    lines.push(csvColumns.map((column) => csvField(row[column])).join(","));
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
