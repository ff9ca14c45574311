import { adminTexts, roleLabel, staffRoles } from "./admin.i18n.ts";
import { areaPage, dataTable } from "./admin.views.ts";
import { choiceField, field, problemAt, problemSummary, type FormProblem } from "./form.views.ts";
import { html, type SafeHtml } from "./html.ts";
import { csrfField, facts } from "./layout.ts";
import { postButton, type StaffView } from "./staff.views.ts";
import type { ApiTokenEntry } from "./tokens.queries.ts";

export const tokenNameMaxLength = 200;

export interface TokensPageState {
  tokens: readonly ApiTokenEntry[];
  showRevoked: boolean;
  /** What was typed into the form, kept after a refusal. */
  form: { name: string; role: string };
  problems: readonly FormProblem[];
  revoked: boolean;
}

const adminTrail = (view: StaffView) => [{ href: "/staff/admin", label: adminTexts(view.context.t.language).adminTitle }];
const tokensTrail = (view: StaffView) => [...adminTrail(view), { href: "/staff/tokens", label: adminTexts(view.context.t.language).tokensTitle }];

/** The token list and the form to create one (one page: admins come here to do either). */
export function tokensPage(view: StaffView, state: TokensPageState): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  const active = state.tokens.filter((token) => !token.revokedAt);
  const revoked = state.tokens.filter((token) => token.revokedAt);
  return areaPage(
    view,
    adminTrail(view),
    a.tokensTitle,
    html`<p class="lead">${a.tokensIntro}</p>
      ${state.revoked ? html`<div class="notice ok" role="status"><p>${a.tokenRevoked}</p></div>` : null}
      <h2 id="active-tokens">${a.activeTokens}</h2>
      ${tokenTable(view, active, a.activeTokens, false)}
      <p>
        <a href="/staff/tokens${state.showRevoked ? "" : "?revoked=1"}">${state.showRevoked ? a.hideRevoked : a.showRevoked}</a>
      </p>
      ${
        state.showRevoked
          ? html`<h2>${a.revokedTokens}</h2>
              ${tokenTable(view, revoked, a.revokedTokens, true)}`
          : null
      }
      <h2 id="new-token">${a.newToken}</h2>
      ${problemSummary(t.language, undefined, state.problems)}
      <form method="post" action="/staff/tokens" class="stack" novalidate>
        ${csrfField(view.csrfToken)}
        ${field(t.language, "name", a.tokenName, state.form.name, {
          required: true,
          maxLength: tokenNameMaxLength,
          hint: a.tokenNameHint,
          error: problemAt(state.problems, "name"),
          autocomplete: "off",
        })}
        ${choiceField(
          t.language,
          "role",
          a.tokenRole,
          staffRoles.map((role) => ({ value: role, label: roleLabel(a, role), hint: a[`roleHint${role}`] })),
          state.form.role,
          { required: true, hint: a.tokenRoleHint, error: problemAt(state.problems, "role") },
        )}
        <div><button type="submit">${a.createToken}</button></div>
      </form>
      <p><a href="/staff/admin">${a.backToAdmin}</a></p>`,
  );
}

function tokenTable(view: StaffView, tokens: readonly ApiTokenEntry[], caption: string, revoked: boolean): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  if (tokens.length === 0) return html`<p>${a.noTokens}</p>`;
  return dataTable(
    caption,
    [t.t("name"), a.tokenRole, a.createdAt, a.lastUsed, revoked ? a.revokedAt : a.actions],
    tokens.map(
      (token) =>
        html`<tr>
          <td>
            ${token.name}${token.current ? html` <span class="tag">${a.yourToken}</span>` : null}<br /><span class="muted"
              >${a.tokenId} <code>${token.id}</code></span
            >
          </td>
          <td>${roleLabel(a, token.role)}</td>
          <td>${t.dateTime(token.createdAt)}</td>
          <td>${token.lastUsedAt ? t.dateTime(token.lastUsedAt) : a.never}</td>
          <td>
            ${
              token.revokedAt
                ? t.dateTime(token.revokedAt)
                : html`<a class="button secondary" href="/staff/tokens/revoke?id=${encodeURIComponent(token.id)}" aria-label="${a.revoke}: ${token.name}"
                    >${a.revoke}</a
                  >`
            }
          </td>
        </tr>`,
    ),
  );
}

/** The one time the secret is shown, with what to do with it. */
export function tokenCreatedPage(view: StaffView, token: ApiTokenEntry, secret: string): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  return areaPage(
    view,
    tokensTrail(view),
    a.tokenCreatedTitle,
    html`<div class="notice ok" role="status">
        <p>${a.tokenCreatedFor} <strong>${token.name}</strong> (${roleLabel(a, token.role)}).</p>
      </div>
      <div class="notice warning">
        <p><strong>${a.secretShownOnce}</strong></p>
      </div>
      ${field(t.language, "secret", a.theSecret, secret, { readonly: true, autocomplete: "off" })}
      <h2>${a.whatHappensNext}</h2>
      <ol>
        <li>${a.tokenNext1}</li>
        <li>${a.tokenNext2}</li>
        <li>${a.tokenNext3}</li>
      </ol>
      <p><a class="button" href="/staff/tokens">${a.backToTokens}</a></p>`,
  );
}

/** Revoking cannot be undone: one page that says what it does, then the button. */
export function revokeConfirmPage(view: StaffView, token: ApiTokenEntry, refusal: string | undefined): SafeHtml {
  const { t } = view.context;
  const a = adminTexts(t.language);
  return areaPage(
    view,
    tokensTrail(view),
    a.revokeTitle,
    html`${refusal ? html`<div class="notice error" role="alert"><p>${refusal}</p></div>` : null}
      ${facts([
        [t.t("name"), token.name],
        [a.tokenRole, roleLabel(a, token.role)],
        [a.createdAt, t.dateTime(token.createdAt)],
        [a.lastUsed, token.lastUsedAt ? t.dateTime(token.lastUsedAt) : a.never],
      ])}
      <p>${a.revokeIntro}</p>
      ${token.current ? html`<div class="notice warning"><p>${a.revokeOwn}</p></div>` : null}
      <div class="actions">${postButton(view, "/staff/tokens/revoke", { id: token.id }, a.confirmRevoke)} <a href="/staff/tokens">${a.cancel}</a></div>`,
  );
}
