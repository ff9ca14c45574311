import { describe, expect, it } from "@jest/globals";
import { html, trustedHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";

describe("html template", () => {
  it("escapes text and attribute values", () => {
    const name = `<script>alert("x")</script>`;
    const title = `" onmouseover="evil()`;
    expect(html`<p title="${title}">${name}</p>`.toString()).toBe(
      `<p title="&quot; onmouseover=&quot;evil()">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>`,
    );
    expect(html`<i>${"it's & that"}</i>`.toString()).toBe("<i>it&#39;s &amp; that</i>");
  });

  it("keeps nested templates, joins lists and renders nothing for empty values", () => {
    const items = ["a<b", "c"].map((item) => html`<li>${item}</li>`);
    expect(
      html`<ul>
          ${items}
        </ul>
        ${null}${undefined}${false}${0}`
        .toString()
        // The formatter's line breaks in the template are not the renderer's.
        .replace(/\s+/g, ""),
    ).toBe("<ul><li>a&lt;b</li><li>c</li></ul>0");
    expect(html`${trustedHtml("<br>")}`.toString()).toBe("<br>");
  });
});

describe("markdown", () => {
  it("renders markdown but escapes raw HTML and drops script links", () => {
    const rendered = renderMarkdown("**Mensch** entscheidet.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))").toString();
    expect(rendered).toContain("<strong>Mensch</strong>");
    expect(rendered).not.toContain("<script>");
    expect(rendered).toContain("&lt;script&gt;");
    expect(rendered).not.toContain("javascript:");
  });
});
