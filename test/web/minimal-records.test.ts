// "No staff page answers 500 for any record the API can hold": a guideline, a shared model and a
// catalog with every optional field absent, stored through the API as a client may store them,
// then every staff page (and the public page) of each loaded, as a draft and once published.
// The use case's pages are in use-cases.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { getPage, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, staffName, staffToken, vetterToken, type WebNode } from "./web-node.ts";

let node: WebNode;
const cookies: Record<"admin" | "editor" | "vetter", string> = { admin: "", editor: "", vetter: "" };
beforeAll(async () => {
  // A fresh city: its only records are the ones below.
  node = await startWebNode({ handle: "unna", name: "Stadt Unna", seedDemo: false });
  for (const [who, token] of [
    ["admin", staffToken],
    ["editor", editorToken],
    ["vetter", vetterToken],
  ] as const) {
    cookies[who] = (await signIn(node.url, token)).cookie;
  }
});
afterAll(() => node?.close());

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${node.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${staffToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Loads each page as `who` and expects 200 for all of them (the path is in the comparison, so a failure names it). */
async function expectPagesAnswer(pages: [path: string, who: keyof typeof cookies][]) {
  for (const [path, who] of pages) {
    const response = await getPage(`${node.url}${path}`, { cookie: cookies[who] });
    expect([path, who, response.status]).toEqual([path, who, 200]);
    expect(await response.text()).not.toContain("undefined");
  }
  expect(node.unexpectedErrors).toEqual([]);
}

const q = encodeURIComponent;

describe("records with every optional field absent", () => {
  it("a guideline: its editor, fork, check and public pages, as a draft and published", async () => {
    const created = await graphql<{ createGuideline: { __typename: string; guidelineVersion?: { id: string; lockVersion: number } } }>(
      `
        mutation ($input: GuidelineInput!) {
          createGuideline(input: $input) {
            __typename
            ... on GuidelineVersionSuccess {
              guidelineVersion {
                id
                lockVersion
              }
            }
          }
        }
      `,
      {
        input: {
          kind: "GUIDELINE",
          title: { de: "Knappe Leitlinie" },
          issuingBody: { name: { de: "Stadt Unna" } },
          version: "1.0",
          validFrom: "2026-01-01",
          audience: { de: "Alle" },
          licence: "CC-BY-4.0",
          principles: [{ key: "mensch", statement: { de: "Ein Mensch entscheidet." }, level: "MUST", category: "HUMAN_OVERSIGHT" }],
        },
      },
    );
    expect(created.createGuideline.__typename).toBe("GuidelineVersionSuccess");
    const { id, lockVersion } = created.createGuideline.guidelineVersion!;
    const draftPages: [string, keyof typeof cookies][] = [
      ["/staff", "editor"],
      [`/staff/guidelines/edit?id=${q(id)}`, "editor"],
      [`/staff/guidelines/check?id=${q(id)}`, "editor"],
      ["/staff/use-cases/new", "editor"],
    ];
    await expectPagesAnswer(draftPages);

    const published = await graphql<{ publishGuidelineVersion: { __typename: string } }>(
      `
        mutation ($id: ID!, $lockVersion: Int!) {
          publishGuidelineVersion(versionId: $id, lockVersion: $lockVersion) {
            __typename
          }
        }
      `,
      { id, lockVersion },
    );
    expect(published.publishGuidelineVersion.__typename).toBe("GuidelineVersionSuccess");
    await expectPagesAnswer([
      ...draftPages,
      [`/staff/guidelines/fork?id=${q(id)}`, "editor"],
      [`/records/guideline?id=${q(id)}`, "editor"],
      ["/", "editor"],
      [`/lineage?id=${q(id)}`, "editor"],
      [`/compare?ids=${q(id)}`, "editor"],
    ]);
  });

  it("a shared model: its staff pages (list, view, edit, retire) and public page, as a draft and published", async () => {
    const input = {
      name: { de: "Knappes Modell" },
      version: "1",
      licence: "MIT",
      architecture: "Transformer",
      languages: ["de"],
      intendedUse: { de: "Texte sortieren." },
      outOfScopeUse: { de: "Entscheidungen." },
      trainingData: { de: "Unbekannt." },
      limitations: { de: "Irrt sich." },
      sovereignty: { openWeights: false, osiOpenSourceAi: "NOT_ASSESSED", weightsLocation: "Anbieter", hosting: "EU_CLOUD", operatorJurisdiction: "DE" },
      maintainers: [{ name: "IT-Abteilung" }],
    };
    const register = `mutation ($input: ModelInput!, $publish: Boolean!) { registerModel(input: $input, publish: $publish) { __typename ... on ModelSuccess { model { id } } ... on ValidationError { fieldErrors { path code } } } }`;
    const ids: string[] = [];
    for (const publish of [false, true]) {
      const registered = await graphql<{ registerModel: { __typename: string; model?: { id: string } } }>(register, {
        input: { ...input, name: { de: `${input.name.de} ${publish ? "veröffentlicht" : "Entwurf"}` } },
        publish,
      });
      expect(registered.registerModel).toEqual({ __typename: "ModelSuccess", model: { id: expect.any(String) } });
      ids.push(registered.registerModel.model!.id);
    }
    const [draft, published] = ids as [string, string];
    await expectPagesAnswer([
      ["/staff/models", "editor"],
      ["/staff/use-cases/new", "editor"],
      ...[draft, published].flatMap((id): [string, keyof typeof cookies][] => [
        [`/staff/models/view?id=${q(id)}`, "editor"],
        [`/staff/models/edit?id=${q(id)}`, "editor"],
      ]),
      [`/staff/models/retire?id=${q(published)}`, "editor"],
      [`/records/model?id=${q(published)}`, "editor"],
      ["/", "editor"],
    ]);
  });

  it("a catalog: the hub's staff pages, the moderation queue and its public page", async () => {
    const created = await graphql<{ createCatalog: { __typename: string; catalog?: { id: string } } }>(
      `
        mutation ($input: CatalogSettingsInput!) {
          createCatalog(input: $input) {
            __typename
            ... on CatalogSuccess {
              catalog {
                id
              }
            }
          }
        }
      `,
      {
        input: {
          handle: "knapp",
          name: { de: "Knapper Katalog" },
          description: { de: "Nichts weiter." },
          moderators: [{ name: staffName }],
          policy: { acceptedKinds: ["USE_CASE"], openTo: "MEMBERS", memberApprovalRequired: true },
        },
      },
    );
    expect(created.createCatalog.__typename).toBe("CatalogSuccess");
    const { id } = created.createCatalog.catalog!;
    await expectPagesAnswer([
      ["/staff/catalogs", "admin"],
      [`/staff/catalogs/edit?id=${q(id)}`, "admin"],
      ["/staff/catalogs/new", "admin"],
      ["/staff/moderation", "admin"],
      ["/catalogs", "admin"],
      ["/catalogs/knapp", "admin"],
    ]);
  });
});
