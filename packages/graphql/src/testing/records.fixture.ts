import type { Provenance } from "@leitplanken/core";
import type { TestApi } from "./test-api.ts";

/** Inputs and helpers the API's tests share: a guideline after Dortmund's and use cases around it. */

export const guidelineInput = {
  kind: "GUIDELINE",
  title: { de: "KI verantwortlich gestalten", en: "Shaping AI responsibly" },
  issuingBody: { name: { de: "Stadt Dortmund" }, organisationId: { scheme: "AGS", value: "05913000" } },
  version: "1.0",
  validFrom: "2026-01-01",
  audience: { de: "Alle Beschäftigten" },
  licence: "CC-BY-4.0",
  sections: [{ heading: { de: "Zweck" }, body: { de: "KI **unterstützt**." } }],
  principles: [
    {
      key: "ai-supports-people",
      statement: { de: "KI unterstützt Menschen, ersetzt sie aber nicht.", en: "AI supports people but does not replace them." },
      level: "MUST",
      category: "HUMAN_OVERSIGHT",
      ruleIds: ["no-automated-action-on-citizens"],
    },
    {
      key: "energy",
      statement: { de: "Der Energiebedarf wird immer betrachtet.", en: "Energy use is always considered." },
      level: "MUST",
      category: "ENERGY",
      ruleIds: ["energy-considered"],
    },
  ],
};

/** A shared model as an editor registers it (`registerModel(input:)`), named as the caller needs. */
export const modelInput = (name = "Verwaltungsassistent") => ({
  name: { de: name },
  version: "1.0.0",
  licence: "Apache-2.0",
  architecture: "Decoder-only transformer",
  parameterCount: 7_200_000_000,
  languages: ["de"],
  intendedUse: { de: "Antworten auf Fragen." },
  outOfScopeUse: { de: "Entscheidungen." },
  trainingData: { de: "Öffentliche Texte." },
  limitations: { de: "Kann irren." },
  sovereignty: {
    openWeights: true,
    osiOpenSourceAi: "NOT_ASSESSED",
    weightsLocation: "Rechenzentrum",
    hosting: "MUNICIPAL_DATA_CENTRE",
    operatorJurisdiction: "DE",
  },
  maintainers: [{ name: "KI-Team" }],
});

export function useCaseInput(
  overrides: { name?: string; department?: string; automationLevel?: string; directlyAffectsCitizens?: boolean; models?: unknown[] } = {},
) {
  return {
    name: { de: overrides.name ?? "Chatbot Bürgerservice" },
    shortDescription: { de: "Beantwortet allgemeine Fragen zu Leistungen." },
    purpose: { de: "Kürzere Wartezeiten." },
    department: overrides.department ?? "Bürgerdienste",
    status: "PILOT",
    responsible: { role: { de: "Amtsleitung" }, office: { de: "Bürgerdienste" } },
    contact: { email: "buergerservice@example.org" },
    decisionProcess: {
      processFit: { de: "Vor der Terminvereinbarung." },
      automationLevel: overrides.automationLevel ?? "INFORMATION_ONLY",
      directlyAffectsCitizens: overrides.directlyAffectsCitizens ?? true,
      humanReview: { de: "Wöchentliche Stichproben." },
    },
    technique: "GENERATIVE",
    selfLearning: false,
    models: overrides.models ?? [],
    energy: { kwhPer1000Requests: 0.2, hostingRegion: "DE" },
  };
}

export type Payload = Record<string, unknown> & { __typename: string };
export const payload = (response: { data?: Record<string, unknown> }, field: string) => response.data?.[field] as Payload;

type Api = Pick<TestApi, "graphql">;

const createGuidelineMutation = `mutation ($input: GuidelineInput!) { createGuideline(input: $input) { __typename ... on GuidelineVersionSuccess { guidelineVersion { id lockVersion } } } }`;
const publishGuidelineMutation = `mutation ($id: ID!, $lockVersion: Int!) { publishGuidelineVersion(versionId: $id, lockVersion: $lockVersion) { __typename } }`;
const createUseCaseMutation = `mutation ($input: UseCaseInput!) { createUseCase(input: $input) { __typename ... on UseCaseSuccess { useCase { id lockVersion } } ... on ValidationError { fieldErrors { path code } } } }`;
const useCaseStep = (name: string) =>
  `mutation ($id: ID!, $lockVersion: Int!) { ${name}(id: $id, lockVersion: $lockVersion) { __typename ... on UseCaseSuccess { useCase { lockVersion } } } }`;
const vetMutation = `mutation ($id: ID!, $lockVersion: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $lockVersion, guidelineVersionId: $g) { __typename ... on UseCaseSuccess { useCase { lockVersion } } } }`;

/** The lockVersion a success payload's record was stored at (the next write names it). */
const lockVersionIn = (result: Payload, field: "useCase" | "guidelineVersion") => (result[field] as { lockVersion: number }).lockVersion;

async function expectSuccess(api: Api, query: string, variables: Record<string, unknown>, field: string, token = "token-editor"): Promise<Payload> {
  const response = await api.graphql(query, variables, token);
  const result = payload(response, field);
  if (!result?.__typename.endsWith("Success")) throw new Error(`${field} failed: ${JSON.stringify(response)}`);
  return result;
}

/** A guideline version created (and by default published) through the API; its IRI. */
export async function guidelineVia(
  api: Api,
  input: Record<string, unknown> = guidelineInput,
  options: { publish?: boolean } = {},
  token = "token-editor",
): Promise<string> {
  const created = await expectSuccess(api, createGuidelineMutation, { input }, "createGuideline", token);
  const id = (created["guidelineVersion"] as { id: string }).id;
  if (options.publish ?? true)
    await expectSuccess(api, publishGuidelineMutation, { id, lockVersion: lockVersionIn(created, "guidelineVersion") }, "publishGuidelineVersion", token);
  return id;
}

/** The steps a use case takes through the API, from draft up to `until`; its IRI. */
export async function useCaseVia(
  api: Api,
  input: Record<string, unknown>,
  until: "draft" | "submitted" | "vetted" | "published" | "retired",
  guidelineVersionId?: string,
): Promise<string> {
  const created = await expectSuccess(api, createUseCaseMutation, { input }, "createUseCase");
  const id = (created["useCase"] as { id: string }).id;
  let lockVersion = lockVersionIn(created, "useCase");
  const order = ["draft", "submitted", "vetted", "published", "retired"];
  const reached = (state: string) => order.indexOf(until) >= order.indexOf(state);
  const step = async (name: string, extra: Record<string, unknown> = {}, token?: string) => {
    const query = name === "vetUseCase" ? vetMutation : useCaseStep(name);
    lockVersion = lockVersionIn(await expectSuccess(api, query, { id, lockVersion, ...extra }, name, token), "useCase");
  };
  if (reached("submitted")) await step("submitUseCase");
  if (reached("vetted")) await step("vetUseCase", { g: guidelineVersionId }, "token-vetter");
  if (reached("published")) await step("publishUseCase");
  if (reached("retired")) await step("retireUseCase");
  return id;
}

/**
 * A draft that lets AI act on its own where citizens are directly affected, as one stored before
 * the API refused to write such content (or imported by an older version): the API refuses to
 * write it, so the test stores it through the repository. Vetting must refuse it all the same.
 */
export async function automatedDraftVia(api: Pick<TestApi, "graphql" | "records">, name: string): Promise<string> {
  const id = await useCaseVia(api, useCaseInput({ name, automationLevel: "DECISION_SUPPORT", directlyAffectsCitizens: true }), "draft");
  const stored = await api.records.useCases.get(id);
  if (stored === null) throw new Error(`draft ${id} not stored`);
  await api.records.useCases.save({ ...stored, decisionProcess: { ...stored.decisionProcess, automationLevel: "automated-action" } });
  return id;
}

/**
 * The lockVersion of a record as staff read it now (what an editing page loads before a write);
 * 0 when the admin cannot see it.
 */
export async function lockVersionOf(api: Api, kind: "useCase" | "guidelineVersion" | "model", id: string, token = "token-admin"): Promise<number> {
  const response = await api.graphql<Record<string, { lockVersion: number } | null>>(`query ($id: ID!) { ${kind}(id: $id) { lockVersion } }`, { id }, token);
  return response.data?.[kind]?.lockVersion ?? 0;
}

/** Another city's node in a test, composed like ours under its own origin. */
export const peerIdentity = (host: string) => ({ actor: `https://${host}/actor`, origin: `https://${host}` });

/** What federation stores when a peer's record arrives: the record unchanged, with received provenance. */
export function asReceived<T extends { provenance: Provenance }>(record: T, options: { proofVerified?: boolean } = {}): T {
  const { originActor, originHost } = record.provenance;
  return {
    ...record,
    provenance: { source: "received", originActor, originHost, receivedAt: "2026-11-20T08:00:00.000Z", proofVerified: options.proofVerified ?? true },
  };
}

/** Copies records of a peer's node into ours as received copies (what following and backfill do). */
export async function receive(from: TestApi, to: TestApi, ids: { guidelines?: string[]; useCases?: string[]; models?: string[] }): Promise<void> {
  for (const id of ids.models ?? []) await to.records.sharedModels.save(asReceived(required(await from.records.sharedModels.get(id), id)));
  for (const id of ids.guidelines ?? []) {
    const saved = await to.records.guidelines.save(asReceived(required(await from.records.guidelines.get(id), id)));
    if (!saved.ok) throw new Error(`received guideline ${id} not saved: ${saved.error.type}`);
  }
  for (const id of ids.useCases ?? []) await to.records.useCases.save(asReceived(required(await from.records.useCases.get(id), id)));
}

function required<T>(record: T | null, id: string): T {
  if (record === null) throw new Error(`no record ${id} on the peer`);
  return record;
}
