import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * CSRF protection for visitors without a session (a citizen's error report): a signed double
 * submit. The visitor's cookie holds a random id; the form carries an HMAC of that id under a
 * secret only this process knows, so another site can neither read nor forge the pair, and the
 * node keeps nothing per visitor. The node gives every web process the same secret from its
 * database (`WebRouterDeps.visitorFormSecret`), so a form from one process is accepted by another
 * and survives a restart.
 */
export class VisitorTokens {
  readonly #secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.#secret = secret;
  }

  /** A new visitor id for the cookie. */
  newVisitorId(): string {
    return randomBytes(18).toString("base64url");
  }

  /** The form token that belongs to a visitor id. */
  tokenFor(visitorId: string): string {
    return createHmac("sha256", this.#secret).update(visitorId).digest("base64url");
  }

  /** Whether a submitted token belongs to the visitor id of the cookie, compared in constant time. */
  matches(visitorId: string | undefined, submitted: unknown): boolean {
    if (!visitorId || typeof submitted !== "string") return false;
    const expected = Buffer.from(this.tokenFor(visitorId));
    const given = Buffer.from(submitted);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
