import { adminTexts, type AdminTexts } from "./admin.i18n.ts";
import { areaPage, dataTable } from "./admin.views.ts";
import type { CatalogModerator, CatalogProfile, CatalogViewEntry, HostedCatalogSummary, JoinedCatalog } from "./catalogs.queries.ts";
import { checkboxField, choiceField, field, problemAt, problemSummary, type FormProblem } from "./form.views.ts";
import { html, type SafeHtml } from "./html.ts";
import { csrfField, facts, type PageContext } from "./layout.ts";
import { may } from "@leitplanken/core";
import { cityLabel } from "./peers.views.ts";
import { postButton, type StaffView } from "./staff.views.ts";

export const catalogKinds = ["USE_CASE", "GUIDELINE", "MODEL"] as const;
export const catalogOpenTo = ["ANYONE", "MEMBERS"] as const;

/** Limits of catalog settings (core's catalogSettingsSchema), shown at the fields. */
export const catalogLimits = { handle: 64, name: 200, description: 5_000, rules: 20_000, moderators: 100, address: 500 } as const;

const catalogsTrail = (a: AdminTexts) => [{ href: "/staff/catalogs", label: a.catalogsTitle }];

/** The catalog's addresses as cities enter them: the actor URL and `@handle@host`. */
export function catalogAddresses(id: string, handle: string | null): string[] {
  const addresses = [id];
  if (handle && URL.canParse(id)) addresses.push(`@${handle}@${new URL(id).host}`);
  return addresses;
}

const profileName = (profile: CatalogProfile) => profile.name ?? profile.handle ?? cityLabel(profile.id);

const moderatorLabel = (moderator: CatalogModerator) => (moderator.type === "LOCAL" ? (moderator.name ?? "") : cityLabel(moderator.iri ?? ""));

export interface CatalogsPageState {
  /** Null when the node has no catalogs at all, or the role does not join catalogs. */
  joined: JoinedCatalog[] | null;
  /** Null when the node is composed without catalogs. */
  hosted: HostedCatalogSummary[] | null;
  notice: "joined" | "left" | "created" | "saved" | undefined;
  canJoin: boolean;
  canConfigure: boolean;
}

/** The catalogs a city belongs to and those its node runs, each with what the role may do there. */
export function catalogsPage(view: StaffView, state: CatalogsPageState): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const notices = { joined: a.joined, left: a.left, created: a.saved, saved: a.saved } as const;
  return areaPage(
    view,
    [],
    a.catalogsTitle,
    html`<p class="lead">${a.catalogsIntro}</p>
      ${state.notice ? html`<div class="notice ok" role="status"><p>${notices[state.notice]}</p></div>` : null}
      ${state.hosted === null ? html`<p>${a.catalogsUnavailable}</p>` : null}
      ${
        state.canJoin && state.joined
          ? html`<section aria-labelledby="joined-catalogs">
              <h2 id="joined-catalogs">${a.joinedCatalogs}</h2>
              ${
                state.joined.length === 0
                  ? html`<p>${a.joinedNone}</p>`
                  : dataTable(
                      a.joinedCatalogs,
                      [a.catalogName, a.membership, a.memberSince, a.actions],
                      state.joined.map(
                        (joined) =>
                          html`<tr>
                            <td>
                              ${profileName(joined.catalog)}<br /><span class="muted"><code>${joined.catalog.id}</code></span>
                            </td>
                            <td><span class="tag">${a[`membership${joined.state}`]}</span></td>
                            <td>${t.dateTime(joined.since)}</td>
                            <td>
                              <div class="actions">
                                <a
                                  class="button secondary"
                                  href="/staff/catalogs/view?catalog=${encodeURIComponent(joined.catalog.id)}"
                                  aria-label="${a.viewOurEntries}: ${profileName(joined.catalog)}"
                                  >${a.viewOurEntries}</a
                                >
                                <a
                                  class="button secondary"
                                  href="/staff/catalogs/leave?catalog=${encodeURIComponent(joined.catalog.id)}"
                                  aria-label="${a.leave}: ${profileName(joined.catalog)}"
                                  >${a.leave}</a
                                >
                              </div>
                            </td>
                          </tr>`,
                      ),
                    )
              }
              <h3 id="find-catalog">${a.findCatalog}</h3>
              <form method="get" action="/staff/catalogs/find" class="stack">
                ${field(t.language, "address", a.catalogAddress, "", { required: true, maxLength: catalogLimits.address, hint: a.catalogAddressHint, autocomplete: "off" })}
                <div><button type="submit">${a.findCatalogButton}</button></div>
              </form>
            </section>`
          : null
      }
      ${state.hosted ? hostedSection(view, state.hosted, state.canConfigure) : null}`,
  );
}

function hostedSection(view: StaffView, hosted: readonly HostedCatalogSummary[], canConfigure: boolean): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  return html`<section aria-labelledby="hosted-catalogs">
    <h2 id="hosted-catalogs">${a.hostedCatalogs}</h2>
    ${canConfigure ? html`<p><a class="button" href="/staff/catalogs/new">${a.newCatalog}</a></p>` : null}
    ${
      hosted.length === 0
        ? html`<p>${a.hostedNone}</p>`
        : hosted.map(
            (catalog) =>
              html`<article class="card catalog-card" aria-labelledby="catalog-${catalog.handle}">
                <h3 id="catalog-${catalog.handle}">${catalog.name.text}</h3>
                <p>${catalog.description.text}</p>
                ${facts([
                  [
                    a.catalogAddressIs,
                    html`${catalogAddresses(catalog.id, catalog.handle).map((address, index) => html`${index > 0 ? html`<br />` : null}<code>${address}</code>`)}`,
                  ],
                  [a.acceptedKinds, catalog.policy.acceptedKinds.map((kind) => a[`kind${kind as (typeof catalogKinds)[number]}`] ?? kind).join(", ")],
                  [a.openTo, a[`openTo${catalog.policy.openTo as (typeof catalogOpenTo)[number]}`] ?? catalog.policy.openTo],
                  [a.memberApproval, t.yesNo(catalog.policy.memberApprovalRequired)],
                  [a.moderators, catalog.moderators.map(moderatorLabel).join(", ")],
                  [a.members, t.number(catalog.memberships.totalCount)],
                ])}
                <div class="actions">
                  ${catalog.viewerIsModerator ? html`<a class="button" href="/staff/moderation#catalog-${catalog.handle}">${a.moderateThis}</a>` : null}
                  ${
                    canConfigure
                      ? html`<a
                          class="button secondary"
                          href="/staff/catalogs/edit?id=${encodeURIComponent(catalog.id)}"
                          aria-label="${a.settings}: ${catalog.name.text}"
                          >${a.settings}</a
                        >`
                      : null
                  }
                </div>
              </article>`,
          )
    }
  </section>`;
}

/** A catalog found by its address: what it is and what joining does, then the button. */
export function foundCatalogPage(view: StaffView, address: string, catalog: CatalogProfile | undefined, refusal: string | undefined): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  return areaPage(
    view,
    catalogsTrail(a),
    catalog ? a.foundTitle : a.findCatalog,
    html`${problemSummary(t.language, undefined, refusal ? [{ name: "address", label: a.catalogAddress, message: refusal }] : [])}
      ${
        catalog
          ? html`<h2>${profileName(catalog)}</h2>
              ${catalog.summary ? html`<p>${catalog.summary}</p>` : null}
              ${facts([[a.catalogAddressIs, html`${catalogAddresses(catalog.id, catalog.handle).map((each, index) => html`${index > 0 ? html`<br />` : null}<code>${each}</code>`)}`]])}
              <p>${catalog.membersNeedApproval ? a.joinPolicyReview : a.joinPolicyOpen}</p>
              <h2>${a.whatHappensNext}</h2>
              <ol>
                <li>${a.joinNext1}</li>
                <li>${a.joinNext2}</li>
              </ol>
              <div class="actions">
                ${postButton(view, "/staff/catalogs/join", { catalog: catalog.id }, a.joinButton)} <a href="/staff/catalogs">${a.cancel}</a>
              </div>`
          : null
      }
      <h2>${catalog ? a.findCatalog : a.catalogAddress}</h2>
      <form method="get" action="/staff/catalogs/find" class="stack">
        ${field(t.language, "address", a.catalogAddress, address, {
          required: true,
          maxLength: catalogLimits.address,
          hint: a.catalogAddressHint,
          error: refusal,
          autocomplete: "off",
        })}
        <div><button type="submit" class="${catalog ? "secondary" : ""}">${a.findCatalogButton}</button></div>
      </form>`,
  );
}

export function leaveCatalogPage(view: StaffView, joined: JoinedCatalog): SafeHtml {
  const a = adminTexts(view.context.t.language);
  return areaPage(
    view,
    catalogsTrail(a),
    a.leaveTitle,
    html`${facts([
        [a.catalogName, profileName(joined.catalog)],
        [a.catalogAddressIs, html`<code>${joined.catalog.id}</code>`],
        [a.membership, a[`membership${joined.state}`]],
      ])}
      <p>${a.leaveIntro}</p>
      <div class="actions">
        ${postButton(view, "/staff/catalogs/leave", { catalog: joined.catalog.id }, a.confirmLeave)} <a href="/staff/catalogs">${a.cancel}</a>
      </div>`,
  );
}

const viewStateLabel = (a: AdminTexts, state: string) =>
  ["SUBMITTED", "APPROVED", "REJECTED", "REMOVED"].includes(state) ? a[`view${state as "SUBMITTED"}`] : state;

/** What a catalog did with this city's submissions (and holds of other cities), with the moderators' reasons. */
export function catalogViewPage(view: StaffView, joined: JoinedCatalog, entries: readonly CatalogViewEntry[], titles: ReadonlyMap<string, string>): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const ours = entries.filter((entry) => entry.submissionActivityId);
  return areaPage(
    view,
    catalogsTrail(a),
    `${a.ourEntriesTitle}: ${profileName(joined.catalog)}`,
    html`${facts([
      [a.catalogAddressIs, html`<code>${joined.catalog.id}</code>`],
      [a.membership, a[`membership${joined.state}`]],
    ])}
    ${
      ours.length === 0
        ? html`<p>${a.ourEntriesNone}</p>`
        : dataTable(
            a.ourEntriesTitle,
            [a.record, a.state, a.reason, t.t("since")],
            ours.map(
              (entry) =>
                html`<tr>
                  <td><a href="${entry.recordId}">${titles.get(entry.recordId) ?? entry.recordId}</a></td>
                  <td><span class="tag">${viewStateLabel(a, entry.state)}</span></td>
                  <td>${entry.reason ?? "–"}</td>
                  <td>${t.dateTime(entry.updatedAt)}</td>
                </tr>`,
            ),
          )
    }`,
  );
}

export interface SubmitTarget {
  joined: JoinedCatalog;
  /** This record's entry in the catalog, if it was submitted there. */
  entry: CatalogViewEntry | undefined;
}

/** Submitting one of the city's published records: each catalog the city is a member of, with the record's state there. */
export function submitPage(
  view: StaffView,
  record: { id: string; title: string; publicHref: string },
  targets: readonly SubmitTarget[],
  notice: boolean,
): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const members = targets.filter((target) => target.joined.state === "ACCEPTED");
  return areaPage(
    view,
    catalogsTrail(a),
    a.submitTitle,
    html`${notice ? html`<div class="notice ok" role="status"><p>${a.submitted}</p></div>` : null}
      <p class="lead"><a href="${record.publicHref}">${record.title}</a></p>
      <p>${a.submitIntro}</p>
      ${
        members.length === 0
          ? html`<p>${a.submitNoCatalogs}</p>
              <p><a class="button" href="/staff/catalogs#find-catalog">${a.findCatalog}</a></p>`
          : dataTable(
              a.catalogsTitle,
              [a.catalogName, a.state, a.actions],
              members.map(({ joined, entry }) => {
                // A record waits or stands in a catalog once; after a rejection or removal it may be submitted again.
                const open = entry && (entry.state === "SUBMITTED" || entry.state === "APPROVED");
                return html`<tr>
                  <td>${profileName(joined.catalog)}</td>
                  <td>
                    ${entry ? html`<span class="tag">${viewStateLabel(a, entry.state)}</span>${entry.reason ? html`<br />${a.reason}: ${entry.reason}` : null}` : "–"}
                  </td>
                  <td>
                    ${open ? null : postButton(view, "/staff/catalogs/submit", { catalog: joined.catalog.id, record: record.id }, a.submitButton, false, `${a.submitButton}: ${profileName(joined.catalog)}`)}
                  </td>
                </tr>`;
              }),
            )
      }`,
  );
}

/** What the catalog form holds, as typed (kept after a refusal). */
export interface CatalogForm {
  handle: string;
  "name.de": string;
  "name.en": string;
  "description.de": string;
  "description.en": string;
  "rules.de": string;
  "rules.en": string;
  kinds: string[];
  openTo: string;
  memberApproval: boolean;
  moderators: string;
}

export const emptyCatalogForm: CatalogForm = {
  handle: "",
  "name.de": "",
  "name.en": "",
  "description.de": "",
  "description.en": "",
  "rules.de": "",
  "rules.en": "",
  kinds: ["USE_CASE"],
  openTo: "MEMBERS",
  memberApproval: true,
  moderators: "",
};

/** The form fields and the API paths they answer for (to put the API's field errors at their labels). */
export function catalogFormFields(a: AdminTexts, german: string, english: string) {
  return [
    { path: "handle", name: "handle", label: a.catalogHandle },
    { path: "name.de", name: "name.de", label: `${a.catalogName} (${german})` },
    { path: "name.en", name: "name.en", label: `${a.catalogName} (${english})` },
    { path: "name", name: "name.de", label: a.catalogName },
    { path: "description.de", name: "description.de", label: `${a.catalogDescription} (${german})` },
    { path: "description.en", name: "description.en", label: `${a.catalogDescription} (${english})` },
    { path: "description", name: "description.de", label: a.catalogDescription },
    { path: "rules.de", name: "rules.de", label: `${a.catalogRules} (${german})` },
    { path: "rules.en", name: "rules.en", label: `${a.catalogRules} (${english})` },
    { path: "rules", name: "rules.de", label: a.catalogRules },
    { path: "moderators", name: "moderators", label: a.moderators },
    { path: "policy.acceptedKinds", name: "kinds", label: a.acceptedKinds },
    { path: "policy.openTo", name: "openTo", label: a.openTo },
    { path: "policy", name: "kinds", label: a.acceptedKinds },
  ];
}

/** Creating a catalog, or changing its settings (`id` given: the handle stays). */
export function catalogFormPage(
  view: StaffView,
  form: CatalogForm,
  problems: readonly FormProblem[],
  id: string | undefined,
  refusal: string | undefined,
): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const language = t.language;
  const both = (
    name: "name" | "description" | "rules",
    label: string,
    options: { required?: boolean; multiline?: boolean; maxLength: number; hint?: string },
  ) =>
    html`${field(language, `${name}.de`, `${label} (${t.t("german")})`, form[`${name}.de`], { ...options, lang: "de", error: problemAt(problems, `${name}.de`) })}
    ${field(language, `${name}.en`, `${label} (${t.t("english")})`, form[`${name}.en`], { ...options, required: false, hint: undefined, lang: "en", error: problemAt(problems, `${name}.en`) })}`;
  const title = id ? a.editCatalog : a.newCatalog;
  return areaPage(
    view,
    catalogsTrail(a),
    title,
    html`${problemSummary(language, refusal, problems)}
      <form method="post" action="${id ? "/staff/catalogs/edit" : "/staff/catalogs/new"}" class="stack" novalidate>
        ${csrfField(view.csrfToken)} ${id ? html`<input type="hidden" name="id" value="${id}" />` : null}
        <fieldset>
          <legend>${a.catalogName}</legend>
          ${field(language, "handle", a.catalogHandle, form.handle, {
            required: true,
            maxLength: catalogLimits.handle,
            hint: a.catalogHandleHint,
            readonly: id !== undefined,
            error: problemAt(problems, "handle"),
            autocomplete: "off",
          })}
          ${both("name", a.catalogName, { required: true, maxLength: catalogLimits.name })}
          ${both("description", a.catalogDescription, { required: true, multiline: true, maxLength: catalogLimits.description, hint: a.catalogDescriptionHint })}
          ${both("rules", a.catalogRules, { multiline: true, maxLength: catalogLimits.rules, hint: a.catalogRulesHint })}
        </fieldset>
        <fieldset class="${problemAt(problems, "kinds") ? "has-error" : ""}">
          <legend>${a.acceptedKinds} <span class="required-mark">(${language === "de" ? "Pflichtfeld" : "required"})</span></legend>
          ${problemAt(problems, "kinds") ? html`<p class="field-error" id="field-kinds">${problemAt(problems, "kinds")}</p>` : null}
          ${catalogKinds.map((kind) => checkboxField(`kind-${kind}`, a[`kind${kind}`], form.kinds.includes(kind)))}
        </fieldset>
        ${choiceField(
          language,
          "openTo",
          a.openTo,
          catalogOpenTo.map((value) => ({ value, label: a[`openTo${value}`] })),
          form.openTo,
          { required: true, error: problemAt(problems, "openTo") },
        )}
        ${checkboxField("memberApproval", a.memberApproval, form.memberApproval, a.memberApprovalHint)}
        ${field(language, "moderators", a.moderators, form.moderators, { required: true, multiline: true, hint: a.moderatorsHint, error: problemAt(problems, "moderators") })}
        <div><button type="submit">${id ? a.saveCatalog : a.createCatalog}</button></div>
      </form>`,
  );
}

/** After creating a catalog: its address to pass on, and what happens next. */
export function catalogCreatedPage(view: StaffView, catalog: { id: string; handle: string }): SafeHtml {
  const a = adminTexts(view.context.t.language);
  return areaPage(
    view,
    catalogsTrail(a),
    a.catalogCreatedTitle,
    html`<div class="notice ok" role="status"><p>${a.saved}</p></div>
      ${facts([[a.catalogAddressIs, html`${catalogAddresses(catalog.id, catalog.handle).map((each, index) => html`${index > 0 ? html`<br />` : null}<code>${each}</code>`)}`]])}
      <h2>${a.whatHappensNext}</h2>
      <ol>
        <li>${a.catalogNext1}</li>
        <li>${a.catalogNext2}</li>
        <li>${a.catalogNext3}</li>
      </ol>
      <p><a class="button" href="/staff/catalogs">${a.catalogsTitle}</a></p>`,
  );
}

/** The link from a published record's row in the staff area to submitting it to a catalog (for those who may). */
export function submitToCatalogLink(context: PageContext, recordId: string, title: string): SafeHtml | null {
  const principal = context.staff?.principal;
  if (!principal || !may(principal, "catalog.membership")) return null;
  const a = adminTexts(context.t.language);
  return html`<a class="button secondary" href="/staff/catalogs/submit?record=${encodeURIComponent(recordId)}" aria-label="${a.submitToCatalog}: ${title}"
    >${a.submitToCatalog}</a
  >`;
}
