import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Adoption } from "@leitplanken/core";
import { createAdoptionRepository } from "@leitplanken/db";
import { storageBackends } from "@leitplanken/db/testing";
import {
  asReceived,
  guidelineInput,
  guidelineVia,
  lockVersionOf,
  payload,
  peerIdentity,
  receive,
  useCaseInput,
  useCaseVia,
} from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const fork = `mutation ($id: ID!) { forkGuideline(versionId: $id) {
  __typename
  ... on GuidelineVersionSuccess { guidelineVersion { id state origin licence attribution { de } provenance { local } guideline { id } issuingBody { name { de } organisationId { scheme value } } } }
  ... on LicenceForbidsForkError { licence message { de en } }
  ... on NotFoundError { id }
  ... on InvalidTransitionError { from action }
} }`;
const upstream = `query ($id: ID!) { guidelineVersion(id: $id) { upstreamChanges(language: "de") {
  status origin forkPoint { id version guidelineVersion { id } } newerVersions { id version } latest { id }
  diff { fromId toId principles { kind key statementDiff { kind text } } }
} } }`;
const lineage = `query ($id: ID!) { lineage(guidelineId: $id) { root { id } nodes { id known city parentId depth versions { id version } forkedFrom cycleBroken } } }`;
const adopt = `mutation ($id: ID!) { adoptUseCase(useCaseId: $id) {
  __typename
  ... on UseCaseSuccess { useCase { id adoptedFrom workflow { state } vetting { date } conformance { checkedAt } models { modelId version } provenance { local originCity } responsible { role { de } } contact { email url } } }
  ... on OwnUseCaseError { useCaseId message { de en } }
  ... on AlreadyAdoptedError { useCaseId adoption message { de en } }
  ... on NotFoundError { id }
  ... on InvalidTransitionError { from action }
} }`;
const count = async (api: TestApi, table: string) => (await api.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n;

describe.each(storageBackends())("fork, upstream changes, lineage and adoption over HTTP (%s)", (backend) => {
  let api: TestApi;
  let muenster: TestApi;
  let theirs: string;
  let theirsDocument: string;
  let noDerivatives: string;

  beforeAll(async () => {
    [api, muenster] = await Promise.all([startTestApi({ backend }), startTestApi({ backend, deps: { identity: peerIdentity("ki.muenster.example") } })]);
    const issuedByMuenster = { name: { de: "Stadt Münster" }, organisationId: { scheme: "AGS", value: "05515000" } };
    theirs = await guidelineVia(muenster, { ...guidelineInput, title: { de: "KI-Leitlinie Münster" }, issuingBody: issuedByMuenster });
    noDerivatives = await guidelineVia(muenster, { ...guidelineInput, title: { de: "Geschlossene Leitlinie" }, licence: "CC-BY-ND-4.0" });
    await receive(muenster, api, { guidelines: [theirs, noDerivatives] });
    theirsDocument = (await api.records.guidelines.get(theirs))?.documentId ?? "";
  });
  afterAll(() => Promise.all([api.close(), muenster.close()]));

  describe("forkGuideline", () => {
    let forked: string;

    it("makes a local draft whose origin is the forked version, crediting the source", async () => {
      const result = payload(await api.graphql(fork, { id: theirs }, "token-editor"), "forkGuideline");
      expect(result.__typename).toBe("GuidelineVersionSuccess");
      const version = result["guidelineVersion"] as {
        id: string;
        origin: string;
        state: string;
        licence: string;
        attribution: { de: string };
        provenance: { local: boolean };
      };
      expect(version).toMatchObject({ state: "DRAFT", origin: theirs, licence: "CC-BY-4.0", provenance: { local: true } });
      expect(version.id.startsWith("https://ki.dortmund.example/guidelines/")).toBe(true);
      expect(version.attribution.de).toContain("Abgeleitet von „KI-Leitlinie Münster“, Fassung 1.0");
      // Ours to issue: the node settings' issuing body, not the source city's.
      expect(result["guidelineVersion"]).toMatchObject({
        issuingBody: { name: { de: "Stadt Dortmund" }, organisationId: { scheme: "AGS", value: "05913000" } },
      });
      forked = version.id;
    });

    it("refuses a licence without derivatives by name and creates nothing", async () => {
      const before = await count(api, "guideline_versions");
      const result = payload(await api.graphql(fork, { id: noDerivatives }, "token-admin"), "forkGuideline");
      expect(result).toEqual({
        __typename: "LicenceForbidsForkError",
        licence: "CC-BY-ND-4.0",
        message: {
          de: "Die Lizenz CC-BY-ND-4.0 erlaubt keine Bearbeitungen; diese Leitlinie kann nicht übernommen und angepasst werden.",
          en: "The licence CC-BY-ND-4.0 does not allow derivatives; this guideline cannot be forked.",
        },
      });
      expect(await count(api, "guideline_versions")).toBe(before);
      expect(payload(await api.graphql(fork, { id: "https://ki.nowhere.example/guidelines/x" }, "token-editor"), "forkGuideline").__typename).toBe(
        "NotFoundError",
      );
      expect((await api.graphql(fork, { id: theirs }, "token-vetter")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await api.graphql(fork, { id: theirs })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(payload(await api.graphql(fork, { id: forked }, "token-editor"), "forkGuideline")).toEqual({
        __typename: "InvalidTransitionError",
        from: "draft",
        action: "fork",
      });
      expect(await count(api, "guideline_versions")).toBe(before);
    });

    it("lists the fork under the origin's forks and in the lineage, for the public once it is published", async () => {
      const forks = `query ($id: ID!) { guidelineVersion(id: $id) { forks { totalCount nodes { id } } } }`;
      expect((await api.graphql(forks, { id: theirs }, "token-editor")).data?.["guidelineVersion"]).toEqual({
        forks: { totalCount: 1, nodes: [{ id: forked }] },
      });
      expect((await api.graphql(forks, { id: theirs })).data?.["guidelineVersion"]).toEqual({ forks: { totalCount: 0, nodes: [] } });
      expect((await api.graphql(lineage, { id: forked })).data?.["lineage"]).toBeNull();
      expect((await api.graphql(lineage, { id: theirs })).data?.["lineage"]).toMatchObject({ root: { id: theirsDocument }, nodes: [{ id: theirsDocument }] });

      // Word for word the origin's text: not published as ours.
      const publish = `mutation ($id: ID!, $lockVersion: Int!) { publishGuidelineVersion(versionId: $id, lockVersion: $lockVersion) { __typename ... on ForkUnchangedError { origin message { de en } } } }`;
      const unchanged = payload(
        await api.graphql(publish, { id: forked, lockVersion: await lockVersionOf(api, "guidelineVersion", forked) }, "token-editor"),
        "publishGuidelineVersion",
      );
      expect(unchanged).toMatchObject({ __typename: "ForkUnchangedError", origin: theirs, message: { en: expect.stringContaining("word for word") } });
      expect((await api.records.guidelines.get(forked))?.state).toBe("draft");
      const ownWords = { ...guidelineInput, title: { de: "KI-Leitlinie Münster, für Dortmund angepasst" }, origin: theirs };
      const edit = `mutation ($id: ID!, $lockVersion: Int!, $input: GuidelineInput!) { updateGuidelineDraft(versionId: $id, lockVersion: $lockVersion, input: $input) { __typename } }`;
      expect(
        payload(
          await api.graphql(edit, { id: forked, lockVersion: await lockVersionOf(api, "guidelineVersion", forked), input: ownWords }, "token-editor"),
          "updateGuidelineDraft",
        ).__typename,
      ).toBe("GuidelineVersionSuccess");
      expect(
        payload(
          await api.graphql(publish, { id: forked, lockVersion: await lockVersionOf(api, "guidelineVersion", forked) }, "token-editor"),
          "publishGuidelineVersion",
        ).__typename,
      ).toBe("GuidelineVersionSuccess");
      expect((await api.graphql(forks, { id: theirs })).data?.["guidelineVersion"]).toEqual({ forks: { totalCount: 1, nodes: [{ id: forked }] } });
      const forkDocument = (await api.records.guidelines.get(forked))?.documentId;
      expect((await api.graphql(lineage, { id: forked })).data?.["lineage"]).toEqual({
        root: { id: theirsDocument },
        nodes: [
          {
            id: theirsDocument,
            known: true,
            city: "https://ki.muenster.example/actor",
            parentId: null,
            depth: 0,
            versions: [{ id: theirs, version: "1.0" }],
            forkedFrom: null,
            cycleBroken: false,
          },
          {
            id: forkDocument,
            known: true,
            city: "https://ki.dortmund.example/actor",
            parentId: theirsDocument,
            depth: 1,
            versions: [{ id: forked, version: "1.0" }],
            forkedFrom: theirs,
            cycleBroken: false,
          },
        ],
      });
      // The same tree as a connection: the last node alone, then what comes before it.
      type Tree = { lineage: { tree: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasPreviousPage: boolean; startCursor: string } } } };
      const tree = `query ($id: ID!, $before: String, $last: Int) { lineage(guidelineId: $id) { tree(last: $last, before: $before) { totalCount nodes { id } pageInfo { hasPreviousPage startCursor } } } }`;
      const last = (await api.graphql<Tree>(tree, { id: forked, last: 1 })).data!.lineage.tree;
      expect(last).toMatchObject({ totalCount: 2, nodes: [{ id: forkDocument }], pageInfo: { hasPreviousPage: true } });
      const before = (await api.graphql<Tree>(tree, { id: forked, last: 5, before: last.pageInfo.startCursor })).data!.lineage.tree;
      expect(before).toMatchObject({ nodes: [{ id: theirsDocument }], pageInfo: { hasPreviousPage: false } });
    });

    it("shows upstream changes with the diff since the fork point once the origin publishes a new version", async () => {
      expect((await api.graphql(upstream, { id: forked })).data?.["guidelineVersion"]).toEqual({
        upstreamChanges: {
          status: "UP_TO_DATE",
          origin: theirs,
          forkPoint: { id: theirs, version: "1.0", guidelineVersion: { id: theirs } },
          newerVersions: [],
          latest: null,
          diff: null,
        },
      });
      expect((await api.graphql(upstream, { id: theirs })).data?.["guidelineVersion"]).toEqual({ upstreamChanges: null });

      const next = await muenster.graphql(
        `mutation ($doc: ID!, $input: GuidelineInput!) { createGuidelineDraft(guidelineId: $doc, input: $input) { ... on GuidelineVersionSuccess { guidelineVersion { id } } } }`,
        {
          doc: theirsDocument,
          input: {
            ...guidelineInput,
            version: "2.0",
            principles: [{ ...guidelineInput.principles[0], statement: { de: "KI unterstützt Menschen, ersetzt sie nie." } }],
          },
        },
        "token-editor",
      );
      const v2 = (payload(next, "createGuidelineDraft")["guidelineVersion"] as { id: string }).id;
      await muenster.graphql(
        `mutation ($id: ID!, $lockVersion: Int!) { publishGuidelineVersion(versionId: $id, lockVersion: $lockVersion) { __typename } }`,
        { id: v2, lockVersion: await lockVersionOf(muenster, "guidelineVersion", v2) },
        "token-editor",
      );
      await receive(muenster, api, { guidelines: [v2] });

      expect((await api.graphql(upstream, { id: forked })).data?.["guidelineVersion"]).toEqual({
        upstreamChanges: {
          status: "UPSTREAM_CHANGED",
          origin: theirs,
          forkPoint: { id: theirs, version: "1.0", guidelineVersion: { id: theirs } },
          newerVersions: [{ id: v2, version: "2.0" }],
          latest: { id: v2 },
          diff: {
            fromId: theirs,
            toId: v2,
            principles: [
              {
                kind: "CHANGED",
                key: "ai-supports-people",
                statementDiff: [
                  { kind: "SAME", text: "KI unterstützt Menschen, ersetzt sie " },
                  { kind: "REMOVED", text: "aber nicht" },
                  { kind: "ADDED", text: "nie" },
                  { kind: "SAME", text: "." },
                ],
              },
              { kind: "REMOVED", key: "energy", statementDiff: null },
            ],
          },
        },
      });
    });
  });

  describe("adoptUseCase", () => {
    let origin: string;
    let model: string;

    beforeAll(async () => {
      const registered = await muenster.graphql(
        `mutation ($input: ModelInput!) { registerModel(input: $input) { ... on ModelSuccess { model { id } } } }`,
        {
          input: {
            name: { de: "Verwaltungs-LLM" },
            version: "1.2.0",
            licence: "Apache-2.0",
            architecture: "transformer",
            languages: ["de"],
            intendedUse: { de: "Texte" },
            outOfScopeUse: { de: "Bescheide" },
            trainingData: { de: "Öffentliche Texte" },
            limitations: { de: "Halluziniert" },
            sovereignty: {
              openWeights: true,
              osiOpenSourceAi: "NOT_ASSESSED",
              weightsLocation: "DE",
              hosting: "MUNICIPAL_DATA_CENTRE",
              operatorJurisdiction: "DE",
            },
            maintainers: [{ name: "KDN" }],
          },
        },
        "token-editor",
      );
      model = (payload(registered, "registerModel")["model"] as { id: string }).id;
      origin = await useCaseVia(muenster, useCaseInput({ name: "Chatbot Münster", models: [{ model, version: "1.2.0" }] }), "published", theirs);
      await receive(muenster, api, { models: [model], useCases: [origin] });
    });

    it("makes a local draft with adoptedFrom and the same models, without the origin's vetting, responsible office or contact", async () => {
      const result = payload(await api.graphql(adopt, { id: origin }, "token-editor"), "adoptUseCase");
      expect(result).toMatchObject({
        __typename: "UseCaseSuccess",
        useCase: {
          adoptedFrom: origin,
          workflow: { state: "DRAFT" },
          vetting: null,
          conformance: null,
          models: [{ modelId: model, version: "1.2.0" }],
          provenance: { local: true, originCity: "https://ki.dortmund.example/actor" },
          // Who answers for it and how to reach them are ours to fill in; until then our register.
          responsible: null,
          contact: { email: null, url: "https://www.dortmund.example/" },
        },
      });
      const adopted = (result["useCase"] as { id: string }).id;
      // A draft without a responsible office reads like any other, alone and in lists (it was a 500).
      const listed = await api.graphql(`{ useCases(first: 100, filter: { local: true }) { nodes { id responsible { role { de } } } } }`, {}, "token-vetter");
      expect(listed.errors).toBeUndefined();

      // Vetted here, against our guideline: the Dortmund rule still applies, already when it is saved.
      const ours = await guidelineVia(api);
      const update = `mutation ($id: ID!, $lockVersion: Int!, $input: UseCaseInput!) { updateUseCase(id: $id, lockVersion: $lockVersion, input: $input) { __typename ... on ValidationError { fieldErrors { path code } } } }`;
      const automated = {
        ...useCaseInput({ name: "Chatbot Münster", automationLevel: "AUTOMATED_ACTION", models: [{ model, version: "1.2.0" }] }),
        adoptedFrom: origin,
      };
      expect(
        payload(
          await api.graphql(update, { id: adopted, lockVersion: await lockVersionOf(api, "useCase", adopted), input: automated }, "token-editor"),
          "updateUseCase",
        ),
      ).toEqual({
        __typename: "ValidationError",
        fieldErrors: [
          { path: "decisionProcess.automationLevel", code: "no-automated-action-on-citizens" },
          { path: "decisionProcess.directlyAffectsCitizens", code: "no-automated-action-on-citizens" },
        ],
      });
      const ourVersion = { ...automated, decisionProcess: { ...automated.decisionProcess, automationLevel: "DECISION_SUPPORT" } };
      expect(
        payload(
          await api.graphql(update, { id: adopted, lockVersion: await lockVersionOf(api, "useCase", adopted), input: ourVersion }, "token-editor"),
          "updateUseCase",
        ).__typename,
      ).toBe("UseCaseSuccess");
      await api.graphql(
        `mutation ($id: ID!, $lockVersion: Int!) { submitUseCase(id: $id, lockVersion: $lockVersion) { __typename } }`,
        { id: adopted, lockVersion: await lockVersionOf(api, "useCase", adopted) },
        "token-editor",
      );
      const vet = `mutation ($id: ID!, $lockVersion: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $lockVersion, guidelineVersionId: $g) { __typename } }`;
      expect(
        payload(await api.graphql(vet, { id: adopted, lockVersion: await lockVersionOf(api, "useCase", adopted), g: ours }, "token-vetter"), "vetUseCase")
          .__typename,
      ).toBe("UseCaseSuccess");
      const read = await api.graphql(
        `query ($id: ID!) { useCase(id: $id) { adoptedFrom vetting { vetter { name } } conformance { guidelineVersionId } } }`,
        { id: adopted },
        "token-editor",
      );
      expect(read.data?.["useCase"]).toEqual({
        adoptedFrom: origin,
        vetting: { vetter: { name: "Max Mustermann" } },
        conformance: { guidelineVersionId: ours },
      });

      // Once is enough: a second adoption points to ours and creates nothing.
      const before = await count(api, "use_cases");
      expect(payload(await api.graphql(adopt, { id: origin }, "token-editor"), "adoptUseCase")).toMatchObject({
        __typename: "AlreadyAdoptedError",
        useCaseId: origin,
        adoption: adopted,
        message: { de: expect.stringContaining("schon übernommen") },
      });
      expect(await count(api, "use_cases")).toBe(before);
    });

    it("refuses our own use case, an unknown one and the wrong role, creating nothing", async () => {
      const own = await useCaseVia(api, useCaseInput({ name: "Eigener Fall" }), "draft");
      const before = await count(api, "use_cases");
      expect(payload(await api.graphql(adopt, { id: own }, "token-editor"), "adoptUseCase")).toMatchObject({
        __typename: "OwnUseCaseError",
        useCaseId: own,
        message: { en: "This is one of our own use cases; only other cities' use cases can be adopted." },
      });
      expect(payload(await api.graphql(adopt, { id: "https://ki.nowhere.example/use-cases/x" }, "token-editor"), "adoptUseCase").__typename).toBe(
        "NotFoundError",
      );
      expect((await api.graphql(adopt, { id: origin }, "token-vetter")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await count(api, "use_cases")).toBe(before);
    });

    it("lists as adopters only cities whose adoption records verify", async () => {
      const adoptions = createAdoptionRepository(api.db);
      const claim = (city: string, proofVerified: boolean, publishedAt: string): Adoption =>
        asReceived(
          {
            id: `https://${city}/adoptions/1`,
            adopter: `https://${city}/actor`,
            adoptingUseCase: `https://${city}/use-cases/chatbot`,
            origin: { useCase: origin, actor: "https://ki.muenster.example/actor" },
            publishedAt,
            provenance: { source: "local", originActor: `https://${city}/actor`, originHost: city },
          },
          { proofVerified },
        );
      await adoptions.save(claim("ki.essen.example", true, "2026-11-21T10:00:00.000Z"));
      await adoptions.save(claim("ki.bonn.example", false, "2026-11-22T10:00:00.000Z"));
      // A third node claiming that Köln adopted it: the repository refuses the forged record.
      const forged = claim("ki.koeln.example", true, "2026-11-23T10:00:00.000Z");
      await expect(
        adoptions.save({ ...forged, provenance: { ...forged.provenance, originActor: "https://ki.evil.example/actor", originHost: "ki.evil.example" } }),
      ).rejects.toThrow();

      const read = await api.graphql(
        `query ($id: ID!) { useCase(id: $id) { adoptedBy { adoption city adoptedAt } adoptions(last: 5) { totalCount nodes { adoption } pageInfo { hasPreviousPage } } } }`,
        { id: origin },
      );
      expect(read.data?.["useCase"]).toEqual({
        adoptedBy: [{ adoption: "https://ki.essen.example/adoptions/1", city: "https://ki.essen.example/actor", adoptedAt: "2026-11-21T10:00:00.000Z" }],
        // The same verified adoptions as a connection (the forged one is left out there too).
        adoptions: { totalCount: 1, nodes: [{ adoption: "https://ki.essen.example/adoptions/1" }], pageInfo: { hasPreviousPage: false } },
      });
    });
  });
});
