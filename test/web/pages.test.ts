// The web pages over plain HTTP (no browser): language choice, content negotiation at record
// IRIs, complete content without JavaScript, sign-in redirects and CSRF refusal.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import * as networkQueries from "../../packages/web/src/network.queries.ts";
import * as peersQueries from "../../packages/web/src/peers.queries.ts";
import * as registerQueries from "../../packages/web/src/register.queries.ts";
import * as staffQueries from "../../packages/web/src/staff.queries.ts";
import * as moderationQueries from "../../packages/web/src/moderation.queries.ts";
import * as reportQueries from "../../packages/web/src/report.queries.ts";
import * as tokenQueries from "../../packages/web/src/tokens.queries.ts";
import * as catalogQueries from "../../packages/web/src/catalogs.queries.ts";
import * as modelQueries from "../../packages/web/src/models.queries.ts";
import { cookiesOf, csrfOf, getPage, postForm, signIn as signInAt } from "./staff-session.ts";
import { recordIri } from "@leitplanken/core";
import {
  peerCityName,
  peerOrigin,
  receivedGuidelineId,
  receivedGuidelineTitle,
  receivedUseCaseName,
  startWebNode,
  staffToken,
  type WebNode,
} from "./web-node.ts";

let node: WebNode;
beforeAll(async () => {
  node = await startWebNode();
});
afterAll(async () => {
  await node?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => getPage(`${node.url}${path}`, headers);

describe("public register", () => {
  it("serves the city page in the browser's language, with the guideline, its principles and the use cases, without any script", async () => {
    const german = await get("/", { "accept-language": "de-DE,de;q=0.9,en;q=0.8" });
    expect(german.status).toBe(200);
    expect(german.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await german.text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain("Stadt Dortmund");
    expect(page).toContain("Leitlinie für den verantwortlichen Einsatz von KI");
    // A principle names its rules by their titles, not by the rule catalog's ids.
    expect(page.replace(/\s+/g, " ")).toContain("Regel: Keine automatischen Aktionen bei Entscheidungen über Bürgerinnen und Bürger; ");
    expect(page).not.toContain("no-automated-action-on-citizens");
    expect(page).toContain("Chatbot für Fragen zum Bürgerservice");
    expect(page).not.toContain("<script");
    // The refused automated parking use case is a draft: citizens do not see it.
    expect(page).not.toContain("Parkraumkameras");

    const english = await (await get("/", { "accept-language": "en-GB,en;q=0.9" })).text();
    expect(english).toContain('<html lang="en">');
    expect(english.replace(/\s+/g, " ")).toContain("Rule: No automated action where citizens are directly affected; ");
    expect(english).toContain("Chatbot for citizen service questions");
  });

  it("switches language with ?lang= and remembers it in a cookie", async () => {
    const switched = await get("/search?lang=en", { "accept-language": "de" });
    expect(await switched.text()).toContain('<html lang="en">');
    const cookie = cookiesOf(switched);
    expect(cookie).toContain("lang=en");
    const later = await (await get("/", { "accept-language": "de", cookie })).text();
    expect(later).toContain('<html lang="en">');
    expect(later).toContain('href="/?lang=de"');
  });

  it("searches across own and received records with filters", async () => {
    const road = await (await get(`/search?q=${encodeURIComponent("Straßenschäden")}`)).text();
    expect(road).toContain("Erkennung von Straßenschäden");
    expect(road).toContain(receivedUseCaseName);
    const receivedOnly = await (await get("/search?origin=received")).text();
    expect(receivedOnly).toContain(receivedUseCaseName);
    expect(receivedOnly).not.toContain("Chatbot für Fragen");
    const affecting = await (await get("/search?directlyAffectsCitizens=yes")).text();
    expect(affecting).toContain("Chatbot für Fragen");
    expect(affecting).not.toContain("Erkennung von Straßenschäden");
  });

  it("answers a made-up page cursor with 400, not as a failure of the node", async () => {
    const response = await get("/search?after=not-a-cursor", { "accept-language": "en" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This request is not valid");
  });

  it("answers a record's IRI with HTML for browsers and signed JSON-LD for ActivityPub clients", async () => {
    const iri = `${node.url}/use-cases/buergerservice-chatbot`;
    const html = await fetch(iri, { headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain("Chatbot für Fragen zum Bürgerservice");
    // Citizens read the rule's title and the vetting person's role in words, not the rule's id alone or the API's role name.
    expect(page).toContain("Keine automatischen Aktionen bei Entscheidungen über Bürgerinnen und Bürger");
    expect(page).toContain("Max Mustermann (Prüfstelle)");
    expect(page).not.toContain("(vetter)");
    const english = await (await fetch(`${iri}?lang=en`, { headers: { accept: "text/html" } })).text();
    expect(english).toContain("No automated action where citizens are directly affected");
    expect(english).toContain("Max Mustermann (vetting office)");
    // An Annex III area in words, not the API's value.
    const stored = (await node.node.records.useCases.get(iri))!;
    await node.node.records.useCases.save({ ...stored, risk: { ...stored.risk, aiActClass: "high", annexIIIArea: "essential-services" } });
    const withArea = (await (await fetch(iri, { headers: { accept: "text/html" } })).text()).replace(/\s+/g, " ");
    expect(withArea).toMatch(/<dt>Bereich nach Anhang III<\/dt> <dd>Grundlegende öffentliche Leistungen<\/dd>/);
    expect(withArea).not.toContain("ESSENTIAL_SERVICES");
    await node.node.records.useCases.save(stored);

    // The pages pass other clients on to the federation's record routes.
    const json = await fetch(iri, { headers: { accept: "application/activity+json" } });
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toContain("application/activity+json");
    expect(await json.json()).toMatchObject({ id: iri, type: "UseCase", attributedTo: node.node.actorUrl, proof: { cryptosuite: "eddsa-jcs-2022" } });
  });

  it("shows a received record with its provenance and refuses unknown or draft records", async () => {
    const search = await (await get("/search?origin=received")).text();
    const link = /href="(\/records\/use-case\?id=[^"]+)"/.exec(search)?.[1];
    expect(link).toBeDefined();
    const page = (await (await get(link!.replace(/&amp;/g, "&"))).text()).replace(/\s+/g, " ").replace(/ >/g, ">");
    expect(page).toContain(receivedUseCaseName);
    // Whose record it is comes first: the city's name (not its host), linked to its register, and the signature.
    const banner = page.slice(page.indexOf('<aside class="provenance-banner"'), page.indexOf("</aside>"));
    expect(page.indexOf('<aside class="provenance-banner"')).toBeLessThan(page.indexOf("<h1>"));
    expect(banner).toContain(`<a href="${peerOrigin}/"><strong>${peerCityName}</strong></a>`);
    expect(banner).toContain("Signatur geprüft");
    // Search cards name the city too.
    expect(search.replace(/\s+/g, " ")).toContain(`${peerCityName} </li>`);

    expect((await get("/use-cases/does-not-exist")).status).toBe(404);
    expect((await get("/use-cases/automatische-verwarnungen")).status).toBe(404);
  });

  it("serves the GraphQL explorer to browsers and leaves API requests to the API", async () => {
    const explorer = await get("/graphql");
    expect(explorer.status).toBe(200);
    const page = await explorer.text();
    expect(page).toContain("/assets/explorer/graphiql.js");
    expect((await get("/assets/explorer/graphiql.js")).status).toBe(200);
    expect((await get("/assets/explorer/../../package.json")).status).toBe(404);

    const api = await fetch(`${node.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await api.json()).toMatchObject({ data: { __typename: "Query" }, extensions: { cost: { requestedQueryCost: 1 } } });
  });
});

describe("network pages", () => {
  const ownGuideline = () => recordIri(node.url, "guideline", "ki-leitlinie-1.0");
  const compareHref = (...ids: string[]) => `/compare?${ids.map((id) => `v=${encodeURIComponent(id)}`).join("&")}`;

  it("shows network statistics as SVG charts, each with a table of its figures", async () => {
    const response = await get("/statistics");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).not.toContain("<script");
    // Four published use cases of Dortmund and one received from Münster.
    expect(page).toMatch(/<dt>Veröffentlichte KI-Einsatzfälle<\/dt>\s*<dd>5<\/dd>/);
    const charts = page.match(/<figure class="chart">/g) ?? [];
    expect(charts).toHaveLength(5);
    expect(page.match(/<svg [^>]*role="img" aria-labelledby="chart-[a-z-]+-title"/g)).toHaveLength(5);
    // Each chart's table carries its figures as text: the risk classes add up to the use cases.
    const riskTable = page.slice(page.indexOf('id="chart-risk-title"'), page.indexOf('id="chart-automation-title"'));
    const counts = [...riskTable.matchAll(/<tr>\s*<th scope="row">[^<]+<\/th>\s*<td>(\d+)<\/td>/g)].map((match) => Number(match[1]));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(page).toContain("ki.muenster.example");
  });

  it("compares two guidelines side by side: principle matrix and the diff", async () => {
    const response = await get(compareHref(ownGuideline(), receivedGuidelineId));
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/<caption>\s*Grundsätze nebeneinander\s*<\/caption>/);
    // The same demo principles on both sides: every row has two filled cells, matched by shared rules.
    expect(page).toMatch(/zugeordnet über\s+gemeinsame Regel/);
    expect(page).not.toContain("kein entsprechender Grundsatz");
    expect(page).toMatch(/Weitere geänderte Angaben<\/dt>\s*<dd>[^<]*title/);

    const form = await (await get(compareHref(ownGuideline()))).text();
    expect(form.replace(/\s+/g, " ").replace(/ >/g, ">")).toContain(`<option value="${receivedGuidelineId}" selected>`);
    const refused = await get(compareHref(ownGuideline(), `${peerOrigin}/guidelines/unknown`));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('role="alert"');
  });

  it("shows the fork lineage of a guideline and refuses an unknown one", async () => {
    const page = await (await get(`/lineage?id=${encodeURIComponent(receivedGuidelineId)}`)).text();
    expect(page).toContain(receivedGuidelineTitle);
    expect((await get(`/lineage?id=${encodeURIComponent(`${peerOrigin}/guidelines/unknown`)}`)).status).toBe(404);
  });

  it("offers fork and adopt on received records only, to signed-in staff only", async () => {
    const receivedHref = `/records/guideline?id=${encodeURIComponent(receivedGuidelineId)}`;
    const forkHref = `href="/staff/guidelines/fork?id=${encodeURIComponent(receivedGuidelineId)}"`;
    // A citizen sees neither fork nor "would our use cases pass": they are the staff's.
    const citizenView = await (await get(receivedHref)).text();
    expect(citizenView).not.toContain(forkHref);
    expect(citizenView).not.toContain("/staff/guidelines/check");
    const { cookie } = await signInAt(node.url, staffToken);
    expect(await (await get(receivedHref, { cookie })).text()).toContain(forkHref);
    expect(await (await get(new URL(ownGuideline()).pathname, { cookie })).text()).not.toContain("/staff/guidelines/fork");
    const fork = await get(`/staff/guidelines/fork?id=${encodeURIComponent(receivedGuidelineId)}`);
    expect(fork.status).toBe(303);
    expect(fork.headers.get("location")).toBe("/staff/sign-in");
  });

  it("lets staff adopt a received use case as a new draft; their own is refused with the API's reason", async () => {
    const { cookie } = await signInAt(node.url, staffToken);
    const search = await (await get("/search?origin=received", { cookie })).text();
    const receivedId = decodeURIComponent(/href="\/records\/use-case\?id=([^"]+)"/.exec(search)?.[1] ?? "");
    const useCasePage = await (await get(`/records/use-case?id=${encodeURIComponent(receivedId)}`, { cookie })).text();
    expect(useCasePage).toContain("Für unsere Kommune übernehmen");

    const confirm = await (await get(`/staff/use-cases/adopt?id=${encodeURIComponent(receivedId)}`, { cookie })).text();
    expect(confirm).toContain("Die Freigabe wird nicht übernommen");
    const adopted = await postForm(`${node.url}/staff/use-cases/adopt`, cookie, { _csrf: csrfOf(confirm), id: receivedId });
    expect(adopted.status).toBe(303);
    // The draft opens in the form, which says what is ours to fill in.
    expect(adopted.headers.get("location")).toMatch(/^\/staff\/use-cases\/edit\?id=/);
    const form = await (await get(adopted.headers.get("location")!, { cookie })).text();
    expect(form).toContain("Übernommen von einer anderen Kommune");
    expect(form).toMatch(/name="adoptedFrom" value="[^"]+"/);
    const dashboard = await (await get("/staff", { cookie })).text();
    const escaped = receivedUseCaseName.replace(/[()]/g, "\\$&");
    expect(dashboard).toMatch(new RegExp(`${escaped}</a>\\s*</td>\\s*<td>[^<]*</td>\\s*<td>Entwurf</td>`));

    const own = await postForm(`${node.url}/staff/use-cases/adopt`, cookie, { _csrf: csrfOf(confirm), id: `${node.url}/use-cases/buergerservice-chatbot` });
    expect(own.status).toBe(422);
    expect(await own.text()).toContain('role="alert"');
  });
});

describe("the pages' GraphQL documents", () => {
  const documents = Object.entries({
    ...registerQueries,
    ...peersQueries,
    ...networkQueries,
    ...staffQueries,
    ...staffQueries.mutations,
    ...moderationQueries,
    ...moderationQueries.moderationMutations,
    ...reportQueries,
    ...tokenQueries,
    ...catalogQueries,
    ...catalogQueries.catalogMutations,
    ...modelQueries,
    ...modelQueries.modelMutations,
  }).filter((entry): entry is [string, string] => typeof entry[1] === "string" && /^\s*(query|mutation) /.test(entry[1]));

  it("all pass the API's validation (run without variables, they fail only on the missing variables)", async () => {
    expect(documents.length).toBeGreaterThanOrEqual(15);
    for (const [name, query] of documents) {
      const response = await fetch(`${node.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      const { errors = [] } = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      const invalid = errors.filter((error) => error.extensions?.code === "GRAPHQL_VALIDATION_FAILED" || error.extensions?.code === "GRAPHQL_PARSE_FAILED");
      expect({ name, invalid }).toEqual({ name, invalid: [] });
    }
  });
});

describe("staff area", () => {
  it("redirects to sign-in without a session", async () => {
    for (const path of ["/staff", "/staff/use-cases/new", "/staff/use-cases/vet?id=x"]) {
      const response = await get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/staff/sign-in");
    }
  });

  async function signIn(token: string) {
    const session = await signInAt(node.url, token);
    expect(session.anonymousCookie).toMatch(/leitplanken-session=/);
    expect(session.form.headers.getSetCookie().join()).toMatch(/HttpOnly; SameSite=Strict/);
    return session;
  }

  it("refuses an invalid token and a sign-in without the form's CSRF token", async () => {
    const { response } = await signIn("not-a-token");
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Dieses Token ist ungültig.");

    const form = await get("/staff/sign-in");
    const forged = await postForm(`${node.url}/staff/sign-in`, cookiesOf(form), { token: staffToken });
    expect(forged.status).toBe(403);
  });

  it("signs in under a new session id, and refuses form posts without the session's CSRF token", async () => {
    const { response, cookie, anonymousCookie } = await signIn(staffToken);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/staff");
    expect(cookie).not.toBe(anonymousCookie);
    // The token itself never goes back to the browser.
    expect(response.headers.getSetCookie().join()).not.toContain(staffToken);

    const dashboard = await get("/staff", { cookie });
    expect(dashboard.status).toBe(200);
    const page = await dashboard.text();
    const csrf = csrfOf(page);
    const draftId = `${node.url}/use-cases/automatische-verwarnungen`;
    expect(page).toContain("Automatische Verwarnungen aus Parkraumkameras");

    const post = (body: Record<string, string>, as = cookie) => postForm(`${node.url}/staff/use-cases/submit`, as, body);
    expect((await post({ id: draftId })).status).toBe(403);
    expect((await post({ id: draftId, _csrf: "forged" })).status).toBe(403);
    // The session that signed in was replaced: its cookie no longer opens the staff area.
    const stale = await post({ id: draftId, _csrf: csrf }, anonymousCookie);
    expect(stale.status).toBe(303);
    expect(stale.headers.get("location")).toBe("/staff/sign-in");
    // Nothing changed: the use case is still the draft the vetter sent back (not submitted).
    const after = await (await get("/staff", { cookie })).text();
    expect(after).toMatch(/Automatische Verwarnungen aus Parkraumkameras<\/a>\s*<\/td>\s*<td>[^<]*<\/td>\s*<td>Zurückgegeben<\/td>/);
  });
});

describe("guideline checks for staff and upstream changes of forks", () => {
  const api = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${node.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${staffToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: T }).data;
  };

  it("tells staff which of the city's use cases would fail a guideline, with the rules they break", async () => {
    const checkHref = `/staff/guidelines/check?id=${encodeURIComponent(receivedGuidelineId)}`;
    const citizen = await get(checkHref);
    expect(citizen.status).toBe(303);
    expect(citizen.headers.get("location")).toBe("/staff/sign-in");

    const { cookie } = await signInAt(node.url, staffToken);
    const received = await (await get(`/records/guideline?id=${encodeURIComponent(receivedGuidelineId)}`, { cookie })).text();
    expect(received).toContain(`href="${checkHref}"`);
    const response = await get(checkHref, { cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Würden unsere Einsatzfälle diese Leitlinie bestehen?");
    expect(page).toMatch(/Geprüfte Einsatzfälle<\/dt>\s*<dd>[1-9]\d*<\/dd>/);
    // The draft with automated warnings to citizens breaks the Dortmund rule of Münster's copy of the guideline.
    const failing = page.slice(page.indexOf("Automatische Verwarnungen aus Parkraumkameras"));
    expect(failing).toContain("no-automated-action-on-citizens");
    expect(failing).toContain("nicht erfüllt");
    expect((await get(`/staff/guidelines/check?id=${encodeURIComponent(`${peerOrigin}/guidelines/unknown`)}`, { cookie })).status).toBe(404);
  });

  it("shows on a published fork that its origin changed, with the word diff since the fork point", async () => {
    type Payload = { result: { __typename: string; guidelineVersion?: { id: string } } };
    const forked = await api<Payload>(
      `mutation ($id: ID!) { result: forkGuideline(versionId: $id) { __typename ... on GuidelineVersionSuccess { guidelineVersion { id } } } }`,
      { id: receivedGuidelineId },
    );
    const forkId = forked.result.guidelineVersion!.id;
    // A fork is published only once it says something of its own.
    const draft = (await node.node.records.guidelines.get(forkId))!;
    await node.node.records.guidelines.save({ ...draft, title: { de: "KI-Leitlinie Dortmund, nach Münster" } });
    // Saved directly (lockVersion 1 → 2): the editor's page is tested elsewhere.
    const published = await api<Payload>(
      `mutation ($id: ID!, $lockVersion: Int!) { result: publishGuidelineVersion(versionId: $id, lockVersion: $lockVersion) { __typename } }`,
      { id: forkId, lockVersion: 2 },
    );
    expect(published.result.__typename).toBe("GuidelineVersionSuccess");
    const forkPath = new URL(forkId).pathname;
    const upToDate = await (await get(forkPath)).text();
    expect(upToDate).toContain("Das Original hat seit der Abspaltung keine neuere Version veröffentlicht.");

    // Münster publishes version 2.0 with a changed principle; this node receives it.
    const first = (await node.node.records.guidelines.get(receivedGuidelineId))!;
    const [principle, ...others] = first.principles;
    await node.node.records.guidelines.save({
      ...first,
      id: recordIri(peerOrigin, "guideline", "ki-leitlinie-2.0"),
      version: "2.0",
      publishedAt: "2026-11-24T09:00:00.000Z",
      supersedes: first.id,
      history: [{ id: first.id, version: first.version, publishedAt: first.publishedAt! }],
      principles: [
        { ...principle!, statement: { de: "KI unterstützt Menschen und ersetzt sie nie.", en: "AI supports people and never replaces them." } },
        ...others,
      ],
    });

    const changed = await (await get(forkPath)).text();
    expect(changed).toContain("Das Original wurde geändert");
    expect(changed).toContain("Version 2.0");
    expect(changed).toMatch(/<ins><span class="visually-hidden">\[eingefügt: <\/span>[^<]*nie/);
    const english = await (await get(`${forkPath}?lang=en`)).text();
    expect(english).toContain("Upstream changed");

    // Münster's 1.0, as this node shows it, says that 2.0 replaced it, and links it.
    const replaced = (await (await get(`/records/guideline?id=${encodeURIComponent(receivedGuidelineId)}`)).text()).replace(/\s+/g, " ");
    expect(replaced).toMatch(/Diese Version ist nicht mehr aktuell: Sie wurde durch <a href="[^"]*ki-leitlinie-2\.0[^"]*">Version 2\.0<\/a> ersetzt\./);
    const newest = await (await get(`/records/guideline?id=${encodeURIComponent(recordIri(peerOrigin, "guideline", "ki-leitlinie-2.0"))}`)).text();
    expect(newest).not.toContain("nicht mehr aktuell");
  });

  it("calls the city's guideline current only from the day it applies, and names the version that applies until then", async () => {
    const before = await (await get("/")).text();
    expect(before).toContain("Aktuelle Leitlinie");
    type Listed = { guidelines: { nodes: { id: string; version: string }[] } };
    const listed = await api<Listed>(`{ guidelines(filter: { local: true, state: PUBLISHED }, first: 1) { nodes { id version } } }`, {});
    const first = (await node.node.records.guidelines.get(listed.guidelines.nodes[0]!.id))!;
    const validFrom = `${new Date().getUTCFullYear() + 1}-03-01`;
    const nextId = first.id.replace(/[^/]+$/, "next-version");
    await node.node.records.guidelines.save({
      ...first,
      id: nextId,
      version: "9.0",
      validFrom,
      publishedAt: new Date().toISOString(),
      supersedes: first.id,
      history: [{ id: first.id, version: first.version, publishedAt: first.publishedAt! }],
    });

    const home = (await (await get("/")).text()).replace(/\s+/g, " ");
    expect(home).not.toContain("Aktuelle Leitlinie");
    expect(home).toContain(`Version 9.0 · Gültig ab`);
    expect(home).toMatch(
      new RegExp(
        `Diese Version gilt erst ab [^<]*${validFrom.slice(0, 4)}\\. Bis dahin gilt <a href="[^"]+">Version ${first.version.replace(".", "\\.")}</a>\\.`,
      ),
    );
    const english = (await (await get("/?lang=en")).text()).replace(/\s+/g, " ");
    expect(english).not.toContain("Current guideline");
    expect(english).toMatch(
      new RegExp(
        `This version only applies from [^<]*${validFrom.slice(0, 4)}\\. Until then, <a href="[^"]+">Version ${first.version.replace(".", "\\.")}</a> applies\\.`,
      ),
    );
    // The version in force says which one follows, and when; it is not "replaced" before that day.
    const inForce = (await (await get(`/records/guideline?id=${encodeURIComponent(first.id)}`)).text()).replace(/\s+/g, " ");
    expect(inForce).toMatch(new RegExp(`Ab [^<]*${validFrom.slice(0, 4)} gilt <a href="[^"]+">Version 9\\.0</a>\\.`));
    expect(inForce).not.toContain("nicht mehr aktuell");
    expect(inForce).toContain("Regel: Keine automatischen Aktionen bei Entscheidungen über Bürgerinnen und Bürger; ");
  });
});

it("reported no unexpected errors on any page", () => {
  expect(node.unexpectedErrors).toEqual([]);
});
