// Shared models in the staff pages over plain HTTP: register one with every field of the model
// card (numbers as Germans write them), refusals at the fields' labels (before the API for what it
// cannot read, from the API for the rest), the model's staff page with the use cases that use it,
// editing without losing a field, retiring after a confirmation; roles that may not change models.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { csrfOf, getPage, postForm, signIn } from "./staff-session.ts";
import { editorToken, startWebNode, vetterToken, type WebNode } from "./web-node.ts";

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

/** Posts `fields` as the form at `formPath` would: with its CSRF token and the record's lockVersion it was shown with. */
async function post(formPath: string, action: string, fields: Record<string, string>) {
  const form = (await page(formPath)).text;
  const lockVersion = /name="lockVersion" value="(\d+)"/.exec(form)?.[1];
  const response = await postForm(`${node.url}${action}`, editor, { _csrf: csrfOf(form), ...(lockVersion ? { lockVersion } : {}), ...fields });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

const fullModel: Record<string, string> = {
  "name.de": "Verwaltungs-Sprachmodell 8B",
  "name.en": "Administrative language model 8B",
  version: "2.0.1",
  revision: "sha256:0123456789abcdef",
  licence: "Apache-2.0",
  architecture: "Decoder-only Transformer",
  parameterCount: "8.000.000.000",
  languages: "de, en",
  "baseModel.name": "Llama 3.1 8B",
  "baseModel.relation": "FINE_TUNE",
  "baseModel.iri": "https://huggingface.example/meta-llama/Llama-3.1-8B",
  "intendedUse.de": "Entwürfe für Antwortschreiben der Bürgerberatung.",
  "intendedUse.en": "Drafts of replies for citizens' advice.",
  "outOfScopeUse.de": "Entscheidungen über Anträge.",
  "limitations.de": "Kann Fakten erfinden; jede Antwort wird von Menschen geprüft.",
  "trainingData.de": "Öffentliche Verwaltungstexte des Landes NRW.",
  "useTerms.de": "Nutzung durch Kommunen in NRW frei.",
  "evaluation.0.benchmark": "Eigene Testfragen",
  "evaluation.0.metric": "Genauigkeit",
  "evaluation.0.value": "0,87",
  "evaluation.0.note.en": "Checked by two people.",
  "inferenceEnergy.whPer1000Requests": "1.234,5",
  "inferenceEnergy.hardware": "2× NVIDIA L4",
  "inferenceEnergy.testDate": "2026-10-01",
  "trainingEmissions.co2eGrams": "52000",
  "trainingEmissions.hardware": "8× H100",
  "trainingEmissions.region": "DE",
  "sovereignty.openWeights": "yes",
  "sovereignty.osiOpenSourceAi": "NOT_ASSESSED",
  "sovereignty.weightsLocation": "Rechenzentrum der Stadt Dortmund",
  "sovereignty.hosting": "MUNICIPAL_DATA_CENTRE",
  "sovereignty.operatorJurisdiction": "de",
  "sovereignty.exitStrategy.de": "Austausch gegen ein anderes offenes Modell binnen eines Monats.",
  servedBy: "",
  "maintainers.0.name": "Dortmunder Systemhaus",
  "maintainers.0.contact": "ki@dortmund.example",
};

let modelId: string;

describe("registering a shared model", () => {
  it.each([
    [{ "name.de": "", "name.en": "" }, "Name \\(Deutsch\\)"],
    [{ version: "" }, "Version"],
    [{ licence: "WTFPL" }, "Lizenz"],
    [{ parameterCount: "viele" }, "Parameter"],
    [{ "inferenceEnergy.testDate": "gestern" }, "Gemessen am"],
    [{ "inferenceEnergy.whPer1000Requests": "" }, "Wh"],
    [{ "evaluation.0.value": "" }, "Bewertung 1: Wert"],
    [{ "sovereignty.operatorJurisdiction": "Deutschland" }, "Rechtsraum"],
    [{ "sovereignty.hosting": "MOON" }, "Betrieb"],
    [{ languages: "Deutsch" }, "Sprachen"],
    [{ "maintainers.0.name": "", "maintainers.0.contact": "" }, "Pflege"],
  ])("refuses %p at the field's label and keeps what was typed", async (change, label) => {
    const refused = await post("/staff/models/new", "/staff/models/new", { ...fullModel, ...change });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Bitte prüfen Sie Ihre Eingaben");
    expect(refused.text).toMatch(new RegExp(`<li><a href="#field-[^"]+">[^<]*${label}`));
    expect(refused.text).toContain("Rechenzentrum der Stadt Dortmund");
    expect((await page("/staff/models")).text).not.toContain("Verwaltungs-Sprachmodell 8B");
  });

  it("publishes a model with every field, and shows its card", async () => {
    const saved = await post("/staff/models/new", "/staff/models/new", fullModel);
    expect(saved.status).toBe(303);
    expect(saved.location).toMatch(/^\/staff\/models\/view\?id=.+&done=published$/);
    modelId = decodeURIComponent(/id=([^&]+)/.exec(saved.location!)![1]!);
    const view = await page(saved.location!);
    expect(view.text).toContain("Gespeichert und veröffentlicht");
    expect(view.text).toContain("8.000.000.000");
    expect(view.text).toContain("1.234,5");
    expect(view.text).toContain("Austausch gegen ein anderes offenes Modell");
    expect(view.text).toContain("Noch kein Einsatzfall nennt dieses Modell.");
    expect((await getPage(modelId)).status).toBe(200);
  });

  it("shows every stored field in the edit form, and saves a change", async () => {
    const form = await page(`/staff/models/edit?id=${encodeURIComponent(modelId)}`);
    for (const shown of [
      'value="Checked by two people."',
      'value="8000000000"',
      'value="1234.5"',
      'value="0.87"',
      'value="DE"',
      "Austausch gegen ein anderes offenes Modell",
    ]) {
      expect(form.text).toContain(shown);
    }
    expect(form.text).toMatch(/<option value="MUNICIPAL_DATA_CENTRE"\s+selected/);
    expect(form.text).toMatch(/value="yes"\s+checked/);
    const saved = await post(`/staff/models/edit?id=${encodeURIComponent(modelId)}`, "/staff/models/edit", { ...fullModel, id: modelId, version: "2.0.2" });
    expect(saved.location).toBe(`/staff/models/view?id=${encodeURIComponent(modelId)}&done=updated`);
    const edited = await page(`/staff/models/edit?id=${encodeURIComponent(modelId)}`);
    expect(edited.text).toContain('value="2.0.2"');
    expect(edited.text).toContain('value="Checked by two people."');
    // A form shown before that change is refused as a conflict, and the change made since stays.
    const stale = await postForm(`${node.url}/staff/models/edit`, editor, {
      _csrf: csrfOf(form.text),
      ...fullModel,
      id: modelId,
      lockVersion: /name="lockVersion" value="(\d+)"/.exec(form.text)![1]!,
      version: "2.0.3",
    });
    expect(stale.status).toBe(422);
    expect(await stale.text()).toContain("inzwischen");
    expect((await page(`/staff/models/edit?id=${encodeURIComponent(modelId)}`)).text).toContain('value="2.0.2"');
  });

  it("lists the use cases that use a model, drafts included", async () => {
    const models = await page("/staff/models");
    const demo = /href="\/staff\/models\/view\?id=([^"]+)">Straßenschaden-Detektor/.exec(models.text)![1]!;
    const view = await page(`/staff/models/view?id=${demo}`);
    expect(view.text).toContain("Einsatzfälle, die dieses Modell nutzen");
    expect(view.text).toContain("Erkennung von Straßenschäden");
  });

  it("retires a model after a confirmation that says what happens", async () => {
    const confirm = await page(`/staff/models/retire?id=${encodeURIComponent(modelId)}`);
    expect(confirm.text).toContain("lässt sich nicht rückgängig machen");
    const retired = await post(`/staff/models/retire?id=${encodeURIComponent(modelId)}`, "/staff/models/retire", { id: modelId });
    expect(retired.location).toBe("/staff/models?done=retired");
    expect((await page("/staff/models?done=retired")).text).toContain("Das Modell wurde zurückgezogen.");
    // It stays, marked retired, with nothing left to change; its edit and retire pages lead back to it.
    const view = await page(`/staff/models/view?id=${encodeURIComponent(modelId)}`);
    expect(view.status).toBe(200);
    expect(view.text).toContain("Dieses Modell ist zurückgezogen");
    expect(view.text).not.toContain("/staff/models/edit?id=");
    for (const path of ["edit", "retire"]) {
      const page_ = await page(`/staff/models/${path}?id=${encodeURIComponent(modelId)}`);
      expect([page_.status, page_.location]).toEqual([303, `/staff/models/view?id=${encodeURIComponent(modelId)}`]);
    }
    expect((await page("/staff/models")).text).toMatch(/Verwaltungs-Sprachmodell 8B<\/a>\s*<\/td>\s*<td>2\.0\.2<\/td>\s*<td>Eingestellt<\/td>/);
  });

  it("refuses made-up ids, received models and roles that may not change models", async () => {
    for (const id of ["nope", "https://ki.muenster.example/models/x"]) {
      expect((await page(`/staff/models/view?id=${encodeURIComponent(id)}`)).status).toBe(404);
      expect((await page(`/staff/models/edit?id=${encodeURIComponent(id)}`)).status).toBe(404);
    }
    const vetter = (await signIn(node.url, vetterToken)).cookie;
    expect((await page("/staff/models", vetter)).status).toBe(403);
    expect((await page("/staff/models/new", vetter)).status).toBe(403);
  });
});
