import { html, type SafeHtml } from "./html.ts";
import { csrfField, layout, type PageContext } from "./layout.ts";
import { facts } from "./layout.ts";
import { inLanguage } from "./localized.ts";
import { guidelineSections, principleList, recordHref, ruleResultsTable } from "./register.views.ts";
import { licenceOf, type GuidelineRecord, type RuleResult, type RuleTitle } from "./register.queries.ts";
import { cityLabel } from "./peers.views.ts";
import { submitToCatalogLink } from "./catalogs.views.ts";
import { labelOfPath } from "./use-case.form.ts";
import { mayEnterArea } from "./staff-nav.ts";
import { editorWords } from "./guideline-editor.ts";
import { isSentBack, type DashboardData, type FailingUseCasesData, type FollowedCity, type PayloadError, type VetPageData } from "./staff.queries.ts";

/** A failed rule's field as the use-case form labels it. */
const formLabel = (view: StaffView) => (path: string) => labelOfPath({}, view.context.t.language, path);

/** The staff member's session as the pages need it. */
export interface StaffView {
  context: PageContext;
  csrfToken: string;
}

export function errorNotice(view: StaffView, error: PayloadError | undefined): SafeHtml | null {
  if (!error) return null;
  return html`<div class="notice error" role="alert">
    <p><strong>${error.message.text}</strong></p>
    ${
      error.fieldErrors && error.fieldErrors.length > 0
        ? html`<p>${view.context.t.t("fieldErrors")}</p>
            <ul>
              ${error.fieldErrors.map((field) => html`<li><code>${field.path}</code>: ${field.message.text}</li>`)}
            </ul>`
        : null
    }
  </div>`;
}

/** The sign-in page; `identityProvider` is the block that signs in through the city's identity provider (oidc.views.ts) when one is configured. */
export function signInPage(context: PageContext, csrfToken: string, failure: string | undefined, identityProvider?: SafeHtml): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("signIn"),
    html`<h1>${t.t("signInTitle")}</h1>
      ${failure ? html`<div class="notice error" role="alert"><p>${failure}</p></div>` : null} ${identityProvider ?? null}
      <p>${t.t("signInIntro")}</p>
      <form method="post" action="/staff/sign-in" class="stack">
        ${csrfField(csrfToken)}
        <div><label for="token">${t.t("apiToken")}</label><input type="password" id="token" name="token" autocomplete="current-password" required /></div>
        <div><button type="submit">${t.t("signIn")}</button></div>
      </form>`,
  );
}

/** A one-button form; `accessibleName` tells the buttons of a table's rows apart for screen readers. */
export function postButton(
  view: StaffView,
  action: string,
  fields: Record<string, string>,
  label: string,
  secondary = false,
  accessibleName?: string,
): SafeHtml {
  return html`<form method="post" action="${action}">
    ${csrfField(view.csrfToken)}${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}<button
      type="submit"
      ${secondary ? html` class="secondary"` : null}${accessibleName ? html` aria-label="${accessibleName}"` : null}
    >
      ${label}
    </button>
  </form>`;
}

export function dashboardPage(view: StaffView, origin: string, data: DashboardData, saved: boolean): SafeHtml {
  const { t } = view.context;
  // Only who may handle reports sees the way to the moderation queue (as in the staff navigation).
  const principal = view.context.staff?.principal;
  return layout(
    view.context,
    t.t("staffTitle"),
    html`<h1>${t.t("staffTitle")}</h1>
      <p class="lead">${t.t("staffIntro")}</p>
      ${saved ? html`<div class="notice ok" role="status"><p>${t.t("done")}</p></div>` : null}
      <p class="actions">
        <a class="button" href="/staff/following">${t.t("manageFollowing")}</a>
        ${principal && mayEnterArea(principal, "/staff/moderation") ? html`<a class="button" href="/staff/moderation">${t.t("moderationTitle")}</a>` : null}
      </p>
      <h2>${t.t("guidelines")}</h2>
      ${data.guidelines.nodes.length === 0 ? html`<p>${editorWords(t.language).noGuideline}</p>` : null}
      <p>
        <a class="button" href="/staff/guidelines/new"
          >${data.guidelines.nodes.length === 0 ? editorWords(t.language).firstGuideline : editorWords(t.language).newGuideline}</a
        >
      </p>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">
            ${t.t("guidelines")}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.t("title")}</th>
              <th scope="col">${t.t("version")}</th>
              <th scope="col">${t.t("workflowState")}</th>
              <th scope="col">${t.t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            ${data.guidelines.nodes.map((version) => {
              const isDraft = version.state === "DRAFT";
              const canDraftNext = version.guideline.current?.id === version.id && !version.guideline.draft;
              return html`<tr>
                <td>
                  ${version.state === "PUBLISHED" ? html`<a href="${recordHref(origin, "guideline", version.id)}">${version.title.text}</a>` : version.title.text}
                </td>
                <td>${version.version}</td>
                <td>${t.label(version.state)}</td>
                <td>
                  <div class="actions">
                    ${isDraft ? html`<a class="button" href="/staff/guidelines/edit?id=${encodeURIComponent(version.id)}">${t.t("editDraft")}</a><a class="button" href="/staff/guidelines/publish?id=${encodeURIComponent(version.id)}">${t.t("publish")}</a>` : null}
                    ${canDraftNext ? html`<a class="button" href="/staff/guidelines/edit?id=${encodeURIComponent(version.id)}">${t.t("newVersion")}</a>` : null}
                    ${version.state === "PUBLISHED" ? submitToCatalogLink(view.context, version.id, `${version.title.text} ${version.version}`) : null}
                  </div>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <h2>${t.t("useCases")}</h2>
      <p><a class="button" href="/staff/use-cases/new">${t.t("registerUseCase")}</a></p>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">
            ${t.t("useCases")}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.t("name")}</th>
              <th scope="col">${t.t("automationLevel")}</th>
              <th scope="col">${t.t("workflowState")}</th>
              <th scope="col">${t.t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            ${data.useCases.nodes.map((useCase) => {
              const state = useCase.workflow.state;
              return html`<tr>
                <td>
                  ${
                    state === "PUBLISHED"
                      ? html`<a href="${recordHref(origin, "use-case", useCase.id)}">${useCase.name.text}</a>`
                      : state === "RETIRED"
                        ? useCase.name.text
                        : html`<a href="/staff/use-cases/edit?id=${encodeURIComponent(useCase.id)}">${useCase.name.text}</a>`
                  }
                </td>
                <td>${t.label(useCase.decisionProcess.automationLevel)}</td>
                <td>${isSentBack(useCase.workflow) ? t.t("sentBackState") : t.label(state)}</td>
                <td>
                  <div class="actions">
                    ${
                      state !== "RETIRED"
                        ? html`<a
                            class="button secondary"
                            href="/staff/use-cases/edit?id=${encodeURIComponent(useCase.id)}"
                            aria-label="${t.t(state === "PUBLISHED" ? "revise" : "edit")}: ${useCase.name.text}"
                            >${t.t(state === "PUBLISHED" ? "revise" : "edit")}</a
                          >`
                        : null
                    }
                    ${state === "DRAFT" ? postButton(view, "/staff/use-cases/submit", { id: useCase.id, lockVersion: String(useCase.lockVersion) }, t.t("submit")) : null}
                    ${state === "SUBMITTED" ? html`<a class="button" href="/staff/use-cases/vet?id=${encodeURIComponent(useCase.id)}">${t.t("checkAndVet")}</a>` : null}
                    ${state === "VETTED" ? postButton(view, "/staff/use-cases/publish", { id: useCase.id, lockVersion: String(useCase.lockVersion) }, t.t("publish")) : null}
                    ${state === "PUBLISHED" ? submitToCatalogLink(view.context, useCase.id, useCase.name.text) : null}
                  </div>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>`,
  );
}

export function textInput(
  name: string,
  label: string,
  value: string | null | undefined,
  options: { multiline?: boolean; required?: boolean; type?: string; lang?: string } = {},
): SafeHtml {
  const id = `field-${name.replace(/[^a-zA-Z0-9]/g, "-")}`;
  const required = options.required ? html` required` : null;
  const lang = options.lang ? html` lang="${options.lang}"` : null;
  return html`<div class="field">
    <label for="${id}">${label}</label>${
      options.multiline
        ? html`<textarea id="${id}" name="${name}" ${required}${lang}>${value ?? ""}</textarea>`
        : html`<input type="${options.type ?? "text"}" id="${id}" name="${name}" value="${value ?? ""}" ${required}${lang} />`
    }
  </div>`;
}

export interface VetView {
  data: VetPageData;
  guidelineVersionId: string | undefined;
  check: { passed: boolean; results: RuleResult[] } | undefined;
  refusal: PayloadError | undefined;
}

export function vetPage(view: StaffView, vet: VetView): SafeHtml {
  const { t } = view.context;
  const useCase = vet.data.useCase;
  if (!useCase)
    return layout(
      view.context,
      t.t("notFoundTitle"),
      html`<h1>${t.t("notFoundTitle")}</h1>
        <p>${t.t("notFound")}</p>`,
    );
  const guidelineLabel = (entry: VetPageData["guidelines"]["nodes"][number]) =>
    `${entry.title.text} ${entry.version}${entry.provenance.local ? "" : ` (${entry.provenance.node})`}`;
  return layout(
    view.context,
    `${t.t("checkAndVet")}: ${useCase.name.text}`,
    html`<h1>${t.t("checkAndVet")}: ${useCase.name.text}</h1>
      <p class="lead">${useCase.shortDescription.text}</p>
      <dl class="facts">
        <div>
          <dt>${t.t("automationLevel")}</dt>
          <dd>${t.label(useCase.decisionProcess.automationLevel)}</dd>
        </div>
        <div>
          <dt>${t.t("directlyAffectsCitizens")}</dt>
          <dd>${t.yesNo(useCase.decisionProcess.directlyAffectsCitizens)}</dd>
        </div>
        <div>
          <dt>${t.t("responsible")}</dt>
          <dd>${useCase.responsible ? `${useCase.responsible.role.text}, ${useCase.responsible.office.text}` : t.t("notStated")}</dd>
        </div>
        <div>
          <dt>${t.t("workflowState")}</dt>
          <dd>${t.label(useCase.workflow.state)}</dd>
        </div>
      </dl>
      <form method="get" action="/staff/use-cases/vet" class="stack">
        <input type="hidden" name="id" value="${useCase.id}" />
        <div>
          <label for="guideline-select">${t.t("againstGuideline")}</label>
          <select id="guideline-select" name="guideline">
            ${vet.data.guidelines.nodes.map(
              (entry) => html`<option value="${entry.id}" ${entry.id === vet.guidelineVersionId ? html` selected` : null}>${guidelineLabel(entry)}</option>`,
            )}
          </select>
        </div>
        <div><button type="submit" class="secondary">${t.t("checkResult")}</button></div>
      </form>
      ${
        vet.refusal
          ? html`<div class="notice error" role="alert">
              <p><strong>${t.t("refusedByRules")}</strong></p>
              <p>${vet.refusal.message.text}</p>
            </div>`
          : null
      }
      ${
        vet.check
          ? html`<h2>${t.t("checkResult")}</h2>
              <div class="notice ${vet.check.passed ? "ok" : "error"}" ${vet.refusal ? null : html` role="status"`}>
                <p>${t.t(vet.check.passed ? "checkPassed" : "checkFailed")}</p>
              </div>
              ${ruleResultsTable(view.context, vet.check.results, t.t("conformance"), formLabel(view))}`
          : null
      }
      ${
        vet.guidelineVersionId && useCase.workflow.state === "SUBMITTED"
          ? html`<h2>${t.t("actions")}</h2>
              ${
                vet.check?.passed
                  ? html`<div class="actions">
                      ${postButton(
                        view,
                        "/staff/use-cases/vet",
                        { id: useCase.id, lockVersion: String(useCase.lockVersion), guidelineVersionId: vet.guidelineVersionId },
                        t.t("vet"),
                      )}
                    </div>`
                  : html`<p>${t.t("vetOnlyWhenPassed")}</p>`
              }
              <form method="post" action="/staff/use-cases/send-back" class="stack">
                ${csrfField(view.csrfToken)}
                <input type="hidden" name="id" value="${useCase.id}" />
                <input type="hidden" name="lockVersion" value="${String(useCase.lockVersion)}" />
                ${textInput("reason", t.t("reason"), "", { multiline: true, required: true })}
                <div><button type="submit" class="secondary">${t.t("sendBack")}</button></div>
              </form>`
          : null
      }
      <p><a href="/staff">${t.t("staffTitle")}</a></p>`,
  );
}

export type FollowingNotice = "followed" | "unfollowed" | undefined;

export function followingPage(
  view: StaffView,
  following: readonly FollowedCity[],
  outcome: { notice: FollowingNotice; error: PayloadError | undefined; target: string },
): SafeHtml {
  const { t } = view.context;
  return layout(
    view.context,
    t.t("followingTitle"),
    html`<h1>${t.t("followingTitle")}</h1>
      <p class="lead">${t.t("followingIntro")}</p>
      ${outcome.notice ? html`<div class="notice ok" role="status"><p>${t.t(outcome.notice === "followed" ? "followSent" : "unfollowed")}</p></div>` : null}
      ${errorNotice(view, outcome.error)}
      <form method="post" action="/staff/following/follow" class="stack">
        ${csrfField(view.csrfToken)}
        <div>
          <label for="follow-target">${t.t("followTarget")}</label>
          <p class="muted" id="follow-target-hint">${t.t("followTargetHint")}</p>
          <input type="text" id="follow-target" name="target" value="${outcome.target}" aria-describedby="follow-target-hint" required />
        </div>
        <div><button type="submit">${t.t("follow")}</button></div>
      </form>
      <h2>${t.t("followedCities")}</h2>
      ${
        following.length === 0
          ? html`<p>${t.t("followsNobody")}</p>`
          : html`<div class="table-scroll">
              <table>
                <caption class="visually-hidden">
                  ${t.t("followedCities")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.t("city")}</th>
                    <th scope="col">${t.t("followState")}</th>
                    <th scope="col">${t.t("since")}</th>
                    <th scope="col">${t.t("actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${following.map(
                    (city) =>
                      html`<tr>
                        <td><a href="/peers?city=${encodeURIComponent(city.actor)}">${cityLabel(city.actor)}</a><br /><code>${city.actor}</code></td>
                        <td>${t.label(city.state)}</td>
                        <td>${t.dateTime(city.since)}</td>
                        <td>
                          ${postButton(view, "/staff/following/unfollow", { target: city.actor }, `${t.t("unfollow")}`, true, `${t.t("unfollow")}: ${cityLabel(city.actor)}`)}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <p><a href="/staff">${t.t("staffTitle")}</a></p>`,
  );
}

/** Confirms a fork of a guideline version or an adoption of a use case before the API creates the draft. */
export function reuseConfirmPage(
  view: StaffView,
  action: "fork" | "adopt",
  id: string,
  title: string,
  originCity: string,
  licence: string | undefined,
): SafeHtml {
  const { t } = view.context;
  const heading = t.t(action === "fork" ? "forkTitle" : "adoptTitle");
  return layout(
    view.context,
    heading,
    html`<h1>${heading}</h1>
      <p class="lead">${t.t(action === "fork" ? "forkIntro" : "adoptIntro")}</p>
      <dl class="facts">
        <div>
          <dt>${t.t(action === "fork" ? "guideline" : "useCase")}</dt>
          <dd>${title}</dd>
        </div>
        <div>
          <dt>${t.t("originCity")}</dt>
          <dd>${cityLabel(originCity)}</dd>
        </div>
        ${
          licence
            ? html`<div>
                <dt>${t.t("licence")}</dt>
                <dd>${licence}</dd>
              </div>`
            : null
        }
      </dl>
      <div class="actions">
        ${postButton(view, action === "fork" ? "/staff/guidelines/fork" : "/staff/use-cases/adopt", { id }, t.t(action === "fork" ? "forkThis" : "adoptThis"))}
      </div>
      <p><a href="/staff">${t.t("staffTitle")}</a></p>`,
  );
}

/** The API refused an action; nothing was changed. */
export function refusalPage(view: StaffView, error: PayloadError, next?: { href: string; label: string }): SafeHtml {
  const { t } = view.context;
  return layout(
    view.context,
    t.t("errorTitle"),
    html`<h1>${t.t("errorTitle")}</h1>
      ${errorNotice(view, error)} ${next ? html`<p><a class="button" href="${next.href}">${next.label}</a></p>` : null}
      <p><a href="/staff">${t.t("staffTitle")}</a></p>`,
  );
}

/** "Would our use cases pass this guideline?": the city's use cases that its rules would block, with the failed rules. */
export function failingUseCasesPage(
  view: StaffView,
  origin: string,
  result: Extract<FailingUseCasesData["result"], { __typename: "UseCasesFailingGuideline" }>,
): SafeHtml {
  const { t } = view.context;
  const guideline = result.guidelineVersion;
  return layout(
    view.context,
    t.t("wouldOurUseCasesPass"),
    html`<h1>${t.t("wouldOurUseCasesPass")}</h1>
      <p class="lead"><a href="${recordHref(origin, "guideline", guideline.id)}">${guideline.title.text} ${guideline.version}</a></p>
      <dl class="facts">
        <div>
          <dt>${t.t("useCasesChecked")}</dt>
          <dd>${t.number(result.checked)}</dd>
        </div>
      </dl>
      ${
        result.failing.nodes.length === 0
          ? html`<div class="notice ok" role="status"><p>${t.t("allUseCasesPass")}</p></div>`
          : html`<h2>${t.t("failingUseCases")}</h2>
              ${result.failing.nodes.map(
                (entry) =>
                  html`<section class="guideline-section" aria-label="${entry.useCase.name.text}">
                    <h3>${entry.useCase.name.text} <span class="tag">${t.label(entry.useCase.workflow.state)}</span></h3>
                    ${ruleResultsTable(view.context, entry.violations, t.t("violations"), formLabel(view))}
                    ${entry.warnings.length > 0 ? ruleResultsTable(view.context, entry.warnings, t.t("warnings"), formLabel(view)) : null}
                  </section>`,
              )}`
      }
      <p><a href="/staff">${t.t("staffTitle")}</a></p>`,
  );
}

const previewWords = {
  de: {
    title: "Vorschau vor dem Veröffentlichen",
    intro:
      "So wird diese Version auf der öffentlichen Seite Ihrer Kommune stehen. Mit „Jetzt veröffentlichen“ wird sie für alle sichtbar und an die Kommunen übermittelt, die Ihnen folgen; danach lässt sie sich nicht mehr ändern, nur durch eine neue Version ablösen.",
    preview: "Vorschau",
    publishNow: "Jetzt veröffentlichen",
    back: "Zurück zum Entwurf",
    notDraft: "Diese Version ist kein Entwurf (mehr) und kann nicht veröffentlicht werden.",
  },
  en: {
    title: "Preview before publishing",
    intro:
      'This is how this version will appear on your municipality\'s public page. "Publish now" makes it visible to everyone and sends it to the municipalities that follow you; after that it cannot be changed, only replaced by a new version.',
    preview: "Preview",
    publishNow: "Publish now",
    back: "Back to the draft",
    notDraft: "This version is not (or no longer) a draft and cannot be published.",
  },
} as const;

/** The draft as its public page will show it, with "publish now" (naming the lockVersion shown) and the way back to the draft. */
export function guidelinePublishPreviewPage(view: StaffView, guideline: GuidelineRecord & { lockVersion: number }, rules: readonly RuleTitle[]): SafeHtml {
  const { context } = view;
  const { t } = context;
  const w = previewWords[t.language];
  const isDraft = guideline.state === "DRAFT";
  const draftHref = `/staff/guidelines/edit?id=${encodeURIComponent(guideline.id)}`;
  return layout(
    context,
    w.title,
    html`<h1>${w.title}</h1>
      ${isDraft ? html`<p class="lead">${w.intro}</p>` : html`<div class="notice warning"><p>${w.notDraft}</p></div>`}
      <section class="preview" aria-labelledby="preview-title">
        <p class="muted">${w.preview} · ${t.label(guideline.kind)}</p>
        <h2 id="preview-title">${inLanguage(t.language, guideline.title)}</h2>
        ${guideline.summary ? html`<p class="lead">${inLanguage(t.language, guideline.summary)}</p>` : null}
        ${facts([
          [t.t("version"), guideline.version],
          [t.t("validFrom"), t.date(guideline.validFrom)],
          [
            t.t("issuingBody"),
            html`${inLanguage(t.language, guideline.issuingBody.name)}${guideline.issuingBody.organisationId ? html` (${guideline.issuingBody.organisationId.scheme} ${guideline.issuingBody.organisationId.value})` : null}`,
          ],
          [t.t("audience"), inLanguage(t.language, guideline.audience)],
          [t.t("licence"), licenceOf(guideline.licenceId)],
          [t.t("changes"), inLanguage(t.language, guideline.changeSummary)],
        ])}
        <h2>${t.t("principles")}</h2>
        ${principleList(context, guideline.principles, rules)} ${guidelineSections(context, guideline.sections)}
      </section>
      <div class="actions">
        ${isDraft ? postButton(view, "/staff/guidelines/publish", { id: guideline.id, lockVersion: String(guideline.lockVersion) }, w.publishNow) : null}
        <a class="button${isDraft ? " secondary" : ""}" href="${isDraft ? draftHref : "/staff"}">${isDraft ? w.back : t.t("staffTitle")}</a>
      </div>`,
  );
}
