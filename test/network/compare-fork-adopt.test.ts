// Issue 5 across three nodes on loopback: A and B publish, C compares and forks, B adopts A's
// use case, and C's network statistics are checked against figures worked out here.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { signRecord, verifyRecordProof } from "@leitplanken/activitypub";
import { eventually, logged, signedPost, startNode } from "../federation/harness.ts";
import { editorToken, startNetworkNode, vetterToken, type GraphQLResponse, type NetworkNode } from "./network-node.ts";

type Json = Record<string, unknown>;

const text = (de: string) => ({ de });

const principle = (key: string, statement: string, category: string, ruleIds: string[], level = "MUST") => ({
  key,
  statement: text(statement),
  level,
  category,
  ruleIds,
});

function guidelineInput(
  city: string,
  overrides: { sections: unknown[]; principles: ReturnType<typeof principle>[]; licence?: string; version?: string; title?: string },
) {
  return {
    kind: "GUIDELINE",
    title: text(overrides.title ?? `KI-Leitlinie ${city}`),
    issuingBody: { name: text(`Stadt ${city}`), organisationId: { scheme: "AGS", value: `0591${city.length}000` } },
    version: overrides.version ?? "1.0",
    validFrom: "2026-01-01",
    audience: text("Alle Beschäftigten"),
    licence: overrides.licence ?? "CC-BY-4.0",
    sections: overrides.sections,
    principles: overrides.principles,
  };
}

const guidelineOfA = guidelineInput("Aachen", {
  sections: [{ heading: text("Zweck"), body: text("KI unterstützt die Verwaltung.") }],
  principles: [
    principle("mensch-entscheidet", "Verantwortung für Entscheidungen liegt immer beim Menschen.", "ACCOUNTABILITY", ["named-responsible-human"]),
    principle("keine-automatik", "KI löst keine Aktionen gegenüber Bürgern automatisch aus.", "HUMAN_OVERSIGHT", ["no-automated-action-on-citizens"]),
    principle("energy", "Der Energiebedarf wird immer betrachtet.", "ENERGY", ["energy-considered"]),
  ],
});

const guidelineOfB = guidelineInput("Bielefeld", {
  sections: [
    { heading: text("Zweck"), body: text("KI unterstützt die Stadtverwaltung.") },
    { heading: text("Transparenz"), body: text("Wir veröffentlichen jeden Einsatz.") },
  ],
  principles: [
    principle("kein-autopilot", "Entscheidungen über Bürgerinnen und Bürger trifft nie eine Maschine allein.", "HUMAN_OVERSIGHT", [
      "no-automated-action-on-citizens",
    ]),
    principle("energy", "Der Energiebedarf wird stets betrachtet.", "ENERGY", ["energy-considered"], "SHOULD"),
    principle("offenheit", "Jeder Einsatz wird veröffentlicht.", "TRANSPARENCY", []),
  ],
});

interface UseCaseFigures {
  automationLevel: string;
  directlyAffectsCitizens: boolean;
  riskClass?: string;
  kwhPerYear?: number;
  kwhPer1000Requests?: number;
  compensation?: string;
}

function useCaseInput(name: string, figures: UseCaseFigures) {
  return {
    name: text(name),
    shortDescription: text(`${name}: kurz erklärt.`),
    purpose: text("Kürzere Wartezeiten."),
    department: "Bürgerdienste",
    status: "PILOT",
    responsible: { role: text("Amtsleitung"), office: text("Bürgerdienste") },
    contact: { email: "ki@example.org" },
    decisionProcess: {
      processFit: text("Vor der Sachbearbeitung."),
      automationLevel: figures.automationLevel,
      directlyAffectsCitizens: figures.directlyAffectsCitizens,
      humanReview: text("Wöchentliche Stichproben."),
    },
    technique: "GENERATIVE",
    selfLearning: false,
    ...(figures.riskClass ? { risk: { aiActClass: figures.riskClass } } : {}),
    energy: {
      hostingRegion: "DE",
      ...(figures.kwhPerYear === undefined ? {} : { kwhPerYear: figures.kwhPerYear }),
      ...(figures.kwhPer1000Requests === undefined ? {} : { kwhPer1000Requests: figures.kwhPer1000Requests }),
      ...(figures.compensation === undefined ? {} : { compensation: text(figures.compensation) }),
    },
  };
}

const mutations = {
  createGuideline: `mutation ($input: GuidelineInput!) { createGuideline(input: $input) { __typename ... on GuidelineVersionSuccess { guidelineVersion { id guideline { id } } } } }`,
  createGuidelineDraft: `mutation ($doc: ID!, $input: GuidelineInput!) { createGuidelineDraft(guidelineId: $doc, input: $input) { __typename ... on GuidelineVersionSuccess { guidelineVersion { id } } } }`,
  updateGuidelineDraft: `mutation ($id: ID!, $lockVersion: Int!, $input: GuidelineInput!) { updateGuidelineDraft(versionId: $id, lockVersion: $lockVersion, input: $input) { __typename } }`,
  publishGuidelineVersion: `mutation ($id: ID!, $lockVersion: Int!) { publishGuidelineVersion(versionId: $id, lockVersion: $lockVersion) { __typename } }`,
  createUseCase: `mutation ($input: UseCaseInput!) { createUseCase(input: $input) { __typename ... on UseCaseSuccess { useCase { id } } } }`,
  updateUseCase: `mutation ($id: ID!, $lockVersion: Int!, $input: UseCaseInput!) { updateUseCase(id: $id, lockVersion: $lockVersion, input: $input) { __typename ... on ValidationError { fieldErrors { code } } } }`,
  submitUseCase: `mutation ($id: ID!, $lockVersion: Int!) { submitUseCase(id: $id, lockVersion: $lockVersion) { __typename } }`,
  vetUseCase: `mutation ($id: ID!, $lockVersion: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $lockVersion, guidelineVersionId: $g) { __typename ... on RuleViolationsError { results { ruleId passed } } } }`,
  publishUseCase: `mutation ($id: ID!, $lockVersion: Int!) { publishUseCase(id: $id, lockVersion: $lockVersion) { __typename } }`,
  retireUseCase: `mutation ($id: ID!, $lockVersion: Int!) { retireUseCase(id: $id, lockVersion: $lockVersion) { __typename } }`,
  forkGuideline: `mutation ($id: ID!) { forkGuideline(versionId: $id) { __typename
    ... on GuidelineVersionSuccess { guidelineVersion { id origin state } }
    ... on LicenceForbidsForkError { licence message { de en } } } }`,
  adoptUseCase: `mutation ($id: ID!) { adoptUseCase(useCaseId: $id) { __typename ... on UseCaseSuccess { useCase { id adoptedFrom workflow { state } vetting { date } } } } }`,
};

/** The mutations that change a stored record, and what they change: they name the lockVersion read before. */
const changes: Partial<Record<keyof typeof mutations, "useCase" | "guidelineVersion">> = {
  updateGuidelineDraft: "guidelineVersion",
  publishGuidelineVersion: "guidelineVersion",
  updateUseCase: "useCase",
  submitUseCase: "useCase",
  vetUseCase: "useCase",
  publishUseCase: "useCase",
  retireUseCase: "useCase",
};

/** The record's lockVersion as the caller reads it right before changing it (what an editing page does). */
async function lockVersionOf(node: NetworkNode, kind: "useCase" | "guidelineVersion", id: unknown, token: string): Promise<number> {
  const response = await node.graphql(`query ($id: ID!) { ${kind}(id: $id) { lockVersion } }`, { id }, token);
  return (response.data?.[kind] as { lockVersion: number } | null)?.lockVersion ?? 0;
}

/** The payload of a mutation, failing the test with the whole response when it is missing. */
async function run(node: NetworkNode, name: keyof typeof mutations, variables: Json, token = editorToken): Promise<Json & { __typename: string }> {
  const kind = changes[name];
  if (kind && variables.lockVersion === undefined) variables = { ...variables, lockVersion: await lockVersionOf(node, kind, variables.id, token) };
  const response = await node.graphql(mutations[name], variables, token);
  const payload = response.data?.[name] as (Json & { __typename: string }) | undefined;
  if (!payload) throw new Error(`${name}: ${JSON.stringify(response)}`);
  return payload;
}

async function succeed(node: NetworkNode, name: keyof typeof mutations, variables: Json, token = editorToken): Promise<Json> {
  const payload = await run(node, name, variables, token);
  if (!payload.__typename.endsWith("Success")) throw new Error(`${name} refused: ${JSON.stringify(payload)}`);
  return payload;
}

async function publishGuideline(node: NetworkNode, input: Json): Promise<{ id: string; documentId: string }> {
  const created = (await succeed(node, "createGuideline", { input }))["guidelineVersion"] as { id: string; guideline: { id: string } };
  await succeed(node, "publishGuidelineVersion", { id: created.id });
  return { id: created.id, documentId: created.guideline.id };
}

/** Submitted, vetted against `guideline` by a named vetter, and published: a use case that federates. */
async function vetAndPublish(node: NetworkNode, id: string, guideline: string): Promise<void> {
  await succeed(node, "submitUseCase", { id });
  await succeed(node, "vetUseCase", { id, g: guideline }, vetterToken);
  await succeed(node, "publishUseCase", { id });
}

async function publishUseCase(node: NetworkNode, input: Json, guideline: string): Promise<string> {
  const id = ((await succeed(node, "createUseCase", { input }))["useCase"] as { id: string }).id;
  await vetAndPublish(node, id, guideline);
  return id;
}

const data = (response: GraphQLResponse) => {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data ?? {};
};

const count = async (node: NetworkNode, sql: string, params: unknown[] = []) => (await node.node.db.query<{ n: number }>(sql, params)).rows[0]?.n;

describe("compare, fork and adopt across three cities", () => {
  let a: NetworkNode;
  let b: NetworkNode;
  let c: NetworkNode;
  let guidelineA: { id: string; documentId: string };
  let guidelineB: { id: string; documentId: string };
  /** What each published use case was published with, by IRI: the data the statistics are checked against. */
  const published = new Map<string, { city: string; figures: UseCaseFigures }>();

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startNetworkNode("aachen"), startNetworkNode("bielefeld"), startNetworkNode("coesfeld")]);
    // B follows A; C follows A and B. Nobody follows C: A hears of C's fork only because it is the origin.
    const follows: [NetworkNode, NetworkNode][] = [
      [b, a],
      [c, a],
      [c, b],
    ];
    for (const [follower, followed] of follows) expect(await follower.node.following.followCity(followed.node.actorUrl)).toMatchObject({ ok: true });
    await eventually(
      async () =>
        (await a.node.following.listFollowers({ state: "accepted" })).length === 2 &&
        (await b.node.following.listFollowers({ state: "accepted" })).length === 1,
    );
    await Promise.all([logged(b.node, "backfill done"), eventually(async () => c.node.logs.filter((entry) => entry.message === "backfill done").length === 2)]);

    guidelineA = await publishGuideline(a, guidelineOfA);
    guidelineB = await publishGuideline(b, guidelineOfB);
    await eventually(async () => (await c.node.records.guidelines.get(guidelineA.id)) && (await c.node.records.guidelines.get(guidelineB.id)));
  });

  afterAll(async () => {
    await Promise.all([a, b, c].map((node) => node?.node.stop()));
  });

  it("(1) C compares A's and B's guidelines: principles that share a rule are aligned, and the diff is the known one", async () => {
    const compare = `query ($ids: [ID!]!) { compareGuidelines(versionIds: $ids, language: "de") { __typename
      ... on GuidelineComparison {
        rows { category ruleIds cells { alignedBy principle { key } } }
        diff { fromId toId changedFields
          sections { kind heading bodyDiff { kind text } body }
          principles { kind key changedFields statementDiff { kind text } } } } } }`;
    const result = data(await c.graphql(compare, { ids: [guidelineA.id, guidelineB.id] }))["compareGuidelines"] as Json;
    expect(result["__typename"]).toBe("GuidelineComparison");

    const rows = result["rows"] as { category: string; ruleIds: string[]; cells: ({ alignedBy: string; principle: { key: string } } | null)[] }[];
    const cellKeys = (row: (typeof rows)[number]) => row.cells.map((cell) => (cell ? `${cell.principle.key}:${cell.alignedBy}` : null));
    const rowOf = (key: string) => rows.find((row) => row.cells.some((cell) => cell?.principle.key === key));
    // The rule no-automated-action-on-citizens joins two differently worded principles; energy-considered the two energy ones.
    expect(cellKeys(rowOf("keine-automatik")!)).toEqual(["keine-automatik:FIRST", "kein-autopilot:RULE_ID"]);
    expect(rowOf("keine-automatik")!.ruleIds).toEqual(["no-automated-action-on-citizens"]);
    expect(cellKeys(rowOf("energy")!)).toEqual(["energy:FIRST", "energy:RULE_ID"]);
    // Principles without a counterpart stand alone.
    expect(cellKeys(rowOf("mensch-entscheidet")!)).toEqual(["mensch-entscheidet:FIRST", null]);
    expect(cellKeys(rowOf("offenheit")!)).toEqual([null, "offenheit:FIRST"]);
    expect(rows).toHaveLength(4);

    const diff = result["diff"] as Json;
    expect(diff["fromId"]).toBe(guidelineA.id);
    expect(diff["toId"]).toBe(guidelineB.id);
    expect(diff["changedFields"]).toEqual(expect.arrayContaining(["title", "issuingBody"]));
    expect(diff["sections"]).toEqual([
      {
        kind: "CHANGED",
        heading: "Zweck",
        body: null,
        bodyDiff: [
          { kind: "SAME", text: "KI unterstützt die " },
          { kind: "REMOVED", text: "Verwaltung" },
          { kind: "ADDED", text: "Stadtverwaltung" },
          { kind: "SAME", text: "." },
        ],
      },
      { kind: "ADDED", heading: "Transparenz", body: "Wir veröffentlichen jeden Einsatz.", bodyDiff: null },
    ]);
    expect(diff["principles"]).toEqual([
      { kind: "REMOVED", key: "mensch-entscheidet", changedFields: [], statementDiff: null },
      { kind: "REMOVED", key: "keine-automatik", changedFields: [], statementDiff: null },
      { kind: "ADDED", key: "kein-autopilot", changedFields: [], statementDiff: null },
      {
        kind: "CHANGED",
        key: "energy",
        changedFields: ["statement", "level"],
        statementDiff: [
          { kind: "SAME", text: "Der Energiebedarf wird " },
          { kind: "REMOVED", text: "immer" },
          { kind: "ADDED", text: "stets" },
          { kind: "SAME", text: " betrachtet." },
        ],
      },
      { kind: "ADDED", key: "offenheit", changedFields: [], statementDiff: null },
    ]);
  });

  describe("(2) fork", () => {
    let fork: string;

    it("C forks A's guideline, edits and publishes it; A, which does not follow C, lists the fork", async () => {
      const forked = await run(c, "forkGuideline", { id: guidelineA.id });
      expect(forked).toMatchObject({ __typename: "GuidelineVersionSuccess", guidelineVersion: { origin: guidelineA.id, state: "DRAFT" } });
      fork = (forked["guidelineVersion"] as { id: string }).id;
      const edited = {
        ...guidelineOfA,
        title: text("KI-Leitlinie Coesfeld"),
        principles: [
          ...guidelineOfA.principles,
          principle("souveraenitaet", "Wir bleiben unabhängig von einzelnen Anbietern.", "SOVEREIGNTY", ["sovereign-hosting"], "SHOULD"),
        ],
      };
      // The draft's content is replaced as a whole: the edit keeps the origin and the credit.
      await succeed(c, "updateGuidelineDraft", {
        id: fork,
        input: { ...edited, origin: guidelineA.id, attribution: text("Abgeleitet von der KI-Leitlinie Aachen (CC-BY-4.0).") },
      });
      await succeed(c, "publishGuidelineVersion", { id: fork });

      const forks = `query ($id: ID!) { guidelineVersion(id: $id) { forks { totalCount nodes { id origin title { de } provenance { local originCity proofVerified } } } } }`;
      const listed = await eventually(async () => {
        const version = data(await a.graphql(forks, { id: guidelineA.id }))["guidelineVersion"] as { forks: { totalCount: number; nodes: Json[] } };
        return version.forks.totalCount === 1 ? version.forks.nodes : null;
      });
      expect(listed).toEqual([
        {
          id: fork,
          origin: guidelineA.id,
          title: { de: "KI-Leitlinie Coesfeld" },
          provenance: { local: false, originCity: c.node.actorUrl, proofVerified: true },
        },
      ]);
      expect(await a.node.deps.store.findFollowing(c.node.actorUrl)).toBeNull();
      expect(await c.node.deps.store.listFollowers()).toEqual([]);
    });

    it("A publishes a new version; C sees that upstream changed, with the diff since the fork point", async () => {
      const upstream = `query ($id: ID!) { guidelineVersion(id: $id) { upstreamChanges(language: "de") {
        status origin forkPoint { id } newerVersions { id version } latest { id }
        diff { fromId toId principles { kind key statementDiff { kind text } } } } } }`;
      expect(data(await c.graphql(upstream, { id: fork }))["guidelineVersion"]).toMatchObject({
        upstreamChanges: { status: "UP_TO_DATE", forkPoint: { id: guidelineA.id } },
      });

      const next = {
        ...guidelineOfA,
        version: "2.0",
        principles: guidelineOfA.principles.map((entry) =>
          entry.key === "keine-automatik" ? { ...entry, statement: text("KI löst keine Aktionen gegenüber Bürgerinnen und Bürgern automatisch aus.") } : entry,
        ),
      };
      const draft = (await succeed(a, "createGuidelineDraft", { doc: guidelineA.documentId, input: next }))["guidelineVersion"] as { id: string };
      await succeed(a, "publishGuidelineVersion", { id: draft.id });

      const changes = await eventually(async () => {
        const version = data(await c.graphql(upstream, { id: fork }))["guidelineVersion"] as { upstreamChanges: { status: string } };
        return version.upstreamChanges.status === "UPSTREAM_CHANGED" ? version.upstreamChanges : null;
      });
      expect(changes).toEqual({
        status: "UPSTREAM_CHANGED",
        origin: guidelineA.id,
        forkPoint: { id: guidelineA.id },
        newerVersions: [{ id: draft.id, version: "2.0" }],
        latest: { id: draft.id },
        diff: {
          fromId: guidelineA.id,
          toId: draft.id,
          principles: [
            { kind: "UNCHANGED", key: "mensch-entscheidet", statementDiff: null },
            {
              kind: "CHANGED",
              key: "keine-automatik",
              statementDiff: [
                { kind: "SAME", text: "KI löst keine Aktionen gegenüber " },
                { kind: "ADDED", text: "Bürgerinnen und " },
                { kind: "SAME", text: "Bürgern automatisch aus." },
              ],
            },
            { kind: "UNCHANGED", key: "energy", statementDiff: null },
          ],
        },
      });
    });

    it("forking a guideline whose licence forbids derivatives fails with a clear error and creates nothing", async () => {
      const closed = await publishGuideline(a, { ...guidelineOfA, title: text("Geschlossene Leitlinie Aachen"), licence: "CC-BY-ND-4.0" });
      await eventually(() => c.node.records.guidelines.get(closed.id));
      const localVersions = () => count(c, "SELECT count(*)::int AS n FROM guideline_versions WHERE source = 'local'");
      const before = await localVersions();
      expect(await run(c, "forkGuideline", { id: closed.id })).toEqual({
        __typename: "LicenceForbidsForkError",
        licence: "CC-BY-ND-4.0",
        message: {
          de: "Die Lizenz CC-BY-ND-4.0 erlaubt keine Bearbeitungen; diese Leitlinie kann nicht übernommen und angepasst werden.",
          en: "The licence CC-BY-ND-4.0 does not allow derivatives; this guideline cannot be forked.",
        },
      });
      expect(await localVersions()).toBe(before);
    });
  });

  describe("(3) adoption", () => {
    let originUseCase: string;
    let adopted: string;
    let adoptionId: string;

    const adoptedBy = `query ($id: ID!) { useCase(id: $id) { adoptedBy { adoption city adoptedAt } } }`;
    const adoptersOn = async (node: NetworkNode) =>
      (data(await node.graphql(adoptedBy, { id: originUseCase }))["useCase"] as { adoptedBy: Json[] } | null)?.adoptedBy ?? [];

    it("B adopts A's use case, vets it against its own guideline (the Dortmund rule refuses an automated version) and publishes it", async () => {
      const figuresA: UseCaseFigures = { automationLevel: "INFORMATION_ONLY", directlyAffectsCitizens: true, riskClass: "MINIMAL", kwhPerYear: 120 };
      originUseCase = await publishUseCase(a, useCaseInput("Chatbot Bürgerservice", figuresA), guidelineA.id);
      published.set(originUseCase, { city: a.node.actorUrl, figures: figuresA });
      await eventually(() => b.node.records.useCases.get(originUseCase));

      const draft = await run(b, "adoptUseCase", { id: originUseCase });
      expect(draft).toMatchObject({ __typename: "UseCaseSuccess", useCase: { adoptedFrom: originUseCase, workflow: { state: "DRAFT" }, vetting: null } });
      adopted = (draft["useCase"] as { id: string }).id;

      // The Dortmund rule holds for an adopted use case as for any other: an automated version is not even saved.
      const automated: UseCaseFigures = { automationLevel: "AUTOMATED_ACTION", directlyAffectsCitizens: true, riskClass: "LIMITED", kwhPerYear: 80 };
      const refused = await run(b, "updateUseCase", {
        id: adopted,
        input: { ...useCaseInput("Chatbot Bürgerservice Bielefeld", automated), adoptedFrom: originUseCase },
      });
      expect(refused).toEqual({
        __typename: "ValidationError",
        fieldErrors: [{ code: "no-automated-action-on-citizens" }, { code: "no-automated-action-on-citizens" }],
      });

      const figuresB: UseCaseFigures = { ...automated, automationLevel: "DECISION_SUPPORT" };
      await succeed(b, "updateUseCase", { id: adopted, input: { ...useCaseInput("Chatbot Bürgerservice Bielefeld", figuresB), adoptedFrom: originUseCase } });
      await vetAndPublish(b, adopted, guidelineB.id);
      published.set(adopted, { city: b.node.actorUrl, figures: figuresB });
    });

    it("B's adoption record is served signed at B; A and C list B as a verified adopter", async () => {
      const adopters = await eventually(async () => {
        const listed = await adoptersOn(a);
        return listed.length > 0 ? listed : null;
      });
      adoptionId = adopters[0]!["adoption"] as string;
      expect(adoptionId).toBe(`${b.node.origin}/adoptions/${adopted.split("/").at(-1)}`);
      expect(adopters).toEqual([{ adoption: adoptionId, city: b.node.actorUrl, adoptedAt: expect.any(String) }]);
      await eventually(async () => (await adoptersOn(c)).length > 0);
      expect(await adoptersOn(c)).toEqual(adopters);

      const document = (await (await fetch(adoptionId, { headers: { accept: "application/activity+json" } })).json()) as Json;
      expect(document).toMatchObject({
        id: adoptionId,
        type: "Adoption",
        attributedTo: b.node.actorUrl,
        adoptingUseCase: adopted,
        adoptedFrom: originUseCase,
        adoptedFromCity: a.node.actorUrl,
      });
      // Anyone can check it: the proof verifies with B's key, from C's side.
      expect((await verifyRecordProof(c.node.federation, c.node.deps, document))?.controllerId?.href).toBe(b.node.actorUrl);
      for (const node of [a, c])
        expect(await node.node.adoptions.get(adoptionId)).toMatchObject({
          provenance: { source: "received", originActor: b.node.actorUrl, proofVerified: true },
        });
    });

    it("a city that follows B later gets the adoption from B's outbox, verified the same way", async () => {
      const latecomer = await startNode({ handle: "dorsten" });
      try {
        expect(await latecomer.following.followCity(b.node.actorUrl)).toMatchObject({ ok: true });
        await logged(latecomer, "backfill done");
        expect(await latecomer.adoptions.get(adoptionId)).toMatchObject({
          adopter: b.node.actorUrl,
          origin: { useCase: originUseCase, actor: a.node.actorUrl },
          provenance: { proofVerified: true },
        });
      } finally {
        await latecomer.stop();
      }
    });

    it("forged adoption claims sent by a third node are refused and never appear in adoptedBy", async () => {
      const genuine = (await (await fetch(adoptionId, { headers: { accept: "application/activity+json" } })).json()) as Json;
      const at = (path: string) => `${c.node.origin}${path}`;
      const inboxOfA = `${a.node.actorUrl}/inbox`;
      const claims: { path: string; document: Json; refusal: string }[] = [
        // B's record, signed by B, but served by C under C's IRI: not C's to publish.
        { path: "/adoptions/copied-from-b", document: { ...genuine, id: at("/adoptions/copied-from-b") }, refusal: "not-attributed-to-actor" },
        // The same claim rewritten in C's name, with B's proof: the proof does not verify for C.
        {
          path: "/adoptions/broken-proof",
          document: { ...genuine, id: at("/adoptions/broken-proof"), attributedTo: c.node.actorUrl },
          refusal: "proof-invalid",
        },
      ];
      // C's own signed claim that one of its use cases is an adoption, which that use case does not say.
      const ownFigures: UseCaseFigures = { automationLevel: "HUMAN_APPROVES_EACH_ACTION", directlyAffectsCitizens: true, kwhPer1000Requests: 0.4 };
      const unrelated = await publishUseCase(c, useCaseInput("Terminvergabe Coesfeld", ownFigures), guidelineA.id);
      published.set(unrelated, { city: c.node.actorUrl, figures: ownFigures });
      const { proof: _proof, ...unsigned } = genuine;
      const selfClaim = await signRecord(c.node.federation, c.node.deps, {
        ...unsigned,
        "@context": genuine["@context"],
        id: at("/adoptions/self-claim"),
        attributedTo: c.node.actorUrl,
        adoptingUseCase: unrelated,
      });
      claims.push({ path: "/adoptions/self-claim", document: selfClaim, refusal: "adopting-use-case-mismatch" });

      for (const [index, claim] of claims.entries()) {
        c.extraDocuments.set(claim.path, claim.document);
        const create = { id: `${c.node.actorUrl}#forged/${index}`, type: "Create", actor: c.node.actorUrl, object: at(claim.path) };
        expect((await (await signedPost(c.node, inboxOfA, create)).send()).status).toBe(202);
        await logged(
          a.node,
          "received record refused",
          (fields) => (fields["activityId"] as string) === create.id && (fields["refusal"] as { type: string }).type === claim.refusal,
        );
      }
      // B's genuine record announced by C: only B may publish B's records.
      const relayed = { id: `${c.node.actorUrl}#forged/relayed`, type: "Create", actor: c.node.actorUrl, object: adoptionId };
      expect((await (await signedPost(c.node, inboxOfA, relayed)).send()).status).toBe(202);
      await logged(
        a.node,
        "received record refused",
        (fields) => fields["activityId"] === relayed.id && (fields["refusal"] as { type: string }).type === "not-own-record",
      );
      // A Create in B's name signed with C's key does not get past the HTTP signature check.
      const inBName = { id: `${b.node.actorUrl}#forged/1`, type: "Create", actor: b.node.actorUrl, object: adoptionId };
      expect((await (await signedPost(c.node, inboxOfA, inBName)).send()).status).toBe(401);

      expect(await adoptersOn(a)).toEqual([{ adoption: adoptionId, city: b.node.actorUrl, adoptedAt: expect.any(String) }]);
      expect(await count(a, "SELECT count(*)::int AS n FROM adoptions")).toBe(1);
    });

    it("B retires its use case: the adoption is withdrawn with it, at B (410) and on A and C", async () => {
      await succeed(b, "retireUseCase", { id: adopted });
      published.delete(adopted);
      for (const node of [a, c]) await eventually(async () => (await adoptersOn(node)).length === 0);
      await eventually(async () => (await c.node.records.useCases.get(adopted)) === null);
      for (const node of [a, b, c]) expect(await node.node.adoptions.get(adoptionId)).toBeNull();
      const gone = await fetch(adoptionId, { headers: { accept: "application/activity+json" } });
      expect(gone.status).toBe(410);
      expect(await gone.json()).toMatchObject({ id: adoptionId, type: "Tombstone", formerType: "Adoption" });
    });
  });

  it("(4) network statistics on C match the figures worked out from the published use cases", async () => {
    const ownFigures: UseCaseFigures = {
      automationLevel: "DECISION_SUPPORT",
      directlyAffectsCitizens: false,
      riskClass: "MINIMAL",
      kwhPerYear: 5,
      compensation: "Ökostrom",
    };
    const own = await publishUseCase(c, useCaseInput("Aktenzusammenfassung", ownFigures), guidelineA.id);
    published.set(own, { city: c.node.actorUrl, figures: ownFigures });
    // C holds its own use cases and a verified copy of A's.
    await eventually(async () => (await Promise.all([...published.keys()].map((id) => c.node.records.useCases.get(id)))).every(Boolean));

    const statistics = data(
      await c.graphql(`{ networkStatistics {
        useCases cities
        energy { totalKwhPerYear reporting perRequestOnly withoutEstimate medianKwhPerYear compensated { useCases { count } kwhPerYear } }
        riskClasses { riskClass count }
        citizenFacingAutomation { useCases levels { automationLevel count } }
        coverage { cities covered withoutPublishedUseCase }
      } }`),
    )["networkStatistics"] as Json;

    // Worked out here from what the cities published, without the core's or the database's code.
    const figures = [...published.values()];
    const yearly = figures.flatMap(({ figures: f }) => (f.kwhPerYear === undefined ? [] : [f.kwhPerYear])).sort((x, y) => x - y);
    const citizenFacing = figures.filter(({ figures: f }) => f.directlyAffectsCitizens);
    const countBy = <T>(values: T[], value: T) => values.filter((entry) => entry === value).length;
    const middle = yearly.length / 2;
    // A, C, and B, whose only use case was retired.
    const cities = [a, b, c].map((node) => node.node.actorUrl);
    const covered = new Set(figures.map(({ city }) => city));
    expect(figures).toHaveLength(3);
    expect(statistics).toMatchObject({
      useCases: figures.length,
      cities: covered.size,
      energy: {
        totalKwhPerYear: yearly.reduce((sum, kwh) => sum + kwh, 0),
        reporting: yearly.length,
        perRequestOnly: figures.filter(({ figures: f }) => f.kwhPerYear === undefined && f.kwhPer1000Requests !== undefined).length,
        withoutEstimate: figures.filter(({ figures: f }) => f.kwhPerYear === undefined && f.kwhPer1000Requests === undefined).length,
        medianKwhPerYear: yearly.length % 2 === 1 ? yearly[Math.floor(middle)] : (yearly[middle - 1]! + yearly[middle]!) / 2,
        compensated: {
          useCases: { count: figures.filter(({ figures: f }) => f.compensation !== undefined && f.kwhPerYear !== undefined).length },
          kwhPerYear: figures.reduce((sum, { figures: f }) => sum + (f.compensation !== undefined ? (f.kwhPerYear ?? 0) : 0), 0),
        },
      },
      citizenFacingAutomation: { useCases: citizenFacing.length },
      coverage: { cities: cities.length, covered: covered.size, withoutPublishedUseCase: cities.filter((city) => !covered.has(city)) },
    });
    const riskClasses = figures.map(({ figures: f }) => f.riskClass ?? null);
    expect(statistics["riskClasses"]).toEqual(
      expect.arrayContaining(["PROHIBITED", "HIGH", "LIMITED", "MINIMAL", null].map((riskClass) => ({ riskClass, count: countBy(riskClasses, riskClass) }))),
    );
    const levels = citizenFacing.map(({ figures: f }) => f.automationLevel);
    expect((statistics["citizenFacingAutomation"] as { levels: Json[] }).levels).toEqual(
      expect.arrayContaining(
        ["INFORMATION_ONLY", "DECISION_SUPPORT", "HUMAN_APPROVES_EACH_ACTION", "AUTOMATED_ACTION"].map((automationLevel) => ({
          automationLevel,
          count: countBy(levels, automationLevel),
        })),
      ),
    );
    for (const node of [a, b, c]) expect(node.unexpectedErrors).toEqual([]);
  });
});
