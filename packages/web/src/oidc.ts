import { roles, type Principal, type Role } from "@leitplanken/core";
import * as client from "openid-client";

/**
 * Staff sign in with the city's own identity provider (OpenID Connect: Keycloak, Microsoft Entra
 * ID, ADFS, …): authorization code flow with PKCE, state and nonce, through `openid-client`. The
 * ID token says who the person is (their name is what vetting records show) and which roles
 * they have (a claim, mapped to this node's roles). API tokens stay for machines.
 */
export interface OidcOptions {
  /** The provider's issuer URL; its discovery document is at `/.well-known/openid-configuration` below it. */
  issuer: URL;
  clientId: string;
  /** Never logged, never shown. */
  clientSecret: string;
  /** The ID token claim with the person's roles or groups (a string or a list); a dotted path reaches into objects (`realm_access.roles`). */
  roleClaim: string;
  /** Claim value → role. Empty: the values are the role names themselves (`admin`, `editor`, `vetter`, `moderator`). */
  roleMap: Readonly<Record<string, Role>>;
  /** The ID token claim with the person's full name (default `name`). */
  nameClaim: string;
  /** Scopes asked for (always with `openid`). */
  scope: string;
  /** Shown on the sign-in button, e.g. "Dortmund-Login"; a neutral text when unset. */
  providerName?: string | undefined;
  /** Adjusts the clock the ID token's times are checked against, in seconds (a node whose clock is off; tests). */
  clockSkewSeconds?: number;
  /** Replaces fetch for the requests to the provider (tests that play a man in the middle). */
  fetch?: typeof fetch;
}

/** Why a sign-in through the provider did not lead into the staff area. */
export type OidcFailure =
  /** The provider could not be reached or its discovery document is unusable. */
  | { type: "provider-unavailable" }
  /** The flow this browser started is unknown or expired (or the callback came without one). */
  | { type: "no-sign-in-started" }
  /** The person cancelled at the provider, or the provider refused (its error code). */
  | { type: "provider-refused"; error: string }
  /** State, nonce, PKCE, signature, issuer, audience or expiry did not check out. */
  | { type: "invalid-response" }
  /** The ID token names no roles this node maps. */
  | { type: "no-role" }
  /** The ID token names nobody (no name, given/family name, preferred_username or email). */
  | { type: "no-name" };

/** A started sign-in, kept on the server for the browser that started it. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Epoch milliseconds; a flow is good for ten minutes. */
  startedAt: number;
}

export const pendingSignInLifetimeMs = 10 * 60 * 1000;

/** Who the ID token says the person is. */
export interface OidcIdentity {
  name: string;
  /** The roles the claim maps to, in the order of `roles` (admin first); at least one. */
  roles: Role[];
}

/** The value at a dotted path of the claims (`realm_access.roles`), or a claim whose name has dots itself (ADFS's URIs). */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const segment of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The node roles the role claim maps to (unknown values are ignored), most powerful first. */
export function rolesFromClaims(claims: Record<string, unknown>, options: Pick<OidcOptions, "roleClaim" | "roleMap">): Role[] {
  const raw = claimAt(claims, options.roleClaim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === "string");
  const mapped = new Set<Role>();
  for (const value of values) {
    const role = Object.keys(options.roleMap).length > 0 ? options.roleMap[value] : (roles as readonly string[]).includes(value) ? (value as Role) : undefined;
    if (role) mapped.add(role);
  }
  return roles.filter((role) => mapped.has(role));
}

const oneLine = (value: unknown) =>
  typeof value === "string"
    ? value
        .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 200)
    : "";

/** The person's name: the name claim, else given and family name, else the user name or email. */
export function nameFromClaims(claims: Record<string, unknown>, nameClaim: string): string {
  const candidates = [
    claimAt(claims, nameClaim),
    [claims.given_name, claims.family_name].filter((part) => typeof part === "string").join(" "),
    claims.preferred_username,
    claims.email,
  ];
  return candidates.map(oneLine).find((name) => name !== "") ?? "";
}

export function identityFromClaims(
  claims: Record<string, unknown>,
  options: OidcOptions,
): { ok: true; identity: OidcIdentity } | { ok: false; failure: OidcFailure } {
  const name = nameFromClaims(claims, options.nameClaim);
  if (!name) return { ok: false, failure: { type: "no-name" } };
  const mapped = rolesFromClaims(claims, options);
  if (mapped.length === 0) return { ok: false, failure: { type: "no-role" } };
  return { ok: true, identity: { name, roles: mapped } };
}

/** The principal for one of the identity's roles (the person picks one when they have several). */
export const principalFor = (identity: OidcIdentity, role: Role): Principal => ({ name: identity.name, role });

const isLoopback = (url: URL) => ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);

/**
 * The client for one provider. Discovery runs at the first sign-in (a node starts while its
 * provider is down) and is kept; a failed discovery is tried again at the next sign-in.
 */
export class OidcClient {
  readonly #options: OidcOptions;
  readonly #redirectUri: string;
  #configuration: Promise<client.Configuration> | undefined;

  constructor(options: OidcOptions, origin: string) {
    this.#options = options;
    this.#redirectUri = new URL("/staff/sign-in/callback", origin).href;
  }

  get providerName(): string | undefined {
    return this.#options.providerName;
  }

  get redirectUri(): string {
    return this.#redirectUri;
  }

  #configure(): Promise<client.Configuration> {
    this.#configuration ??= (async () => {
      const options = this.#options;
      const metadata: Partial<client.ClientMetadata> = {
        client_secret: options.clientSecret,
        ...(options.clockSkewSeconds ? { [client.clockSkew]: options.clockSkewSeconds } : {}),
      };
      // The ID token's signature is checked against the provider's keys even though it comes
      // straight from the token endpoint (openid-client trusts TLS there by default): a proxy that
      // breaks TLS open, or a mistake in it, must not be able to change who signs in.
      const execute = [client.enableNonRepudiationChecks];
      // Plain http only to a provider on this machine (development, tests); anywhere else https.
      if (options.issuer.protocol === "http:" && isLoopback(options.issuer)) execute.push(client.allowInsecureRequests);
      const configuration = await client.discovery(options.issuer, options.clientId, metadata, undefined, {
        execute,
        timeout: 10,
        ...(options.fetch ? { [client.customFetch]: options.fetch as client.CustomFetch } : {}),
      });
      return configuration;
    })();
    this.#configuration.catch(() => {
      this.#configuration = undefined;
    });
    return this.#configuration;
  }

  /** Starts a sign-in: where to send the browser, and what to keep for the callback. */
  async start(now: number): Promise<{ ok: true; url: URL; pending: PendingSignIn } | { ok: false; failure: OidcFailure }> {
    let configuration: client.Configuration;
    try {
      configuration = await this.#configure();
    } catch {
      return { ok: false, failure: { type: "provider-unavailable" } };
    }
    const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), startedAt: now };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.#redirectUri,
      scope: ["openid", ...this.#options.scope.split(/\s+/).filter((scope) => scope && scope !== "openid")].join(" "),
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    return { ok: true, url, pending };
  }

  /**
   * Completes a sign-in from the provider's answer (`callbackUrl`, with code and state): the code
   * is exchanged with the PKCE verifier, and the ID token's signature, issuer, audience, expiry
   * and nonce are checked by openid-client before any claim is read.
   */
  async complete(
    callbackUrl: URL,
    pending: PendingSignIn | undefined,
    now: number,
  ): Promise<{ ok: true; identity: OidcIdentity } | { ok: false; failure: OidcFailure; cause?: unknown }> {
    const providerError = callbackUrl.searchParams.get("error");
    if (!pending || now - pending.startedAt > pendingSignInLifetimeMs) {
      return { ok: false, failure: providerError ? { type: "provider-refused", error: providerError.slice(0, 100) } : { type: "no-sign-in-started" } };
    }
    let configuration: client.Configuration;
    try {
      configuration = await this.#configure();
    } catch {
      return { ok: false, failure: { type: "provider-unavailable" } };
    }
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) return { ok: false, failure: { type: "invalid-response" } };
      return identityFromClaims(claims as Record<string, unknown>, this.#options);
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError)
        return { ok: false, failure: { type: "provider-refused", error: error.error.slice(0, 100) }, cause: error };
      if (isNetworkError(error)) return { ok: false, failure: { type: "provider-unavailable" }, cause: error };
      return { ok: false, failure: { type: "invalid-response" }, cause: error };
    }
  }
}

/** The provider did not answer (refused connection, timeout), as fetch reports it. */
function isNetworkError(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === "TimeoutError" || name === "AbortError" || (name === "TypeError" && message === "fetch failed");
}
