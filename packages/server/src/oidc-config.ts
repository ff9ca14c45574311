import { roles, type Role } from "@leitplanken/core";
import type { OidcOptions } from "@leitplanken/web";
import { z } from "zod";

/**
 * Sign-in through the city's identity provider (OpenID Connect), configured by the environment.
 * Without LEITPLANKEN_OIDC_ISSUER the node has API tokens only. The client secret is never echoed
 * in an error or a log line.
 */
export type OidcConfig = Omit<OidcOptions, "clockSkewSeconds" | "fetch">;

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const oidcEnvironmentShape = {
  LEITPLANKEN_OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: "must be the identity provider's issuer URL, such as https://login.stadt.de/realms/verwaltung" })
    .refine(
      (value) => new URL(value).protocol === "https:" || loopbackHosts.has(new URL(value).hostname),
      "must be an https URL (plain http only on this machine)",
    )
    .optional(),
  LEITPLANKEN_OIDC_CLIENT_ID: z.string().max(500, "must be at most 500 characters").optional(),
  LEITPLANKEN_OIDC_CLIENT_SECRET: z.string().max(2000, "must be at most 2000 characters").optional(),
  LEITPLANKEN_OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[^\s]{1,200}$/, "must be a claim name or a dotted path such as realm_access.roles")
    .default("roles"),
  LEITPLANKEN_OIDC_ROLE_MAP: z
    .string()
    .transform((value, ctx) => {
      const mapping = parseRoleMap(value);
      if (typeof mapping === "string") {
        ctx.addIssue({ code: "custom", message: mapping });
        return z.NEVER;
      }
      return mapping;
    })
    .default({}),
  LEITPLANKEN_OIDC_NAME_CLAIM: z
    .string()
    .regex(/^[^\s]{1,200}$/, "must be a claim name such as name")
    .default("name"),
  LEITPLANKEN_OIDC_SCOPE: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, "must be scopes separated by single spaces, such as openid profile")
    .default("openid profile"),
  LEITPLANKEN_OIDC_PROVIDER_NAME: z.string().max(100, "must be at most 100 characters").optional(),
};

/** Variables whose values are never repeated in an error. */
export const secretVariables = new Set(["LEITPLANKEN_OIDC_CLIENT_SECRET"]);

/**
 * `LEITPLANKEN_OIDC_ROLE_MAP`: claim value → role, either as a JSON object (any value, e.g. an AD
 * group's distinguished name) or as `value=role` pairs separated by commas. A message when invalid.
 */
export function parseRoleMap(value: string): Record<string, Role> | string {
  const trimmed = value.trim();
  let entries: [string, string][];
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return 'must be a JSON object such as {"KI-Admins":"admin"} or pairs such as ki-admins=admin,ki-redaktion=editor';
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return 'must be a JSON object such as {"KI-Admins":"admin"}';
    entries = Object.entries(parsed as Record<string, unknown>).map(([key, role]) => [key, String(role)]);
  } else {
    entries = [];
    for (const pair of trimmed.split(",")) {
      const at = pair.lastIndexOf("=");
      if (at <= 0) return `must be pairs such as ki-admins=admin,ki-redaktion=editor (got the pair "${pair.trim()}")`;
      entries.push([pair.slice(0, at).trim(), pair.slice(at + 1).trim()]);
    }
  }
  for (const [claimValue, role] of entries) {
    if (!(roles as readonly string[]).includes(role)) return `maps "${claimValue}" to "${role}", which is not a role (${roles.join(", ")})`;
  }
  return Object.fromEntries(entries) as Record<string, Role>;
}

type OidcEnvironment = z.infer<z.ZodObject<typeof oidcEnvironmentShape>>;

/** The OIDC configuration, or undefined without an issuer; a message naming the variable when incomplete. */
export function oidcConfigFrom(env: OidcEnvironment): OidcConfig | undefined | { missing: string } {
  if (!env.LEITPLANKEN_OIDC_ISSUER) return undefined;
  if (!env.LEITPLANKEN_OIDC_CLIENT_ID) return { missing: "LEITPLANKEN_OIDC_CLIENT_ID" };
  if (!env.LEITPLANKEN_OIDC_CLIENT_SECRET) return { missing: "LEITPLANKEN_OIDC_CLIENT_SECRET" };
  return {
    issuer: new URL(env.LEITPLANKEN_OIDC_ISSUER),
    clientId: env.LEITPLANKEN_OIDC_CLIENT_ID,
    clientSecret: env.LEITPLANKEN_OIDC_CLIENT_SECRET,
    roleClaim: env.LEITPLANKEN_OIDC_ROLE_CLAIM,
    roleMap: env.LEITPLANKEN_OIDC_ROLE_MAP,
    nameClaim: env.LEITPLANKEN_OIDC_NAME_CLAIM,
    scope: env.LEITPLANKEN_OIDC_SCOPE,
    providerName: env.LEITPLANKEN_OIDC_PROVIDER_NAME,
  };
}

/** The README's rows for these variables (see configurationVariables). */
export const oidcConfigurationVariables = [
  [
    "LEITPLANKEN_OIDC_ISSUER",
    "(unset)",
    "Issuer URL of the city's identity provider (OpenID Connect: Keycloak, Entra ID, ADFS); unset = staff sign in with API tokens only. Register `ORIGIN/staff/sign-in/callback` as the redirect URI there.",
  ],
  ["LEITPLANKEN_OIDC_CLIENT_ID", "(unset)", "The node's client id at the identity provider (required with an issuer)."],
  ["LEITPLANKEN_OIDC_CLIENT_SECRET", "(unset)", "The client's secret (required with an issuer; sent as client_secret_post, never logged)."],
  [
    "LEITPLANKEN_OIDC_ROLE_CLAIM",
    "roles",
    "ID token claim with the person's roles or groups (a text or a list; a dotted path such as `realm_access.roles` reaches into objects).",
  ],
  [
    "LEITPLANKEN_OIDC_ROLE_MAP",
    "(values are role names)",
    'Claim values to roles: `ki-admins=admin,ki-redaktion=editor,ki-pruefung=vetter,ki-moderation=moderator`, or JSON `{"CN=KI-Admins,OU=Gruppen,DC=stadt,DC=de":"admin"}`. Values not listed give no role.',
  ],
  [
    "LEITPLANKEN_OIDC_NAME_CLAIM",
    "name",
    "ID token claim with the person's full name (what vetting records show); falls back to given_name + family_name, preferred_username, email.",
  ],
  ["LEITPLANKEN_OIDC_SCOPE", "openid profile", "Scopes the node asks for (add the scope that releases the role claim if the provider needs one)."],
  ["LEITPLANKEN_OIDC_PROVIDER_NAME", "(unset)", "The provider's name on the sign-in button, e.g. `Dortmund-Login`."],
] as const;
