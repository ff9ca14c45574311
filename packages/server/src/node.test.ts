import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createAccessToken } from "@leitplanken/db";
import { freePort } from "@leitplanken/testkit";
import { loadConfig } from "./config.ts";
import { assembleNode, type RunningNode } from "./node.ts";

let dataDir: string;
let node: RunningNode;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "leitplanken-node-"));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    LEITPLANKEN_ORIGIN: `http://127.0.0.1:${port}`,
    LEITPLANKEN_DATA_DIR: dataDir,
    LEITPLANKEN_HANDLE: "dortmund",
    LEITPLANKEN_NAME: "Stadt Dortmund (Test)",
    LEITPLANKEN_MUNICIPALITY_ID: "05913000",
    LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "true",
    LOG_LEVEL: "silent",
  });
  node = await assembleNode(config, { host: "127.0.0.1", seedDemo: true, adminTokenFile: join(dataDir, "admin-token.txt") });
});

afterAll(async () => {
  await node?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const graphql = async (query: string, token?: string) => {
  const response = await fetch(`${node.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } };
};

describe("a composed node", () => {
  it("serves the seeded demo records through GraphQL: the public sees what is published, staff also the refused draft", async () => {
    const query = `{ useCases(first: 20) { totalCount nodes { id workflow { state } decisionProcess { automationLevel directlyAffectsCitizens } } } }`;
    type Row = { id: string; workflow: { state: string }; decisionProcess: { automationLevel: string; directlyAffectsCitizens: boolean } };
    const anonymous = await graphql(query);
    expect(anonymous.status).toBe(200);
    const published = (anonymous.body.data!.useCases as { totalCount: number; nodes: Row[] }).nodes;
    expect(published).toHaveLength(4);
    for (const useCase of published) {
      expect(useCase.id.startsWith(`${node.config.origin}/use-cases/`)).toBe(true);
      expect(useCase.workflow.state).toBe("PUBLISHED");
    }

    const { token } = await createAccessToken(node.db, { name: "Test Vetter", role: "vetter" });
    const staff = await graphql(query.replace("useCases(first: 20)", "useCases(first: 20, filter: { workflowState: DRAFT })"), token);
    const drafts = (staff.body.data!.useCases as { nodes: Row[] }).nodes;
    // The one the Dortmund rule refused: it directly affects citizens and would act automatically.
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.decisionProcess).toEqual({ automationLevel: "AUTOMATED_ACTION", directlyAffectsCitizens: true });
  });

  it("accepts a token created on its database and refuses a made-up one", async () => {
    const { token } = await createAccessToken(node.db, { name: "Test Editor", role: "editor" });
    const mutation = `mutation { registerModel(input: {}) { __typename } }`;
    const withForgedToken = await graphql(mutation, "lp_forged_token");
    expect(withForgedToken.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const withToken = await graphql(mutation, token);
    expect(withToken.body.errors?.[0]?.extensions?.code).not.toBe("UNAUTHENTICATED");
  });

  it("is an ActivityPub actor with WebFinger and NodeInfo", async () => {
    const actor = await fetch(`${node.url}/actors/dortmund`, { headers: { accept: "application/activity+json" } });
    expect(actor.status).toBe(200);
    const document = (await actor.json()) as { type: string; name: string; inbox: string };
    expect(document.type).toBe("Organization");
    expect(document.name).toBe("Stadt Dortmund (Test)");
    const webfinger = await fetch(`${node.url}/.well-known/webfinger?resource=acct:dortmund@127.0.0.1:${new URL(node.url).port}`);
    expect(webfinger.status).toBe(200);
    const nodeinfo = await fetch(`${node.url}/.well-known/nodeinfo`);
    expect(nodeinfo.status).toBe(200);
  });

  it("shows the name, website and municipality id an admin saved in the city's actor profile", async () => {
    const { token } = await createAccessToken(node.db, { name: "Settings Admin", role: "admin" });
    const saved = await graphql(
      `
        mutation {
          updateNodeSettings(
            input: {
              cityName: "Stadt Dortmund (Einstellungen)"
              website: "https://www.dortmund.example/"
              issuingBody: { name: { de: "Stadt Dortmund, Der Oberbürgermeister" }, organisationId: { scheme: AGS, value: "05913999" } }
            }
          ) {
            __typename
          }
        }
      `,
      token,
    );
    expect(saved.body.data).toEqual({ updateNodeSettings: { __typename: "NodeSettingsSuccess" } });
    const actor = (await (await fetch(`${node.url}/actors/dortmund`, { headers: { accept: "application/activity+json" } })).json()) as {
      name: string;
      url: string;
      attachment: { name: string; value: string }[];
    };
    expect(actor.name).toBe("Stadt Dortmund (Einstellungen)");
    expect(actor.url).toBe("https://www.dortmund.example/");
    expect(actor.attachment).toContainEqual(expect.objectContaining({ name: "municipalityId", value: "05913999" }));
    const reset = await graphql(
      `
        mutation {
          updateNodeSettings(input: { cityName: null, website: null, issuingBody: null }) {
            __typename
          }
        }
      `,
      token,
    );
    expect(reset.body.data).toEqual({ updateNodeSettings: { __typename: "NodeSettingsSuccess" } });
    const restored = (await (await fetch(`${node.url}/actors/dortmund`, { headers: { accept: "application/activity+json" } })).json()) as { name: string };
    expect(restored.name).toBe("Stadt Dortmund (Test)");
  });

  it("answers a browser with the register page and the explorer, through the API in process", async () => {
    const page = await fetch(`${node.url}/`, { headers: { accept: "text/html", "accept-language": "de" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Stadt Dortmund (Test)");
    expect(html).toContain("Leitlinie für den verantwortlichen Einsatz von KI (Demo)");
    const explorer = await fetch(`${node.url}/graphql`, { headers: { accept: "text/html" } });
    expect(explorer.status).toBe(200);
    expect(explorer.headers.get("content-type")).toContain("text/html");
  });

  it("lists whom it follows through GraphQL, and refuses to follow itself", async () => {
    const { token } = await createAccessToken(node.db, { name: "Test Admin", role: "admin" });
    const result = await graphql(`mutation { followCity(target: "${node.config.origin}/actors/dortmund") { __typename } }`, token);
    expect(result.body.data).toEqual({ followCity: { __typename: "CannotFollowSelfError" } });
    const following = await graphql(`
      {
        following {
          __typename
        }
      }
    `);
    expect(following.body.errors).toBeUndefined();
  });

  it("takes a citizen's error report without an account, and refuses the 21st from one address within a minute", async () => {
    const target = `${node.config.origin}/models/demo`;
    const report = `mutation { reportRecord(target: "${target}", category: FACTUAL_ERROR, text: "Die Angabe zum Energieverbrauch fehlt.") { __typename } }`;
    const outcomes: string[] = [];
    for (let i = 0; i < 21; i++) {
      const { body } = await graphql(report);
      outcomes.push((body.data?.reportRecord as { __typename: string } | undefined)?.__typename ?? JSON.stringify(body.errors));
    }
    expect(outcomes.slice(0, 20).every((outcome) => outcome !== "RateLimitedError")).toBe(true);
    expect(new Set(outcomes.slice(0, 20)).size).toBe(1);
    expect(outcomes[20]).toBe("RateLimitedError");
    // The node keeps a hash of the address, never the address itself.
    const { rows } = await node.db.query<{ row: string }>("SELECT row_to_json(r)::text AS row FROM moderation_reports r");
    expect(rows).toHaveLength(20);
    for (const { row } of rows) {
      expect(row).not.toMatch(/"(::ffff:)?127\.0\.0\.1"/);
      expect(JSON.parse(row).report.reporter).toEqual({ type: "anonymous", addressHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
  });
});

describe("the first admin token", () => {
  it("sets the node up but is the shared setup account: it names no person, so it cannot vet", async () => {
    const token = (await readFile(join(dataDir, "admin-token.txt"), "utf8")).trim();
    const viewer = await graphql(
      `
        {
          viewer {
            name
            role
            sharedAccount
          }
        }
      `,
      token,
    );
    expect(viewer.body.data).toEqual({ viewer: { name: "Admin Stadt Dortmund (Test)", role: "ADMIN", sharedAccount: true } });
    const { token: person } = await createAccessToken(node.db, { name: "Petra Person", role: "vetter" });
    expect(
      (
        await graphql(
          `
            {
              viewer {
                sharedAccount
              }
            }
          `,
          person,
        )
      ).body.data,
    ).toEqual({ viewer: { sharedAccount: false } });
  });
});
