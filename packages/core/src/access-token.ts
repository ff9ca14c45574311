import { z } from "zod";
import type { BilingualIssueParams } from "./common.schema.ts";
import { roles, type Principal, type Role } from "./principal.ts";
import { type BilingualMessage, type Validated, validateWith } from "./validation.ts";

/**
 * API tokens: how people and machines without the city's identity provider act on a node.
 * A token's name is the person a vetting record or a catalog's moderator list names, so it
 * is a person's name (or a machine's purpose), unique among active tokens. The secret is
 * shown once; only its hash is stored. The CLI, the GraphQL API and the staff pages all go
 * through one `AccessTokenStore` (implemented in @leitplanken/db).
 */

export const accessTokenNameMaxLength = 200;

export const accessTokenNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(accessTokenNameMaxLength)
  .refine((name) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name), {
    params: {
      code: "control-character",
      de: "Der Name darf keine Steuer- oder Formatzeichen (z. B. Zeilenumbrüche) enthalten.",
      en: "The name must not contain control or format characters (such as line breaks).",
    } satisfies BilingualIssueParams,
  });

export const newAccessTokenSchema = z.strictObject({
  /** Who uses the token, e.g. "Erika Beispiel, Digitalisierung" (shown in vetting records and logs). */
  name: accessTokenNameSchema,
  role: z.enum(roles),
});
export type NewAccessToken = z.infer<typeof newAccessTokenSchema>;

export const validateNewAccessToken = (input: unknown): Validated<NewAccessToken> => validateWith(newAccessTokenSchema, input);

/** What anyone may know of a token: never its secret. */
export interface AccessTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type AccessTokenError =
  /** An active token carries this name already. */
  | { type: "name-taken"; name: string }
  | { type: "token-not-found"; id: string }
  /** Revoking it would leave the node without an active admin token. */
  | { type: "last-admin-token"; id: string };

export type CreateAccessTokenResult =
  { ok: true; info: AccessTokenInfo; secret: string } | { ok: false; error: Extract<AccessTokenError, { type: "name-taken" }> };
export type RevokeAccessTokenResult = { ok: true; info: AccessTokenInfo } | { ok: false; error: Exclude<AccessTokenError, { type: "name-taken" }> };

/** The principal an API token stands for; `tokenId` tells the caller's own token apart in lists. */
export interface TokenPrincipal extends Principal {
  tokenId: string;
}

export interface AccessTokenStore {
  /**
   * Creates a token from validated input; the returned secret is the only copy there will ever be.
   * `shared`: a setup account no single person stands behind (the node's first admin token): it
   * never vets or sends back (core `Principal.shared`).
   */
  create(input: NewAccessToken, options?: { shared?: boolean }): Promise<CreateAccessTokenResult>;
  /** Active tokens first, each group oldest first; revoked ones only when asked for. */
  list(options?: { includeRevoked?: boolean }): Promise<AccessTokenInfo[]>;
  /** Revokes an active token, unless it is the last active admin token (which would lock admins out). */
  revoke(id: string): Promise<RevokeAccessTokenResult>;
  /** The principal a secret stands for, or null when it is unknown or revoked; records the use. */
  authenticate(secret: string): Promise<TokenPrincipal | null>;
}

export function describeAccessTokenError(error: AccessTokenError): BilingualMessage {
  switch (error.type) {
    case "name-taken":
      return {
        de: `Es gibt schon einen aktiven Token mit dem Namen „${error.name}“: widerrufen Sie ihn zuerst oder wählen Sie einen anderen Namen.`,
        en: `An active token named "${error.name}" exists already: revoke it first or choose another name.`,
      };
    case "token-not-found":
      return {
        de: `Es gibt keinen aktiven Token mit der Kennung ${error.id}; vielleicht wurde er schon widerrufen.`,
        en: `There is no active token with the id ${error.id}; it may have been revoked already.`,
      };
    case "last-admin-token":
      return {
        de: "Das ist der letzte aktive Admin-Token dieses Knotens. Legen Sie zuerst einen anderen Admin-Token an; sonst kann niemand mehr Tokens verwalten.",
        en: "This is the node's last active admin token. Create another admin token first; otherwise nobody could manage tokens any more.",
      };
  }
}
