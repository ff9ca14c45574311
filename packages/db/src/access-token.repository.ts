import { createHash, randomBytes } from "node:crypto";
import {
  type AccessTokenInfo,
  type AccessTokenStore,
  describeAccessTokenError,
  type NewAccessToken,
  type Role,
  type TokenPrincipal,
  validateNewAccessToken,
} from "@leitplanken/core";
import type { Database } from "./database.ts";

export type { AccessTokenInfo } from "@leitplanken/core";

interface AccessTokenRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const columns = "id, name, role, created_at, last_used_at, revoked_at";

// 32 random bytes: a hash without salt or stretching is enough for tokens of this entropy.
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** An active token already carries this name (names identify people in vetting records and moderator lists). */
export class AccessTokenNameTakenError extends Error {
  override name = "AccessTokenNameTakenError";
}

/** The token's name or role is not acceptable (empty, too long, a line break, an unknown role). */
export class InvalidAccessTokenError extends Error {
  override name = "InvalidAccessTokenError";
}

/**
 * API tokens in the database: the one place the CLI, the GraphQL API and the staff pages
 * create, list, revoke and check them (core's AccessTokenStore).
 */
export function createAccessTokenStore(db: Pick<Database, "query" | "transaction">): AccessTokenStore {
  return {
    async create(input: NewAccessToken, options = {}) {
      const id = randomBytes(6).toString("hex");
      const secret = `lp_${id}_${randomBytes(32).toString("base64url")}`;
      try {
        const { rows } = await db.query<AccessTokenRow>(
          `INSERT INTO access_token (id, name, role, token_hash, shared) VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
          [id, input.name, input.role, hashToken(secret), options.shared === true],
        );
        return { ok: true, info: toInfo(rows[0]!), secret };
      } catch (error) {
        if ((error as { code?: string }).code === "23505" && String((error as Error).message).includes("access_token_active_name")) {
          return { ok: false, error: { type: "name-taken", name: input.name } };
        }
        throw error;
      }
    },

    async list(options = {}) {
      const { rows } = await db.query<AccessTokenRow>(
        `SELECT ${columns} FROM access_token ${options.includeRevoked ? "" : "WHERE revoked_at IS NULL"}
         ORDER BY revoked_at IS NOT NULL, created_at, id`,
      );
      return rows.map(toInfo);
    },

    revoke(id: string) {
      return db.transaction(async (tx) => {
        // The active admin tokens, locked: two admins revoking each other at once cannot both win.
        const { rows: admins } = await tx.query<{ id: string }>(`SELECT id FROM access_token WHERE role = 'admin' AND revoked_at IS NULL FOR UPDATE`);
        const { rows } = await tx.query<AccessTokenRow>(`SELECT ${columns} FROM access_token WHERE id = $1 AND revoked_at IS NULL`, [id]);
        const token = rows[0];
        if (!token) return { ok: false, error: { type: "token-not-found", id } } as const;
        if (token.role === "admin" && admins.every((admin) => admin.id === id)) return { ok: false, error: { type: "last-admin-token", id } } as const;
        const { rows: revoked } = await tx.query<AccessTokenRow>(`UPDATE access_token SET revoked_at = now() WHERE id = $1 RETURNING ${columns}`, [id]);
        return { ok: true, info: toInfo(revoked[0]!) } as const;
      });
    },

    async authenticate(secret: string) {
      const { rows } = await db.query<{ id: string; name: string; role: Role; shared: boolean }>(
        `UPDATE access_token SET last_used_at = now()
         WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, name, role, shared`,
        [hashToken(secret)],
      );
      const row = rows[0];
      if (!row) return null;
      return { name: row.name, role: row.role, tokenId: row.id, ...(row.shared ? { shared: true } : {}) } satisfies TokenPrincipal;
    },
  };
}

/**
 * Creates a token (for the CLI and the first admin token, which is `shared`: a setup account, not
 * a person's); throws when the input or the name is refused.
 */
export async function createAccessToken(
  db: Database,
  input: { name: string; role: Role },
  options: { shared?: boolean } = {},
): Promise<{ info: AccessTokenInfo; token: string }> {
  const valid = validateNewAccessToken(input);
  if (!valid.ok) throw new InvalidAccessTokenError(valid.errors.map((error) => `${error.path}: ${error.message.en}`).join("; "));
  const result = await createAccessTokenStore(db).create(valid.value, options);
  if (!result.ok) throw new AccessTokenNameTakenError(describeAccessTokenError(result.error).en);
  return { info: result.info, token: result.secret };
}

/** The principal a bearer token stands for, or null when it is unknown or revoked. */
export const authenticateAccessToken = (db: Database, token: string): Promise<TokenPrincipal | null> => createAccessTokenStore(db).authenticate(token);

/** Every token, revoked ones too (the CLI's list shows when each was revoked). */
export const listAccessTokens = (db: Database): Promise<AccessTokenInfo[]> => createAccessTokenStore(db).list({ includeRevoked: true });

/** Revokes a token by its id; false when there is no such active token. Throws when it is the last active admin token. */
export async function revokeAccessToken(db: Database, id: string): Promise<boolean> {
  const result = await createAccessTokenStore(db).revoke(id);
  if (result.ok) return true;
  if (result.error.type === "token-not-found") return false;
  throw new InvalidAccessTokenError(describeAccessTokenError(result.error).en);
}

function toInfo(row: AccessTokenRow): AccessTokenInfo {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}
