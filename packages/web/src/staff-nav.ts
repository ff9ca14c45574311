import { type Action, may, type Principal } from "@leitplanken/core";
import { adminTexts, type AdminTextKey } from "./admin.i18n.ts";
import { html, type SafeHtml } from "./html.ts";
import type { Language } from "./i18n.ts";

/**
 * The staff areas, each with the actions of core's permission table it is for: a staff member
 * sees (and may open) an area when the table allows them one of its actions. The table is the
 * one place roles are decided; the API checks it again for every mutation.
 */
export const staffAreas: readonly {
  href: string;
  title: AdminTextKey;
  text: AdminTextKey;
  actions: readonly Action[];
  /** Pages under other paths that belong to the area. */
  includes?: readonly string[];
}[] = [
  { href: "/staff/models", title: "navModels", text: "navModelsText", actions: ["model.edit"] },
  { href: "/staff/catalogs", title: "navCatalogs", text: "navCatalogsText", actions: ["catalog.membership", "catalog.configure", "catalog.moderate-remote"] },
  { href: "/staff/moderation", title: "navModeration", text: "navModerationText", actions: ["node-reports.handle"] },
  {
    href: "/staff/admin",
    title: "adminTitle",
    text: "adminIntro",
    actions: ["node.settings", "api-tokens.manage"],
    includes: ["/staff/tokens", "/staff/settings"],
  },
];

/** Whether the permission table lets `principal` work in the area at `href`. */
export function mayEnterArea(principal: Principal, href: string): boolean {
  const area = staffAreas.find((candidate) => candidate.href === href);
  if (!area) throw new Error(`no staff area ${href}`);
  return area.actions.some((action) => may(principal, action));
}

/** The second row of the header for a signed-in staff member: who they are and where their role works. */
export function staffNavigation(language: Language, principal: Principal, requestPath: string): SafeHtml {
  const a = adminTexts(language);
  const areas = staffAreas.filter((area) => mayEnterArea(principal, area.href));
  const path = requestPath.split("?")[0]!;
  const within = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  // The area the page belongs to is marked as the current one; any other staff page belongs to the overview.
  const currentArea = areas.find((area) => [area.href, ...(area.includes ?? [])].some(within));
  const links = [
    { href: "/staff", title: a.navOverview, current: !currentArea && within("/staff") },
    ...areas.map((area) => ({ href: area.href, title: a[area.title], current: area === currentArea })),
  ];
  return html`<nav class="staff-nav" aria-label="${a.staffNavigation}">
    <div class="wrap staff-nav-row">
      <ul>
        ${links.map((link) => html`<li><a href="${link.href}" ${link.current ? html` aria-current="page"` : null}>${link.title}</a></li>`)}
      </ul>
      <p class="signed-in-as">${a.signedInAs} <strong>${principal.name}</strong> (${a[`role${principal.role.toUpperCase() as "ADMIN"}`]})</p>
    </div>
  </nav>`;
}
