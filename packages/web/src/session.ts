import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Principal } from "@leitplanken/core";
import type { OidcIdentity, PendingSignIn } from "./oidc.ts";

/** A browser's session: the CSRF token of its forms and, once signed in, who the staff member is. */
export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  /** The API token of a token sign-in; only ever kept here on the server, never sent back to the browser. */
  readonly apiToken: string | undefined;
  /**
   * Who is signed in (name and role): the token's principal, or the person the city's identity
   * provider vouched for (then there is no token and the API acts as this principal).
   */
  readonly principal: Principal | undefined;
  /**
   * Before sign-in through the identity provider: the flow this browser started (state, nonce,
   * PKCE verifier), or, after the provider vouched for a person with several roles, who they are
   * while they choose the role to work in.
   */
  readonly signInFlow?: { pending?: PendingSignIn; identity?: OidcIdentity } | undefined;
  readonly expiresAt: number;
}

/** The name of the staff session cookie: `__Host-` (and Secure) on https. */
export const sessionCookieName = (origin: string) => (origin.startsWith("https:") ? "__Host-leitplanken-session" : "leitplanken-session");

/** How a staff member signs in: with an API token, or through the city's identity provider. */
export type SignInCredentials = { apiToken: string; principal: Principal } | { apiToken?: undefined; principal: Principal };

export interface SessionStoreOptions {
  /** Lifetime of a session in milliseconds (default 8 hours, a working day). */
  ttlMs?: number;
  /** Upper bound of sessions kept; the oldest go first (default 10,000). */
  maxSessions?: number;
  now?: () => number;
}

const newSecret = () => randomBytes(32).toString("base64url");

/**
 * Server-side sessions in memory: the cookie carries only a random id. A restart signs
 * everyone out, which is acceptable for a handful of staff members per node.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #ttlMs: number;
  readonly #maxSessions: number;
  readonly #now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 8 * 60 * 60 * 1000;
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (session && session.expiresAt <= this.#now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** A new anonymous session (it only carries a CSRF token, e.g. for the sign-in form, and maybe a sign-in flow). */
  create(signInFlow?: Session["signInFlow"]): Session {
    return this.#store(undefined, signInFlow);
  }

  /** Signs in under a fresh session id and CSRF token, so an id planted before sign-in is worthless. */
  signIn(previous: Session | undefined, credentials: SignInCredentials): Session {
    if (previous) this.#sessions.delete(previous.id);
    return this.#store(credentials);
  }

  destroy(id: string): void {
    this.#sessions.delete(id);
  }

  #store(credentials: SignInCredentials | undefined, signInFlow?: Session["signInFlow"]): Session {
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const session: Session = {
      id: newSecret(),
      csrfToken: newSecret(),
      apiToken: credentials?.apiToken,
      principal: credentials?.principal,
      ...(signInFlow ? { signInFlow } : {}),
      expiresAt: this.#now() + this.#ttlMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }
}

/** Whether a submitted form's token is the session's (synchronizer token pattern), compared in constant time. */
export function csrfTokenMatches(session: Session | undefined, submitted: unknown): boolean {
  if (!session || typeof submitted !== "string") return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(submitted);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
