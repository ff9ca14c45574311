import { createHash, randomBytes } from "node:crypto";
import type { Principal, Role } from "@leitplanken/core";
import type { Queryable } from "./database.ts";

export interface AccessTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface AccessTokenRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

// 32 random bytes: a hash without salt or stretching is enough for tokens of this entropy.
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** An active token already carries this name (names identify people in vetting records and moderator lists). */
export class AccessTokenNameTakenError extends Error {
  override name = "AccessTokenNameTakenError";
}

/** Creates a token; the returned secret is the only copy there will ever be. */
export async function createAccessToken(db: Queryable, input: { name: string; role: Role }): Promise<{ info: AccessTokenInfo; token: string }> {
  const id = randomBytes(6).toString("hex");
  const token = `lp_${id}_${randomBytes(32).toString("base64url")}`;
  try {
    const { rows } = await db.query<AccessTokenRow>(
      `INSERT INTO access_token (id, name, role, token_hash) VALUES ($1, $2, $3, $4)
       RETURNING id, name, role, created_at, last_used_at, revoked_at`,
      [id, input.name, input.role, hashToken(token)],
    );
    return { info: toInfo(rows[0]!), token };
  } catch (error) {
    if ((error as { code?: string }).code === "23505" && String((error as Error).message).includes("access_token_active_name")) {
      throw new AccessTokenNameTakenError(`An active token named "${input.name}" exists already: revoke it first or choose another name.`);
    }
    throw error;
  }
}

/** The principal a bearer token stands for, or null when it is unknown or revoked. */
export async function authenticateAccessToken(db: Queryable, token: string): Promise<Principal | null> {
  const { rows } = await db.query<{ name: string; role: Role }>(
    `UPDATE access_token SET last_used_at = now()
     WHERE token_hash = $1 AND revoked_at IS NULL RETURNING name, role`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row ? { name: row.name, role: row.role } : null;
}

export async function listAccessTokens(db: Queryable): Promise<AccessTokenInfo[]> {
  const { rows } = await db.query<AccessTokenRow>(`SELECT id, name, role, created_at, last_used_at, revoked_at FROM access_token ORDER BY created_at, id`);
  return rows.map(toInfo);
}

/** Revokes a token by its id; false when there is no such active token. */
export async function revokeAccessToken(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE access_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return rowCount > 0;
}

function toInfo(row: AccessTokenRow): AccessTokenInfo {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}
