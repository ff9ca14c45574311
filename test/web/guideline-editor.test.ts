// The guideline editor over plain HTTP: a new version from the published one suggests the next free
// label (saving it works at once), a taken or huge label is refused at the field, and the editor is
// the staff's only.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { nextVersionLabel } from "../../packages/web/src/staff.queries.ts";
import { getPage, postForm, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, type WebNode } from "./web-node.ts";

let node: WebNode;
let editor: string;
beforeAll(async () => {
  node = await startWebNode();
  editor = (await signIn(node.url, editorToken)).cookie;
});
afterAll(() => node?.close());

const page = async (path: string, cookie = editor) => {
  const response = await getPage(`${node.url}${path}`, { cookie });
  return { status: response.status, text: await response.text(), location: response.headers.get("location") };
};
/** Every named input's value in a form, as a browser would send it unchanged. */
const fieldsOf = (form: string) => {
  const fields: Record<string, string> = {};
  for (const [, name, value] of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
    fields[name!] = value!.replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  for (const [, name, body] of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    fields[name!] = body!.replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    fields[name!] = /<option value="([^"]*)"\s*selected/.exec(options!)?.[1] ?? "";
  return fields;
};
const versionValue = (form: string) => /name="version"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="version"/.exec(form)?.slice(1).find(Boolean);

describe("the next version's label", () => {
  it("counts the last number up and skips labels already used", () => {
    expect(nextVersionLabel("1.0", ["1.0"])).toBe("1.1");
    expect(nextVersionLabel("1.9", ["1.9"])).toBe("1.10");
    expect(nextVersionLabel("2", ["1", "2"])).toBe("3");
    expect(nextVersionLabel("2026-01", ["2026-01"])).toBe("2026-02");
    expect(nextVersionLabel("1.0", ["1.0", "1.1", "1.2"])).toBe("1.3");
    expect(nextVersionLabel("Fassung A", ["Fassung A"])).toBe("Fassung A.1");
  });
});

describe("drafting a new version of the published guideline", () => {
  it("suggests 1.1 (not the published 1.0), and saving the form unchanged stores the draft", async () => {
    const dashboard = (await page("/staff")).text;
    const href = /<a class="button" href="(\/staff\/guidelines\/edit\?id=[^"]+)">Neue Version entwerfen<\/a>/.exec(dashboard)?.[1];
    expect(href).toBeDefined();
    const form = (await page(href!.replace(/&amp;/g, "&"))).text;
    expect(versionValue(form)).toBe("1.1");

    // A label already used is refused at the version field, the form keeping what was typed.
    const taken = await postForm(`${node.url}/staff/guidelines/save`, editor, { ...fieldsOf(form), version: "1.0" });
    expect(taken.status).toBe(422);
    const takenPage = await taken.text();
    expect(takenPage).toContain('role="alert"');
    expect(takenPage).toMatch(/„1\.0“|"1\.0"|&quot;1\.0&quot;/);
    expect(versionValue(takenPage)).toBe("1.0");

    // A huge label: a 4xx with a message, not a crash.
    const huge = await postForm(`${node.url}/staff/guidelines/save`, editor, { ...fieldsOf(form), version: "9".repeat(100_000) });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);

    // Without a session the editor is not reachable at all.
    const anonymous = await page(href!.replace(/&amp;/g, "&"), "");
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe("/staff/sign-in");

    const saved = await postForm(`${node.url}/staff/guidelines/save`, editor, fieldsOf(form));
    expect(saved.status).toBe(303);
    const after = (await page("/staff")).text;
    expect(after).toMatch(/1\.1[\s\S]{0,400}Entwurf/);
    expect(node.unexpectedErrors).toEqual([]);
  });
});
