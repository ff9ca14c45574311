import type { Language } from "./i18n.ts";

// The texts of the admin's, the model editor's and the coordinator's staff pages (API tokens,
// shared models, catalogs, sign-in with the identity provider), German and English. Kept apart
// from i18n.ts so that the areas of the staff pages change apart.

const de = {
  adminTitle: "Knoten verwalten",
  adminIntro: "Wer auf diesem Knoten schreiben darf, welche Kataloge er betreibt und wie er sich nach außen zeigt.",
  signedInAs: "Angemeldet als",
  roleOf: "Rolle",
  navTokens: "API-Tokens",
  navTokensText: "Tokens für Personen ohne Anmeldung über die Stadt und für Programme anlegen, ansehen und widerrufen.",
  navSettings: "Einstellungen",
  navSettingsText: "Name der Stadt, ausstellende Stelle, Gemeindeschlüssel, Website und die Texte von Impressum, Datenschutz und Barrierefreiheit.",
  navModels: "Geteilte Modelle",
  navModelsText: "KI-Modelle, die die Stadt mit anderen Kommunen teilt: Modellkarte, Energie und Souveränität.",
  navCatalogs: "Kataloge",
  navCatalogsText: "Kataloge, die dieser Knoten betreibt (Koordination), und Kataloge, denen die Stadt angehört.",
  navModeration: "Moderation",
  navModerationText: "Einreichungen, Mitglieder und Meldungen der Kataloge, die Sie moderieren.",
  backToAdmin: "Zurück zur Verwaltung des Knotens",
  backToStaff: "Zurück zur Übersicht",
  cancel: "Abbrechen",
  saved: "Gespeichert.",
  never: "noch nie",
  actions: "Aktionen",
  whatHappensNext: "Wie geht es weiter?",
  trail: "Sie sind hier",
  navOverview: "Übersicht",
  staffNavigation: "Bereiche der Verwaltung",

  roleADMIN: "Administration",
  roleEDITOR: "Redaktion",
  roleVETTER: "Prüfung",
  roleMODERATOR: "Moderation",
  roleHintADMIN: "Verwaltet Tokens, Einstellungen und Kataloge; darf auch alles, was Redaktion und Prüfung dürfen.",
  roleHintEDITOR: "Schreibt Leitlinien, Einsatzfälle und Modelle, folgt Städten, tritt Katalogen bei und reicht ein.",
  roleHintVETTER: "Prüft eingereichte Einsatzfälle gegen die Leitlinie der Stadt und gibt sie frei.",
  roleHintMODERATOR: "Moderiert die Kataloge, die sie oder ihn als Moderator*in nennen, und Meldungen zu Einträgen.",

  tokensTitle: "API-Tokens",
  tokensIntro:
    "Mit einem API-Token kann eine Person oder ein Programm auf diesem Knoten schreiben: in diesen Verwaltungsseiten oder über die GraphQL-API. Geben Sie jeder Person einen eigenen Token: ihr Name steht in Prüfvermerken und im Moderationsprotokoll. Wer sich über das Anmeldesystem der Stadt anmeldet, braucht keinen Token.",
  newToken: "Neuen Token anlegen",
  tokenName: "Name der Person oder des Programms",
  tokenNameHint:
    "Vor- und Nachname mit Dienststelle, z. B. „Erika Beispiel, Digitalisierung“; so erscheint die Person in Prüfvermerken. Für Programme den Zweck, z. B. „Import aus dem Fachverfahren“.",
  tokenRole: "Rolle",
  tokenRoleHint: "Eine Person mit mehreren Aufgaben bekommt je Rolle einen eigenen Token.",
  tokenRoleMissing: "Bitte wählen Sie eine Rolle.",
  createToken: "Token anlegen",
  activeTokens: "Aktive Tokens",
  revokedTokens: "Widerrufene Tokens",
  showRevoked: "Auch widerrufene Tokens anzeigen",
  hideRevoked: "Nur aktive Tokens anzeigen",
  noTokens: "Es gibt keine Tokens.",
  tokenId: "Kennung",
  createdAt: "Angelegt",
  lastUsed: "Zuletzt benutzt",
  revokedAt: "Widerrufen",
  yourToken: "Ihr Token",
  revoke: "Widerrufen",
  revokeTitle: "Token widerrufen",
  revokeIntro:
    "Nach dem Widerruf lehnt der Knoten jede Anfrage mit diesem Token ab, auch Sitzungen, die damit angemeldet sind. Das lässt sich nicht rückgängig machen: braucht die Person weiter Zugang, legen Sie ihr einen neuen Token an.",
  revokeOwn: "Das ist der Token, mit dem Sie gerade angemeldet sind: nach dem Widerruf sind Sie abgemeldet.",
  confirmRevoke: "Ja, Token widerrufen",
  tokenRevoked: "Der Token wurde widerrufen. Anfragen mit ihm werden ab jetzt abgelehnt.",
  tokenCreatedTitle: "Token angelegt",
  tokenCreatedFor: "Token für",
  theSecret: "Der Token (nur jetzt sichtbar)",
  secretShownOnce:
    "Kopieren Sie den Token jetzt. Er wird nur dieses eine Mal angezeigt: der Knoten speichert nur einen Fingerabdruck (Hash) davon und kann ihn nie wieder zeigen.",
  tokenNext1:
    "Geben Sie den Token der Person auf einem sicheren Weg weiter (persönlich oder über den Passwort-Manager der Stadt, nicht per unverschlüsselter E-Mail).",
  tokenNext2: "Die Person meldet sich damit unter „Verwaltung“ an; ein Programm sendet ihn als Kopfzeile „Authorization: Bearer …“ an /graphql.",
  tokenNext3: "Geht der Token verloren oder wechselt die Person die Stelle, widerrufen Sie ihn hier.",
  backToTokens: "Zurück zu den API-Tokens",

  oidcHeading: "Mit dem Konto der Stadt anmelden",
  oidcIntro: "Melden Sie sich mit Ihrem Dienstkonto beim Anmeldesystem der Stadt an. Ihre Rolle in diesem Register kommt von dort.",
  oidcButton: "Anmelden mit dem Konto der Stadt",
  oidcButtonNamed: "Anmelden mit {provider}",
  tokenHeading: "Mit einem API-Token anmelden",
  oidcSignedInTitle: "Angemeldet",
  oidcWelcome: "Willkommen, {name}. Sie arbeiten in der Rolle {role}.",
  oidcContinue: "Weiter zur Übersicht",
  chooseRoleTitle: "Rolle wählen",
  chooseRoleIntro:
    "Ihr Konto hat in diesem Register mehrere Rollen. Wählen Sie die Rolle für diese Sitzung; Prüfvermerke und Protokolle nennen Ihren Namen mit dieser Rolle.",
  chooseRole: "Mit dieser Rolle weiterarbeiten",
  oidcFailedTitle: "Anmeldung nicht möglich",
  "oidc-provider-unavailable":
    "Das Anmeldesystem der Stadt ist gerade nicht erreichbar. Versuchen Sie es in ein paar Minuten noch einmal oder melden Sie sich mit einem API-Token an.",
  "oidc-no-sign-in-started": "Diese Anmeldung wurde nicht hier begonnen oder ist abgelaufen (nach 10 Minuten). Bitte beginnen Sie die Anmeldung noch einmal.",
  "oidc-provider-refused": "Das Anmeldesystem hat die Anmeldung abgebrochen oder abgelehnt. Bitte versuchen Sie es noch einmal.",
  "oidc-invalid-response":
    "Die Antwort des Anmeldesystems war ungültig (Prüfsumme, Gültigkeit oder Zuordnung stimmen nicht). Sie wurden nicht angemeldet; bitte versuchen Sie es noch einmal.",
  "oidc-no-role": "Ihr Konto hat keine Rolle in diesem Register. Bitten Sie die IT der Stadt, Ihnen eine Rolle zuzuweisen.",
  "oidc-no-name":
    "Das Anmeldesystem hat keinen Namen übermittelt. Prüfvermerke müssen einen Menschen nennen; bitten Sie die IT der Stadt, den Namen freizugeben.",
} as const;

export type AdminTextKey = keyof typeof de;

const en: Record<AdminTextKey, string> = {
  adminTitle: "Manage the node",
  adminIntro: "Who may write on this node, which catalogs it runs and how it presents itself.",
  signedInAs: "Signed in as",
  roleOf: "Role",
  navTokens: "API tokens",
  navTokensText: "Create, review and revoke tokens for people without the city's sign-in and for programs.",
  navSettings: "Settings",
  navSettingsText: "City name, issuing body, municipality id, website and the texts of the legal notice, privacy and accessibility statements.",
  navModels: "Shared models",
  navModelsText: "AI models the city shares with other municipalities: model card, energy and sovereignty.",
  navCatalogs: "Catalogs",
  navCatalogsText: "Catalogs this node runs (coordination), and catalogs the city belongs to.",
  navModeration: "Moderation",
  navModerationText: "Submissions, members and reports of the catalogs you moderate.",
  backToAdmin: "Back to managing the node",
  backToStaff: "Back to the overview",
  cancel: "Cancel",
  saved: "Saved.",
  never: "never",
  actions: "Actions",
  whatHappensNext: "What happens next?",
  trail: "You are here",
  navOverview: "Overview",
  staffNavigation: "Areas of the staff area",

  roleADMIN: "Administration",
  roleEDITOR: "Editor",
  roleVETTER: "Vetter",
  roleMODERATOR: "Moderator",
  roleHintADMIN: "Manages tokens, settings and catalogs; may also do what editors and vetters do.",
  roleHintEDITOR: "Writes guidelines, use cases and models, follows cities, joins catalogs and submits to them.",
  roleHintVETTER: "Vets submitted use cases against the city's guideline and approves them.",
  roleHintMODERATOR: "Moderates the catalogs that name them as a moderator, and reports about entries.",

  tokensTitle: "API tokens",
  tokensIntro:
    "An API token lets a person or a program write on this node: in these staff pages or through the GraphQL API. Give every person a token of their own: their name appears in vetting records and in the moderation log. Staff who sign in through the city's sign-in need no token.",
  newToken: "Create a new token",
  tokenName: "Name of the person or program",
  tokenNameHint:
    "First and last name with the department, e.g. “Erika Beispiel, Digitalisierung”; this is how the person appears in vetting records. For programs, the purpose, e.g. “Import from the case system”.",
  tokenRole: "Role",
  tokenRoleHint: "A person with several duties gets a token per role.",
  tokenRoleMissing: "Please choose a role.",
  createToken: "Create token",
  activeTokens: "Active tokens",
  revokedTokens: "Revoked tokens",
  showRevoked: "Show revoked tokens too",
  hideRevoked: "Show active tokens only",
  noTokens: "There are no tokens.",
  tokenId: "Id",
  createdAt: "Created",
  lastUsed: "Last used",
  revokedAt: "Revoked",
  yourToken: "Your token",
  revoke: "Revoke",
  revokeTitle: "Revoke a token",
  revokeIntro:
    "Once revoked, the node refuses every request with this token, including sessions signed in with it. This cannot be undone: if the person still needs access, create a new token for them.",
  revokeOwn: "This is the token you are signed in with: revoking it signs you out.",
  confirmRevoke: "Yes, revoke the token",
  tokenRevoked: "The token has been revoked. Requests with it are refused from now on.",
  tokenCreatedTitle: "Token created",
  tokenCreatedFor: "Token for",
  theSecret: "The token (visible only now)",
  secretShownOnce: "Copy the token now. It is shown only this once: the node keeps only a fingerprint (hash) of it and can never show it again.",
  tokenNext1: "Hand the token to the person in a safe way (in person or through the city's password manager, not by unencrypted email).",
  tokenNext2: "The person signs in with it under “Staff area”; a program sends it as the header “Authorization: Bearer …” to /graphql.",
  tokenNext3: "If the token is lost or the person changes jobs, revoke it here.",
  backToTokens: "Back to the API tokens",

  oidcHeading: "Sign in with your city account",
  oidcIntro: "Sign in with your work account at the city's sign-in service. Your role in this register comes from there.",
  oidcButton: "Sign in with your city account",
  oidcButtonNamed: "Sign in with {provider}",
  tokenHeading: "Sign in with an API token",
  oidcSignedInTitle: "Signed in",
  oidcWelcome: "Welcome, {name}. You are working in the role {role}.",
  oidcContinue: "Continue to the overview",
  chooseRoleTitle: "Choose a role",
  chooseRoleIntro: "Your account has several roles in this register. Choose the role for this session; vetting records and logs name you with this role.",
  chooseRole: "Continue in this role",
  oidcFailedTitle: "Sign-in not possible",
  "oidc-provider-unavailable": "The city's sign-in service cannot be reached right now. Try again in a few minutes, or sign in with an API token.",
  "oidc-no-sign-in-started": "This sign-in was not started here or has expired (after 10 minutes). Please start signing in again.",
  "oidc-provider-refused": "The sign-in service cancelled or refused the sign-in. Please try again.",
  "oidc-invalid-response":
    "The sign-in service's answer was invalid (signature, validity or binding did not match). You have not been signed in; please try again.",
  "oidc-no-role": "Your account has no role in this register. Ask the city's IT to give you one.",
  "oidc-no-name": "The sign-in service sent no name. Vetting records must name a person; ask the city's IT to release the name.",
};

export type AdminTexts = Record<AdminTextKey, string>;

export function adminTexts(language: Language): AdminTexts {
  return language === "de" ? de : en;
}

export const staffRoles = ["ADMIN", "EDITOR", "VETTER", "MODERATOR"] as const;
export type StaffRole = (typeof staffRoles)[number];

/** A role's name on the pages. */
export const roleLabel = (texts: AdminTexts, role: string) => (staffRoles.includes(role as StaffRole) ? texts[`role${role as StaffRole}`] : role);

/** A text with `{name}` placeholders filled in. */
export const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
