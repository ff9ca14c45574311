import type { Role } from "@leitplanken/core";
import { adminTexts, fill, roleLabel } from "./admin.i18n.ts";
import { choiceField } from "./form.views.ts";
import { html, type SafeHtml } from "./html.ts";
import { csrfField, layout, type PageContext } from "./layout.ts";
import type { OidcFailure, OidcIdentity } from "./oidc.ts";

/** The part of the sign-in page that signs in through the city's identity provider. */
export function identityProviderSignIn(context: PageContext, providerName: string | undefined): SafeHtml {
  const a = adminTexts(context.t.language);
  return html`<section class="sign-in-option" aria-labelledby="oidc-heading">
      <h2 id="oidc-heading">${a.oidcHeading}</h2>
      <p>${a.oidcIntro}</p>
      <p><a class="button" href="/staff/sign-in/oidc">${providerName ? fill(a.oidcButtonNamed, { provider: providerName }) : a.oidcButton}</a></p>
    </section>
    <h2>${a.tokenHeading}</h2>`;
}

export const failureMessage = (context: PageContext, failure: OidcFailure) => adminTexts(context.t.language)[`oidc-${failure.type}`];

/** After the callback: signed in; the browser moves on by itself (a navigation of our own site, so the session cookie goes along). */
export function signedInPage(context: PageContext, name: string, role: Role): SafeHtml {
  const a = adminTexts(context.t.language);
  return layout(
    context,
    a.oidcSignedInTitle,
    html`<h1>${a.oidcSignedInTitle}</h1>
      <div class="notice ok" role="status"><p>${fill(a.oidcWelcome, { name, role: roleLabel(a, role.toUpperCase()) })}</p></div>
      <p><a class="button" href="/staff">${a.oidcContinue}</a></p>`,
    html`<meta http-equiv="refresh" content="0; url=/staff" />`,
  );
}

/** A person with several roles picks the one to work in. */
export function chooseRolePage(context: PageContext, csrfToken: string, identity: OidcIdentity): SafeHtml {
  const a = adminTexts(context.t.language);
  return layout(
    context,
    a.chooseRoleTitle,
    html`<h1>${a.chooseRoleTitle}</h1>
      <p class="lead">${fill(a.oidcWelcome.split(".")[0] ?? "", { name: identity.name })}.</p>
      <p>${a.chooseRoleIntro}</p>
      <form method="post" action="/staff/sign-in/role" class="stack">
        ${csrfField(csrfToken)}
        ${choiceField(
          context.t.language,
          "role",
          a.roleOf,
          identity.roles.map((role) => ({ value: role, label: roleLabel(a, role.toUpperCase()), hint: a[`roleHint${role.toUpperCase() as "ADMIN"}`] })),
          identity.roles[0],
          { required: true },
        )}
        <div><button type="submit">${a.chooseRole}</button></div>
      </form>`,
  );
}
