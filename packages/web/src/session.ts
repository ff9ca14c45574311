import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
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
  /**
   * Where sessions are kept besides this process's memory (the node's database), so that every
   * web process behind a load balancer knows them and a restart signs nobody out. Without it,
   * sessions live in this process only.
   */
  persistence?: SessionPersistence;
}

/**
 * A shared place for sessions: opaque keys and sealed values with an expiry. The key is a hash of
 * the session id and the value is encrypted with a key derived from the id, so what is stored
 * (e.g. in a database dump) neither signs anyone in nor shows an API token.
 */
export interface SessionPersistence {
  read(key: string): Promise<string | undefined>;
  write(key: string, value: string, expiresAt: number): Promise<void>;
  remove(key: string): Promise<void>;
}

const newSecret = () => randomBytes(32).toString("base64url");
/** What `newSecret` makes: anything else in a cookie is not a session id and never reaches the store. */
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

const derive = (purpose: string, id: string) => createHash("sha256").update(`leitplanken session ${purpose}\0${id}`).digest();
const storageKey = (id: string) => derive("key", id).toString("base64url");

function seal(session: Session): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derive("encryption", session.id), iv);
  const { id: _id, ...rest } = session;
  const sealed = Buffer.concat([cipher.update(JSON.stringify(rest), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

function unseal(id: string, value: string): Session | undefined {
  try {
    const bytes = Buffer.from(value, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", derive("encryption", id), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const json = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    return { ...(JSON.parse(json) as Omit<Session, "id">), id };
  } catch {
    return undefined;
  }
}

/**
 * Server-side sessions: the cookie carries only a random id. Kept in memory, and with a
 * `persistence` also in the node's database: then `load` (once per request, before the routes)
 * reads the browser's session afresh, so a sign-in or sign-out on one web process holds on all.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #ttlMs: number;
  readonly #maxSessions: number;
  readonly #now: () => number;
  readonly #persistence: SessionPersistence | undefined;

  constructor(options: SessionStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 8 * 60 * 60 * 1000;
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#persistence = options.persistence;
  }

  /** Reads these sessions (the ids of a request's cookies) from the persistence into memory; without one, nothing happens. */
  async load(ids: readonly (string | undefined)[]): Promise<void> {
    const persistence = this.#persistence;
    if (!persistence) return;
    await Promise.all(
      ids.map(async (id) => {
        if (!id || !sessionIdPattern.test(id)) return;
        const stored = await persistence.read(storageKey(id));
        const session = stored === undefined ? undefined : unseal(id, stored);
        if (session && session.expiresAt > this.#now()) this.#remember(session);
        else this.#sessions.delete(id);
      }),
    );
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
  create(signInFlow?: Session["signInFlow"]): Promise<Session> {
    return this.#store(undefined, signInFlow);
  }

  /** Signs in under a fresh session id and CSRF token, so an id planted before sign-in is worthless. */
  async signIn(previous: Session | undefined, credentials: SignInCredentials): Promise<Session> {
    if (previous) await this.destroy(previous.id);
    return this.#store(credentials);
  }

  async destroy(id: string): Promise<void> {
    this.#sessions.delete(id);
    await this.#persistence?.remove(storageKey(id));
  }

  #remember(session: Session): void {
    this.#sessions.delete(session.id);
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    this.#sessions.set(session.id, session);
  }

  async #store(credentials: SignInCredentials | undefined, signInFlow?: Session["signInFlow"]): Promise<Session> {
    const session: Session = {
      id: newSecret(),
      csrfToken: newSecret(),
      apiToken: credentials?.apiToken,
      principal: credentials?.principal,
      ...(signInFlow ? { signInFlow } : {}),
      expiresAt: this.#now() + this.#ttlMs,
    };
    // Stored before the browser learns the id, so its next request finds it on any web process.
    await this.#persistence?.write(storageKey(session.id), seal(session), session.expiresAt);
    this.#remember(session);
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
