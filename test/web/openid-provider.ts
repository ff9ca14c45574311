// A real OpenID provider for the sign-in tests: `oidc-provider` (the certified implementation
// Keycloak-like setups are tested against) on 127.0.0.1, with its development login page (any
// password), one confidential client for the node, and accounts whose ID tokens carry a name and
// a `roles` claim. No consent page: municipal providers grant their own applications directly.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { freePort } from "@leitplanken/testkit";

export interface TestAccount {
  name?: string;
  given_name?: string;
  family_name?: string;
  roles?: string[] | string;
}

export interface TestOpenIdProvider {
  issuer: string;
  close(): Promise<void>;
}

export const testClientId = "leitplanken-node";
export const testClientSecret = "a-client-secret-for-tests-only-0123456789";

/** An issuer URL on a free port: the node is configured with it before the provider runs (which needs the node's callback). */
export async function reserveIssuer(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

export async function startOpenIdProvider(issuer: string, redirectUris: string[], accounts: Record<string, TestAccount>): Promise<TestOpenIdProvider> {
  const port = Number(new URL(issuer).port);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: testClientId,
        client_secret: testClientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], profile: ["name", "given_name", "family_name"], roles: ["roles"] },
    // The claims of the scopes asked for go into the ID token (as Entra ID and Keycloak do with their mappers).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ["leitplanken-test-provider-cookie-key"] },
    findAccount: (_ctx: KoaContextWithOIDC, id: string) => {
      const account = accounts[id];
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
    },
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope("openid profile roles");
      await grant.save();
      return grant;
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  if ((server.address() as AddressInfo).port !== port) throw new Error("the provider did not get its port");
  return {
    issuer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
