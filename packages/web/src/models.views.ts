import { adminTexts, fill, type AdminTexts } from "./admin.i18n.ts";
import { areaPage, dataTable } from "./admin.views.ts";
import { submitToCatalogLink } from "./catalogs.views.ts";
import { choiceField, field, problemAt, problemSummary, selectField, type FormProblem } from "./form.views.ts";
import { html, type SafeHtml } from "./html.ts";
import type { Translator } from "./i18n.ts";
import { csrfField, facts } from "./layout.ts";
import { baseModelRelations, evaluationRows, hostings, maintainerRows, modelLicences, osiStatuses, type ModelForm } from "./models.form.ts";
import type { StaffModelEntry } from "./models.queries.ts";
import { licenceOf, type ModelRecord } from "./register.queries.ts";
import { modelDetails, recordHref } from "./register.views.ts";
import { postButton, type StaffView } from "./staff.views.ts";

/** Core's limits of a model's fields, shown at them. */
const limits = { name: 100, version: 80 } as const;

const modelsTrail = (a: AdminTexts) => [{ href: "/staff/models", label: a.modelsTitle }];

export type ModelNotice = "published" | "updated" | "retired" | undefined;

export function modelsPage(view: StaffView, models: readonly StaffModelEntry[], notice: ModelNotice): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  return areaPage(
    view,
    [],
    a.modelsTitle,
    html`<p class="lead">${a.modelsIntro}</p>
      ${notice === "retired" ? html`<div class="notice ok" role="status"><p>${a.modelRetired}</p></div>` : null}
      <p><a class="button" href="/staff/models/new">${a.registerModel}</a></p>
      ${
        models.length === 0
          ? html`<p>${a.noOwnModels}</p>`
          : dataTable(
              a.modelsTitle,
              [t.t("name"), t.t("version"), t.t("workflowState"), t.t("licence"), t.t("hosting"), a.usedByCount],
              models.map(
                (model) =>
                  html`<tr>
                    <td><a href="/staff/models/view?id=${encodeURIComponent(model.id)}">${model.name.text}</a></td>
                    <td>${model.version}</td>
                    <td>${t.label(model.state)}</td>
                    <td>${licenceOf(model.licenceId)}</td>
                    <td>${t.label(model.sovereignty.hosting)}</td>
                    <td>${fill(a.useCasesCount, { count: t.number(model.usedBy.totalCount) })}</td>
                  </tr>`,
              ),
            )
      }`,
  );
}

/** A model in the staff area: its card, the use cases that use it (drafts too), and what can be done with it. */
export function staffModelPage(view: StaffView, origin: string, model: ModelRecord, state: string, notice: ModelNotice): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const notices = { published: a.modelPublished, updated: a.modelUpdated, retired: a.modelRetired } as const;
  const title = `${model.name.text} ${model.version}`;
  return areaPage(
    view,
    modelsTrail(a),
    model.name.text,
    html`${notice ? html`<div class="notice ok" role="status"><p>${notices[notice]}</p></div>` : null}
      ${
        state === "RETIRED"
          ? html`<div class="notice warning"><p>${a.modelIsRetired}</p></div>
              <div class="actions"><a href="${recordHref(origin, "model", model.id)}">${a.publicPage}</a></div>`
          : html`<div class="actions">
              <a class="button" href="/staff/models/edit?id=${encodeURIComponent(model.id)}">${a.editModel}</a>
              ${submitToCatalogLink(view.context, model.id, title)}
              <a class="button secondary" href="/staff/models/retire?id=${encodeURIComponent(model.id)}">${a.retire}</a>
              <a href="${recordHref(origin, "model", model.id)}">${a.publicPage}</a>
            </div>`
      }
      ${modelDetails(view.context, model)}
      <h2>${a.usedByTitle}</h2>
      ${
        model.usedBy.nodes.length === 0
          ? html`<p>${a.usedByNone}</p>`
          : dataTable(
              a.usedByTitle,
              [t.t("name"), t.t("workflowState"), t.t("automationLevel")],
              model.usedBy.nodes.map(
                (useCase) =>
                  html`<tr>
                    <td>
                      ${useCase.workflow.state === "PUBLISHED" ? html`<a href="${recordHref(origin, "use-case", useCase.id)}">${useCase.name.text}</a>` : useCase.name.text}
                      ${useCase.provenance.local ? null : html`<br /><span class="muted">${useCase.provenance.node}</span>`}
                    </td>
                    <td>${t.label(useCase.workflow.state)}</td>
                    <td>${t.label(useCase.decisionProcess.automationLevel)}</td>
                  </tr>`,
              ),
            )
      }
      ${model.usedBy.pageInfo.hasNextPage ? html`<p class="muted">${fill(a.useCasesCount, { count: t.number(model.usedBy.totalCount) })}</p>` : null}`,
  );
}

export function retireModelPage(view: StaffView, model: ModelRecord, lockVersion: number): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  return areaPage(
    view,
    [...modelsTrail(a), { href: `/staff/models/view?id=${encodeURIComponent(model.id)}`, label: model.name.text }],
    a.retireTitle,
    html`${facts([
        [t.t("name"), model.name.text],
        [t.t("version"), model.version],
      ])}
      <p>${a.retireIntro}</p>
      ${model.usedBy.totalCount > 0 ? html`<div class="notice warning"><p>${fill(a.retireUsedBy, { count: t.number(model.usedBy.totalCount) })}</p></div>` : null}
      <div class="actions">
        ${postButton(view, "/staff/models/retire", { id: model.id, lockVersion: String(lockVersion) }, a.confirmRetire)}
        <a href="/staff/models/view?id=${encodeURIComponent(model.id)}">${a.cancel}</a>
      </div>`,
  );
}

/** Labels of the form's fields by name, for the error summary. */
export function modelFieldLabel(t: Translator, name: string): string {
  const a = adminTexts(t.language);
  const language = name.endsWith(".de") ? ` (${t.t("german")})` : name.endsWith(".en") ? ` (${t.t("english")})` : "";
  const base = name.replace(/\.(de|en)$/, "");
  const row = /^(evaluation|maintainers)\.(\d+)\.(\w+)/.exec(base);
  if (row) {
    const prefix = fill(row[1] === "evaluation" ? a.evaluationRow : a.maintainerRow, { n: String(Number(row[2]) + 1) });
    const labels: Record<string, string> = {
      benchmark: a.benchmark,
      metric: a.metric,
      value: a.metricValue,
      note: a.note,
      name: t.t("name"),
      organisation: a.organisation,
      contact: a.contact,
    };
    return `${prefix}: ${labels[row[3]!] ?? row[3]}${language}`;
  }
  const labels: Record<string, string> = {
    name: t.t("name"),
    version: t.t("version"),
    revision: t.t("revision"),
    licence: t.t("licence"),
    architecture: t.t("architecture"),
    parameterCount: t.t("parameterCount"),
    languages: t.t("languages"),
    "baseModel.name": a.baseModelName,
    "baseModel.iri": a.baseModelIri,
    "baseModel.relation": a.baseModelRelation,
    intendedUse: t.t("intendedUse"),
    outOfScopeUse: t.t("outOfScopeUse"),
    trainingData: t.t("trainingData"),
    limitations: t.t("limitations"),
    useTerms: a.useTerms,
    "trainingEmissions.co2eGrams": `${t.t("trainingEmissions")}: ${t.t("co2eGrams")}`,
    "trainingEmissions.hardware": `${t.t("trainingEmissions")}: Hardware`,
    "trainingEmissions.region": `${t.t("trainingEmissions")}: ${a.region}`,
    "inferenceEnergy.whPer1000Requests": `${t.t("inferenceEnergy")}: ${t.t("whPer1000Requests")}`,
    "inferenceEnergy.hardware": `${t.t("inferenceEnergy")}: Hardware`,
    "inferenceEnergy.testDate": `${t.t("inferenceEnergy")}: ${a.testDate}`,
    "sovereignty.openWeights": t.t("openWeights"),
    "sovereignty.osiOpenSourceAi": t.t("osiOpenSourceAi"),
    "sovereignty.weightsLocation": t.t("weightsLocation"),
    "sovereignty.hosting": t.t("hosting"),
    "sovereignty.operatorJurisdiction": t.t("operatorJurisdiction"),
    "sovereignty.exitStrategy": t.t("exitStrategy"),
    servedBy: t.t("servedBy"),
    maintainers: t.t("maintainers"),
    evaluation: t.t("evaluation"),
  };
  return `${labels[base] ?? base}${language}`;
}

/** Every field name of the form as shown (the error mapping needs them all). */
export function modelFieldNames(form: ModelForm): string[] {
  const names = [
    "name.de",
    "name.en",
    "version",
    "revision",
    "licence",
    "architecture",
    "parameterCount",
    "languages",
    "baseModel.name",
    "baseModel.iri",
    "baseModel.relation",
    ...["intendedUse", "outOfScopeUse", "trainingData", "limitations", "useTerms", "sovereignty.exitStrategy"].flatMap((name) => [`${name}.de`, `${name}.en`]),
    "trainingEmissions.co2eGrams",
    "trainingEmissions.hardware",
    "trainingEmissions.region",
    "inferenceEnergy.whPer1000Requests",
    "inferenceEnergy.hardware",
    "inferenceEnergy.testDate",
    "sovereignty.openWeights",
    "sovereignty.osiOpenSourceAi",
    "sovereignty.weightsLocation",
    "sovereignty.hosting",
    "sovereignty.operatorJurisdiction",
    "servedBy",
  ];
  for (let index = 0; index < evaluationRows(form); index += 1) {
    names.push(...["benchmark", "metric", "value", "note.de", "note.en"].map((part) => `evaluation.${index}.${part}`));
  }
  for (let index = 0; index < maintainerRows(form); index += 1)
    names.push(...["name", "organisation", "contact"].map((part) => `maintainers.${index}.${part}`));
  // Whole lists answer at their first row.
  return names;
}

/** Registering a model (`id` undefined) or editing one: every field of the model card, in sections. */
export function modelFormPage(view: StaffView, form: ModelForm, problems: readonly FormProblem[], id: string | undefined): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const language = t.language;
  const error = (name: string) => problemAt(problems, name);
  const input = (name: string, label: string, options: Parameters<typeof field>[4] = {}) =>
    field(language, name, label, form[name], { ...options, error: error(name) });
  const both = (name: string, label: string, options: Parameters<typeof field>[4] = {}) =>
    html`${input(`${name}.de`, `${label} (${t.t("german")})`, { ...options, lang: "de" })}${input(`${name}.en`, `${label} (${t.t("english")})`, {
      ...options,
      required: false,
      lang: "en",
    })}`;
  const choices = (values: readonly string[]) => values.map((value) => ({ value, label: t.label(value) }));
  const title = id ? a.editModel : a.registerModel;
  return areaPage(
    view,
    id
      ? [...modelsTrail(a), { href: `/staff/models/view?id=${encodeURIComponent(id)}`, label: form["name.de"] ?? form["name.en"] ?? a.modelsTitle }]
      : modelsTrail(a),
    title,
    html`${id ? null : html`<p>${a.modelNext}</p>`} ${problemSummary(language, undefined, problems)}
      <form method="post" action="${id ? "/staff/models/edit" : "/staff/models/new"}" class="stack" novalidate>
        ${csrfField(view.csrfToken)}
        ${id ? html`<input type="hidden" name="id" value="${id}" /><input type="hidden" name="lockVersion" value="${form.lockVersion ?? ""}" />` : null}
        <fieldset>
          <legend>${a.sectionModel}</legend>
          ${both("name", t.t("name"), { required: true, maxLength: limits.name })}
          ${input("version", t.t("version"), { required: true, maxLength: limits.version })} ${input("revision", t.t("revision"), { hint: a.revisionHint })}
          ${selectField(
            language,
            "licence",
            t.t("licence"),
            [{ value: "", label: t.t("notStated") }, ...modelLicences.map((value) => ({ value, label: value }))],
            form.licence,
            {
              required: true,
              error: error("licence"),
            },
          )}
          ${input("architecture", t.t("architecture"), { required: true })}
          ${input("parameterCount", t.t("parameterCount"), { hint: a.parameterCountHint, inputMode: "decimal" })}
          ${input("languages", t.t("languages"), { required: true, hint: a.languagesHint })}
          ${input("baseModel.name", a.baseModelName, { hint: a.baseModelHint })}
          ${selectField(language, "baseModel.relation", a.baseModelRelation, choices(baseModelRelations), form["baseModel.relation"], { error: error("baseModel.relation") })}
          ${input("baseModel.iri", a.baseModelIri, { type: "url" })}
        </fieldset>
        <fieldset>
          <legend>${a.sectionUse}</legend>
          ${both("intendedUse", t.t("intendedUse"), { required: true, multiline: true })}
          ${both("outOfScopeUse", t.t("outOfScopeUse"), { required: true, multiline: true })}
          ${both("limitations", t.t("limitations"), { required: true, multiline: true })}
          ${both("trainingData", t.t("trainingData"), { required: true, multiline: true })} ${both("useTerms", a.useTerms, { multiline: true })}
        </fieldset>
        <fieldset>
          <legend>${a.sectionEvaluation}</legend>
          <p class="hint">${a.sectionEvaluationHint}</p>
          ${Array.from(
            { length: evaluationRows(form) },
            (_, index) =>
              html`<fieldset class="row-group">
                <legend>${fill(a.evaluationRow, { n: String(index + 1) })}</legend>
                ${input(`evaluation.${index}.benchmark`, a.benchmark)} ${input(`evaluation.${index}.metric`, a.metric)}
                ${input(`evaluation.${index}.value`, a.metricValue, { inputMode: "decimal" })} ${both(`evaluation.${index}.note`, a.note)}
              </fieldset>`,
          )}
        </fieldset>
        <fieldset>
          <legend>${a.sectionEnergy}</legend>
          <p class="hint">${a.sectionEnergyHint}</p>
          <fieldset class="row-group">
            <legend>${t.t("inferenceEnergy")}</legend>
            ${input("inferenceEnergy.whPer1000Requests", t.t("whPer1000Requests"), { hint: a.whHint, inputMode: "decimal" })}
            ${input("inferenceEnergy.hardware", "Hardware")} ${input("inferenceEnergy.testDate", a.testDate, { type: "date" })}
          </fieldset>
          <fieldset class="row-group">
            <legend>${t.t("trainingEmissions")}</legend>
            ${input("trainingEmissions.co2eGrams", t.t("co2eGrams"), { hint: a.co2eGramsHint, inputMode: "decimal" })}
            ${input("trainingEmissions.hardware", "Hardware")} ${input("trainingEmissions.region", a.region)}
          </fieldset>
        </fieldset>
        <fieldset>
          <legend>${a.sectionSovereignty}</legend>
          ${choiceField(
            language,
            "sovereignty.openWeights",
            t.t("openWeights"),
            [
              { value: "yes", label: a.yes },
              { value: "no", label: a.no },
            ],
            form["sovereignty.openWeights"] ?? "no",
            { required: true },
          )}
          ${selectField(
            language,
            "sovereignty.osiOpenSourceAi",
            t.t("osiOpenSourceAi"),
            choices(osiStatuses),
            form["sovereignty.osiOpenSourceAi"] ?? "NOT_ASSESSED",
            {
              required: true,
              error: error("sovereignty.osiOpenSourceAi"),
            },
          )}
          ${input("sovereignty.weightsLocation", t.t("weightsLocation"), { required: true, hint: a.weightsLocationHint })}
          ${selectField(language, "sovereignty.hosting", t.t("hosting"), choices(hostings), form["sovereignty.hosting"], { required: true, error: error("sovereignty.hosting") })}
          ${input("sovereignty.operatorJurisdiction", t.t("operatorJurisdiction"), { required: true, hint: a.jurisdictionHint, maxLength: 2 })}
          ${both("sovereignty.exitStrategy", t.t("exitStrategy"), { multiline: true })}
          ${input("servedBy", t.t("servedBy"), { multiline: true, hint: a.servedByHint })}
        </fieldset>
        <fieldset>
          <legend>${a.sectionMaintainers}</legend>
          <p class="hint">${a.sectionMaintainersHint}</p>
          ${Array.from(
            { length: maintainerRows(form) },
            (_, index) =>
              html`<fieldset class="row-group">
                <legend>${fill(a.maintainerRow, { n: String(index + 1) })}</legend>
                ${input(`maintainers.${index}.name`, t.t("name"), { required: index === 0 })}
                ${input(`maintainers.${index}.organisation`, a.organisation, { type: "url" })} ${input(`maintainers.${index}.contact`, a.contact)}
              </fieldset>`,
          )}
        </fieldset>
        <div><button type="submit">${id ? a.saveChanges : a.saveModel}</button></div>
      </form>`,
  );
}
