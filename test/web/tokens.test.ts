// The admin's API token pages over plain HTTP: create (the secret shown once, never again),
// sign in with it, list, revoke with a confirmation, and the refusals: other roles, a missing
// CSRF token, bad names and roles, made-up ids, the last admin token.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { csrfOf, getPage, postForm, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, staffToken, type WebNode } from "./web-node.ts";

let node: WebNode;
let admin: string;
beforeAll(async () => {
  node = await startWebNode({ seedDemo: false });
  admin = (await signIn(node.url, staffToken)).cookie;
});
afterAll(() => node?.close());

const page = async (path: string, cookie: string) => {
  const response = await getPage(`${node.url}${path}`, { cookie });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

async function createToken(name: string, role: string, cookie = admin) {
  const form = await page("/staff/tokens", cookie);
  const response = await postForm(`${node.url}/staff/tokens`, cookie, { _csrf: csrfOf(form.text), name, role });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const secretOf = (text: string) => /value="(lp_[^"]+)"/.exec(text)?.[1];

describe("API tokens in the staff pages", () => {
  it("creates a token, shows the secret once with what to do, and the person signs in with it", async () => {
    const created = await createToken("Erika Beispiel, Digitalisierung", "EDITOR");
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.text).toContain("Token angelegt");
    expect(created.text).toContain("nur dieses eine Mal");
    expect(created.text).toContain("Wie geht es weiter?");
    const secret = secretOf(created.text)!;
    expect(secret).toMatch(/^lp_/);

    const listed = await page("/staff/tokens", admin);
    expect(listed.text).toContain("Erika Beispiel, Digitalisierung");
    expect(listed.text).toContain("noch nie");
    expect(listed.text).not.toContain(secret);

    const editor = await signIn(node.url, secret);
    expect(editor.response.headers.get("location")).toBe("/staff");
    // The editor's pages work; the token pages are the admin's.
    expect((await page("/staff", editor.cookie)).status).toBe(200);
    const refused = await page("/staff/tokens", editor.cookie);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("nicht berechtigt");
    // Once used, the list says when.
    expect((await page("/staff/tokens", admin)).text).not.toContain("noch nie");
  });

  it("revokes a token after a confirmation: the person is signed out and cannot sign in again", async () => {
    const created = await createToken("Max Mustermann, Rechtsamt", "VETTER");
    const secret = secretOf(created.text)!;
    const id = secret.split("_")[1]!;
    const vetter = await signIn(node.url, secret);
    expect((await page("/staff", vetter.cookie)).status).toBe(200);

    const confirm = await page(`/staff/tokens/revoke?id=${id}`, admin);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("Max Mustermann, Rechtsamt");
    expect(confirm.text).toContain("nicht rückgängig");
    const revoked = await postForm(`${node.url}/staff/tokens/revoke`, admin, { _csrf: csrfOf(confirm.text), id });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe("/staff/tokens?done=revoked");
    expect((await page("/staff/tokens?done=revoked", admin)).text).toContain("Der Token wurde widerrufen");

    // The signed-in session ends with the token.
    const after = await getPage(`${node.url}/staff`, { cookie: vetter.cookie });
    expect(after.headers.get("location")).toBe("/staff/sign-in");
    expect((await signIn(node.url, secret)).response.status).toBe(401);
    // Listed as revoked on request, with its date.
    const all = await page("/staff/tokens?revoked=1", admin);
    expect(all.text).toContain("Widerrufene Tokens");
    expect(all.text).toContain("Max Mustermann, Rechtsamt");
  });

  it.each([
    ["", "EDITOR", "Darf nicht leer sein"],
    ["x".repeat(201), "EDITOR", "Höchstens 200 Zeichen"],
    ["Erika\r\nBeispiel", "EDITOR", "Steuer- oder Formatzeichen"],
    ["Rolf König", "KING", "Bitte wählen Sie eine Rolle"],
    ["Rolf König", "", "Bitte wählen Sie eine Rolle"],
  ])("refuses name %p with role %p at the field, keeping what was typed", async (name, role, message) => {
    const refused = await createToken(name, role);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(message);
    expect(refused.text).toContain("has-error");
    expect(refused.text).toContain('href="#field-');
    if (name === "Rolf König") expect(refused.text).toContain('value="Rolf König"');
    expect(secretOf(refused.text)).toBeUndefined();
  });

  it("refuses a name an active token carries", async () => {
    expect((await createToken("Doppelt Vorhanden", "EDITOR")).status).toBe(201);
    const again = await createToken("Doppelt Vorhanden", "MODERATOR");
    expect(again.status).toBe(422);
    expect(again.text).toContain("Es gibt schon einen aktiven Token mit dem Namen „Doppelt Vorhanden“");
  });

  it("refuses a form without the session's CSRF token, and made-up token ids", async () => {
    const forged = await postForm(`${node.url}/staff/tokens`, admin, { _csrf: "forged", name: "Mallory", role: "ADMIN" });
    expect(forged.status).toBe(403);
    expect((await page("/staff/tokens", admin)).text).not.toContain("Mallory");
    expect((await page("/staff/tokens/revoke?id=nope", admin)).status).toBe(404);
    expect((await page("/staff/tokens/revoke", admin)).status).toBe(404);
    const form = await page("/staff/tokens", admin);
    expect((await postForm(`${node.url}/staff/tokens/revoke`, admin, { _csrf: csrfOf(form.text), id: "' OR 1=1 --" })).status).toBe(404);
  });

  it("keeps the last admin token, and says why", async () => {
    const created = await createToken("Einzige Admin", "ADMIN");
    const id = secretOf(created.text)!.split("_")[1]!;
    const confirm = await page(`/staff/tokens/revoke?id=${id}`, admin);
    const refused = await postForm(`${node.url}/staff/tokens/revoke`, admin, { _csrf: csrfOf(confirm.text), id });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("letzte aktive Admin-Token");
  });

  it("shows the admin area to admins, and each role the areas it works in", async () => {
    const area = await page("/staff/admin?lang=en", admin);
    expect(area.text).toContain("Manage the node");
    expect(area.text).toContain('href="/staff/tokens"');
    expect(area.text).toContain('href="/staff/settings"');
    expect(area.text).toContain("Signed in as <strong>Ada Admin</strong> (Administration)");
    const editor = await signIn(node.url, editorToken);
    expect((await page("/staff/admin", editor.cookie)).status).toBe(403);
    const overview = await page("/staff", editor.cookie);
    expect(overview.text).toContain('href="/staff/models"');
    expect(overview.text).not.toContain('href="/staff/admin"');
    expect(overview.text).toContain("Angemeldet als <strong>Erika Redaktion</strong> (Redaktion)");
  });
});
