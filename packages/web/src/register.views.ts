import { inLanguage, langAttribute } from "./localized.ts";
import { may, parseRecordIri, type RecordKind } from "@leitplanken/core";
import { html, type SafeHtml } from "./html.ts";
import { facts, layout, type PageContext } from "./layout.ts";
import { renderMarkdown } from "./markdown.ts";
import { reportForm, type ReportFormToken } from "./report.views.ts";
import { diffSections } from "./network.views.ts";
import { cityLabel, registerOf, type ActorNames } from "./names.ts";
import { openDataBox } from "./open-data.views.ts";
import { choiceLabels, labelOfPath } from "./use-case.form.ts";
import { hubSection } from "./catalog-public.views.ts";
import type { PublicCatalogSummary } from "./catalog-public.queries.ts";
import type {
  CityPageData,
  GuidelineRecord,
  GuidelineSummary,
  GuidelineVersionListEntry,
  ModelRecord,
  ModelSummary,
  Principle,
  RuleTitle,
  Provenance,
  RuleResult,
  SearchData,
  UseCaseRecord,
  UseCaseSummary,
} from "./register.queries.ts";
import { licenceOf } from "./register.queries.ts";

export type RecordPageKind = Exclude<RecordKind, "guideline-document">;

/** Where a record's page is: its own IRI for this node's records, a local page for received copies. */
export function recordHref(origin: string, kind: RecordPageKind, iri: string): string {
  const own = parseRecordIri(origin, iri);
  if (own && own.kind === kind) return new URL(iri).pathname;
  return `/records/${kind}?id=${encodeURIComponent(iri)}`;
}

/** The city a record comes from, by name: ours (from the settings) or the publishing city's (from its actor). */
export function originCityName(context: PageContext, provenance: Provenance): string {
  return provenance.local ? context.cityName : cityLabel(provenance.city.id, null, provenance.originCityName);
}

function originTag(context: PageContext, provenance: Provenance): SafeHtml {
  return html`<li class="tag${provenance.local ? "" : " tag-origin"}">
    <span class="visually-hidden">${context.t.t("publishedBy")} </span>${originCityName(context, provenance)}
  </li>`;
}

/**
 * At the top of a record another city published: which city (linked to its register), when, and
 * whether its signature verified, so nobody takes it for this city's own record.
 */
export function provenanceBanner(context: PageContext, provenance: Provenance, publishedAt: string | null | undefined): SafeHtml | null {
  if (provenance.local) return null;
  const { t } = context;
  const city = originCityName(context, provenance);
  const verified = provenance.proofVerified === true;
  return html`<aside class="provenance-banner${verified ? "" : " unverified"}" aria-label="${t.t("provenance")}">
    <p>
      ${t.t("publishedBy")} <a href="${registerOf(provenance.city.id)}"><strong>${city}</strong></a
      >${publishedAt ? html`, ${t.date(publishedAt)}` : null}.
      <span class="${verified ? "verified" : "not-verified"}">${t.t(verified ? "signatureVerified" : "signatureNotVerified")}</span>
    </p>
    <p class="muted">
      ${t.t("otherCityRecord").replaceAll("{city}", city)}${provenance.receivedAt ? html` ${t.t("receivedHereOn")} ${t.date(provenance.receivedAt)}.` : null}
    </p>
  </aside>`;
}

/** Fork, adopt and "would our use cases pass": actions of signed-in staff, never shown to citizens. */
export const staffMay = (context: PageContext, action: "fork" | "adopt" | "check"): boolean => {
  const principal = context.staff?.principal;
  if (!principal) return false;
  if (action === "check") return true;
  return may(principal, action === "fork" ? "guideline.fork" : "use-case.edit");
};

export function useCaseCard(context: PageContext, origin: string, useCase: UseCaseSummary, note?: string): SafeHtml {
  const { t } = context;
  return html`<li class="card">
    <h3><a href="${recordHref(origin, "use-case", useCase.id)}">${inLanguage(context.t.language, useCase.name)}</a></h3>
    <p>${inLanguage(context.t.language, useCase.shortDescription)}</p>
    ${note ? html`<p class="muted">${note}</p>` : null}
    <ul class="tags" aria-label="${t.t("status")}">
      ${useCase.workflow.state === "RETIRED" ? html`<li class="tag tag-retired">${t.t("retiredTag")}</li>` : null}
      <li class="tag">${t.label(useCase.status)}</li>
      <li class="tag">${t.label(useCase.decisionProcess.automationLevel)}</li>
      ${useCase.risk.aiActClass ? html`<li class="tag">${t.t("risk")}: ${t.label(useCase.risk.aiActClass)}</li>` : null}
      ${originTag(context, useCase.provenance)}
    </ul>
  </li>`;
}

export function guidelineCard(context: PageContext, origin: string, guideline: GuidelineSummary): SafeHtml {
  const { t } = context;
  return html`<li class="card">
    <h3><a href="${recordHref(origin, "guideline", guideline.id)}">${inLanguage(context.t.language, guideline.title)}</a></h3>
    <p>${t.label(guideline.kind)} · ${t.t("version")} ${guideline.version} · ${t.t("validFrom")} ${t.date(guideline.validFrom)}</p>
    <ul class="tags">
      ${originTag(context, guideline.provenance)}
    </ul>
  </li>`;
}

export function modelCard(context: PageContext, origin: string, model: ModelSummary): SafeHtml {
  const { t } = context;
  return html`<li class="card">
    <h3><a href="${recordHref(origin, "model", model.id)}">${inLanguage(context.t.language, model.name)}</a></h3>
    <p>${inLanguage(context.t.language, model.intendedUse)}</p>
    <ul class="tags">
      <li class="tag">${t.t("version")} ${model.version}</li>
      <li class="tag">${licenceOf(model.licenceId)}</li>
      <li class="tag">${t.label(model.sovereignty.hosting)}</li>
      ${originTag(context, model.provenance)}
    </ul>
  </li>`;
}

function cards(items: readonly SafeHtml[], empty: string): SafeHtml {
  return items.length > 0
    ? html`<ul class="cards">
        ${items}
      </ul>`
    : html`<p>${empty}</p>`;
}

/** `rules`: the rule catalog's titles; a principle names its rules by them (an id this node does not know stays an id). */
export function principleList(context: PageContext, principles: readonly Principle[], rules: readonly RuleTitle[] = []): SafeHtml {
  const { t } = context;
  const ruleName = (id: string) => {
    const rule = rules.find((candidate) => candidate.id === id);
    return rule ? inLanguage(context.t.language, rule.title) : id;
  };
  return html`<ol class="principles">
    ${principles.map(
      (principle) =>
        html`<li>
          <strong>${inLanguage(context.t.language, principle.statement)}</strong>
          <span class="muted"
            >(${t.label(principle.level)}${principle.ruleIds.length > 0 ? html` · ${t.t("rule")}: ${principle.ruleIds.map((id, index) => html`${index > 0 ? "; " : null}${ruleName(id)}`)}` : null})</span
          >
        </li>`,
    )}
  </ol>`;
}

function versionHistory(context: PageContext, origin: string, versions: readonly GuidelineVersionListEntry[]): SafeHtml {
  const { t } = context;
  const published = versions.filter((version) => version.state === "PUBLISHED");
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("versionHistory")}">
    <table>
      <caption>
        ${t.t("versionHistory")}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.t("version")}</th>
          <th scope="col">${t.t("validFrom")}</th>
          <th scope="col">${t.t("publishedAt")}</th>
          <th scope="col">${t.t("changes")}</th>
        </tr>
      </thead>
      <tbody>
        ${published.map(
          (version) =>
            html`<tr>
              <td><a href="${recordHref(origin, "guideline", version.id)}">${version.version}</a></td>
              <td>${t.date(version.validFrom)}</td>
              <td>${version.publishedAt ? t.date(version.publishedAt) : null}</td>
              <td>${inLanguage(context.t.language, version.changeSummary)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Today's date where the cities are (YYYY-MM-DD), the day a version's `validFrom` is compared with. */
export function todayInGermany(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The published versions of a document, in the order they were published. */
function publishedVersions(versions: readonly GuidelineVersionListEntry[]): GuidelineVersionListEntry[] {
  return versions.filter((version) => version.state === "PUBLISHED").sort((a, b) => (a.publishedAt ?? "").localeCompare(b.publishedAt ?? ""));
}

/** The version that applies today: the last published one whose `validFrom` has come; null when none has. */
function versionInForce(versions: readonly GuidelineVersionListEntry[], today: string): GuidelineVersionListEntry | null {
  return (
    publishedVersions(versions)
      .reverse()
      .find((version) => version.validFrom <= today) ?? null
  );
}

/** A message with a placeholder replaced by markup (a link), the rest escaped as text. */
function withPlaceholder(message: string, placeholder: string, value: SafeHtml | string): SafeHtml {
  const at = message.indexOf(placeholder);
  return at < 0 ? html`${message}` : html`${message.slice(0, at)}${value}${message.slice(at + placeholder.length)}`;
}

function versionLink(context: PageContext, origin: string, version: { id: string; version: string }): SafeHtml {
  return html`<a href="${recordHref(origin, "guideline", version.id)}">${context.t.t("version")} ${version.version}</a>`;
}

/**
 * Where a guideline version stands today: not yet valid (and which version applies until then), replaced by a later
 * version, or about to be replaced; nothing when it simply applies.
 */
export function versionStatusNotice(
  context: PageContext,
  origin: string,
  version: { id: string; validFrom: string; state: string },
  versions: readonly GuidelineVersionListEntry[],
  today: string = todayInGermany(),
): SafeHtml | null {
  const { t } = context;
  if (version.state !== "PUBLISHED") return null;
  const published = publishedVersions(versions);
  const at = published.findIndex((entry) => entry.id === version.id);
  const later = at >= 0 ? published.slice(at + 1) : [];
  const inForce = versionInForce(versions, today);
  if (version.validFrom > today) {
    const until =
      inForce && inForce.id !== version.id
        ? withPlaceholder(t.t("versionInForceUntil"), "{version}", versionLink(context, origin, inForce))
        : t.t("versionNoneInForce");
    return html`<div class="notice warning" role="note">
      <p>${t.t("versionNotYetValid").replace("{date}", t.date(version.validFrom))} ${until}</p>
    </div>`;
  }
  const replacedBy = later.filter((entry) => entry.validFrom <= today).at(-1);
  if (replacedBy) {
    return html`<div class="notice warning" role="note">
      <p>${withPlaceholder(t.t("versionReplacedBy"), "{version}", versionLink(context, origin, replacedBy))}</p>
    </div>`;
  }
  const upcoming = later.find((entry) => entry.validFrom > today);
  if (upcoming) {
    return html`<div class="notice" role="note">
      <p>${withPlaceholder(t.t("versionUpcoming").replace("{date}", t.date(upcoming.validFrom)), "{version}", versionLink(context, origin, upcoming))}</p>
    </div>`;
  }
  return null;
}

export function cityPage(context: PageContext, origin: string, data: CityPageData, catalogs: readonly PublicCatalogSummary[] = []): SafeHtml {
  const { t } = context;
  const current = data.guidelines.nodes.find((guideline) => guideline.kind === "GUIDELINE") ?? data.guidelines.nodes[0];
  const others = data.guidelines.nodes.filter((guideline) => guideline !== current);
  // A coordinator's hub without records of its own presents its catalogs only (no "has not published a guideline").
  const hubOnly = catalogs.length > 0 && !current && data.useCases.totalCount === 0 && data.models.totalCount === 0;
  const today = todayInGermany();
  return layout(
    context,
    context.cityName,
    html`<h1>${t.t("registerOf")} ${context.cityName}</h1>
      <p class="lead">${hubOnly ? t.t("hubIntro").replaceAll("{name}", context.cityName) : t.t("cityIntro")}</p>
      ${hubSection(context, catalogs, !hubOnly)}
      ${
        hubOnly
          ? null
          : html`<section aria-labelledby="guideline-heading">
                <h2 id="guideline-heading">${t.t(current && current.validFrom > today ? "guidelineHeading" : "currentGuideline")}</h2>
                ${
                  current
                    ? html`<h3><a href="${recordHref(origin, "guideline", current.id)}">${inLanguage(context.t.language, current.title)}</a></h3>
                        <p>${t.t("version")} ${current.version} · ${t.t("validFrom")} ${t.date(current.validFrom)}</p>
                        ${versionStatusNotice(context, origin, current, current.guideline.versions.nodes, today)}
                        ${current.summary ? html`<p>${inLanguage(context.t.language, current.summary)}</p>` : null}
                        <h3>${t.t("principles")}</h3>
                        ${principleList(context, current.principles, data.rules)} ${versionHistory(context, origin, current.guideline.versions.nodes)}
                        ${
                          others.length > 0
                            ? cards(
                                others.map((guideline) => guidelineCard(context, origin, guideline)),
                                "",
                              )
                            : null
                        }`
                    : html`<p>${t.t("noGuideline")}</p>`
                }
              </section>
              <section aria-labelledby="use-cases-heading">
                <h2 id="use-cases-heading">${t.t("publishedUseCases")} (${t.number(data.useCases.totalCount)})</h2>
                ${cards(
                  data.useCases.nodes.map((useCase) => useCaseCard(context, origin, useCase)),
                  t.t("noUseCases"),
                )}
                <p><a href="/search">${t.t("showAllUseCases")}</a> · <a href="/archive">${t.t("archiveLink")}</a></p>
              </section>
              <section aria-labelledby="models-heading">
                <h2 id="models-heading">${t.t("sharedModels")} (${t.number(data.models.totalCount)})</h2>
                ${cards(
                  data.models.nodes.map((model) => modelCard(context, origin, model)),
                  t.t("noModels"),
                )}
              </section>`
      }
      ${openDataBox(context)}`,
  );
}

export interface SearchForm {
  q: string;
  origin: "" | "local" | "received";
  status: string;
  riskClass: string;
  automationLevel: string;
  directlyAffectsCitizens: "" | "yes" | "no";
}

function select(
  context: PageContext,
  name: keyof SearchForm,
  label: string,
  values: readonly string[],
  chosen: string,
  labelOf: (value: string) => string,
): SafeHtml {
  return html`<div>
    <label for="filter-${name}">${label}</label>
    <select id="filter-${name}" name="${name}">
      <option value="">${context.t.t("any")}</option>
      ${values.map((value) => html`<option value="${value}" ${chosen === value ? html` selected` : null}>${labelOf(value)}</option>`)}
    </select>
  </div>`;
}

export function searchPage(context: PageContext, origin: string, form: SearchForm, data: SearchData, nextHref: string | undefined): SafeHtml {
  const { t } = context;
  const label = (value: string) => t.label(value);
  return layout(
    context,
    t.t("search"),
    html`<h1>${t.t("searchTitle")}</h1>
      <p class="lead">${t.t("searchIntro")}</p>
      <form method="get" action="/search" role="search" class="stack">
        <div><label for="search-q">${t.t("searchTerm")}</label><input type="search" id="search-q" name="q" value="${form.q}" /></div>
        <fieldset>
          <legend>${t.t("filters")}</legend>
          <div class="filters">
            ${select(context, "origin", t.t("origin"), ["local", "received"], form.origin, (value) => t.t(value === "local" ? "originLocal" : "originReceived"))}
            ${select(context, "status", t.t("status"), ["IDEA", "PILOT", "IN_USE", "RETIRED"], form.status, label)}
            ${select(context, "riskClass", t.t("riskClass"), ["PROHIBITED", "HIGH", "LIMITED", "MINIMAL"], form.riskClass, label)}
            ${select(context, "automationLevel", t.t("automationLevel"), ["INFORMATION_ONLY", "DECISION_SUPPORT", "HUMAN_APPROVES_EACH_ACTION", "AUTOMATED_ACTION"], form.automationLevel, label)}
            ${select(context, "directlyAffectsCitizens", t.t("directlyAffectsCitizens"), ["yes", "no"], form.directlyAffectsCitizens, (value) => t.t(value === "yes" ? "yes" : "no"))}
          </div>
        </fieldset>
        <div><button type="submit">${t.t("apply")}</button></div>
      </form>
      <section aria-labelledby="result-use-cases">
        <h2 id="result-use-cases">${t.t("useCases")}: ${t.resultCount(data.useCases.totalCount)}</h2>
        ${cards(
          data.useCases.nodes.map((useCase) => useCaseCard(context, origin, useCase)),
          t.t("noUseCases"),
        )}
        ${nextHref ? html`<p><a href="${nextHref}" rel="next">${t.t("nextPage")}</a></p>` : null}
      </section>
      ${
        data.guidelines
          ? html`<section aria-labelledby="result-guidelines">
              <h2 id="result-guidelines">${t.t("guidelines")}: ${t.resultCount(data.guidelines.totalCount)}</h2>
              ${cards(
                data.guidelines.nodes.map((guideline) => guidelineCard(context, origin, guideline)),
                "–",
              )}
            </section>`
          : null
      }
      ${
        data.models
          ? html`<section aria-labelledby="result-models">
              <h2 id="result-models">${t.t("models")}: ${t.resultCount(data.models.totalCount)}</h2>
              ${cards(
                data.models.nodes.map((model) => modelCard(context, origin, model)),
                t.t("noModels"),
              )}
            </section>`
          : null
      }
      ${openDataBox(context)}`,
  );
}

function provenanceSection(context: PageContext, iri: string, kind: RecordPageKind, provenance: Provenance, report: ReportFormToken): SafeHtml {
  const { t } = context;
  return html`<section aria-labelledby="provenance-heading">
      <h2 id="provenance-heading">${t.t("provenance")}</h2>
      ${facts([
        [
          t.t("originCity"),
          provenance.local
            ? html`${context.cityName} (${t.t("localRecord")})`
            : html`<a href="${registerOf(provenance.city.id)}">${originCityName(context, provenance)}</a>`,
        ],
        [t.t("node"), provenance.node],
        [t.t("receivedAt"), provenance.receivedAt ? t.dateTime(provenance.receivedAt) : null],
        [t.t("proofVerified"), provenance.proofVerified === null ? null : t.t(provenance.proofVerified ? "proofValid" : "proofInvalid")],
        [t.t("recordIri"), html`<code>${iri}</code>`],
      ])}
    </section>
    ${reportForm(context, iri, kind, report)}`;
}

/** `fieldLabel`: how a failed rule names the fields to change; by default as the use-case form labels them (never API paths). */
export function ruleResultsTable(
  context: PageContext,
  results: readonly RuleResult[],
  caption: string,
  fieldLabel: (path: string) => string = (path) => labelOfPath({}, context.t.language, path),
): SafeHtml {
  const { t } = context;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.t("principle")}</th>
          <th scope="col">${t.t("rule")}</th>
          <th scope="col">${t.t("severity")}</th>
          <th scope="col">${t.t("result")}</th>
        </tr>
      </thead>
      <tbody>
        ${results.map(
          (result) =>
            html`<tr>
              <td>${inLanguage(context.t.language, result.principle)}</td>
              <td>
                ${
                  result.rule
                    ? html`${inLanguage(context.t.language, result.rule.title)}<br /><span class="muted"
                          >${t.t("ruleIdLabel")} <code>${result.ruleId}</code></span
                        >`
                    : html`<code>${result.ruleId}</code>`
                }
              </td>
              <td>${t.label(result.severity)}</td>
              <td class="${result.passed ? "result-passed" : "result-failed"}">
                ${t.t(result.passed ? "passed" : "failed")}${
                  result.offendingFields.length > 0 ? html` <span class="muted">(${result.offendingFields.map(fieldLabel).join(", ")})</span>` : null
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const vetterRoles = ["admin", "editor", "vetter", "moderator"] as const;

/** The vetting person with their role in words; a role this node does not know (another node's) is left out rather than shown raw. */
function vetterLabel(context: PageContext, vetter: { name: string; role: string }): string {
  const role = vetterRoles.find((known) => known === vetter.role.toLowerCase());
  return role ? `${vetter.name} (${context.t.t(`vetterRole_${role}`)})` : vetter.name;
}

/** The rules a received use case fails here, by their titles where this node knows them. */
function failedBindingRules(check: NonNullable<UseCaseRecord["ruleCheck"]>): string {
  const failed = check.results.filter((result) => !result.passed && result.severity === "ERROR");
  return [...new Set(failed.map((result) => result.rule?.title.text ?? result.ruleId))].join("; ");
}

/** Above a received use case that breaks a binding rule here: a note, never hiding it (#13 item 7). */
function ruleCheckNotice(context: PageContext, useCase: UseCaseRecord): SafeHtml | null {
  const check = useCase.ruleCheck;
  if (!check || check.passed) return null;
  const text = context.t
    .t("ourRuleCheckFailed")
    .replaceAll("{city}", context.cityName)
    .replace("{rules}", failedBindingRules(check))
    .replace("{origin}", originCityName(context, useCase.provenance));
  return html`<aside class="provenance-banner unverified rule-check-failed" aria-label="${context.t.t("ourRuleCheck")}">
    <p><a href="#our-rule-check">${text}</a></p>
  </aside>`;
}

/** This node's check of a received use case: against which guideline, the verdict, each rule. */
function ruleCheckSection(context: PageContext, origin: string, useCase: UseCaseRecord): SafeHtml | null {
  const { t } = context;
  const check = useCase.ruleCheck;
  if (!check) return null;
  const city = context.cityName;
  return html`<h3 id="our-rule-check">${t.t("ourRuleCheck")}</h3>
    <p>
      ${
        check.guidelineVersion
          ? html`${t.t("ourRuleCheckAgainst")}:
              <a href="${recordHref(origin, "guideline", check.guidelineVersion.id)}"
                >${inLanguage(context.t.language, check.guidelineVersion.title)} ${check.guidelineVersion.version}</a
              >`
          : t.t("ourRuleCheckWholeCatalog").replaceAll("{city}", city)
      }
    </p>
    <p class="${check.passed ? "result-passed" : "result-failed"}">
      ${
        check.passed
          ? t.t("ourRuleCheckPassed").replaceAll("{city}", city)
          : t
              .t("ourRuleCheckFailed")
              .replaceAll("{city}", city)
              .replace("{rules}", failedBindingRules(check))
              .replace("{origin}", originCityName(context, useCase.provenance))
      }
    </p>
    <p class="muted">${t.t("ourRuleCheckNote").replaceAll("{city}", city)}</p>
    ${ruleResultsTable(context, check.results, t.t("ourRuleCheck"))}`;
}

const decidesKey = {
  INFORMATION_ONLY: "glanceDecidesINFORMATION_ONLY",
  DECISION_SUPPORT: "glanceDecidesDECISION_SUPPORT",
  HUMAN_APPROVES_EACH_ACTION: "glanceDecidesHUMAN_APPROVES_EACH_ACTION",
  AUTOMATED_ACTION: "glanceDecidesAUTOMATED_ACTION",
} as const;

/**
 * The plain-language box at the top of a use case, built from its fields: what it does, whether it
 * affects me, who decides and who answers for it, how to object (the appeal path, else the contact),
 * and as of when.
 */
export function useCaseSummaryBox(context: PageContext, useCase: UseCaseRecord): SafeHtml {
  const { t } = context;
  const dp = useCase.decisionProcess;
  const contact = useCase.contact.email
    ? html`<a href="mailto:${useCase.contact.email}">${useCase.contact.email}</a>`
    : useCase.contact.url && /^https?:\/\//i.test(useCase.contact.url)
      ? html`<a href="${useCase.contact.url}">${useCase.contact.url}</a>`
      : (useCase.contact.phone ?? useCase.contact.url ?? null);
  const decides = decidesKey[dp.automationLevel as keyof typeof decidesKey];
  const asOf = useCase.workflow.retiredAt ?? useCase.workflow.publishedAt;
  return html`<section class="glance" aria-labelledby="glance-heading">
    <h2 id="glance-heading">${t.t("atAGlance")}</h2>
    <dl>
      <dt>${t.t("glanceWhat")}</dt>
      <dd>${inLanguage(context.t.language, useCase.purpose)}</dd>
      <dt>${t.t("glanceAffectsMe")}</dt>
      <dd>${t.t(dp.directlyAffectsCitizens ? "glanceAffectsYes" : "glanceAffectsNo")}</dd>
      <dt>${t.t("glanceWhoDecides")}</dt>
      <dd>
        ${decides ? t.t(decides) : t.label(dp.automationLevel)}
        ${useCase.responsible ? html`<br />${t.t("glanceResponsible")}: ${inLanguage(context.t.language, useCase.responsible.role)}, ${inLanguage(context.t.language, useCase.responsible.office)}` : null}
      </dd>
      <dt>${t.t("glanceObject")}</dt>
      <dd>
        ${dp.appealPath?.text ?? t.t("glanceObjectNoPath")} ${contact ? html`<br />${t.t("glanceContact")}: ${contact}` : null}
        <br /><a href="#report-heading">${t.t("glanceReport")}</a>
      </dd>
    </dl>
    ${asOf ? html`<p class="muted">${t.t("glanceAsOf")}: ${t.date(asOf)}</p>` : null}
  </section>`;
}

export function useCasePage(context: PageContext, origin: string, useCase: UseCaseRecord, report: ReportFormToken): SafeHtml {
  const { t } = context;
  const dp = useCase.decisionProcess;
  return layout(
    context,
    useCase.name.text,
    html`${provenanceBanner(context, useCase.provenance, useCase.workflow.publishedAt)} ${ruleCheckNotice(context, useCase)}
      <p class="muted">${t.t("useCase")}</p>
      <h1>${inLanguage(context.t.language, useCase.name)}</h1>
      <p class="lead">${inLanguage(context.t.language, useCase.shortDescription)}</p>
      ${
        useCase.workflow.state === "RETIRED"
          ? html`<div class="notice warning">
              <p>
                ${t.t("retiredNotice")}${useCase.workflow.retiredAt ? html` ${t.t("retiredOn")} ${t.date(useCase.workflow.retiredAt)}.` : null}
                <a href="/archive">${t.t("archiveTitle")}</a>
              </p>
            </div>`
          : null
      }
      ${useCaseSummaryBox(context, useCase)}
      ${
        !useCase.provenance.local && staffMay(context, "adopt")
          ? html`<ul class="record-actions">
              <li><a href="/staff/use-cases/adopt?id=${encodeURIComponent(useCase.id)}">${t.t("adoptThis")}</a></li>
            </ul>`
          : null
      }
      ${facts([
        [t.t("purpose"), inLanguage(context.t.language, useCase.purpose)],
        [t.t("department"), useCase.department],
        [t.t("status"), t.label(useCase.status)],
        [t.t("publishedAt"), useCase.workflow.publishedAt ? t.date(useCase.workflow.publishedAt) : null],
        [
          t.t("responsible"),
          useCase.responsible &&
            html`${inLanguage(context.t.language, useCase.responsible.role)}, ${inLanguage(context.t.language, useCase.responsible.office)}`,
        ],
        [
          t.t("contact"),
          useCase.contact.email ? html`<a href="mailto:${useCase.contact.email}">${useCase.contact.email}</a>` : (useCase.contact.phone ?? useCase.contact.url),
        ],
        [
          t.t("adoptedFrom"),
          useCase.adoptedFromUseCase
            ? html`<a href="${recordHref(origin, "use-case", useCase.adoptedFromUseCase.id)}">${useCase.adoptedFromUseCase.id}</a>`
            : null,
        ],
      ])}
      <h2>${t.t("decisionProcess")}</h2>
      ${facts([
        [t.t("automationLevel"), t.label(dp.automationLevel)],
        [t.t("directlyAffectsCitizens"), t.yesNo(dp.directlyAffectsCitizens)],
        [t.t("processFit"), inLanguage(context.t.language, dp.processFit)],
        [t.t("humanReview"), inLanguage(context.t.language, dp.humanReview)],
        [t.t("appealPath"), inLanguage(context.t.language, dp.appealPath)],
        [t.t("technique"), t.label(useCase.technique)],
        [t.t("selfLearning"), t.yesNo(useCase.selfLearning)],
      ])}
      ${
        useCase.models.length > 0
          ? html`<h2>${t.t("modelsUsed")}</h2>
              <ul>
                ${useCase.models.map(
                  (reference) =>
                    html`<li>
                      <a href="${recordHref(origin, "model", reference.modelId)}">${reference.model?.name.text ?? reference.modelId}</a> (${t.t("version")}
                      ${reference.version})
                    </li>`,
                )}
              </ul>`
          : null
      }
      ${
        useCase.suppliers.length > 0
          ? html`<h2>${t.t("suppliers")}</h2>
              <ul>
                ${useCase.suppliers.map((supplier) => html`<li>${supplier.name}${supplier.role ? html` – ${inLanguage(context.t.language, supplier.role)}` : null}${supplier.country ? html` (${supplier.country})` : null}</li>`)}
              </ul>`
          : null
      }
      ${
        useCase.datasets.length > 0
          ? html`<h2>${t.t("datasets")}</h2>
              <div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("datasets")}">
                <table>
                  <caption class="visually-hidden">
                    ${t.t("datasets")}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t.t("name")}</th>
                      <th scope="col">${t.t("source")}</th>
                      <th scope="col">${t.t("personalData")}</th>
                      <th scope="col">${t.t("specialCategories")}</th>
                      <th scope="col">${t.t("legalBasis")}</th>
                      <th scope="col">${t.t("retention")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${useCase.datasets.map(
                      (dataset) =>
                        html`<tr>
                          <td>${inLanguage(context.t.language, dataset.name)}</td>
                          <td>${inLanguage(context.t.language, dataset.source)}</td>
                          <td>${t.yesNo(dataset.personalData)}</td>
                          <td>${t.yesNo(dataset.specialCategories)}</td>
                          <td>${dataset.legalBasis ?? t.t("notStated")}</td>
                          <td>${dataset.retention?.text ?? t.t("notStated")}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
          : null
      }
      <h2>${t.t("risk")}</h2>
      ${facts([
        [t.t("riskClass"), useCase.risk.aiActClass ? t.label(useCase.risk.aiActClass) : t.t("notStated")],
        [
          labelOfPath({}, context.t.language, "risk.annexIIIArea"),
          useCase.risk.annexIIIArea ? (choiceLabels[useCase.risk.annexIIIArea]?.[context.t.language] ?? useCase.risk.annexIIIArea) : null,
        ],
        ["Art. 6(3)", inLanguage(context.t.language, useCase.risk.article6_3Reason)],
      ])}
      ${
        useCase.risk.risks.length > 0
          ? html`<h3>${t.t("risksAndMitigations")}</h3>
              <ul>
                ${useCase.risk.risks.map((entry) => html`<li>${inLanguage(context.t.language, entry.risk)} → ${inLanguage(context.t.language, entry.mitigation)}</li>`)}
              </ul>`
          : null
      }
      ${
        useCase.energy
          ? html`<h2>${t.t("energy")}</h2>
              ${facts([
                [t.t("kwhPerYear"), useCase.energy.kwhPerYear === null ? null : t.number(useCase.energy.kwhPerYear)],
                [t.t("kwhPer1000Requests"), useCase.energy.kwhPer1000Requests === null ? null : t.number(useCase.energy.kwhPer1000Requests)],
                [t.t("hostingRegion"), useCase.energy.hostingRegion],
              ])}`
          : null
      }
      ${
        useCase.sovereignty
          ? html`<h2>${t.t("sovereignty")}</h2>
              ${facts([
                [t.t("operator"), useCase.sovereignty.operator],
                [t.t("jurisdiction"), useCase.sovereignty.jurisdiction],
                [t.t("hosting"), t.label(useCase.sovereignty.hosting)],
                [t.t("openWeights"), t.yesNo(useCase.sovereignty.openWeights)],
                [t.t("exitPlan"), inLanguage(context.t.language, useCase.sovereignty.exitPlan)],
              ])}`
          : null
      }
      <h2>${t.t("vetting")}</h2>
      ${
        useCase.vetting
          ? facts([
              [t.t("vettedBy"), vetterLabel(context, useCase.vetting.vetter)],
              [t.t("checkedAt"), t.dateTime(useCase.vetting.date)],
              [t.t("result"), t.label(useCase.vetting.result)],
            ])
          : html`<p>${t.t("notVetted")}</p>`
      }
      ${
        useCase.conformance
          ? html`<h3>${t.t("conformance")}</h3>
              <p>
                ${t.t("checkedAgainst")}:
                <a href="${recordHref(origin, "guideline", useCase.conformance.guidelineVersionId)}"
                  >${
                    useCase.conformance.guidelineVersion
                      ? html`${inLanguage(context.t.language, useCase.conformance.guidelineVersion.title)} ${useCase.conformance.guidelineVersion.version}`
                      : useCase.conformance.guidelineVersionId
                  }</a
                >
                · ${t.t("checkedAt")} ${t.dateTime(useCase.conformance.checkedAt)}
              </p>
              ${ruleResultsTable(context, useCase.conformance.results, t.t("conformance"))}`
          : null
      }
      ${ruleCheckSection(context, origin, useCase)}
      ${
        useCase.adoptions.nodes.length > 0
          ? html`<h2>${t.t("adoptedBy")}</h2>
              <ul>
                ${useCase.adoptions.nodes.map(
                  (adoption) =>
                    html`<li><a href="${adoption.adoption}">${cityLabel(adoption.city, null, adoption.cityName)}</a> – ${t.date(adoption.adoptedAt)}</li>`,
                )}
              </ul>`
          : null
      }
      ${provenanceSection(context, useCase.id, "use-case", useCase.provenance, report)}`,
  );
}

export function guidelinePage(
  context: PageContext,
  origin: string,
  guideline: GuidelineRecord,
  report: ReportFormToken,
  rules: readonly RuleTitle[] = [],
): SafeHtml {
  const { t } = context;
  return layout(
    context,
    `${guideline.title.text} ${guideline.version}`,
    html`${provenanceBanner(context, guideline.provenance, guideline.publishedAt)}
      <p class="muted">${t.label(guideline.kind)}</p>
      <h1>${inLanguage(context.t.language, guideline.title)}</h1>
      ${guideline.summary ? html`<p class="lead">${inLanguage(context.t.language, guideline.summary)}</p>` : null}
      ${versionStatusNotice(context, origin, guideline, guideline.guideline.versions.nodes)}
      ${facts([
        [t.t("version"), guideline.version],
        [t.t("validFrom"), t.date(guideline.validFrom)],
        [t.t("publishedAt"), guideline.publishedAt ? t.date(guideline.publishedAt) : null],
        [
          t.t("issuingBody"),
          html`${inLanguage(context.t.language, guideline.issuingBody.name)}${guideline.issuingBody.organisationId ? html` (${guideline.issuingBody.organisationId.scheme} ${guideline.issuingBody.organisationId.value})` : null}`,
        ],
        [
          t.t("adoptingBody"),
          guideline.adoptingBody
            ? html`${inLanguage(context.t.language, guideline.adoptingBody.name)}${guideline.adoptingBody.decidedOn ? html`, ${t.date(guideline.adoptingBody.decidedOn)}` : null}${
                guideline.adoptingBody.councilDecision ? html` – <a href="${guideline.adoptingBody.councilDecision}">${t.t("councilDecision")}</a>` : null
              }`
            : null,
        ],
        [t.t("audience"), inLanguage(context.t.language, guideline.audience)],
        [
          t.t("consulted"),
          guideline.consulted.length > 0 ? guideline.consulted.map((entry, index) => html`${index > 0 ? ", " : null}${t.label(entry.party)}`) : null,
        ],
        [t.t("licence"), html`${licenceOf(guideline.licenceId)}${guideline.licenceAllowsFork ? html` – ${t.t("forkAllowed")}` : null}`],
        [
          t.t("forkedFrom"),
          guideline.originVersion ? html`<a href="${recordHref(origin, "guideline", guideline.originVersion.id)}">${guideline.originVersion.id}</a>` : null,
        ],
        [t.t("attribution"), inLanguage(context.t.language, guideline.attribution)],
        [t.t("changes"), inLanguage(context.t.language, guideline.changeSummary)],
      ])}
      <ul class="record-actions">
        <li><a href="/compare?v=${encodeURIComponent(guideline.id)}">${t.t("compareWith")}</a></li>
        <li><a href="/lineage?id=${encodeURIComponent(guideline.guideline.id)}">${t.t("forkLineage")}</a></li>
        ${
          !guideline.provenance.local && guideline.licenceAllowsFork && staffMay(context, "fork")
            ? html`<li><a href="/staff/guidelines/fork?id=${encodeURIComponent(guideline.id)}">${t.t("forkThis")}</a></li>`
            : null
        }
        ${staffMay(context, "check") ? html`<li><a href="/staff/guidelines/check?id=${encodeURIComponent(guideline.id)}">${t.t("wouldOurUseCasesPass")}</a></li>` : null}
      </ul>
      ${guideline.upstreamChanges ? upstreamSection(context, origin, guideline.upstreamChanges) : null}
      <h2>${t.t("principles")}</h2>
      ${principleList(context, guideline.principles, rules)} ${guidelineSections(context, guideline.sections)}
      ${guideline.guideline.versions.nodes.length > 0 ? versionHistory(context, origin, guideline.guideline.versions.nodes) : html`<p>${t.t("earlierVersionsUnknown")}</p>`}
      ${provenanceSection(context, guideline.id, "guideline", guideline.provenance, report)}`,
  );
}

/** A guideline's sections under their heading, as its public page shows them (none: nothing). */
export function guidelineSections(context: PageContext, sections: GuidelineRecord["sections"]): SafeHtml | null {
  return sections.length > 0
    ? html`<h2>${context.t.t("sections")}</h2>
        ${sections.map(
          (section) =>
            html`<section class="guideline-section" ${langAttribute(context.t.language, section.body)}>
              <h3>${inLanguage(context.t.language, section.heading)}</h3>
              ${renderMarkdown(section.body.text)}
            </section>`,
        )}`
    : null;
}

function upstreamSection(context: PageContext, origin: string, upstream: NonNullable<GuidelineRecord["upstreamChanges"]>): SafeHtml {
  const { t } = context;
  const link = (reference: { id: string; version: string } | null) =>
    reference ? html`<a href="${recordHref(origin, "guideline", reference.id)}">${t.t("version")} ${reference.version}</a>` : null;
  const status = {
    UPSTREAM_CHANGED: html`<div class="notice warning"><p>${t.t("upstreamChangedIntro")}</p></div>`,
    UP_TO_DATE: html`<p>${t.t("upstreamUpToDate")}</p>`,
    ORIGIN_UNKNOWN: html`<p>${t.t("upstreamUnknown")}</p>`,
  }[upstream.status];
  return html`<section aria-labelledby="upstream-heading">
    <h2 id="upstream-heading">${t.t(upstream.status === "UPSTREAM_CHANGED" ? "upstreamChanged" : "forkedFrom")}</h2>
    ${status}
    ${facts([
      [t.t("forkPoint"), link(upstream.forkPoint)],
      [t.t("latestUpstream"), upstream.status === "UPSTREAM_CHANGED" ? link(upstream.latest) : null],
    ])}
    ${upstream.diff && upstream.forkPoint && upstream.latest ? diffSections(context, upstream.diff, `${t.t("version")} ${upstream.forkPoint.version}`, `${t.t("version")} ${upstream.latest.version}`) : null}
  </section>`;
}

export function modelPage(context: PageContext, origin: string, model: ModelRecord, report: ReportFormToken, names: ActorNames): SafeHtml {
  const { t } = context;
  return layout(
    context,
    model.name.text,
    html`${provenanceBanner(context, model.provenance, null)}
      <p class="muted">${t.t("model")}</p>
      <h1>${inLanguage(context.t.language, model.name)}</h1>
      ${modelDetails(context, model, names)}
      <h2>${t.t("usedByUseCases")}</h2>
      ${cards(
        model.usedBy.nodes.filter((useCase) => isPublic(useCase)).map((useCase) => useCaseCard(context, origin, useCase)),
        t.t("noUseCases"),
      )}
      ${provenanceSection(context, model.id, "model", model.provenance, report)}`,
  );
}

/** A model's description: what it is, its energy and its sovereignty (the public page and the staff area show the same). */
export function modelDetails(context: PageContext, model: Omit<ModelRecord, "usedBy">, names?: ActorNames): SafeHtml {
  const { t } = context;
  return html`<p class="lead">${inLanguage(context.t.language, model.intendedUse)}</p>
    ${facts([
      [t.t("version"), model.version],
      [t.t("revision"), model.revision ? html`<code>${model.revision}</code>` : null],
      [t.t("licence"), licenceOf(model.licenceId)],
      [t.t("baseModel"), model.baseModel ? html`${model.baseModel.name} (${model.baseModel.relation.toLowerCase().replace(/_/g, " ")})` : null],
      [t.t("architecture"), model.architecture],
      [t.t("parameterCount"), model.parameterCount === null ? null : t.number(model.parameterCount)],
      [t.t("languages"), model.languages.join(", ")],
      [t.t("outOfScopeUse"), inLanguage(context.t.language, model.outOfScopeUse)],
      [t.t("trainingData"), inLanguage(context.t.language, model.trainingData)],
      [t.t("limitations"), inLanguage(context.t.language, model.limitations)],
    ])}
    ${
      model.evaluation.length > 0
        ? html`<h2>${t.t("evaluation")}</h2>
            <ul>
              ${model.evaluation.map((entry) => html`<li>${entry.benchmark}: ${entry.metric} ${t.number(entry.value)}</li>`)}
            </ul>`
        : null
    }
    <h2>${t.t("energy")}</h2>
    ${facts([
      [
        t.t("inferenceEnergy"),
        model.inferenceEnergy
          ? html`${t.number(model.inferenceEnergy.whPer1000Requests)} ${t.t("whPer1000Requests")} (${model.inferenceEnergy.hardware},
            ${t.date(model.inferenceEnergy.testDate)})`
          : t.t("notStated"),
      ],
      [
        t.t("trainingEmissions"),
        model.trainingEmissions
          ? html`${t.number(model.trainingEmissions.co2eGrams)} ${t.t("co2eGrams")} (${model.trainingEmissions.hardware}, ${model.trainingEmissions.region})`
          : t.t("notStated"),
      ],
    ])}
    <h2>${t.t("sovereignty")}</h2>
    ${facts([
      [t.t("openWeights"), t.yesNo(model.sovereignty.openWeights)],
      [t.t("osiOpenSourceAi"), t.label(model.sovereignty.osiOpenSourceAi)],
      [t.t("weightsLocation"), model.sovereignty.weightsLocation],
      [t.t("hosting"), t.label(model.sovereignty.hosting)],
      [t.t("operatorJurisdiction"), model.sovereignty.operatorJurisdiction],
      [t.t("exitStrategy"), inLanguage(context.t.language, model.sovereignty.exitStrategy)],
      [
        t.t("servedBy"),
        model.servedBy.length > 0
          ? model.servedBy.map((actor, index) => html`${index > 0 ? ", " : null}<a href="${registerOf(actor)}">${cityLabel(actor, names)}</a>`)
          : null,
      ],
      [t.t("maintainers"), model.maintainers.map((maintainer) => maintainer.name).join(", ")],
    ])}`;
}

/** Citizens see published (and retired) use cases only; drafts and those under review stay in the staff area. */
export const isPublic = (useCase: UseCaseSummary) => useCase.workflow.state === "PUBLISHED" || useCase.workflow.state === "RETIRED";

export function messagePage(context: PageContext, title: string, text: string): SafeHtml {
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
      <p>${text}</p>
      <p><a href="/">${context.t.t("backToRegister")}</a></p>`,
  );
}
