import { openDataBox } from "./open-data.views.ts";
import { barChart } from "./chart.ts";
import { html, type HtmlValue, type SafeHtml } from "./html.ts";
import { facts, layout, type PageContext } from "./layout.ts";
import type { Translator } from "./i18n.ts";
import type {
  ComparableVersion,
  CompareData,
  GuidelineComparison,
  GuidelineDiff,
  LineageData,
  LineageNode,
  StatisticsData,
  WordChange,
} from "./network.queries.ts";
import { cityLabel, type ActorNames } from "./names.ts";
import { recordHref } from "./register.views.ts";

/** A word diff: insertions and deletions marked up, and named for screen readers (which skip ins/del). */
export function wordDiff(t: Translator, changes: readonly WordChange[]): SafeHtml {
  return html`${changes.map((change) =>
    change.kind === "ADDED"
      ? html`<ins><span class="visually-hidden">[${t.t("inserted")}: </span>${change.text}<span class="visually-hidden">]</span></ins>`
      : change.kind === "REMOVED"
        ? html`<del><span class="visually-hidden">[${t.t("deleted")}: </span>${change.text}<span class="visually-hidden">]</span></del>`
        : change.text,
  )}`;
}

const versionName = (version: { title: { text: string }; version: string } | undefined) => (version ? `${version.title.text} ${version.version}` : "");
const versionLabel = (version: ComparableVersion) =>
  `${version.title.text} ${version.version}${version.provenance.local ? "" : ` (${version.provenance.node})`}`;

function versionSelect(context: PageContext, index: number, versions: readonly ComparableVersion[], chosen: string | undefined): SafeHtml {
  const { t } = context;
  return html`<div>
    <label for="compare-${index}">${t.t(index === 0 ? "firstVersion" : "secondVersion")}</label>
    <select id="compare-${index}" name="v">
      ${versions.map((version) => html`<option value="${version.id}" ${version.id === chosen ? html` selected` : null}>${versionLabel(version)}</option>`)}
    </select>
  </div>`;
}

function principleMatrix(context: PageContext, origin: string, comparison: GuidelineComparison): SafeHtml {
  const { t } = context;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("principleMatrix")}">
    <table class="matrix">
      <caption>
        ${t.t("principleMatrix")}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.t("category")}</th>
          ${comparison.versions.map(
            (version) =>
              html`<th scope="col">
                <a href="${recordHref(origin, "guideline", version.id)}">${version.title.text} ${version.version}</a><br /><span class="muted"
                  >${cityLabel(version.provenance.city.id, null, version.provenance.originCityName)}</span
                >
              </th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${comparison.rows.map(
          (row) =>
            html`<tr>
              <th scope="row">${t.label(row.category)}${row.ruleIds.length > 0 ? html`<br /><span class="muted">${row.ruleIds.join(", ")}</span>` : null}</th>
              ${row.cells.map((cell) =>
                cell
                  ? html`<td>
                      ${cell.principle.statement.text}
                      <span class="muted"
                        >(${t.label(cell.principle.level)}${
                          cell.alignedBy === "FIRST"
                            ? null
                            : html` · ${t.t("matchedBy")}
                              ${t.label(cell.alignedBy)}${cell.similarity === null ? null : html`, ${t.number(Math.round(cell.similarity * 100))} %`}`
                        })</span
                      >
                    </td>`
                  : html`<td class="muted">–<span class="visually-hidden"> ${t.t("noMatchingPrinciple")}</span></td>`,
              )}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** What changed between two guideline versions, word by word; `from` and `to` name the versions. */
export function diffSections(context: PageContext, diff: GuidelineDiff, from: string, to: string): SafeHtml {
  const { t } = context;
  return html`<section aria-labelledby="diff-heading">
    <h2 id="diff-heading">${t.t("whatChanged")}</h2>
    <p>${from} → ${to}</p>
    ${!diff.hasChanges ? html`<p>${t.t("noChanges")}</p>` : null}
    ${diff.changedFields.length > 0 ? facts([[t.t("otherChangedFields"), diff.changedFields.join(", ")]]) : null}
    <h3>${t.t("principles")}</h3>
    ${diff.principles.every((change) => change.kind === "UNCHANGED") ? html`<p>${t.label("UNCHANGED")}</p>` : null}
    <ul class="diff-list">
      ${diff.principles
        .filter((change) => change.kind !== "UNCHANGED")
        .map(
          (change) =>
            html`<li>
              <span class="tag">${t.label(change.kind)}</span>
              <code>${change.key}</code>${change.moved ? html` <span class="muted">(${t.t("moved")})</span>` : null}
              <p class="diff">
                ${
                  change.kind === "CHANGED" && change.statementDiff
                    ? wordDiff(t, change.statementDiff)
                    : change.kind === "ADDED"
                      ? wordDiff(t, [{ kind: "ADDED", text: change.after?.statement.text ?? "" }])
                      : wordDiff(t, [{ kind: "REMOVED", text: change.before?.statement.text ?? "" }])
                }
              </p>
            </li>`,
        )}
    </ul>
    <h3>${t.t("sections")}</h3>
    ${diff.sections.map((section) => {
      const body: HtmlValue =
        section.kind === "CHANGED" && section.bodyDiff
          ? wordDiff(t, section.bodyDiff)
          : section.kind === "ADDED" || section.kind === "REMOVED"
            ? wordDiff(t, [{ kind: section.kind, text: section.body ?? "" }])
            : null;
      return html`<section class="guideline-section">
        <h4>
          ${section.heading} <span class="tag">${t.label(section.kind)}</span>${section.moved ? html` <span class="muted">(${t.t("moved")})</span>` : null}
        </h4>
        ${body ? html`<p class="diff">${body}</p>` : null}
      </section>`;
    })}
  </section>`;
}

export function comparePage(
  context: PageContext,
  origin: string,
  chosen: readonly string[],
  versions: readonly ComparableVersion[],
  result: CompareData["result"] | undefined,
): SafeHtml {
  const { t } = context;
  const comparison = result?.__typename === "GuidelineComparison" ? (result as GuidelineComparison) : undefined;
  const refusal = result && !comparison ? (result as { message: { text: string } }).message.text : undefined;
  return layout(
    context,
    t.t("compareTitle"),
    html`<h1>${t.t("compareTitle")}</h1>
      <p class="lead">${t.t("compareIntro")}</p>
      <form method="get" action="/compare" class="stack">
        <div class="filters">
          ${versionSelect(context, 0, versions, chosen[0])}${versionSelect(context, 1, versions, chosen[1] ?? versions.find((version) => version.id !== chosen[0])?.id)}
        </div>
        <div><button type="submit">${t.t("compare")}</button></div>
      </form>
      ${refusal ? html`<div class="notice error" role="alert"><p>${refusal}</p></div>` : null}
      ${comparison ? principleMatrix(context, origin, comparison) : null}
      ${comparison?.diff ? diffSections(context, comparison.diff, versionName(comparison.versions[0]), versionName(comparison.versions[1])) : null}`,
  );
}

/** The flat, depth-first node list as nested lists. */
function lineageTree(context: PageContext, origin: string, nodes: readonly LineageNode[], parentId: string | null, names: ActorNames): SafeHtml | null {
  const { t } = context;
  const children = nodes.filter((node) => node.parentId === parentId);
  if (children.length === 0) return null;
  return html`<ul class="${parentId === null ? "tree" : ""}">
    ${children.map((node) => {
      const latest = node.versions.at(-1);
      return html`<li>
        ${
          node.known
            ? html`<strong
                  >${latest ? html`<a href="${recordHref(origin, "guideline", latest.id)}">${node.title?.text ?? node.id}</a>` : (node.title?.text ?? node.id)}</strong
                >
                <span class="muted"
                  >–
                  ${node.city ? cityLabel(node.city, names) : null}${node.versions.length > 0 ? html` · ${t.t("versions")}: ${node.versions.map((version) => version.version).join(", ")}` : null}</span
                >`
            : html`<span class="muted">${t.t("originUnknown")}</span> <code>${node.id}</code>`
        }${node.cycleBroken ? html` <span class="tag">${t.t("cycleBroken")}</span>` : null}
        ${lineageTree(context, origin, nodes, node.id, names)}
      </li>`;
    })}
  </ul>`;
}

export function lineagePage(context: PageContext, origin: string, lineage: NonNullable<LineageData["lineage"]>, names: ActorNames): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("lineageTitle"),
    html`<h1>${t.t("lineageTitle")}</h1>
      <p class="lead">${t.t("lineageIntro")}</p>
      ${lineageTree(context, origin, lineage.tree.nodes, null, names)}`,
  );
}

export function statisticsPage(context: PageContext, data: StatisticsData): SafeHtml {
  const { t } = context;
  const stats = data.networkStatistics;
  const notStated = t.t("notStated");
  const kwh = (value: number) => t.number(Math.round(value));
  // "Used more than once": a model in one use case is not reuse.
  const reused = stats.modelReuse.filter((entry) => entry.useCases > 1);
  return layout(
    context,
    t.t("statisticsTitle"),
    html`<h1>${t.t("statisticsTitle")}</h1>
      <p class="lead">${t.t("statisticsIntro")}</p>
      ${facts([
        [t.t("publishedUseCases"), t.number(stats.useCases)],
        [t.t("citiesCount"), t.number(stats.coverage.cities)],
        [t.t("citiesWithUseCases"), t.number(stats.coverage.covered)],
        [t.t("totalKwhPerYear"), `${kwh(stats.energy.totalKwhPerYear)} kWh (${t.number(stats.energy.reporting)} ${t.t("reportingUseCases")})`],
        [t.t("medianKwhPerYear"), stats.energy.medianKwhPerYear === null ? notStated : `${kwh(stats.energy.medianKwhPerYear)} kWh`],
        [
          t.t("energyNotSummed"),
          `${t.number(stats.energy.perRequestOnly)} ${t.t("perRequestOnly")}, ${t.number(stats.energy.withoutEstimate)} ${t.t("withoutEstimate")}`,
        ],
        [
          t.t("openWeights"),
          `${t.number(stats.sovereignty.useCaseOpenWeights.count)} (${t.number(Math.round(stats.sovereignty.useCaseOpenWeights.share * 100))} %)`,
        ],
        [
          t.t("euJurisdiction"),
          `${t.number(stats.sovereignty.useCaseEuJurisdiction.count)} (${t.number(Math.round(stats.sovereignty.useCaseEuJurisdiction.share * 100))} %)`,
        ],
      ])}
      <div class="charts">
        ${barChart(
          t,
          "chart-risk",
          t.t("riskClassesChart"),
          stats.riskClasses.map((entry) => ({ label: entry.riskClass ? t.label(entry.riskClass) : notStated, count: entry.count, share: entry.share })),
          t.t("riskClass"),
        )}
        ${barChart(
          t,
          "chart-automation",
          `${t.t("citizenFacingChart")} (${t.number(stats.citizenFacingAutomation.useCases)})`,
          stats.citizenFacingAutomation.levels.map((entry) => ({ label: t.label(entry.automationLevel), count: entry.count, share: entry.share })),
          t.t("automationLevel"),
        )}
        ${barChart(
          t,
          "chart-hosting",
          t.t("hostingChart"),
          stats.sovereignty.useCaseHosting.map((entry) => ({
            label: entry.hosting ? t.label(entry.hosting) : notStated,
            count: entry.count,
            share: entry.share,
          })),
          t.t("hosting"),
        )}
        ${barChart(
          t,
          "chart-energy",
          t.t("energyChart"),
          stats.energy.distribution.map((bucket) => ({
            label: bucket.toKwh === null ? `≥ ${kwh(bucket.fromKwh)} kWh` : `${kwh(bucket.fromKwh)}–${kwh(bucket.toKwh)} kWh`,
            count: bucket.count,
            share: stats.energy.reporting === 0 ? 0 : bucket.count / stats.energy.reporting,
          })),
          t.t("kwhPerYear"),
        )}
        ${barChart(
          t,
          "chart-model-hosting",
          t.t("modelHostingChart"),
          stats.sovereignty.modelHosting.map((entry) => ({
            label: entry.hosting ? t.label(entry.hosting) : notStated,
            count: entry.count,
            share: entry.share,
          })),
          t.t("hosting"),
        )}
      </div>
      <h2>${t.t("modelReuse")}</h2>
      ${
        reused.length === 0
          ? html`<p>–</p>`
          : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("modelReuse")}">
              <table>
                <caption class="visually-hidden">
                  ${t.t("modelReuse")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.t("model")}</th>
                    <th scope="col">${t.t("useCases")}</th>
                    <th scope="col">${t.t("citiesCount")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${reused.map(
                    (entry) =>
                      html`<tr>
                        <th scope="row">${entry.model?.name.text ?? entry.modelId}</th>
                        <td>${t.number(entry.useCases)}</td>
                        <td>${t.number(entry.cities)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <h2>${t.t("citiesTable")}</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="${t.t("citiesTable")}">
        <table>
          <caption class="visually-hidden">
            ${t.t("citiesTable")}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.t("city")}</th>
              <th scope="col">${t.t("guidelines")}</th>
              <th scope="col">${t.t("useCases")}</th>
              <th scope="col">${t.t("models")}</th>
              <th scope="col">${t.t("adoptions")}</th>
              <th scope="col">${t.t("unverifiedRecords")}</th>
            </tr>
          </thead>
          <tbody>
            ${data.cities.nodes.map(
              (city) =>
                html`<tr>
                  <th scope="row">
                    ${city.own ? context.cityName : html`<a href="/peers?city=${encodeURIComponent(city.actor)}">${cityLabel(city.actor, null, city.name)}</a>`}${city.followed ? html` <span class="muted">(${t.t("followed")})</span>` : null}
                  </th>
                  <td>${t.number(city.counts.guidelineVersions)}</td>
                  <td>${t.number(city.counts.useCases)}</td>
                  <td>${t.number(city.counts.models)}</td>
                  <td>${t.number(city.counts.adoptions)}</td>
                  <td>${t.number(city.unverifiedRecords)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        stats.coverage.withoutPublishedUseCase.length > 0
          ? html`<p>
              ${t.t("withoutPublishedUseCase")}:
              ${stats.coverage.withoutPublishedUseCase
                .map((actor) => cityLabel(actor, null, data.cities.nodes.find((city) => city.actor === actor)?.name))
                .join(", ")}
            </p>`
          : null
      }
      ${openDataBox(context)}`,
  );
}
