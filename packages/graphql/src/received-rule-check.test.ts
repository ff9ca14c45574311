import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ruleCatalog } from "@leitplanken/core";
import { storageBackends } from "@leitplanken/db/testing";
import { asReceived, guidelineInput, guidelineVia, peerIdentity, receive, useCaseInput, useCaseVia } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

/** Münster asks for energy figures only as a SHOULD without a rule: a use case without them passes its vetting. */
const muensterGuideline = {
  ...guidelineInput,
  title: { de: "KI-Leitlinie Münster" },
  issuingBody: { name: { de: "Stadt Münster" } },
  principles: [
    {
      key: "menschen-entscheiden",
      statement: { de: "Über Bürgerinnen und Bürger entscheiden Menschen." },
      level: "MUST",
      category: "HUMAN_OVERSIGHT",
      ruleIds: ["no-automated-action-on-citizens"],
    },
    { key: "energie", statement: { de: "Wir schätzen den Stromverbrauch." }, level: "SHOULD", category: "ENERGY" },
  ],
};

const withoutEnergy = (name: string) => {
  const { energy: _energy, ...rest } = useCaseInput({ name });
  return rest;
};

interface RuleCheck {
  guidelineVersion: { id: string } | null;
  passed: boolean;
  results: { ruleId: string; severity: string; passed: boolean; offendingFields: string[] }[];
}
interface CheckedUseCase {
  id: string;
  provenance: { local: boolean };
  ruleCheck: RuleCheck | null;
}

const ruleCheckFields = `id provenance { local } ruleCheck { guidelineVersion { id } passed results { ruleId severity passed offendingFields } }`;

async function checked(api: TestApi, id: string, token?: string): Promise<CheckedUseCase> {
  const response = await api.graphql<{ useCase: CheckedUseCase | null }>(`query ($id: ID!) { useCase(id: $id) { ${ruleCheckFields} } }`, { id }, token);
  expect(response.errors).toBeUndefined();
  if (!response.data?.useCase) throw new Error(`use case ${id} not readable: ${JSON.stringify(response)}`);
  return response.data.useCase;
}

const failedRules = (check: RuleCheck | null) => (check?.results ?? []).filter((result) => !result.passed).map((result) => result.ruleId);

describe.each(storageBackends())("received use cases checked against this node's rules (%s)", (backend) => {
  let dortmund: TestApi;
  let muenster: TestApi;
  let noEnergy: string;
  let withEnergy: string;
  let automated: string;

  beforeAll(async () => {
    [dortmund, muenster] = await Promise.all([startTestApi({ backend }), startTestApi({ backend, deps: { identity: peerIdentity("ki.muenster.example") } })]);
    const theirs = await guidelineVia(muenster, muensterGuideline);
    noEnergy = await useCaseVia(muenster, withoutEnergy("Terminvergabe ohne Energieangabe"), "published", theirs);
    withEnergy = await useCaseVia(muenster, useCaseInput({ name: "Chatbot mit Energieangabe" }), "published", theirs);
    await receive(muenster, dortmund, { useCases: [noEnergy, withEnergy] });
    // A peer (an older version, or a hostile one) sends a use case no guideline may allow: AI acting on its own on citizens.
    const draft = await useCaseVia(muenster, useCaseInput({ name: "Automatische Bescheide" }), "draft");
    const stored = await muenster.records.useCases.get(draft);
    automated = draft;
    await dortmund.records.useCases.save(
      asReceived({
        ...stored!,
        decisionProcess: { ...stored!.decisionProcess, automationLevel: "automated-action", directlyAffectsCitizens: true },
        workflow: { ...stored!.workflow, state: "published", publishedAt: "2026-11-19T08:00:00.000Z" },
      }),
    );
  });
  afterAll(() => Promise.all([dortmund?.close(), muenster?.close()]));

  it("a node without a guideline checks against every rule of the catalog at its own severity", async () => {
    const useCase = await checked(dortmund, noEnergy);
    expect(useCase.ruleCheck?.guidelineVersion).toBeNull();
    expect(new Set(useCase.ruleCheck?.results.map((result) => result.ruleId))).toEqual(new Set(ruleCatalog.keys()));
    expect(useCase.ruleCheck?.results.find((result) => result.ruleId === "sovereign-hosting")?.severity).toBe("WARNING");
    expect(failedRules(useCase.ruleCheck)).toContain("energy-considered");
    expect(useCase.ruleCheck?.passed).toBe(false);
  });

  describe("once this node published its guideline", () => {
    let ours: string;
    let own: string;
    beforeAll(async () => {
      ours = await guidelineVia(dortmund);
      own = await useCaseVia(dortmund, useCaseInput({ name: "Eigener Chatbot" }), "published", ours);
    });

    it("a use case that passed its origin's vetting but breaks a binding rule of ours is labelled, with the fields", async () => {
      const useCase = await checked(dortmund, noEnergy);
      expect(useCase.provenance.local).toBe(false);
      expect(useCase.ruleCheck).toMatchObject({ guidelineVersion: { id: ours }, passed: false });
      expect(useCase.ruleCheck?.results.find((result) => result.ruleId === "energy-considered")).toMatchObject({
        severity: "ERROR",
        passed: false,
        offendingFields: ["energy"],
      });
      // The origin vetted it against its own guideline: there it passed.
      const atOrigin = await muenster.graphql<{ useCase: { vetting: { result: string } } }>(`query ($id: ID!) { useCase(id: $id) { vetting { result } } }`, {
        id: noEnergy,
      });
      expect(atOrigin.data?.useCase.vetting.result).toBe("PASSED");
    });

    it("a received use case that keeps our rules passes; only our guideline's rules (and those no guideline can drop) are checked", async () => {
      const useCase = await checked(dortmund, withEnergy);
      expect(useCase.ruleCheck).toMatchObject({ guidelineVersion: { id: ours }, passed: true });
      expect(useCase.ruleCheck?.results.map((result) => result.ruleId).sort()).toEqual([
        "energy-considered",
        "no-automated-action-on-citizens",
        "no-prohibited-practice",
      ]);
    });

    it("a received use case breaking the Dortmund rule is listed to anonymous readers, labelled, not hidden", async () => {
      const listed = await dortmund.graphql<{ useCases: { nodes: CheckedUseCase[] } }>(
        `{ useCases(filter: { local: false }, first: 20) { nodes { ${ruleCheckFields} } } }`,
      );
      expect(listed.errors).toBeUndefined();
      const nodes = listed.data!.useCases.nodes;
      expect(nodes.map((node) => node.id).sort()).toEqual([automated, noEnergy, withEnergy].sort());
      const hostile = nodes.find((node) => node.id === automated);
      expect(hostile?.ruleCheck?.passed).toBe(false);
      expect(failedRules(hostile!.ruleCheck)).toContain("no-automated-action-on-citizens");
      expect(nodes.find((node) => node.id === withEnergy)?.ruleCheck?.passed).toBe(true);
    });

    it("our own use cases carry no rule check (their vetting's conformance is it)", async () => {
      const useCase = await checked(dortmund, own, "token-editor");
      expect(useCase.provenance.local).toBe(true);
      expect(useCase.ruleCheck).toBeNull();
    });
  });
});
