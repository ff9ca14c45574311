import { describe, expect, it } from "@jest/globals";
import { csrfTokenMatches, SessionStore } from "./session.ts";

describe("sessions", () => {
  it("signs in under a new id and CSRF token and forgets the anonymous session", async () => {
    const store = new SessionStore();
    const anonymous = await store.create();
    const signedIn = await store.signIn(anonymous, { apiToken: "secret-token", principal: { name: "Erika Beispiel", role: "editor" } });
    expect(signedIn.id).not.toBe(anonymous.id);
    expect(signedIn.csrfToken).not.toBe(anonymous.csrfToken);
    expect(store.get(anonymous.id)).toBeUndefined();
    expect(store.get(signedIn.id)?.apiToken).toBe("secret-token");
    await store.destroy(signedIn.id);
    expect(store.get(signedIn.id)).toBeUndefined();
  });

  it("expires sessions and keeps at most maxSessions", async () => {
    let now = 0;
    const store = new SessionStore({ ttlMs: 1000, maxSessions: 2, now: () => now });
    const first = await store.create();
    const second = await store.create();
    const third = await store.create();
    expect(store.get(first.id)).toBeUndefined();
    expect(store.get(second.id)).toBeDefined();
    now = 1000;
    expect(store.get(third.id)).toBeUndefined();
  });

  it("accepts only the session's own CSRF token", async () => {
    const store = new SessionStore();
    const session = await store.create();
    const other = await store.create();
    expect(csrfTokenMatches(session, session.csrfToken)).toBe(true);
    expect(csrfTokenMatches(session, other.csrfToken)).toBe(false);
    expect(csrfTokenMatches(session, session.csrfToken.slice(1))).toBe(false);
    expect(csrfTokenMatches(session, undefined)).toBe(false);
    expect(csrfTokenMatches(undefined, session.csrfToken)).toBe(false);
  });
});
