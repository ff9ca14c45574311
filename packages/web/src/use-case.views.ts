// The use-case form page (register, edit a draft, revise a published one) with the rule check
// next to it: what the city's guideline says of the use case as saved, each failed rule with its
// principle's text and the labels of the fields to fix.
import { choiceField, field, problemAt, problemSummary, selectField, type Choice, type FormProblem } from "./form.views.ts";
import { html, type SafeHtml } from "./html.ts";
import type { Language } from "./i18n.ts";
import { csrfField, layout } from "./layout.ts";
import type { RuleResult } from "./register.queries.ts";
import { postButton, type StaffView } from "./staff.views.ts";
import { choiceLabels, labelOfPath, rowCount, useCaseSections, type FieldSpec, type UseCaseForm } from "./use-case.form.ts";

const texts = {
  de: {
    register: "Einsatzfall erfassen",
    edit: "Einsatzfall bearbeiten",
    intro:
      "Pflichtfelder sind markiert. Mit dem Speichern bleibt der Einsatzfall ein Entwurf, den nur die Verwaltung sieht; dieses Formular zeigt dann, was die Leitlinie der Stadt zu ihm sagt. Danach reichen Sie ihn zur Prüfung ein; eine zweite Person prüft und gibt frei, erst dann wird er veröffentlicht.",
    reviseIntro:
      "Dieser Einsatzfall ist veröffentlicht. Eine Änderung wird ein neuer Entwurf, der wieder geprüft werden muss; bis sie veröffentlicht ist, sehen Bürgerinnen, Bürger und andere Kommunen die veröffentlichte Fassung.",
    saved: "Gespeichert. Der Einsatzfall ist ein Entwurf; die Prüfung gegen die Leitlinie steht unten.",
    sentBack: "Zurückgegeben zur Überarbeitung",
    sentBackBy: "von {by}, {at}. Begründung:",
    reasonInOtherLanguage: "(auf Englisch geschrieben)",
    check: "Prüfung gegen die Leitlinie",
    checkAgainst: "Geprüft gegen: {guideline}",
    checkPassed: "Alle zwingenden Regeln sind erfüllt: Sie können den Einsatzfall zur Prüfung einreichen.",
    checkFailed:
      "Mindestens eine zwingende Regel ist nicht erfüllt. So wird der Einsatzfall bei der Prüfung nicht freigegeben; ändern Sie die genannten Felder.",
    noGuideline: "Die Stadt hat noch keine veröffentlichte Leitlinie; geprüft wird bei der Freigabe.",
    rule: "Regel",
    principle: "Grundsatz",
    result: "Ergebnis",
    fields: "Zu ändern",
    passed: "erfüllt",
    failed: "nicht erfüllt",
    warning: "Hinweis",
    save: "Speichern",
    submit: "Zur Prüfung einreichen",
    next: "Wie geht es weiter?",
    row: "{label} {n}",
    adopted: "Übernommen von einer anderen Kommune. Verantwortung, Kontakt und Folgenabschätzungen sind Sache Ihrer Stadt: füllen Sie sie aus.",
    state: "Stand der Bearbeitung",
  },
  en: {
    register: "Register a use case",
    edit: "Edit the use case",
    intro:
      "Required fields are marked. Saving keeps the use case as a draft that only staff see; this form then shows what the city's guideline says of it. Then submit it for vetting; a second person vets and approves it, and only then is it published.",
    reviseIntro:
      "This use case is published. A change becomes a new draft that must be vetted again; until it is published, citizens and other cities see the published version.",
    saved: "Saved. The use case is a draft; the check against the guideline is below.",
    sentBack: "Sent back for revision",
    sentBackBy: "by {by}, {at}. Reason:",
    reasonInOtherLanguage: "(written in German)",
    check: "Check against the guideline",
    checkAgainst: "Checked against: {guideline}",
    checkPassed: "Every binding rule is met: you can submit the use case for vetting.",
    checkFailed: "At least one binding rule is not met. Vetting will not approve the use case like this; change the fields named.",
    noGuideline: "The city has no published guideline yet; vetting checks the use case.",
    rule: "Rule",
    principle: "Principle",
    result: "Result",
    fields: "To change",
    passed: "met",
    failed: "not met",
    warning: "Note",
    save: "Save",
    submit: "Submit for vetting",
    next: "What happens next?",
    row: "{label} {n}",
    adopted: "Adopted from another city. Responsibility, contact and impact assessments are your city's to fill in.",
    state: "Workflow state",
  },
} as const;

export interface UseCaseCheck {
  guideline: string;
  passed: boolean;
  results: readonly RuleResult[];
}

export interface UseCaseEditorView {
  form: UseCaseForm;
  problems: readonly FormProblem[];
  /** The stored use case being edited; undefined for a new one. */
  stored?:
    | { id: string; lockVersion: number; state: string; sentBack: { by: string; at: string; reason: { de: string | null; en: string | null } } | null }
    | undefined;
  /** The rule check of what was saved or typed; null when the city has no published guideline. */
  check: UseCaseCheck | null | undefined;
  saved: boolean;
  /** The shared models an editor can choose (own and received). */
  models: readonly { id: string; label: string }[];
}

/** The vetter's reason in the page's language, else in the one it was written in, marked as such (lang and a note). */
function sentBackReason(language: Language, reason: { de: string | null; en: string | null }): SafeHtml {
  const own = reason[language];
  if (own) return html`<blockquote>${own}</blockquote>`;
  const other = language === "de" ? "en" : "de";
  return html`<blockquote lang="${other}">${reason[other] ?? ""}</blockquote>
    <p class="muted">${texts[language].reasonInOtherLanguage}</p>`;
}

export function useCaseEditorPage(view: StaffView, editor: UseCaseEditorView): SafeHtml {
  const { t } = view.context;
  const language = t.language;
  const x = texts[language];
  const { form, problems, stored } = editor;
  const title = stored ? x.edit : x.register;
  const choiceLabel = (value: string) => choiceLabels[value]?.[language] ?? t.label(value);
  const choices = (spec: FieldSpec): Choice[] =>
    spec.path.endsWith(".model")
      ? [{ value: "", label: choiceLabels[""]![language] }, ...editor.models.map((model) => ({ value: model.id, label: model.label }))]
      : (spec.choices ?? []).map((value) => ({ value, label: choiceLabel(value) }));
  const yesNo: Choice[] = [
    { value: "yes", label: choiceLabel("yes") },
    { value: "no", label: choiceLabel("no") },
  ];

  const renderField = (spec: FieldSpec, path: string, label: string) => {
    const hint = spec.hint?.[language];
    const common = { required: spec.required, hint, maxLength: spec.maxLength };
    switch (spec.kind) {
      case "texts":
      case "multiline": {
        const multiline = spec.kind === "multiline";
        return html`${field(language, `${path}.de`, `${label} (${t.t("german")})`, form[`${path}.de`], {
          ...common,
          multiline,
          lang: "de",
          error: problemAt(problems, `${path}.de`),
        })}${field(language, `${path}.en`, `${label} (${t.t("english")})`, form[`${path}.en`], {
          maxLength: spec.maxLength,
          multiline,
          lang: "en",
          error: problemAt(problems, `${path}.en`),
        })}`;
      }
      case "choice": {
        const list = choices(spec);
        // A few choices with explanations read best as radio buttons; long lists as a select.
        return list.length <= 4 && spec.required
          ? choiceField(language, path, label, list, form[path] ?? list[0]?.value, { required: true, hint, error: problemAt(problems, path) })
          : selectField(language, path, label, list, form[path] ?? "", { required: spec.required, hint, error: problemAt(problems, path) });
      }
      case "yesno":
        // An optional yes/no (in a list row or an optional group) starts unanswered: a preset answer would start the group.
        return choiceField(language, path, label, yesNo, form[path] ?? (spec.required ? "no" : undefined), {
          required: spec.required,
          hint,
          error: problemAt(problems, path),
        });
      default:
        return field(language, path, label, form[path], {
          ...common,
          type: spec.kind === "number" ? "text" : spec.kind === "date" ? "date" : spec.kind === "email" ? "email" : spec.kind === "url" ? "url" : "text",
          ...(spec.kind === "number" ? { inputMode: "decimal" } : {}),
          error: problemAt(problems, path),
        });
    }
  };

  const sections = useCaseSections.map((section) => {
    const rows = rowCount(form, section);
    return html`<fieldset id="section-${section.id}">
      <legend>${section.legend[language]}</legend>
      ${section.intro ? html`<p class="hint">${section.intro[language]}</p>` : null}
      ${Array.from({ length: rows }, (_, row) =>
        section.rows
          ? html`<fieldset class="row">
              <legend>${x.row.replace("{label}", section.rows.label[language]).replace("{n}", String(row + 1))}</legend>
              ${section.fields.map((spec) => renderField(spec, spec.path.replace(".N.", `.${row}.`), spec.label[language]))}
            </fieldset>`
          : section.fields.map((spec) => renderField(spec, spec.path, spec.label[language])),
      )}
    </fieldset>`;
  });

  return layout(
    view.context,
    title,
    html`<nav aria-label="${language === "de" ? "Pfad" : "Breadcrumb"}"><a href="/staff">${t.t("staffTitle")}</a></nav>
      <h1>${title}${form["name.de"] || form["name.en"] ? html`: ${shortened(form[`name.${language}`] || form["name.de"] || form["name.en"] || "")}` : null}</h1>
      ${editor.saved ? html`<div class="notice ok" role="status"><p>${x.saved}</p></div>` : null} ${problemSummary(language, undefined, problems)}
      ${
        stored?.sentBack && stored.state === "DRAFT"
          ? html`<div class="notice warning" role="note" aria-labelledby="sent-back-title">
              <h2 id="sent-back-title">${x.sentBack}</h2>
              <p>${x.sentBackBy.replace("{by}", stored.sentBack.by).replace("{at}", t.dateTime(stored.sentBack.at))}</p>
              ${sentBackReason(language, stored.sentBack.reason)}
            </div>`
          : null
      }
      ${editor.check !== undefined ? checkSection(view, editor.check, form) : null}
      ${stored ? html`<p>${x.state}: <strong>${t.label(stored.state)}</strong></p>` : null}
      ${stored?.state === "DRAFT" ? html`<div class="actions">${postButton(view, "/staff/use-cases/submit", { id: stored.id, lockVersion: String(stored.lockVersion) }, x.submit)}</div>` : null}
      <p class="lead">${stored?.state === "PUBLISHED" ? x.reviseIntro : x.intro}</p>
      ${form.adoptedFrom ? html`<div class="notice"><p>${x.adopted}</p></div>` : null}
      <form method="post" action="${stored ? "/staff/use-cases/edit" : "/staff/use-cases"}" class="stack" novalidate>
        ${csrfField(view.csrfToken)}
        ${stored ? html`<input type="hidden" name="id" value="${stored.id}" /><input type="hidden" name="lockVersion" value="${String(stored.lockVersion)}" />` : null}
        ${form.adoptedFrom ? html`<input type="hidden" name="adoptedFrom" value="${form.adoptedFrom}" />` : null} ${sections}
        <div><button type="submit">${x.save}</button></div>
      </form>`,
  );
}

/** A name as long as a heading should be (what was typed may be far longer; the field shows all of it). */
const shortened = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}…` : text);

function checkSection(view: StaffView, check: UseCaseCheck | null, form: UseCaseForm): SafeHtml {
  const { t } = view.context;
  const language = t.language;
  const x = texts[language];
  if (!check)
    return html`<section aria-labelledby="check-title">
      <h2 id="check-title">${x.check}</h2>
      <p>${x.noGuideline}</p>
    </section>`;
  // Failed rules first: they are what the editor has to act on.
  const results = [...check.results].sort((a, b) => Number(a.passed) - Number(b.passed));
  return html`<section aria-labelledby="check-title">
    <h2 id="check-title">${x.check}</h2>
    <p>${x.checkAgainst.replace("{guideline}", check.guideline)}</p>
    <div class="notice ${check.passed ? "ok" : "error"}"><p>${check.passed ? x.checkPassed : x.checkFailed}</p></div>
    <div class="table-scroll">
      <table>
        <caption>
          ${x.check}
        </caption>
        <thead>
          <tr>
            <th scope="col">${x.principle}</th>
            <th scope="col">${x.rule}</th>
            <th scope="col">${x.result}</th>
            <th scope="col">${x.fields}</th>
          </tr>
        </thead>
        <tbody>
          ${results.map(
            (result) =>
              html`<tr>
                <td>${result.principle.text}</td>
                <td><code>${result.ruleId}</code></td>
                <td class="${result.passed ? "result-passed" : "result-failed"}">
                  ${result.passed ? x.passed : result.severity === "WARNING" ? `${x.warning}: ${x.failed}` : x.failed}
                </td>
                <td>
                  ${result.passed ? null : result.offendingFields.map((path, index) => html`${index > 0 ? ", " : null}${labelOfPath(form, language, path)}`)}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}
