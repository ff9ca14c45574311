import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storageBackends } from "@leitplanken/db/testing";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

const read = `{ nodeSettings {
  cityName issuingBody { name { de en } organisationId { scheme value } } website
  contact { email phone address { de } url }
  imprint { de en } privacyPolicy { de } accessibilityStatement { de } accessibilityContact { email }
  overridden updatedAt updatedBy
} }`;

const update = `mutation ($input: NodeSettingsInput!) { updateNodeSettings(input: $input) {
  __typename
  ... on NodeSettingsSuccess { settings { cityName imprint { de en } contact { email } overridden updatedAt updatedBy } }
  ... on ValidationError { message { de en } fieldErrors { path code message { de en } } }
} }`;

interface Settings {
  cityName: string;
  issuingBody: { name: { de: string; en: string }; organisationId: { scheme: string; value: string } | null };
  website: string;
  contact: { email: string | null };
  imprint: { de: string | null; en: string | null } | null;
  overridden: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

describe.each(storageBackends())("node settings over HTTP (%s)", (backend) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ backend });
  });
  afterAll(() => api.close());

  it("come from the configuration until an admin changes them; anyone may read them", async () => {
    const { data } = await api.graphql<{ nodeSettings: Settings }>(read);
    expect(data?.nodeSettings).toMatchObject({
      cityName: "Stadt Dortmund",
      issuingBody: { name: { de: "Stadt Dortmund", en: "Stadt Dortmund" }, organisationId: { scheme: "AGS", value: "05913000" } },
      website: "https://www.dortmund.example/",
      contact: { email: null },
      imprint: null,
      overridden: [],
      updatedAt: null,
    });
  });

  it("are changed by an admin only: anonymous callers and editors are refused, nothing changes", async () => {
    const anonymous = await api.graphql(update, { input: { cityName: "Gekapert" } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const editor = await api.graphql(update, { input: { cityName: "Gekapert" } }, "token-editor");
    expect(editor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const { data } = await api.graphql<{ nodeSettings: Settings }>(read);
    expect(data?.nodeSettings.cityName).toBe("Stadt Dortmund");
  });

  it("keep what an admin saved, show who saved only to admins, and reset a field on null", async () => {
    const saved = await api.graphql<{ updateNodeSettings: { __typename: string; settings: Settings } }>(
      update,
      {
        input: { cityName: "Dortmund", imprint: { de: "# Impressum\n\nStadt Dortmund, Friedensplatz 1", en: null }, contact: { email: "ki@dortmund.example" } },
      },
      "token-admin",
    );
    expect(saved.data?.updateNodeSettings).toMatchObject({
      __typename: "NodeSettingsSuccess",
      settings: {
        cityName: "Dortmund",
        imprint: { de: "# Impressum\n\nStadt Dortmund, Friedensplatz 1", en: null },
        overridden: ["CITY_NAME", "CONTACT", "IMPRINT"],
        updatedBy: "Ada Admin",
      },
    });
    const anonymous = await api.graphql<{ nodeSettings: Settings }>(read);
    expect(anonymous.data?.nodeSettings).toMatchObject({ cityName: "Dortmund", contact: { email: "ki@dortmund.example" }, updatedBy: null });
    expect(anonymous.data?.nodeSettings.updatedAt).toEqual(expect.any(String));

    const reset = await api.graphql<{ updateNodeSettings: { settings: Settings } }>(update, { input: { cityName: null } }, "token-admin");
    expect(reset.data?.updateNodeSettings.settings).toMatchObject({
      cityName: "Stadt Dortmund",
      contact: { email: "ki@dortmund.example" },
      overridden: ["CONTACT", "IMPRINT"],
    });
  });

  it("refuse bad input with field paths and German and English messages, and store nothing of it", async () => {
    const refused = await api.graphql<{ updateNodeSettings: { __typename: string; fieldErrors: { path: string; message: { de: string; en: string } }[] } }>(
      update,
      { input: { cityName: "", website: "javascript:alert(1)", contact: { email: "kein@", url: "ftp://x.example" }, imprint: { de: "x".repeat(30_001) } } },
      "token-admin",
    );
    expect(refused.data?.updateNodeSettings.__typename).toBe("ValidationError");
    expect(refused.data?.updateNodeSettings.fieldErrors.map((error) => error.path).sort()).toEqual([
      "cityName",
      "contact.email",
      "contact.url",
      "imprint.de",
      "website",
    ]);
    const { data } = await api.graphql<{ nodeSettings: Settings }>(read);
    expect(data?.nodeSettings).toMatchObject({
      cityName: "Stadt Dortmund",
      website: "https://www.dortmund.example/",
      contact: { email: "ki@dortmund.example" },
    });
  });
});
