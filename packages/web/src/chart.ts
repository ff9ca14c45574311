import { html, type SafeHtml } from "./html.ts";
import type { Translator } from "./i18n.ts";

export interface ChartBar {
  label: string;
  count: number;
  /** Part of the whole, 0–1. */
  share: number;
}

const barHeight = 26;
const gap = 10;
const labelWidth = 260;
const barArea = 320;

/**
 * A horizontal bar chart as inline SVG with the same figures as a table below it: the SVG is
 * an image named by its title (screen readers read the table), the table is the text alternative.
 */
export function barChart(t: Translator, id: string, title: string, bars: readonly ChartBar[], valueHeading: string): SafeHtml {
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const height = bars.length * (barHeight + gap) + gap;
  const percent = (share: number) => `${t.number(Math.round(share * 1000) / 10)} %`;
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <div class="chart-body">
      <svg viewBox="0 0 ${labelWidth + barArea + 90} ${height}" role="img" aria-labelledby="${id}-title" focusable="false">
        <title id="${id}-title">${title} (${t.t("chartSeeTable")})</title>
        ${bars.map((bar, index) => {
          const y = gap + index * (barHeight + gap);
          const width = Math.max(bar.count > 0 ? 2 : 0, (bar.count / max) * barArea);
          return html`<g>
            <text x="${labelWidth - 8}" y="${y + barHeight * 0.68}" text-anchor="end" font-size="14" fill="#1b1f24">${bar.label}</text>
            <rect x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" fill="#0b4f8a"></rect>
            <text x="${labelWidth + width + 6}" y="${y + barHeight * 0.68}" font-size="14" fill="#1b1f24">${t.number(bar.count)}</text>
          </g>`;
        })}
      </svg>
      <table>
        <caption class="visually-hidden">
          ${title}
        </caption>
        <thead>
          <tr>
            <th scope="col">${valueHeading}</th>
            <th scope="col">${t.t("count")}</th>
            <th scope="col">${t.t("shareOfAll")}</th>
          </tr>
        </thead>
        <tbody>
          ${bars.map(
            (bar) =>
              html`<tr>
                <th scope="row">${bar.label}</th>
                <td>${t.number(bar.count)}</td>
                <td>${percent(bar.share)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </figure>`;
}
