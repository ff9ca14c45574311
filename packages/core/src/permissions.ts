import { type Principal, type Role, roles } from "./principal.ts";
import type { BilingualMessage } from "./validation.ts";

/**
 * Who may do what on a node: one row per action, the roles that may take it. Every door asks
 * this table (GraphQL mutations and role-gated reads, the staff pages, the application layer's
 * use functions, core's workflows), and nothing else decides by role. A new action is a new row;
 * a new mutation names its row in `packages/graphql/src/permissions.ts` (a type error until it does).
 *
 * `anyone` needs no token (a citizen's error report); `signed-in` is any role, where the record
 * itself decides who is allowed (a catalog's list of moderators).
 */
export type Audience = "anyone" | "signed-in" | readonly Role[];

interface Permission {
  audience: Audience;
  /** What the action is, as a phrase after "may not …" (FORBIDDEN messages, the README's table). */
  describe: BilingualMessage;
}

export const permissionTable = {
  // Guidelines: versions, publishing, forks
  "guideline.edit": { audience: ["editor", "admin"], describe: { de: "Leitlinien-Fassungen schreiben", en: "write guideline versions" } },
  "guideline.publish": { audience: ["editor", "admin"], describe: { de: "Leitlinien-Fassungen veröffentlichen", en: "publish guideline versions" } },
  "guideline.fork": { audience: ["editor", "admin"], describe: { de: "Leitlinien anderer Städte übernehmen (Fork)", en: "fork other cities' guidelines" } },
  // Use cases: the vetting workflow (core's useCaseTransitions take their roles from here)
  "use-case.edit": {
    audience: ["editor", "admin"],
    describe: { de: "Anwendungsfälle anlegen, ändern oder übernehmen", en: "create, change or adopt use cases" },
  },
  "use-case.submit": { audience: ["editor", "admin"], describe: { de: "Anwendungsfälle zur Prüfung einreichen", en: "submit use cases for vetting" } },
  "use-case.send-back": { audience: ["vetter", "admin"], describe: { de: "Anwendungsfälle zurückgeben", en: "send use cases back" } },
  "use-case.vet": { audience: ["vetter", "admin"], describe: { de: "Anwendungsfälle prüfen", en: "vet use cases" } },
  "use-case.publish": { audience: ["editor", "admin"], describe: { de: "Anwendungsfälle veröffentlichen", en: "publish use cases" } },
  "use-case.retire": { audience: ["editor", "admin"], describe: { de: "Anwendungsfälle außer Betrieb nehmen", en: "retire use cases" } },
  // Shared models
  "model.edit": {
    audience: ["editor", "admin"],
    describe: { de: "geteilte Modelle eintragen, ändern oder zurückziehen", en: "register, change or retire models" },
  },
  // Reading what is not published yet (drafts, submissions, reasons for sending back)
  "records.read-unpublished": {
    audience: ["editor", "vetter", "admin"],
    describe: { de: "unveröffentlichte Einträge lesen", en: "read unpublished records" },
  },
  // Federation
  "federation.follow": { audience: ["editor", "admin"], describe: { de: "Städten folgen oder entfolgen", en: "follow or unfollow cities" } },
  "federation.read-delivery": { audience: ["admin"], describe: { de: "den Zustellstatus der Follower sehen", en: "see followers' delivery state" } },
  // Network trust of the node. Blocking a whole domain, allowlists and the mode are federation
  // policy (the operator's); blocking one abusive actor is everyday moderation.
  "node-trust.domains": {
    audience: ["admin"],
    describe: {
      de: "Domain-Sperren, Zulassungslisten und den Vertrauensmodus des Knotens ändern",
      en: "change the node's domain blocks, allowlists and trust mode",
    },
  },
  "node-trust.actors": {
    audience: ["admin", "moderator"],
    describe: { de: "einzelne Actors für den Knoten sperren oder entsperren", en: "block or unblock single actors for the node" },
  },
  "node-trust.read": { audience: ["admin", "moderator"], describe: { de: "die Vertrauenslisten des Knotens lesen", en: "read the node's trust lists" } },
  // Reports and the moderation log of the node itself (catalogs have their own moderators)
  "report.file": { audience: "anyone", describe: { de: "Fehler in Einträgen melden", en: "report errors in records" } },
  "node-reports.handle": {
    audience: ["admin", "moderator"],
    describe: { de: "Meldungen zum Knoten lesen und abschließen", en: "read and close reports about the node" },
  },
  // Catalogs hosted here: the admin sets them up, the catalog's named moderators moderate
  "catalog.configure": { audience: ["admin"], describe: { de: "Kataloge einrichten und einstellen", en: "set up and configure catalogs" } },
  "catalog.moderate": {
    audience: "signed-in",
    describe: { de: "Kataloge moderieren (nur eingetragene Moderation)", en: "moderate catalogs (named moderators only)" },
  },
  // This city as a member of catalogs anywhere
  "catalog.membership": {
    audience: ["editor", "admin"],
    describe: { de: "Katalogen beitreten, sie verlassen und Einträge einreichen", en: "join and leave catalogs and submit records" },
  },
  "catalog.moderate-remote": {
    audience: ["moderator", "admin"],
    describe: { de: "als Moderation eines entfernten Katalogs handeln", en: "act as a remote catalog's moderator" },
  },
  "catalog.report-remote": {
    audience: ["editor", "moderator", "admin"],
    describe: { de: "Meldungen an andere Knoten senden", en: "send reports to other nodes" },
  },
  // Operating the node
  "node.settings": { audience: ["admin"], describe: { de: "die Einstellungen des Knotens ändern", en: "change the node's settings" } },
  "api-tokens.manage": { audience: ["admin"], describe: { de: "API-Tokens verwalten", en: "manage API tokens" } },
  "node.read-operations": {
    audience: ["admin"],
    describe: { de: "Betriebsdetails des Knotens sehen (Bereitschaft, Migrationen)", en: "see the node's operational details (readiness, migrations)" },
  },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof permissionTable;
export const actions = Object.keys(permissionTable) as Action[];

/** Whether a principal (null: no token) may take the action by its role. */
export function may(principal: Principal | null, action: Action): boolean {
  const audience: Audience = permissionTable[action].audience;
  if (audience === "anyone") return true;
  if (principal === null) return false;
  return audience === "signed-in" || audience.includes(principal.role);
}

/** The roles an action is open to (every role for `anyone` and `signed-in`). */
export function rolesFor(action: Action): readonly Role[] {
  const audience: Audience = permissionTable[action].audience;
  return typeof audience === "string" ? roles : audience;
}

export type AuthorizationError = { type: "unauthenticated"; action: Action } | { type: "forbidden"; action: Action; role: Role };

/** The check as a value, for doors that answer in their own way (GraphQL: 401/403, pages: a styled page). */
export function authorize(principal: Principal | null, action: Action): { ok: true } | { ok: false; error: AuthorizationError } {
  if (may(principal, action)) return { ok: true };
  if (principal === null) return { ok: false, error: { type: "unauthenticated", action } };
  return { ok: false, error: { type: "forbidden", action, role: principal.role } };
}

export function describeAuthorizationError(error: AuthorizationError): BilingualMessage {
  const what = permissionTable[error.action].describe;
  const audience: Audience = permissionTable[error.action].audience;
  const allowed = typeof audience === "string" ? "" : audience.join(", ");
  switch (error.type) {
    case "unauthenticated":
      return {
        de: `Anmeldung nötig (Authorization: Bearer <Token>) für: ${what.de}.`,
        en: `Authentication required to ${what.en}: send Authorization: Bearer <token>.`,
      };
    case "forbidden":
      return {
        de: `Die Rolle „${error.role}“ darf das nicht (${what.de}); erlaubt: ${allowed}.`,
        en: `The role "${error.role}" may not ${what.en}; allowed: ${allowed}.`,
      };
  }
}
