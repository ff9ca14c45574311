import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Principal } from "@leitplanken/core";
import { createAccessToken } from "@leitplanken/db";
import { storageBackends } from "@leitplanken/db/testing";
import { guidelineVia, lockVersionOf, payload, useCaseInput } from "./testing/records.fixture.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

/** Erika writes and, as admin, could vet; Max vets; the node's first admin token stands for no one. */
const people: Record<string, Principal> = {
  "erika-editor": { name: "Erika Beispiel", role: "editor" },
  "erika-admin": { name: "Erika Beispiel", role: "admin" },
  max: { name: "Max Mustermann", role: "vetter" },
  setup: { name: "Admin Dortmund", role: "admin", shared: true },
};
const authenticate = async (token: string) => people[token] ?? null;

const create = `mutation ($input: UseCaseInput!) { createUseCase(input: $input) { ... on UseCaseSuccess { useCase { id } } } }`;
const step = (name: string) => `mutation ($id: ID!, $lockVersion: Int!) { ${name}(id: $id, lockVersion: $lockVersion) { __typename } }`;
const vet = `mutation ($id: ID!, $lockVersion: Int!, $g: ID!) { vetUseCase(id: $id, lockVersion: $lockVersion, guidelineVersionId: $g) {
  __typename
  ... on FourEyesError { submittedBy message { de en } }
  ... on ValidationError { fieldErrors { path code message { en } } }
  ... on UseCaseSuccess { useCase { vetting { vetter { name } fourEyesWaived } } }
} }`;
const sendBack = `mutation ($id: ID!, $lockVersion: Int!) { sendBackUseCase(id: $id, lockVersion: $lockVersion, reason: { de: "Bitte ergänzen" }) { __typename ... on ValidationError { fieldErrors { path code } } } }`;
const read = `query ($id: ID!) { useCase(id: $id) { workflow { state submitted { by at } } vetting { vetter { name } fourEyesWaived } } }`;

async function submittedBy(api: TestApi, token: string): Promise<string> {
  const created = payload(await api.graphql(create, { input: useCaseInput({ name: `Fall von ${token}` }) }, token), "createUseCase");
  const id = (created["useCase"] as { id: string }).id;
  expect(
    payload(await api.graphql(step("submitUseCase"), { id, lockVersion: await lockVersionOf(api, "useCase", id, token) }, token), "submitUseCase").__typename,
  ).toBe("UseCaseSuccess");
  return id;
}

describe("vetting names a person, and not the one who submitted (four-eyes principle)", () => {
  let api: TestApi;
  let relaxed: TestApi;
  let guideline: string;
  let relaxedGuideline: string;
  beforeAll(async () => {
    [api, relaxed] = await Promise.all([startTestApi({ deps: { authenticate } }), startTestApi({ deps: { authenticate } })]);
    [guideline, relaxedGuideline] = await Promise.all([guidelineVia(api, undefined, {}, "erika-editor"), guidelineVia(relaxed, undefined, {}, "erika-editor")]);
    // A city with one person in charge turns it off in its node settings.
    const turnedOff = await relaxed.graphql(
      `mutation { updateNodeSettings(input: { fourEyes: false }) { __typename ... on NodeSettingsSuccess { settings { fourEyes overridden } } } }`,
      {},
      "erika-admin",
    );
    expect(turnedOff.data?.["updateNodeSettings"]).toEqual({ __typename: "NodeSettingsSuccess", settings: { fourEyes: false, overridden: ["FOUR_EYES"] } });
  });
  afterAll(() => Promise.all([api.close(), relaxed.close()]));

  it("says whether the node applies it (on by default)", async () => {
    expect((await api.graphql(`{ vettingPolicy { fourEyes } }`)).data).toEqual({ vettingPolicy: { fourEyes: true } });
    expect((await relaxed.graphql(`{ vettingPolicy { fourEyes } }`)).data).toEqual({ vettingPolicy: { fourEyes: false } });
  });

  it("notes who submitted, for staff only", async () => {
    const id = await submittedBy(api, "erika-editor");
    const staff = await api.graphql(read, { id }, "max");
    expect(staff.data?.["useCase"]).toMatchObject({ workflow: { state: "SUBMITTED", submitted: { by: "Erika Beispiel", at: expect.any(String) } } });
    await api.graphql(vet, { id, lockVersion: await lockVersionOf(api, "useCase", id, "max"), g: guideline }, "max");
    await api.graphql(step("publishUseCase"), { id, lockVersion: await lockVersionOf(api, "useCase", id, "erika-editor") }, "erika-editor");
    expect((await api.graphql(read, { id })).data?.["useCase"]).toEqual({
      workflow: { state: "PUBLISHED", submitted: null },
      vetting: { vetter: { name: "Max Mustermann" }, fourEyesWaived: false },
    });
  });

  it("refuses the person who submitted, in any role, and changes nothing", async () => {
    const id = await submittedBy(api, "erika-editor");
    const refused = payload(
      await api.graphql(vet, { id, lockVersion: await lockVersionOf(api, "useCase", id, "erika-admin"), g: guideline }, "erika-admin"),
      "vetUseCase",
    );
    expect(refused).toEqual({
      __typename: "FourEyesError",
      submittedBy: "Erika Beispiel",
      message: {
        de: "Vier-Augen-Prinzip: Erika Beispiel hat diesen Einsatzfall eingereicht und kann ihn daher nicht selbst freigeben. Eine zweite Person muss prüfen.",
        en: "Four-eyes principle: Erika Beispiel submitted this use case and so cannot vet it. A second person must check it.",
      },
    });
    expect((await api.graphql(read, { id }, "max")).data?.["useCase"]).toMatchObject({ workflow: { state: "SUBMITTED" }, vetting: null });
    expect(
      payload(await api.graphql(vet, { id, lockVersion: await lockVersionOf(api, "useCase", id, "max"), g: guideline }, "max"), "vetUseCase"),
    ).toMatchObject({
      __typename: "UseCaseSuccess",
      useCase: { vetting: { vetter: { name: "Max Mustermann" }, fourEyesWaived: false } },
    });
  });

  it("where the node relaxes it, lets the submitter vet, and the public record says so", async () => {
    const id = await submittedBy(relaxed, "erika-admin");
    expect(
      payload(
        await relaxed.graphql(vet, { id, lockVersion: await lockVersionOf(relaxed, "useCase", id, "erika-admin"), g: relaxedGuideline }, "erika-admin"),
        "vetUseCase",
      ),
    ).toMatchObject({
      __typename: "UseCaseSuccess",
      useCase: { vetting: { vetter: { name: "Erika Beispiel" }, fourEyesWaived: true } },
    });
    await relaxed.graphql(step("publishUseCase"), { id, lockVersion: await lockVersionOf(relaxed, "useCase", id, "erika-admin") }, "erika-admin");
    expect((await relaxed.graphql(read, { id })).data?.["useCase"]).toMatchObject({ vetting: { vetter: { name: "Erika Beispiel" }, fourEyesWaived: true } });
  });

  it("refuses the node's shared setup account for vetting and sending back: it names no person", async () => {
    const id = await submittedBy(api, "erika-editor");
    expect(
      payload(await api.graphql(vet, { id, lockVersion: await lockVersionOf(api, "useCase", id, "setup"), g: guideline }, "setup"), "vetUseCase"),
    ).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ path: "vetter", code: "shared-account", message: { en: expect.stringContaining("personal account") } }],
    });
    expect(payload(await api.graphql(sendBack, { id, lockVersion: await lockVersionOf(api, "useCase", id, "setup") }, "setup"), "sendBackUseCase")).toEqual({
      __typename: "ValidationError",
      fieldErrors: [{ path: "vetter", code: "shared-account" }],
    });
    expect((await api.graphql(read, { id }, "max")).data?.["useCase"]).toMatchObject({ workflow: { state: "SUBMITTED" } });
  });
});

describe.each(storageBackends())("the node's shared setup token on the real token store (%s)", (backend) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ backend, accessTokens: true });
  });
  afterAll(() => api?.close());

  it("is known as shared to the API (viewer), and refused for vetting; a person's token made by it vets", async () => {
    const setup = await createAccessToken(api.db, { name: "Admin Stadt Dortmund", role: "admin" }, { shared: true });
    const viewer = `{ viewer { name sharedAccount } }`;
    expect((await api.graphql(viewer, {}, setup.token)).data).toEqual({ viewer: { name: "Admin Stadt Dortmund", sharedAccount: true } });
    // The setup account gives a person a token of their own.
    const created = await api.graphql<{ createApiToken: { secret: string } }>(
      `mutation { createApiToken(input: { name: "Vera Prüferin", role: VETTER }) { ... on CreateApiTokenSuccess { secret } } }`,
      {},
      setup.token,
    );
    const vera = created.data!.createApiToken.secret;
    expect((await api.graphql(viewer, {}, vera)).data).toEqual({ viewer: { name: "Vera Prüferin", sharedAccount: false } });

    const guideline = await guidelineVia(api);
    const id = await submittedBy(api, "token-editor");
    expect(
      payload(await api.graphql(vet, { id, lockVersion: await lockVersionOf(api, "useCase", id, setup.token), g: guideline }, setup.token), "vetUseCase"),
    ).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ path: "vetter", code: "shared-account" }],
    });
    expect(payload(await api.graphql(vet, { id, lockVersion: await lockVersionOf(api, "useCase", id, vera), g: guideline }, vera), "vetUseCase")).toMatchObject(
      {
        __typename: "UseCaseSuccess",
        useCase: { vetting: { vetter: { name: "Vera Prüferin" } } },
      },
    );
  });
});
