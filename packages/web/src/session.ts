import { randomBytes, timingSafeEqual } from "node:crypto";

/** A browser's session: the CSRF token of its forms and, once signed in, the staff member's API token. */
export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  /** The API token; only ever kept here on the server, never sent back to the browser. */
  readonly apiToken: string | undefined;
  readonly expiresAt: number;
}

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

  /** A new anonymous session (it only carries a CSRF token, e.g. for the sign-in form). */
  create(): Session {
    return this.#store(undefined);
  }

  /** Signs in under a fresh session id and CSRF token, so an id planted before sign-in is worthless. */
  signIn(previous: Session | undefined, apiToken: string): Session {
    if (previous) this.#sessions.delete(previous.id);
    return this.#store(apiToken);
  }

  destroy(id: string): void {
    this.#sessions.delete(id);
  }

  #store(apiToken: string | undefined): Session {
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const session: Session = { id: newSecret(), csrfToken: newSecret(), apiToken, expiresAt: this.#now() + this.#ttlMs };
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
