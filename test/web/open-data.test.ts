// Open data: the whole register (own and received records) as JSON with the federation documents
// and their proofs, and as CSV; paged, hostile cursors refused. Two federating nodes over loopback
// HTTP: Bochum follows Dortmund and so holds Dortmund's records as Dortmund signed them.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { verifyRecordProof } from "@leitplanken/activitypub";
import { recordIri } from "@leitplanken/core";
import { demoRecords } from "@leitplanken/core/demo";
import { graphqlOverHttp } from "../../packages/web/src/graphql-client.ts";
import { readOpenDataPage } from "../../packages/web/src/open-data.ts";
import { eventually, logged } from "../federation/harness.ts";
import { peerOrigin, startWebNode, type WebNode } from "./web-node.ts";

let dortmund: WebNode;
let bochum: WebNode;

interface RegisterFile {
  type: string;
  id: string;
  partOf: string;
  license: string;
  totalItems: number;
  orderedItems: Record<string, unknown>[];
  withoutProof: { id: string; type: string; attributedTo: string }[];
  next?: string;
}

const publicCount = async (node: WebNode, local: boolean) => {
  const result = await graphqlOverHttp(`${node.url}/graphql`)(
    `query($local: Boolean) { useCases(filter: { local: $local }) { totalCount } guidelines(filter: { local: $local, currentOnly: false }) { totalCount } models(filter: { local: $local }) { totalCount } }`,
    { local },
  );
  const data = result.data as Record<string, { totalCount: number }>;
  return Object.values(data).reduce((sum, entry) => sum + entry.totalCount, 0);
};

beforeAll(async () => {
  dortmund = await startWebNode({ handle: "dortmund", name: "Stadt Dortmund" });
  bochum = await startWebNode({ handle: "bochum", name: "Stadt Bochum" });
  expect(await bochum.node.following.followCity(dortmund.node.actorUrl)).toMatchObject({ ok: true });
  // Dortmund's published records arrive at Bochum through the federation (follow, accept, catch-up).
  await logged(bochum.node, "backfill done", () => true, 90_000);
  const dortmundOwn = await publicCount(dortmund, true);
  await eventually(async () => (await publicCount(bochum, false)) >= dortmundOwn + 2);
}, 180_000);
afterAll(async () => {
  await Promise.all([dortmund?.close(), bochum?.close()]);
});

const download = async (node: WebNode, path: string, headers: Record<string, string> = {}) => fetch(`${node.url}${path}`, { headers });
const registerFile = async (node: WebNode, path = "/open-data/register.json") => {
  const response = await download(node, path);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  return (await response.json()) as RegisterFile;
};

describe("the register as JSON", () => {
  it("holds every public record, own and received, and every one verifies with its proof", async () => {
    const file = await registerFile(bochum);
    expect(file.type).toBe("OrderedCollectionPage");
    expect(file.license).toBe("https://www.govdata.de/dl-de/zero-2-0");
    expect(file.next).toBeUndefined();
    const ids = file.orderedItems.map((item) => item.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    // Everything the register shows citizens is in the file: signed, or named as kept without a proof.
    const expected = (await publicCount(bochum, true)) + (await publicCount(bochum, false)) + (await retiredCount(bochum));
    expect(ids.length + file.withoutProof.length).toBe(expected);
    expect(file.totalItems).toBe(ids.length);
    // Both cities' records, Dortmund's as Dortmund signed them.
    const byCity = (origin: string) => ids.filter((id) => id.startsWith(origin));
    expect(byCity(bochum.url).length).toBeGreaterThan(3);
    expect(byCity(dortmund.url).length).toBeGreaterThan(3);
    // The verifier, run over the whole file on a third party's behalf (Dortmund's federation fetches each signer's key over HTTP).
    for (const item of file.orderedItems) {
      const key = await verifyRecordProof(dortmund.node.federation, dortmund.node.deps, item);
      expect({ id: item.id, verifiedBy: key?.controllerId?.href }).toEqual({ id: item.id, verifiedBy: item.attributedTo });
    }
    // A received record in the file is byte for byte what its city serves at its IRI.
    const received = file.orderedItems.find((item) => String(item.id).startsWith(dortmund.url) && item.type === "UseCase");
    const served = await fetch(String(received?.id), { headers: { accept: "application/activity+json" } });
    expect(await served.json()).toEqual(received);
  });

  it("a record changed after signing does not verify (the check above could fail)", async () => {
    const file = await registerFile(bochum);
    const item = file.orderedItems.find((entry) => entry.type === "UseCase");
    expect(item).toBeDefined();
    const tampered = { ...item, name: { de: "Geändert", en: "Changed" } };
    expect(await verifyRecordProof(dortmund.node.federation, dortmund.node.deps, tampered)).toBeNull();
  });

  it("names a copy kept without a signature instead of passing it off as signed, and never lists drafts", async () => {
    const file = await registerFile(bochum);
    // The test node keeps Münster's copies without their signed document.
    expect(file.withoutProof.length).toBeGreaterThan(0);
    for (const entry of file.withoutProof) expect(entry.attributedTo).toBe(`${peerOrigin}/actors/muenster`);
    const own = demoRecords({ actor: bochum.node.actorUrl, iri: (kind, slug) => recordIri(bochum.url, kind, slug), now: new Date() });
    const unpublished = own.useCases.filter((useCase) => !["published", "retired"].includes(useCase.workflow.state)).map((useCase) => useCase.id);
    expect(unpublished.length).toBeGreaterThan(0);
    const listed = new Set([...file.orderedItems.map((item) => item.id), ...file.withoutProof.map((entry) => entry.id)]);
    for (const id of unpublished) expect(listed.has(id)).toBe(false);
  });

  it("is paged: following `next` from file to file yields every record once", async () => {
    const whole = await readOpenDataPage(graphqlOverHttp(`${bochum.url}/graphql`), "de", { section: "guidelines", after: undefined });
    expect(whole.next).toBeNull();
    const seen: string[] = [];
    let start: Parameters<typeof readOpenDataPage>[2] | null = { section: "guidelines", after: undefined };
    let files = 0;
    while (start) {
      const page = await readOpenDataPage(graphqlOverHttp(`${bochum.url}/graphql`), "de", start, 3);
      expect(page.records.length).toBeLessThanOrEqual(3);
      seen.push(...page.records.map((record) => record.id));
      start = page.next;
      files += 1;
      expect(files).toBeLessThan(100);
    }
    expect(seen).toEqual(whole.records.map((record) => record.id));
    // Over HTTP the cursor of a later file starts where the earlier one ended.
    const firstThree = await readOpenDataPage(graphqlOverHttp(`${bochum.url}/graphql`), "de", { section: "use-cases", after: undefined }, 3);
    const cursor = `${firstThree.next?.section}~${firstThree.next?.after}`;
    const later = await registerFile(bochum, `/open-data/register.json?after=${encodeURIComponent(cursor)}`);
    const laterIds = [...later.orderedItems.map((item) => item.id), ...later.withoutProof.map((entry) => entry.id)];
    expect(laterIds).not.toContain(firstThree.records[0]?.id);
    expect(laterIds.length).toBe(whole.records.length - whole.records.findIndex((record) => record.id === firstThree.records[2]?.id) - 1);
  });

  it("refuses cursors that are not ours with a 400 in the visitor's language", async () => {
    const hostile = [
      "nonsense",
      "use-cases~" + "A".repeat(5_000),
      "use-cases~<script>",
      "models~a~b",
      "guidelines~%00",
      "use-cases~QUFBQUFB", // well-formed, but not a cursor the API issued
    ];
    for (const after of hostile) {
      for (const [language, phrase] of [
        ["de", "Diese"],
        ["en", "This"],
      ] as const) {
        const response = await download(bochum, `/open-data/register.json?lang=${language}&after=${encodeURIComponent(after)}`, { accept: "text/html" });
        expect({ after: after.slice(0, 20), status: response.status }).toEqual({ after: after.slice(0, 20), status: 400 });
        const page = await response.text();
        expect(page).toContain(`<html lang="${language}"`);
        expect(page).toContain(phrase);
        expect(page).not.toMatch(/at .*\.ts:\d+/);
      }
    }
    // Two cursors at once are not a cursor either.
    expect((await download(bochum, "/open-data/register.csv?after=models&after=guidelines")).status).toBe(400);
    expect(bochum.unexpectedErrors).toEqual([]);
  });
});

describe("the register as CSV", () => {
  it("has a row for every record with its city, status and proof check, in the visitor's language", async () => {
    const response = await download(bochum, "/open-data/register.csv?lang=en");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="register.csv"');
    const bytes = Buffer.from(await response.arrayBuffer());
    // A byte order mark first, so that spreadsheets read the umlauts.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.startsWith("kind,id,page,title,city,city_actor,local,")).toBe(true);
    const lines = text.trimEnd().split("\r\n");
    const file = await registerFile(bochum);
    expect(lines.length - 1).toBe(file.orderedItems.length + file.withoutProof.length);
    const dortmundRow = lines.find((line) => line.includes(`"${dortmund.url}/`) && line.startsWith('"use-case"'));
    expect(dortmundRow).toContain('"Stadt Dortmund"');
    expect(dortmundRow).toContain('"false"'); // not local
    expect(dortmundRow).toContain(`"${bochum.url}/records/use-case?id=`);
    expect(lines.some((line) => line.includes('"Detecting road damage (Münster)"'))).toBe(true);
  });
});

describe("the open-data page and the links to it", () => {
  it("explains the files and their licence, in German and English", async () => {
    for (const [path, language, heading] of [
      ["/offene-daten?lang=de", "de", "Offene Daten"],
      ["/open-data?lang=en", "en", "Open data"],
    ] as const) {
      const response = await download(bochum, path, { accept: "text/html" });
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain(`<html lang="${language}"`);
      expect(page).toContain(heading);
      expect(page).toContain('href="/open-data/register.json"');
      expect(page).toContain('href="/open-data/register.csv"');
      expect(page).toContain('href="https://www.govdata.de/dl-de/zero-2-0"');
    }
  });

  it("every list page links the downloads with the licence", async () => {
    for (const path of ["/", "/search", "/peers", "/statistics"]) {
      const page = await (await download(bochum, path, { accept: "text/html" })).text();
      const box = page.slice(page.indexOf('class="open-data-box"'));
      expect({ path, json: box.includes('href="/open-data/register.json"'), licence: box.includes("dl-de/zero-2-0") }).toEqual({
        path,
        json: true,
        licence: true,
      });
    }
  });
});

async function retiredCount(node: WebNode): Promise<number> {
  const result = await graphqlOverHttp(`${node.url}/graphql`)(`{ useCases(filter: { workflowState: RETIRED }) { totalCount } }`, {});
  return (result.data as { useCases: { totalCount: number } }).useCases.totalCount;
}
