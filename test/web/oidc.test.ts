// Staff sign in through the city's identity provider: a real OpenID provider (oidc-provider) on
// 127.0.0.1, the node's pages as a client (openid-client: code flow with PKCE, state, nonce).
// Roles come from the `roles` claim through a role map; the name from the ID token is who the
// API acts as. Refused: a tampered state or nonce, a forged or expired ID token, a replayed or
// unstarted callback, an account without a role.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { OidcOptions } from "@leitplanken/web";
import { CookieJar, get, loginAtProvider, post } from "./oidc-client.ts";
import { reserveIssuer, startOpenIdProvider, testClientId, testClientSecret, type TestOpenIdProvider } from "./openid-provider.ts";
import { csrfOf } from "./staff-session.ts";
import { startWebNode, type WebNode } from "./web-node.ts";

const accounts = {
  "erika.pruefung": { name: "Erika Prüferin", roles: ["ki-pruefung"] },
  "ada.it": { given_name: "Ada", family_name: "Lovelace", roles: ["ki-admins", "ki-redaktion", "other-app"] },
  "max.ohne": { name: "Max Ohnerolle", roles: ["other-app"] },
};

const roleMap = { "ki-admins": "admin", "ki-redaktion": "editor", "ki-pruefung": "vetter", "ki-moderation": "moderator" } as const;

let issuer: string;
let provider: TestOpenIdProvider;
const nodes: WebNode[] = [];
const refusals: string[] = [];

async function nodeWith(extra: Partial<OidcOptions> = {}): Promise<WebNode> {
  const oidc: OidcOptions = {
    issuer: new URL(issuer),
    clientId: testClientId,
    clientSecret: testClientSecret,
    roleClaim: "roles",
    roleMap,
    nameClaim: "name",
    scope: "openid profile roles",
    providerName: "Dortmund-Login",
    ...extra,
  };
  const node = await startWebNode({ seedDemo: false, oidc, signInRefusals: refusals });
  nodes.push(node);
  return node;
}

let node: WebNode;
beforeAll(async () => {
  issuer = await reserveIssuer();
  node = await nodeWith();
  // One provider for all nodes of this file: the client's redirect URIs are the nodes' callbacks.
  const expired = await nodeWith({ clockSkewSeconds: 2 * 60 * 60 });
  const forged = await nodeWith({ fetch: forgingFetch });
  provider = await startOpenIdProvider(
    issuer,
    [node, expired, forged].map((each) => `${each.url}/staff/sign-in/callback`),
    accounts,
  );
});
afterAll(async () => {
  await Promise.all(nodes.map((each) => each.close()));
  await provider?.close();
});

/** A man in the middle at the token endpoint: the ID token's name is changed, its signature kept. */
async function forgingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (!String(input instanceof Request ? input.url : input).endsWith("/token") || !response.ok) return response;
  const body = (await response.json()) as { id_token: string };
  const [header, payload, signature] = body.id_token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, name: "Mallory", roles: ["ki-admins"] })).toString("base64url");
  return new Response(JSON.stringify({ ...body, id_token: `${header}.${forged}.${signature}` }), { status: 200, headers: response.headers });
}

/** Starts a sign-in at `base`: the provider's authorization URL the node sends the browser to. */
async function start(jar: CookieJar, base: string): Promise<string> {
  const response = await get(jar, `${base}/staff/sign-in/oidc`);
  expect(response.status).toBe(303);
  const location = response.headers.get("location")!;
  expect(location.startsWith(`${issuer}/`)).toBe(true);
  return location;
}

async function signInThroughProvider(base: string, login: string, tamper: (url: URL) => void = () => {}) {
  refusals.length = 0;
  const jar = new CookieJar();
  const authorization = new URL(await start(jar, base));
  tamper(authorization);
  const callback = await loginAtProvider(jar, authorization.href, login, `${base}/staff/sign-in/callback`);
  const response = await get(jar, callback);
  return { jar, callback, response, page: await response.text() };
}

describe("signing in through the city's identity provider", () => {
  it("offers the provider on the sign-in page, next to the API token", async () => {
    const page = await (await get(new CookieJar(), `${node.url}/staff/sign-in`)).text();
    expect(page).toContain("Anmelden mit Dortmund-Login");
    expect(page).toContain('href="/staff/sign-in/oidc"');
    expect(page).toContain("Mit einem API-Token anmelden");
  });

  it("asks for the authorization code with PKCE (S256), state and nonce", async () => {
    const url = new URL(await start(new CookieJar(), node.url));
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("state")).toBeTruthy();
    expect(url.searchParams.get("nonce")).toBeTruthy();
    expect(url.searchParams.get("scope")).toBe("openid profile roles");
    expect(url.searchParams.get("redirect_uri")).toBe(`${node.url}/staff/sign-in/callback`);
    expect(url.searchParams.get("client_id")).toBe(testClientId);
  });

  it("signs a vetter in with the role from the claim and the name from the ID token", async () => {
    const { jar, response, page } = await signInThroughProvider(node.url, "erika.pruefung");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(page).toContain("Willkommen, Erika Prüferin. Sie arbeiten in der Rolle Prüfung.");
    expect(page).toContain('http-equiv="refresh" content="0; url=/staff"');
    // The flow cookie is gone; the session cookie is the signed-in one.
    expect(jar.value(node.url, "leitplanken-sign-in")).toBeUndefined();
    const staff = await get(jar, `${node.url}/staff`);
    expect(staff.status).toBe(200);
    expect(await staff.text()).toContain("Angemeldet als <strong>Erika Prüferin</strong> (Prüfung)");
    // The API acts as the person, without a token; a vetter may not hand out tokens.
    const tokens = await get(jar, `${node.url}/staff/tokens`);
    expect(tokens.status).toBe(403);
  });

  it("lets a person with several roles choose one, and refuses a role they do not have", async () => {
    const { jar, page, response } = await signInThroughProvider(node.url, "ada.it");
    expect(response.status).toBe(200);
    expect(page).toContain("Rolle wählen");
    expect(page).toContain('value="admin"');
    expect(page).toContain('value="editor"');
    expect(page).not.toContain('value="vetter"');
    // Not signed in while choosing.
    expect((await get(jar, `${node.url}/staff`)).headers.get("location")).toBe("/staff/sign-in");
    const wrong = await post(jar, `${node.url}/staff/sign-in/role`, { _csrf: csrfOf(page), role: "vetter" });
    expect(wrong.status).toBe(422);
    const chosen = await post(jar, `${node.url}/staff/sign-in/role`, { _csrf: csrfOf(page), role: "admin" });
    expect(chosen.status).toBe(303);
    const admin = await get(jar, `${node.url}/staff/tokens`);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain("Angemeldet als <strong>Ada Lovelace</strong> (Administration)");
  });

  it("refuses an account whose roles this node does not map", async () => {
    const { jar, response, page } = await signInThroughProvider(node.url, "max.ohne");
    expect(response.status).toBe(403);
    expect(page).toContain("Ihr Konto hat keine Rolle in diesem Register");
    expect((await get(jar, `${node.url}/staff`)).headers.get("location")).toBe("/staff/sign-in");
  });

  it("refuses an answer whose state was changed on the way", async () => {
    const { jar, response, page } = await signInThroughProvider(node.url, "erika.pruefung", (url) => url.searchParams.set("state", "forged-state"));
    expect(response.status).toBe(401);
    expect(page).toContain("Die Antwort des Anmeldesystems war ungültig");
    expect((await get(jar, `${node.url}/staff`)).headers.get("location")).toBe("/staff/sign-in");
    expect(refusals).toEqual([expect.stringMatching(/^invalid-response: .*"state"/)]);
  });

  it("refuses an ID token whose nonce is not the one this browser's sign-in asked for", async () => {
    const { response } = await signInThroughProvider(node.url, "erika.pruefung", (url) => url.searchParams.set("nonce", "an-injected-nonce"));
    expect(response.status).toBe(401);
    expect(refusals).toEqual([expect.stringMatching(/^invalid-response: .*"nonce"/)]);
  });

  it("refuses a forged ID token (a changed name and role under the provider's signature)", async () => {
    const forged = nodes[2]!;
    const { jar, response, page } = await signInThroughProvider(forged.url, "erika.pruefung");
    expect(response.status).toBe(401);
    expect(page).not.toContain("Mallory");
    expect((await get(jar, `${forged.url}/staff`)).headers.get("location")).toBe("/staff/sign-in");
    expect(refusals).toEqual([expect.stringMatching(/^invalid-response: .*signature verification failed/)]);
  });

  it("refuses an expired ID token", async () => {
    // The node's clock runs two hours ahead of the provider's: the one-hour ID token has expired.
    const expired = nodes[1]!;
    const { response } = await signInThroughProvider(expired.url, "erika.pruefung");
    expect(response.status).toBe(401);
    expect(refusals).toEqual([expect.stringMatching(/^invalid-response: .*"exp"/)]);
  });

  it("takes each answer once, and none it did not ask for", async () => {
    const { jar, callback, response } = await signInThroughProvider(node.url, "erika.pruefung");
    expect(response.status).toBe(200);
    const replayed = await get(jar, callback);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain("nicht hier begonnen oder ist abgelaufen");
    const stranger = await get(new CookieJar(), callback);
    expect(stranger.status).toBe(400);
    const cancelled = await get(new CookieJar(), `${node.url}/staff/sign-in/callback?error=access_denied`);
    expect(cancelled.status).toBe(401);
    expect(await cancelled.text()).toContain("abgebrochen oder abgelehnt");
  });

  it("says so when the provider cannot be reached", async () => {
    const unreachable = await startWebNode({
      seedDemo: false,
      oidc: { issuer: new URL("http://127.0.0.1:9/"), clientId: "x", clientSecret: "y", roleClaim: "roles", roleMap: {}, nameClaim: "name", scope: "openid" },
    });
    nodes.push(unreachable);
    const response = await get(new CookieJar(), `${unreachable.url}/staff/sign-in/oidc`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("nicht erreichbar");
  });
});
