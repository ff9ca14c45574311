// The archive: use cases and models their cities retired, kept public so that anyone can see what
// was once in use and when it ended.
import { html, type SafeHtml } from "./html.ts";
import { layout, type PageContext } from "./layout.ts";
import { openDataBox } from "./open-data.views.ts";
import { modelCard, useCaseCard } from "./register.views.ts";
import { modelSummaryFields, useCaseSummaryFields, type Connection, type ModelSummary, type UseCaseSummary } from "./register.queries.ts";

export const archivePaths = ["/archive", "/archiv"] as const;

export interface ArchiveData {
  useCases: Connection<UseCaseSummary & { workflow: { state: string; retiredAt: string | null } }>;
  models: Connection<ModelSummary>;
}

export const archiveQuery = `query Archive($lang: String!, $after: String) {
  useCases(filter: { workflowState: RETIRED }, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${useCaseSummaryFields} workflow { retiredAt } }
  }
  models(filter: { state: RETIRED }, first: 50) { totalCount pageInfo { hasNextPage endCursor } nodes { ${modelSummaryFields} } }
}`;

export function archivePage(context: PageContext, origin: string, data: ArchiveData, nextHref: string | undefined): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("archiveTitle"),
    html`<h1>${t.t("archiveTitle")}</h1>
      <p class="lead">${t.t("archiveIntro")}</p>
      <section aria-labelledby="archive-use-cases">
        <h2 id="archive-use-cases">${t.t("useCases")} (${t.number(data.useCases.totalCount)})</h2>
        ${
          data.useCases.nodes.length === 0
            ? html`<p>${t.t("archiveEmpty")}</p>`
            : html`<ul class="cards">
                ${data.useCases.nodes.map((useCase) =>
                  useCaseCard(context, origin, useCase, useCase.workflow.retiredAt ? `${t.t("retiredOn")} ${t.date(useCase.workflow.retiredAt)}` : undefined),
                )}
              </ul>`
        }
        ${nextHref ? html`<p><a href="${nextHref}" rel="next">${t.t("nextPage")}</a></p>` : null}
      </section>
      <section aria-labelledby="archive-models">
        <h2 id="archive-models">${t.t("models")} (${t.number(data.models.totalCount)})</h2>
        ${
          data.models.nodes.length === 0
            ? html`<p>${t.t("archiveEmpty")}</p>`
            : html`<ul class="cards">
                ${data.models.nodes.map((model) => modelCard(context, origin, model))}
              </ul>`
        }
      </section>
      ${openDataBox(context)}`,
  );
}
