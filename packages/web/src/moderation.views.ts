import { html, type SafeHtml } from "./html.ts";
import { labelOfPath } from "./use-case.form.ts";
import { csrfField, layout, type PageContext } from "./layout.ts";
import { adminTexts, fill } from "./admin.i18n.ts";
import { dataTable } from "./admin.views.ts";
import type { CatalogActor, HostedCatalog, LogEntry, ModeratedCatalog, ModerationLogData, OpenReport, QueueEntry, QueueMember } from "./moderation.queries.ts";
import { ruleResultsTable } from "./register.views.ts";
import { entryRecordHref } from "./catalog-public.queries.ts";
import { registerOf } from "./names.ts";
import { cityLabel } from "./peers.views.ts";
import { postButton, type StaffView } from "./staff.views.ts";

export interface ModerationView {
  /** Null when the node was composed without catalogs. */
  catalogs: (ModeratedCatalog | HostedCatalog)[] | null;
  /** Reports about the node's own records; null when the staff member may not see them. */
  nodeReports: OpenReport[] | null;
  done: boolean;
}

const kindLabels: Record<string, "useCase" | "guideline" | "model"> = { USE_CASE: "useCase", GUIDELINE: "guideline", MODEL: "model" };

/** A form with a required reason and one submit button; `key` keeps the field ids of a page's rows apart. */
function reasonForm(view: StaffView, action: string, key: string, fields: Record<string, string>, label: string, accessibleName: string): SafeHtml {
  const { t } = view.context;
  return html`<form method="post" action="${action}" class="reason-form">
    ${csrfField(view.csrfToken)}${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}<label
      for="reason-${key}"
      >${t.t("reason")}</label
    ><input type="text" id="reason-${key}" name="reason" required maxlength="2000" /><button type="submit" class="secondary" aria-label="${accessibleName}">
      ${label}
    </button>
  </form>`;
}

/** The record's title as the catalog's copy names it; the IRI until the catalog has the document. */
function entryTitle(entry: QueueEntry): string {
  const record = entry.record;
  if (!record) return entry.recordId;
  const title = record.name?.text ?? record.title?.text ?? entry.recordId;
  return record.version ? `${title} ${record.version}` : title;
}

/** The city by its name and host, or its address when its actor did not answer. */
const cityOf = (entry: QueueEntry) => (entry.originCityName ? `${entry.originCityName} (${new URL(entry.originCity).host})` : cityLabel(entry.originCity));

/** A use case's rule check in a line, with the results behind a disclosure (works without script). */
function ruleCheckCell(context: PageContext, entry: QueueEntry): SafeHtml | string {
  const { t } = context;
  const a = adminTexts(t.language);
  const check = entry.ruleCheck;
  if (!check) return "–";
  const failed = check.results.filter((result) => !result.passed);
  const errors = failed.filter((result) => result.severity === "ERROR").length;
  const against = check.guidelineVersion ? `${check.guidelineVersion.title.text} ${check.guidelineVersion.version}` : a.wholeRuleCatalog;
  return html`<details class="rule-check">
    <summary>
      <span class="${check.passed ? "result-passed" : "result-failed"}">${check.passed ? a.rulesPassed : fill(a.rulesFailed, { count: String(errors) })}</span
      >${failed.length > errors ? html` · ${fill(a.rulesWarnings, { count: String(failed.length - errors) })}` : null}
    </summary>
    <p class="muted">${a.checkedAgainst}: ${against}</p>
    ${ruleResultsTable(context, check.results, `${a.ruleCheckOf} ${entryTitle(entry)}`, (path) => labelOfPath({}, context.t.language, path))}
  </details>`;
}

function entryTable(view: StaffView, catalog: ModeratedCatalog, entries: readonly QueueEntry[], state: "submitted" | "approved", caption: string): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  if (entries.length === 0)
    return html`<h3>${caption}</h3>
      <p>${t.t("noEntries")}</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.t("record")}</th>
          <th scope="col">${t.t("originCity")}</th>
          <th scope="col">${t.t(state === "submitted" ? "submittedAt" : "publishedAt")}</th>
          ${state === "submitted" ? html`<th scope="col">${a.ruleCheck}</th>` : null}
          <th scope="col">${t.t("actions")}</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map((entry, index) => {
          const fields = { catalogId: catalog.id, entryId: entry.id };
          const title = entryTitle(entry);
          const named = (action: string) => `${action}: ${title}`;
          const key = `${catalog.handle}-${state}-${index}`;
          return html`<tr>
            <td>${t.t(kindLabels[entry.recordKind] ?? "record")}<br /><a href="${entry.recordId}">${title}</a></td>
            <td>${cityOf(entry)}</td>
            <td>${t.dateTime(state === "submitted" ? entry.submittedAt : (entry.approvedAt ?? entry.submittedAt))}</td>
            ${state === "submitted" ? html`<td>${ruleCheckCell(view.context, entry)}</td>` : null}
            <td>
              <div class="actions">
                ${
                  state === "submitted"
                    ? html`${postButton(view, "/staff/moderation/approve", fields, t.t("approve"), false, named(t.t("approve")))}${reasonForm(view, "/staff/moderation/reject", key, fields, t.t("reject"), named(t.t("reject")))}`
                    : reasonForm(view, "/staff/moderation/remove", key, fields, t.t("remove"), named(t.t("remove")))
                }
              </div>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** Cities that asked to join (accept, or reject with a reason), or members (remove with a reason). */
function memberTable(view: StaffView, catalog: ModeratedCatalog, members: readonly QueueMember[], state: "pending" | "accepted"): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const caption = state === "pending" ? a.joinRequests : a.members;
  if (members.length === 0)
    return html`<h3>${caption}</h3>
      <p>${state === "pending" ? a.noJoinRequests : a.noMembers}</p>`;
  return dataTable(
    caption,
    [t.t("city"), state === "pending" ? a.memberSince : a.memberJoined, t.t("actions")],
    members.map((member, index) => {
      const fields = { catalogId: catalog.id, actor: member.actor };
      const key = `${catalog.handle}-member-${state}-${index}`;
      const label = cityLabel(member.actor);
      return html`<tr>
        <td>
          ${label}<br /><span class="muted"><code>${member.actor}</code></span>
        </td>
        <td>${t.dateTime(state === "pending" ? member.requestedAt : (member.joinedAt ?? member.requestedAt))}</td>
        <td>
          <div class="actions">
            ${
              state === "pending"
                ? html`${postButton(view, "/staff/moderation/member", { ...fields, action: "accept" }, a.acceptMember, false, `${a.acceptMember}: ${label}`)}${reasonForm(
                    view,
                    "/staff/moderation/member",
                    key,
                    { ...fields, action: "reject" },
                    t.t("reject"),
                    `${t.t("reject")}: ${label}`,
                  )}`
                : reasonForm(view, "/staff/moderation/member", key, { ...fields, action: "remove" }, t.t("remove"), `${t.t("remove")}: ${label}`)
            }
          </div>
        </td>
      </tr>`;
    }),
    false,
  );
}

function reportTable(view: StaffView, reports: readonly OpenReport[], caption: string, key: string): SafeHtml {
  const { t } = view.context;
  if (reports.length === 0)
    return html`<h3>${caption}</h3>
      <p>${t.t("noReports")}</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.t("target")}</th>
          <th scope="col">${t.t("reportCategory")}</th>
          <th scope="col">${t.t("reporter")}</th>
          <th scope="col">${t.t("reportedAt")}</th>
          <th scope="col">${t.t("actions")}</th>
        </tr>
      </thead>
      <tbody>
        ${reports.map(
          (report, index) =>
            html`<tr>
              <td><a href="${report.target}">${report.target}</a>${report.text ? html`<p>${report.text}</p>` : null}</td>
              <td>${t.label(report.category)}</td>
              <td>${report.reporter ? cityLabel(report.reporter) : t.t("citizen")}</td>
              <td>${t.dateTime(report.createdAt)}</td>
              <td>
                <div class="actions">
                  ${reasonForm(view, "/staff/moderation/close-report", `${key}-resolve-${index}`, { reportId: report.id, outcome: "RESOLVED" }, t.t("resolve"), `${t.t("resolve")}: ${report.target}`)}${reasonForm(
                    view,
                    "/staff/moderation/close-report",
                    `${key}-dismiss-${index}`,
                    { reportId: report.id, outcome: "DISMISSED" },
                    t.t("dismiss"),
                    `${t.t("dismiss")}: ${report.target}`,
                  )}
                </div>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function moderationPage(view: StaffView, moderation: ModerationView): SafeHtml {
  const { t } = view.context;
  return layout(
    view.context,
    t.t("moderationTitle"),
    html`<h1>${t.t("moderationTitle")}</h1>
      <p class="lead">${t.t("moderationIntro")}</p>
      ${moderation.done ? html`<div class="notice ok" role="status"><p>${t.t("done")}</p></div>` : null}
      <p><a href="/moderation-log">${t.t("moderationLog")}</a></p>
      ${
        moderation.nodeReports
          ? html`<section aria-labelledby="node-reports">
              <h2 id="node-reports">${t.t("nodeReports")}</h2>
              ${reportTable(view, moderation.nodeReports, t.t("openReports"), "node")}
            </section>`
          : null
      }
      ${
        moderation.catalogs === null
          ? html`<p>${t.t("catalogsUnavailable")}</p>`
          : moderation.catalogs.length === 0
            ? html`<p>${t.t("noCatalogs")}</p>`
            : moderation.catalogs.map(
                (catalog) =>
                  html`<section aria-labelledby="catalog-${catalog.handle}">
                    <h2 id="catalog-${catalog.handle}">${catalog.name.text}</h2>
                    ${
                      "submitted" in catalog
                        ? html`${entryTable(view, catalog, catalog.submitted.nodes, "submitted", t.t("submittedEntries"))}
                          ${memberTable(view, catalog, catalog.pendingMembers.nodes, "pending")}
                          ${reportTable(view, catalog.reports.nodes, t.t("openReports"), catalog.handle)}
                          ${entryTable(view, catalog, catalog.approved.nodes, "approved", t.t("approvedEntries"))}
                          ${memberTable(view, catalog, catalog.acceptedMembers.nodes, "accepted")}`
                        : html`<p>${t.t("notModerator")}</p>`
                    }
                  </section>`,
              )
      }
      <p><a href="/staff">${t.t("staffTitle")}</a></p>`,
  );
}

function actorLabel(context: PageContext, actor: CatalogActor): string {
  if (actor.type === "LOCAL") return actor.name ?? context.cityName;
  return actor.iri ? cityLabel(actor.iri) : "–";
}

const concernedKind = { USE_CASE: "useCase", GUIDELINE: "guideline", MODEL: "model" } as const;

/** What an action was about, as citizens can follow it: the record's page, a city by name, else the plain value. */
function logTarget(context: PageContext, origin: string, entry: LogEntry): SafeHtml | string {
  const { t } = context;
  if (entry.concerns) {
    return html`<a href="${entryRecordHref(origin, entry.concerns.id)}">${t.t(concernedKind[entry.concerns.kind])}: ${t.t("viewRecord")}</a>`;
  }
  if ((entry.targetType === "MEMBER" || entry.targetType === "ACTOR") && URL.canParse(entry.target)) {
    return html`<a href="${registerOf(entry.target)}">${cityLabel(entry.target)}</a>`;
  }
  if (entry.targetType === "ENTRY" || entry.targetType === "REPORT") return html`<span class="muted">${t.t("recordNoLongerKnown")}</span>`;
  return html`<code>${entry.target}</code>`;
}

function logTable(context: PageContext, origin: string, entries: readonly LogEntry[], caption: string): SafeHtml {
  const { t } = context;
  if (entries.length === 0) return html`<p>${t.t("noLogEntries")}</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table>
      <caption class="visually-hidden">
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.t("when")}</th>
          <th scope="col">${t.t("action")}</th>
          <th scope="col">${t.t("actor")}</th>
          <th scope="col">${t.t("target")}</th>
          <th scope="col">${t.t("reason")}</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          (entry) =>
            html`<tr>
              <td>${t.dateTime(entry.at)}</td>
              <td>${t.label(entry.kind)}${entry.isRevert ? html` <span class="muted">(${t.t("reverted")})</span>` : null}</td>
              <td>${actorLabel(context, entry.actor)}</td>
              <td>${logTarget(context, origin, entry)}</td>
              <td>${entry.reason ?? "–"}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The public moderation log: what the API shows anonymous readers (no confidential entries). */
export function moderationLogPage(context: PageContext, origin: string, data: ModerationLogData | null): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("moderationLog"),
    html`<h1>${t.t("moderationLog")}</h1>
      <p class="lead">${t.t("moderationLogIntro")}</p>
      ${
        data === null
          ? html`<p>${t.t("catalogsUnavailable")}</p>`
          : html`${data.hostedCatalogs.nodes.map(
                (catalog) =>
                  html`<section aria-labelledby="log-${catalog.handle}-heading" id="log-${catalog.handle}">
                    <h2 id="log-${catalog.handle}-heading"><a href="/catalogs/${catalog.handle}">${catalog.name.text}</a></h2>
                    ${logTable(context, origin, catalog.moderationHistory.nodes, catalog.name.text)}
                  </section>`,
              )}
              <section aria-labelledby="log-node">
                <h2 id="log-node">${t.t("nodeWide")}</h2>
                ${logTable(context, origin, data.nodeModerationHistory.nodes, t.t("nodeWide"))}
              </section>`
      }`,
  );
}
