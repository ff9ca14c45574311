// Catalogs in the staff pages over plain HTTP, between two real nodes on loopback: a
// coordination hub creates a catalog that reviews who joins; Dortmund finds it by its address,
// joins, is taken in, submits published use cases from the staff area; the hub's moderators see
// titles, the city's name and the rule check in the queue, approve one and reject one with a
// reason, which Dortmund then reads; Dortmund leaves. And the refusals on the way.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { eventually } from "../federation/harness.ts";
import { csrfOf, getPage, postForm, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, staffToken, type WebNode } from "./web-node.ts";

let hub: WebNode;
let city: WebNode;
let hubAdmin: string;
let cityAdmin: string;
let catalogId: string;

beforeAll(async () => {
  [hub, city] = await Promise.all([startWebNode({ handle: "netzwerk", name: "KI-Netzwerk NRW", seedDemo: false }), startWebNode({ handle: "dortmund" })]);
  [hubAdmin, cityAdmin] = await Promise.all([
    signIn(hub.url, staffToken).then((session) => session.cookie),
    signIn(city.url, staffToken).then((session) => session.cookie),
  ]);
});
afterAll(async () => {
  await Promise.all([hub?.close(), city?.close()]);
});

const page = async (node: WebNode, path: string, cookie: string) => {
  const response = await getPage(`${node.url}${path}`, { cookie });
  return { status: response.status, text: await response.text(), location: response.headers.get("location") };
};

/** Posts a form of `formPath` (for its CSRF token) to `action`. */
async function submitForm(node: WebNode, cookie: string, formPath: string, action: string, fields: Record<string, string>) {
  const csrf = csrfOf((await page(node, formPath, cookie)).text);
  const response = await postForm(`${node.url}${action}`, cookie, { _csrf: csrf, ...fields });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

const catalogForm = {
  handle: "ki-katalog-nrw",
  "name.de": "KI-Katalog NRW",
  "name.en": "AI catalog NRW",
  "description.de": "Geprüfte KI-Einsatzfälle der Kommunen in Nordrhein-Westfalen.",
  "description.en": "",
  "rules.de": "Nur veröffentlichte, geprüfte Einsatzfälle.",
  "rules.en": "",
  "kind-USE_CASE": "yes",
  openTo: "MEMBERS",
  memberApproval: "yes",
  moderators: "Ada Admin\nMia Moderatorin",
};

const chatbot = () => `${city.url}/use-cases/buergerservice-chatbot`;
const roadDamage = () => `${city.url}/use-cases/strassenschaeden-erkennung`;

describe("a coordinator sets up a catalog", () => {
  it.each([
    [{ handle: "KI Katalog" }, "Kurzname"],
    [{ "kind-USE_CASE": "" }, "Was der Katalog aufnimmt"],
    [{ moderators: "" }, "Moderation"],
    [{ "name.de": "", "name.en": "" }, "Name"],
    [{ "description.de": "x".repeat(5001) }, "Beschreibung"],
    [{ openTo: "EVERYONE" }, "Wer einreichen darf"],
  ])("refuses %p at the field's label, keeping what was typed", async (change, label) => {
    const refused = await submitForm(hub, hubAdmin, "/staff/catalogs/new", "/staff/catalogs/new", { ...catalogForm, ...change });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Bitte prüfen Sie Ihre Eingaben");
    expect(refused.text).toMatch(new RegExp(`<li><a href="#field-[^"]+">${label}`));
    expect(refused.text).toContain("Nur veröffentlichte, geprüfte Einsatzfälle.");
  });

  it("creates the catalog and says where cities find it", async () => {
    const created = await submitForm(hub, hubAdmin, "/staff/catalogs/new", "/staff/catalogs/new", catalogForm);
    expect(created.status).toBe(201);
    expect(created.text).toContain("Katalog angelegt");
    catalogId = /<code>(http[^<]+\/actors\/ki-katalog-nrw)<\/code>/.exec(created.text)![1]!;
    expect(created.text).toContain(`@ki-katalog-nrw@${new URL(hub.url).host}`);
    expect(created.text).toContain("Wie geht es weiter?");
    const overview = await page(hub, "/staff/catalogs", hubAdmin);
    expect(overview.text).toContain("KI-Katalog NRW");
    expect(overview.text).toContain("Ada Admin, Mia Moderatorin");

    const again = await submitForm(hub, hubAdmin, "/staff/catalogs/new", "/staff/catalogs/new", catalogForm);
    expect(again.status).toBe(422);
    expect(again.text).toMatch(/<li><a href="#field-handle">Kurzname/);
  });

  it("changes the settings but never the handle, and only for admins", async () => {
    const edit = await page(hub, `/staff/catalogs/edit?id=${encodeURIComponent(catalogId)}`, hubAdmin);
    expect(edit.text).toContain('value="ki-katalog-nrw"');
    expect(edit.text).toMatch(/id="field-handle"[^>]*readonly/);
    const saved = await submitForm(hub, hubAdmin, `/staff/catalogs/edit?id=${encodeURIComponent(catalogId)}`, "/staff/catalogs/edit", {
      ...catalogForm,
      id: catalogId,
      handle: "renamed",
      "description.en": "Vetted AI use cases of the municipalities of North Rhine-Westphalia.",
    });
    expect(saved.status).toBe(303);
    expect((await page(hub, "/staff/catalogs?lang=en", hubAdmin)).text).toContain("Vetted AI use cases of the municipalities");
    expect((await page(hub, "/staff/catalogs/edit?id=https%3A%2F%2Fnowhere.example%2Factors%2Fx", hubAdmin)).status).toBe(404);

    const editor = (await signIn(hub.url, editorToken)).cookie;
    expect((await page(hub, "/staff/catalogs/new", editor)).status).toBe(403);
    expect((await page(hub, `/staff/catalogs/edit?id=${encodeURIComponent(catalogId)}`, editor)).status).toBe(403);
  });
});

describe("a city joins, is taken in, submits, and reads the moderators' decisions", () => {
  it("finds the catalog by its address, and refuses what is no catalog", async () => {
    // (A handle such as @ki-katalog-nrw@host is looked up over https only, which loopback nodes do not serve.)
    const found = await page(city, `/staff/catalogs/find?address=${encodeURIComponent(catalogId)}`, cityAdmin);
    expect(found.status).toBe(200);
    expect(found.text).toContain("KI-Katalog NRW");
    expect(found.text).toContain("prüft jeden Beitritt");
    for (const [address, message] of [
      [hub.node.actorUrl, "ist eine Stadt, kein Katalog"],
      ["not an address", "weder eine Actor-URL noch ein Handle"],
      [city.node.actorUrl, "nicht selbst folgen"],
    ] as const) {
      const refused = await page(city, `/staff/catalogs/find?address=${encodeURIComponent(address)}`, cityAdmin);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(message);
    }
  });

  it("joins; the membership waits until a moderator takes the city in", async () => {
    const found = `/staff/catalogs/find?address=${encodeURIComponent(catalogId)}`;
    const joined = await submitForm(city, cityAdmin, found, "/staff/catalogs/join", { catalog: catalogId });
    expect(joined.location).toBe("/staff/catalogs?done=joined");
    expect((await page(city, "/staff/catalogs", cityAdmin)).text).toContain("wartet auf die Moderation des Katalogs");

    const queue = await eventually(async () => {
      const moderation = await page(hub, "/staff/moderation", hubAdmin);
      return moderation.text.includes(city.node.actorUrl) && moderation.text.includes("Beitrittsanfragen") ? moderation.text : null;
    });
    expect(queue).toContain(`Aufnehmen: ${new URL(city.node.actorUrl).pathname.split("/").at(-1)}`);
    const accepted = await submitForm(hub, hubAdmin, "/staff/moderation", "/staff/moderation/member", {
      catalogId,
      actor: city.node.actorUrl,
      action: "accept",
    });
    expect(accepted.location).toBe("/staff/moderation?done=1");
    await eventually(async () => (await page(city, "/staff/catalogs", cityAdmin)).text.includes(">Mitglied<"));
  });

  it("submits published use cases from the staff area; unpublished or foreign records cannot be", async () => {
    const dashboard = await page(city, "/staff", cityAdmin);
    expect(dashboard.text).toContain(`/staff/catalogs/submit?record=${encodeURIComponent(chatbot())}`);
    const form = await page(city, `/staff/catalogs/submit?record=${encodeURIComponent(chatbot())}`, cityAdmin);
    expect(form.text).toContain("KI-Katalog NRW");
    for (const record of [chatbot(), roadDamage()]) {
      const sent = await submitForm(city, cityAdmin, `/staff/catalogs/submit?record=${encodeURIComponent(record)}`, "/staff/catalogs/submit", {
        catalog: catalogId,
        record,
      });
      expect(sent.location).toBe(`/staff/catalogs/submit?record=${encodeURIComponent(record)}&done=1`);
    }
    expect((await page(city, `/staff/catalogs/submit?record=${encodeURIComponent(chatbot())}&done=1`, cityAdmin)).text).toContain("Eingereicht.");
    for (const record of ["https://elsewhere.example/use-cases/x", "not a url", `${city.url}/use-cases/does-not-exist`]) {
      expect((await page(city, `/staff/catalogs/submit?record=${encodeURIComponent(record)}`, cityAdmin)).status).toBe(404);
    }
  });

  it("shows the moderators each submission's title, city and rule check", async () => {
    const queue = await eventually(async () => {
      const moderation = await page(hub, "/staff/moderation", hubAdmin);
      return moderation.text.includes("Chatbot für Fragen zum Bürgerservice") && moderation.text.includes("Erkennung von Straßenschäden")
        ? moderation.text
        : null;
    });
    expect(queue).toContain(`Stadt Dortmund (${new URL(city.url).host})`);
    expect(queue).toContain("Regelprüfung");
    expect(queue).toContain("Geprüft gegen: alle Regeln des gemeinsamen Regelkatalogs");
    expect(queue).toMatch(/no-automated-action-on-citizens/);
  });

  it("approves one, rejects one with a reason; the city reads both", async () => {
    const queue = (await page(hub, "/staff/moderation", hubAdmin)).text;
    // The first entry id after the title's link: the approve form of that row.
    const entryOf = (title: string) => /name="entryId" value="([^"]+)"/.exec(queue.slice(queue.indexOf(`>${title}</a>`)))![1]!;
    const approved = await submitForm(hub, hubAdmin, "/staff/moderation", "/staff/moderation/approve", {
      catalogId,
      entryId: entryOf("Chatbot für Fragen zum Bürgerservice"),
    });
    expect(approved.location).toBe("/staff/moderation?done=1");
    const noReason = await submitForm(hub, hubAdmin, "/staff/moderation", "/staff/moderation/reject", {
      catalogId,
      entryId: entryOf("Erkennung von Straßenschäden"),
      reason: "",
    });
    expect(noReason.status).toBe(422);
    const rejected = await submitForm(hub, hubAdmin, "/staff/moderation", "/staff/moderation/reject", {
      catalogId,
      entryId: entryOf("Erkennung von Straßenschäden"),
      reason: "Bitte die Energieangaben ergänzen.",
    });
    expect(rejected.location).toBe("/staff/moderation?done=1");

    const view = await eventually(async () => {
      const own = await page(city, `/staff/catalogs/view?catalog=${encodeURIComponent(catalogId)}`, cityAdmin);
      return own.text.includes("aufgenommen") && own.text.includes("Bitte die Energieangaben ergänzen.") ? own.text : null;
    });
    expect(view).toContain("Chatbot für Fragen zum Bürgerservice");
    expect(view).toContain("abgelehnt");
  });

  it("leaves after a confirmation", async () => {
    const confirm = await page(city, `/staff/catalogs/leave?catalog=${encodeURIComponent(catalogId)}`, cityAdmin);
    expect(confirm.text).toContain("Katalog verlassen");
    const left = await submitForm(city, cityAdmin, `/staff/catalogs/leave?catalog=${encodeURIComponent(catalogId)}`, "/staff/catalogs/leave", {
      catalog: catalogId,
    });
    expect(left.location).toBe("/staff/catalogs?done=left");
    expect((await page(city, "/staff/catalogs?done=left", cityAdmin)).text).toContain("Die Stadt gehört noch keinem Katalog an.");
    expect((await page(city, `/staff/catalogs/leave?catalog=${encodeURIComponent(catalogId)}`, cityAdmin)).status).toBe(404);
  });

  it("refuses forms without the session's CSRF token", async () => {
    const forged = await postForm(`${city.url}/staff/catalogs/join`, cityAdmin, { _csrf: "forged", catalog: catalogId });
    expect(forged.status).toBe(403);
  });
});
