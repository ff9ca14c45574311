import { html, type SafeHtml } from "./html.ts";
import { layout, type PageContext } from "./layout.ts";
import { openDataLicence, openDataPageSize } from "./open-data.ts";

export const openDataPaths = { page: ["/open-data", "/offene-daten"], json: "/open-data/register.json", csv: "/open-data/register.csv" } as const;

function licenceLink(context: PageContext): SafeHtml {
  return html`<a href="${openDataLicence.url}" hreflang="de">${openDataLicence.name[context.t.language]}</a>`;
}

/** A short box on every list page: the downloads and their licence. */
export function openDataBox(context: PageContext): SafeHtml {
  const { t } = context;
  return html`<aside class="open-data-box" aria-labelledby="open-data-box-heading">
    <h2 id="open-data-box-heading">${t.t("openDataBox")}</h2>
    <ul class="inline-list">
      <li><a href="${openDataPaths.json}" type="application/json">${t.t("openDataJson")}</a></li>
      <li><a href="${openDataPaths.csv}" type="text/csv">${t.t("openDataCsv")}</a></li>
      <li>${t.t("openDataLicence")}: ${licenceLink(context)}</li>
      <li><a href="${openDataPaths.page[0]}">${t.t("openDataMore")}</a></li>
    </ul>
  </aside>`;
}

/** The open-data page: what the files hold, their licence and how to check the signatures. */
export function openDataPage(context: PageContext): SafeHtml {
  const { t } = context;
  const [before, after] = t.t("openDataLicenceText").split("{licence}");
  return layout(
    context,
    t.t("openData"),
    html`<h1>${t.t("openDataTitle")}</h1>
      <p class="lead">${t.t("openDataIntro")}</p>
      <section aria-labelledby="open-data-json">
        <h2 id="open-data-json">${t.t("openDataJson")}</h2>
        <p>${t.t("openDataJsonText")}</p>
        <p><a class="button" href="${openDataPaths.json}" type="application/json" download>${t.t("download")}: register.json</a></p>
      </section>
      <section aria-labelledby="open-data-csv">
        <h2 id="open-data-csv">${t.t("openDataCsv")}</h2>
        <p>${t.t("openDataCsvText")}</p>
        <p><a class="button" href="${openDataPaths.csv}" type="text/csv" download>${t.t("download")}: register.csv</a></p>
      </section>
      <p>${t.t("openDataPaging").replace("{n}", t.number(openDataPageSize))}</p>
      <section aria-labelledby="open-data-licence">
        <h2 id="open-data-licence">${t.t("openDataLicence")}</h2>
        <p>${before}${licenceLink(context)}${after}</p>
      </section>
      <section aria-labelledby="open-data-verify">
        <h2 id="open-data-verify">${t.t("openDataVerify")}</h2>
        <p>${t.t("openDataVerifyText")}</p>
        <p><a href="/graphql">${t.t("developerApi")}</a></p>
      </section>`,
  );
}
