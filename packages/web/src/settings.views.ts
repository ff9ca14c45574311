import { html, type SafeHtml } from "./html.ts";
import { csrfField, layout, type PageContext } from "./layout.ts";
import type { NodeSettingsData, NodeSettingsField } from "./legal.queries.ts";

/**
 * The staff page where an admin edits the node settings. A field the admin never set stays
 * empty and shows the configuration's value beside it: saving the form then leaves it to the
 * configuration, so a later change of the server's environment still applies.
 */

/** The form as posted (and shown again after a refusal), by input name. */
export type SettingsForm = Partial<Record<SettingsInputName, string>>;

export const settingsInputNames = [
  "cityName",
  "issuingBodyDe",
  "issuingBodyEn",
  "municipalityId",
  "website",
  "contactEmail",
  "contactPhone",
  "contactUrl",
  "contactAddressDe",
  "contactAddressEn",
  "imprintDe",
  "imprintEn",
  "privacyDe",
  "privacyEn",
  "accessibilityDe",
  "accessibilityEn",
  "a11yEmail",
  "a11yPhone",
  "a11yUrl",
] as const;
export type SettingsInputName = (typeof settingsInputNames)[number];

/** The API's field path of an input (`contact.email`), so a refusal lands beside its field. */
export const inputOfPath: Record<string, SettingsInputName> = {
  cityName: "cityName",
  "issuingBody.name": "issuingBodyDe",
  "issuingBody.name.de": "issuingBodyDe",
  "issuingBody.name.en": "issuingBodyEn",
  "issuingBody.organisationId.value": "municipalityId",
  website: "website",
  "contact.email": "contactEmail",
  "contact.phone": "contactPhone",
  "contact.url": "contactUrl",
  "contact.address": "contactAddressDe",
  "contact.address.de": "contactAddressDe",
  "contact.address.en": "contactAddressEn",
  imprint: "imprintDe",
  "imprint.de": "imprintDe",
  "imprint.en": "imprintEn",
  privacyPolicy: "privacyDe",
  "privacyPolicy.de": "privacyDe",
  "privacyPolicy.en": "privacyEn",
  accessibilityStatement: "accessibilityDe",
  "accessibilityStatement.de": "accessibilityDe",
  "accessibilityStatement.en": "accessibilityEn",
  "accessibilityContact.email": "a11yEmail",
  "accessibilityContact.phone": "a11yPhone",
  "accessibilityContact.url": "a11yUrl",
};

/** The form's values for the settings as stored: only what an admin set. */
export function settingsFormOf(settings: NodeSettingsData): SettingsForm {
  const set = (field: NodeSettingsField) => settings.overridden.includes(field);
  const value = (text: string | null | undefined) => text ?? undefined;
  return {
    ...(set("CITY_NAME") ? { cityName: settings.cityName } : {}),
    ...(set("ISSUING_BODY")
      ? {
          issuingBodyDe: value(settings.issuingBody.name.de),
          issuingBodyEn: value(settings.issuingBody.name.en),
          municipalityId: value(settings.issuingBody.organisationId?.value),
        }
      : {}),
    ...(set("WEBSITE") ? { website: settings.website } : {}),
    ...(set("CONTACT")
      ? {
          contactEmail: value(settings.contact.email),
          contactPhone: value(settings.contact.phone),
          contactUrl: value(settings.contact.url),
          contactAddressDe: value(settings.contact.address?.de),
          contactAddressEn: value(settings.contact.address?.en),
        }
      : {}),
    imprintDe: value(settings.imprint?.de),
    imprintEn: value(settings.imprint?.en),
    privacyDe: value(settings.privacyPolicy?.de),
    privacyEn: value(settings.privacyPolicy?.en),
    accessibilityDe: value(settings.accessibilityStatement?.de),
    accessibilityEn: value(settings.accessibilityStatement?.en),
    a11yEmail: value(settings.accessibilityContact?.email),
    a11yPhone: value(settings.accessibilityContact?.phone),
    a11yUrl: value(settings.accessibilityContact?.url),
  };
}

/** The mutation's input from the posted form: an empty field (group) goes back to the configuration. */
export function settingsInputOf(form: SettingsForm): Record<string, unknown> {
  const given = (name: SettingsInputName) => {
    const text = form[name]?.trim();
    return text ? text : undefined;
  };
  const pair = (de: SettingsInputName, en: SettingsInputName) => (given(de) || given(en) ? { de: given(de), en: given(en) } : null);
  const contact = (email: SettingsInputName, phone: SettingsInputName, url: SettingsInputName, address?: [SettingsInputName, SettingsInputName]) => {
    const entry = { email: given(email), phone: given(phone), url: given(url), address: address ? pair(...address) : null };
    return Object.values(entry).some((part) => part !== undefined && part !== null) ? entry : null;
  };
  const municipalityId = given("municipalityId");
  return {
    cityName: given("cityName") ?? null,
    issuingBody:
      given("issuingBodyDe") || given("issuingBodyEn") || municipalityId
        ? { name: pair("issuingBodyDe", "issuingBodyEn") ?? {}, organisationId: municipalityId ? { scheme: "AGS", value: municipalityId } : null }
        : null,
    website: given("website") ?? null,
    contact: contact("contactEmail", "contactPhone", "contactUrl", ["contactAddressDe", "contactAddressEn"]),
    imprint: pair("imprintDe", "imprintEn"),
    privacyPolicy: pair("privacyDe", "privacyEn"),
    accessibilityStatement: pair("accessibilityDe", "accessibilityEn"),
    accessibilityContact: contact("a11yEmail", "a11yPhone", "a11yUrl"),
  };
}

export interface SettingsPageState {
  settings: NodeSettingsData;
  form: SettingsForm;
  saved: boolean;
  refusal: { message: string; fieldErrors: { input: SettingsInputName | undefined; path: string; message: string }[] } | undefined;
  forbidden: boolean;
}

export function settingsPage(context: PageContext, csrfToken: string, state: SettingsPageState): SafeHtml {
  const { t } = context;
  const { settings, form, refusal } = state;
  const errorOf = (name: SettingsInputName) => refusal?.fieldErrors.filter((error) => error.input === name).map((error) => error.message);
  const field = (
    name: SettingsInputName,
    label: string,
    options: { type?: "text" | "email" | "url" | "tel"; rows?: number; lang?: "de" | "en"; configured?: string } = {},
  ) => {
    const id = `settings-${name}`;
    const errors = errorOf(name) ?? [];
    const hint =
      options.configured !== undefined && !form[name] ? html`<p class="muted" id="${id}-hint">${t.t("fromConfiguration")}: ${options.configured}</p>` : null;
    const describedBy = [hint ? `${id}-hint` : "", errors.length > 0 ? `${id}-error` : ""].filter(Boolean).join(" ");
    const attributes = html`id="${id}"
    name="${name}"${options.lang ? html` lang="${options.lang}"` : null}${
      describedBy ? html` aria-describedby="${describedBy}"` : null
    }${errors.length > 0 ? html` aria-invalid="true"` : null}`;
    return html`<div class="field">
      <label for="${id}">${label}</label>
      ${hint} ${errors.length > 0 ? html`<p class="field-error" id="${id}-error">${errors.join(" ")}</p>` : null}
      ${
        options.rows
          ? html`<textarea ${attributes} rows="${options.rows}">${form[name] ?? ""}</textarea>`
          : html`<input type="${options.type ?? "text"}" ${attributes} value="${form[name] ?? ""}" />`
      }
    </div>`;
  };
  return layout(
    context,
    t.t("settingsTitle"),
    html`<h1>${t.t("settingsTitle")}</h1>
      <p class="lead">${t.t("settingsIntro")}</p>
      ${state.saved ? html`<div class="notice ok" role="status"><p>${t.t("settingsSaved")}</p></div>` : null}
      ${state.forbidden ? html`<div class="notice error" role="alert"><p>${t.t("settingsForbidden")}</p></div>` : null}
      ${
        refusal
          ? html`<div class="notice error" role="alert">
              <p><strong>${refusal.message}</strong></p>
              <ul>
                ${refusal.fieldErrors.map((error) =>
                  error.input
                    ? html`<li><a href="#settings-${error.input}">${error.message}</a></li>`
                    : html`<li><code>${error.path}</code>: ${error.message}</li>`,
                )}
              </ul>
            </div>`
          : null
      }
      ${
        settings.updatedAt
          ? html`<p class="muted">
              ${t.t("lastSaved")}: ${t.dateTime(settings.updatedAt)}${settings.updatedBy ? html` ${t.t("by")} ${settings.updatedBy}` : null}
            </p>`
          : null
      }
      <form method="post" action="/staff/settings" class="stack">
        ${csrfField(csrfToken)}
        <fieldset>
          <legend>${t.t("cityNameField")}</legend>
          ${field("cityName", t.t("cityNameField"), { configured: settings.overridden.includes("CITY_NAME") ? undefined : settings.cityName })}
          ${field("issuingBodyDe", t.t("issuingBodyNameDe"), {
            lang: "de",
            configured: settings.overridden.includes("ISSUING_BODY") ? undefined : (settings.issuingBody.name.de ?? ""),
          })}
          ${field("issuingBodyEn", t.t("issuingBodyNameEn"), { lang: "en" })}
          ${field("municipalityId", t.t("municipalityIdField"), {
            configured: settings.overridden.includes("ISSUING_BODY") ? undefined : (settings.issuingBody.organisationId?.value ?? "–"),
          })}
          ${field("website", t.t("websiteField"), { type: "url", configured: settings.overridden.includes("WEBSITE") ? undefined : settings.website })}
        </fieldset>
        <fieldset>
          <legend>${t.t("contactFieldset")}</legend>
          ${field("contactEmail", t.t("email"), { type: "email" })} ${field("contactPhone", t.t("phone"), { type: "tel" })}
          ${field("contactUrl", t.t("contactUrl"), { type: "url" })} ${field("contactAddressDe", t.t("addressDe"), { rows: 3, lang: "de" })}
          ${field("contactAddressEn", t.t("addressEn"), { rows: 3, lang: "en" })}
        </fieldset>
        <fieldset>
          <legend>${t.t("legalTexts")}</legend>
          <p class="muted">${t.t("legalTextsHint")}</p>
          ${field("imprintDe", `${t.t("imprintTitle")} (${t.t("german")})`, { rows: 10, lang: "de" })}
          ${field("imprintEn", `${t.t("imprintTitle")} (${t.t("english")})`, { rows: 10, lang: "en" })}
          ${field("privacyDe", `${t.t("privacyTitle")} (${t.t("german")})`, { rows: 10, lang: "de" })}
          ${field("privacyEn", `${t.t("privacyTitle")} (${t.t("english")})`, { rows: 10, lang: "en" })}
          ${field("accessibilityDe", `${t.t("accessibilityTitle")} (${t.t("german")})`, { rows: 10, lang: "de" })}
          ${field("accessibilityEn", `${t.t("accessibilityTitle")} (${t.t("english")})`, { rows: 10, lang: "en" })}
        </fieldset>
        <fieldset>
          <legend>${t.t("accessibilityContactFieldset")}</legend>
          ${field("a11yEmail", t.t("email"), { type: "email" })} ${field("a11yPhone", t.t("phone"), { type: "tel" })}
          ${field("a11yUrl", t.t("contactUrl"), { type: "url" })}
        </fieldset>
        <div><button type="submit">${t.t("save")}</button></div>
      </form>`,
  );
}
