// Two federating cities on loopback: Dortmund's staff follow Münster on the web pages (with the
// API's typed refusals in German and English), Münster publishes, and Dortmund's "what peers
// published" page and Atom feed list it; then Dortmund unfollows.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recordIri, type FederatedRecord } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { atomText, checkAtom10 } from "../../packages/web/src/testing/atom.ts";
import { eventually, logged } from "../federation/harness.ts";
import { csrfOf, getPage, postForm, signIn } from "./staff-session.ts";
import { startWebNode, staffToken, type WebNode } from "./web-node.ts";

let dortmund: WebNode;
let muenster: WebNode;
let cookie: string;
beforeAll(async () => {
  [dortmund, muenster] = await Promise.all([
    startWebNode({ handle: "dortmund", seedDemo: false }),
    startWebNode({ handle: "muenster", name: "Stadt Münster", seedDemo: false }),
  ]);
  ({ cookie } = await signIn(dortmund.url, staffToken));
});
afterAll(async () => {
  await Promise.all([dortmund?.close(), muenster?.close()]);
});

const publishedUseCaseName = "Baumkataster mit KI (Münster)";
// Runs of white space as one space: the templates' line breaks are the formatter's, not content.
const page = async (path: string, headers: Record<string, string> = {}) =>
  (await (await getPage(`${dortmund.url}${path}`, { cookie, ...headers })).text()).replace(/\s+/g, " ").replace(/ >/g, ">");

/** Posts a staff form of the following page, with the CSRF token of the page as it is now. */
async function followForm(action: "follow" | "unfollow", target: string, lang: "de" | "en" = "de") {
  const csrf = csrfOf(await page("/staff/following"));
  return postForm(`${dortmund.url}/staff/following/${action}`, `${cookie}; lang=${lang}`, { _csrf: csrf, target });
}

/** The feed at `path`, which must be Atom 1.0. */
async function atomFeed(path: string) {
  const { feed, problems } = checkAtom10(await (await fetch(`${dortmund.url}${path}`)).text());
  expect(problems).toEqual([]);
  return feed;
}

describe("following a city", () => {
  it("shows the API's refusals in the staff member's language and changes nothing", async () => {
    const invalid = await followForm("follow", "not a city");
    expect(invalid.status).toBe(422);
    const german = await invalid.text();
    expect(german).toContain('role="alert"');
    expect(german).toMatch(/value="not a city"/);

    const english = await (await followForm("follow", "not a city", "en")).text();
    expect(english).toContain('<html lang="en">');
    // The same refusal, written by the API in each language.
    const alertOf = (html: string) => /<div class="notice error" role="alert">\s*<p><strong>([^<]+)<\/strong>/.exec(html)?.[1];
    expect(alertOf(german)).toBeTruthy();
    expect(alertOf(english)).toBeTruthy();
    expect(alertOf(german)).not.toBe(alertOf(english));

    const self = await (await followForm("follow", dortmund.node.actorUrl, "en")).text();
    expect(alertOf(self)).toMatch(/itself/i);
    const notFollowing = await followForm("unfollow", muenster.node.actorUrl, "en");
    expect(notFollowing.status).toBe(422);
    expect(alertOf(await notFollowing.text())).toMatch(/not follow/i);

    expect(await page("/staff/following?lang=de")).toContain("Diese Kommune folgt noch keiner anderen.");
  });

  it("follows Münster from the staff page; the request is accepted", async () => {
    const response = await followForm("follow", muenster.node.actorUrl);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/staff/following?done=followed");
    expect(await page("/staff/following?done=followed")).toContain("Die Folgeanfrage ist gesendet.");
    await eventually(async () => (await page("/staff/following")).includes("<td>angenommen</td>"));
    await logged(dortmund.node, "backfill done");
  });
});

describe("what peers published", () => {
  let useCaseId: string;
  beforeAll(async () => {
    expect(await page("/peers")).toContain("Von anderen Kommunen liegt hierzu noch nichts vor.");
    // Münster publishes as its API does: store, then tell federation about the committed change.
    const { node } = muenster;
    const demo = demoRecords({ actor: node.actorUrl, iri: (kind, slug) => recordIri(node.origin, kind, slug), now: new Date("2026-11-24T08:00:00Z") });
    const useCase = demo.useCases.find((entry) => entry.workflow.state === "published");
    if (!useCase) throw new Error("the demo has no published use case");
    useCaseId = useCase.id;
    const published: [FederatedRecord, "guideline" | "use-case" | "model"][] = [
      ...demo.models.map((model) => [model, "model"] as [FederatedRecord, "model"]),
      [demo.guidelines[0]!, "guideline"],
      [{ ...useCase, name: { de: publishedUseCaseName, en: "Tree register with AI (Münster)" } }, "use-case"],
    ];
    // One at a time, so that they arrive (and are listed) in this order.
    for (const [record, kind] of published) {
      await node.app.records.seedRecords({
        guidelines: kind === "guideline" ? [record as (typeof demo.guidelines)[number]] : [],
        useCases: kind === "use-case" ? [record as (typeof demo.useCases)[number]] : [],
        models: kind === "model" ? [record as (typeof demo.models)[number]] : [],
      });
      const records = dortmund.node.records;
      await eventually<unknown>(() =>
        kind === "guideline" ? records.guidelines.get(record.id) : kind === "use-case" ? records.useCases.get(record.id) : records.sharedModels.get(record.id),
      );
    }
    await eventually(() => dortmund.node.records.useCases.get(useCaseId));
  });

  it("lists the record Münster published, newest first, as an Atom 1.0 feed of public records", async () => {
    const response = await fetch(`${dortmund.url}/feed.atom`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const xml = await response.text();
    const { feed, problems } = checkAtom10(xml);
    expect(problems).toEqual([]);
    const entry = feed.entries?.find((item) => item.id === useCaseId);
    expect(atomText(entry?.title)).toContain(publishedUseCaseName);
    expect(entry?.links?.[0]?.href).toBe(`${dortmund.url}/records/use-case?id=${encodeURIComponent(useCaseId)}`);
    expect(entry?.authors?.[0]?.uri).toBe(muenster.node.actorUrl);
    expect(entry?.categories?.[0]?.term).toBe("use-case");
    const updated = (feed.entries ?? []).map((item) => item.updated ?? "");
    expect(updated).toEqual([...updated].sort().reverse());
    // The guideline and the models arrived too; nothing of Dortmund's own.
    expect(feed.entries?.some((item) => item.categories?.[0]?.term === "guideline")).toBe(true);
    expect(xml).not.toContain(`${dortmund.url}/use-cases/`);

    // The feed names the city as its actor names itself, not by its host.
    expect(entry?.authors?.[0]?.name).toBe("Stadt Münster");

    // The entry's link opens the received copy: on first view it names Münster at the top, links
    // Münster's register, says its signature verified; a citizen sees no staff action on it.
    const copy = (await (await getPage(entry!.links![0]!.href!)).text()).replace(/\s+/g, " ").replace(/ >/g, ">");
    expect(copy).toContain(publishedUseCaseName);
    const banner = copy.slice(copy.indexOf('<aside class="provenance-banner"'), copy.indexOf("</aside>"));
    expect(copy.indexOf('<aside class="provenance-banner"')).toBeLessThan(copy.indexOf("<h1>"));
    expect(banner).toContain(`<a href="${muenster.url}/"><strong>Stadt Münster</strong></a>`);
    expect(banner).toContain("Signatur geprüft");
    expect(copy).not.toContain("/staff/use-cases/adopt");
  });

  it("filters the feed and the page by kind and city, in both languages", async () => {
    const guidelinesOnly = await atomFeed("/feed.atom?kind=guideline&lang=en");
    expect(guidelinesOnly.entries?.length).toBeGreaterThan(0);
    expect(guidelinesOnly.entries?.every((item) => item.categories?.[0]?.term === "guideline")).toBe(true);
    expect(atomText(guidelinesOnly.entries?.[0]?.title)).toMatch(/^Guideline: /);

    const all = await page("/peers?lang=de");
    expect(all).toContain(publishedUseCaseName);
    expect(all).toContain('<option value="guideline">Leitlinie</option>');
    expect(all).toContain(`<option value="${muenster.node.actorUrl}">Stadt Münster</option>`);
    expect(all).toContain('href="/feed.atom"');

    const models = await page("/peers?kind=model");
    expect(models).not.toContain(publishedUseCaseName);
    expect(models).toContain("Modell:");
    const fromMuenster = await page(`/peers?kind=use-case&city=${encodeURIComponent(muenster.node.actorUrl)}`);
    expect(fromMuenster).toContain(publishedUseCaseName);
    expect(fromMuenster).toContain(`href="/feed.atom?kind=use-case&amp;city=${encodeURIComponent(muenster.node.actorUrl)}"`);
    const fromElsewhere = await page(`/peers?city=${encodeURIComponent("https://ki.elsewhere.example/actors/x")}`);
    expect(fromElsewhere).toContain("Von anderen Kommunen liegt hierzu noch nichts vor.");

    const english = await page("/peers?lang=en");
    expect(english).toContain("What other municipalities published");
    expect(english).toContain("Tree register with AI (Münster)");
  });

  it("unfollows Münster from the staff page", async () => {
    const response = await followForm("unfollow", muenster.node.actorUrl);
    expect(response.status).toBe(303);
    const after = await page("/staff/following?done=unfollowed");
    expect(after).toContain("Diese Kommune folgen Sie nicht mehr.");
    expect(after).toContain("Diese Kommune folgt noch keiner anderen.");
  });
});

it("reported no unexpected errors on any page", () => {
  expect(dortmund.unexpectedErrors).toEqual([]);
});
