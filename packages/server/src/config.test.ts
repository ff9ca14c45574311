import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { ConfigError, configurationVariables, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("gives every variable its documented default", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      origin: "http://localhost:8080",
      databaseUrl: undefined,
      handle: "stadt",
      allowPrivateAddress: false,
      logLevel: "info",
      blockedDomains: [],
      queueConcurrency: { outbox: undefined, inbox: undefined },
      outboundTimeoutMs: 15_000,
      bindAddress: "0.0.0.0",
      trustProxy: false,
      requestTimeoutMs: 10_000,
    });
    expect(config.dataDir).toBe(resolve("./data/node"));
    expect(config.website).toBe("http://localhost:8080/");
  });

  it("treats empty variables as unset and parses lists and flags", () => {
    const config = loadConfig({ PORT: "", LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "yes", LEITPLANKEN_BLOCKED_DOMAINS: " Spam.example, ,bad.example " });
    expect(config.port).toBe(8080);
    expect(config.allowPrivateAddress).toBe(true);
    expect(config.blockedDomains).toEqual(["spam.example", "bad.example"]);
  });

  it("reads the queue's concurrency and the delivery timeout", () => {
    const config = loadConfig({ LEITPLANKEN_DELIVERY_CONCURRENCY: "12", LEITPLANKEN_INBOX_CONCURRENCY: "3", LEITPLANKEN_DELIVERY_TIMEOUT: "2.5" });
    expect(config.queueConcurrency).toEqual({ outbox: 12, inbox: 3 });
    expect(config.outboundTimeoutMs).toBe(2_500);
  });

  it("reads the proxies it trusts (addresses, CIDRs, names or a hop count), the bind address and the request timeout", () => {
    expect(loadConfig({ LEITPLANKEN_TRUST_PROXY: "127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,loopback" }).trustProxy).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
      "loopback",
    ]);
    expect(loadConfig({ LEITPLANKEN_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ LEITPLANKEN_TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(loadConfig({ LEITPLANKEN_BIND: "127.0.0.1", LEITPLANKEN_REQUEST_TIMEOUT: "2.5" })).toMatchObject({
      bindAddress: "127.0.0.1",
      requestTimeoutMs: 2_500,
    });
  });

  it.each([
    [
      { LEITPLANKEN_TRUST_PROXY: "10.0.0.0/33" },
      'Invalid configuration: LEITPLANKEN_TRUST_PROXY must be a number of proxies or a comma-separated list of addresses or CIDRs such as 10.0.0.5, 10.0.0.0/8 or loopback ("10.0.0.0/33" is neither) (got "10.0.0.0/33").',
    ],
    [
      { LEITPLANKEN_TRUST_PROXY: "proxy.example" },
      'Invalid configuration: LEITPLANKEN_TRUST_PROXY must be a number of proxies or a comma-separated list of addresses or CIDRs such as 10.0.0.5, 10.0.0.0/8 or loopback ("proxy.example" is neither) (got "proxy.example").',
    ],
    [
      { LEITPLANKEN_BIND: "example.org" },
      'Invalid configuration: LEITPLANKEN_BIND must be an IP address to listen on, such as 127.0.0.1, 0.0.0.0 or :: (got "example.org").',
    ],
    [{ LEITPLANKEN_REQUEST_TIMEOUT: "0" }, 'Invalid configuration: LEITPLANKEN_REQUEST_TIMEOUT must be a number of seconds from 1 to 300 (got "0").'],
    [{ PORT: "70000" }, 'Invalid configuration: PORT must be a whole number from 1 to 65535 (got "70000").'],
    [
      { LEITPLANKEN_ORIGIN: "https://ki.example.de/sub" },
      'Invalid configuration: LEITPLANKEN_ORIGIN must be a bare origin without path, query or fragment, such as https://ki.example.de (got "https://ki.example.de/sub").',
    ],
    [
      { LEITPLANKEN_HANDLE: "Stadt Dortmund" },
      'Invalid configuration: LEITPLANKEN_HANDLE must be lower-case letters, digits, - or _ (e.g. stadt) (got "Stadt Dortmund").',
    ],
    [{ LOG_LEVEL: "loud" }, 'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").'],
    [{ LEITPLANKEN_DELIVERY_CONCURRENCY: "0" }, 'Invalid configuration: LEITPLANKEN_DELIVERY_CONCURRENCY must be a whole number from 1 to 256 (got "0").'],
    [{ LEITPLANKEN_INBOX_CONCURRENCY: "two" }, 'Invalid configuration: LEITPLANKEN_INBOX_CONCURRENCY must be a whole number from 1 to 64 (got "two").'],
    [{ LEITPLANKEN_DELIVERY_TIMEOUT: "-5" }, 'Invalid configuration: LEITPLANKEN_DELIVERY_TIMEOUT must be a number of seconds from 1 to 300 (got "-5").'],
    [{ LEITPLANKEN_ALLOW_PRIVATE_ADDRESS: "maybe" }, 'Invalid configuration: LEITPLANKEN_ALLOW_PRIVATE_ADDRESS must be true or false (got "maybe").'],
  ])("refuses %p with one line naming the variable", (environment, message) => {
    expect(() => loadConfig(environment)).toThrow(new ConfigError(message));
  });

  it("reads the identity provider's settings, with role maps as pairs or JSON", () => {
    const base = {
      LEITPLANKEN_OIDC_ISSUER: "https://login.stadt.example/realms/verwaltung",
      LEITPLANKEN_OIDC_CLIENT_ID: "leitplanken",
      LEITPLANKEN_OIDC_CLIENT_SECRET: "s3cret",
    };
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(loadConfig(base).oidc).toEqual({
      issuer: new URL(base.LEITPLANKEN_OIDC_ISSUER),
      clientId: "leitplanken",
      clientSecret: "s3cret",
      roleClaim: "roles",
      roleMap: {},
      nameClaim: "name",
      scope: "openid profile",
      providerName: undefined,
    });
    expect(loadConfig({ ...base, LEITPLANKEN_OIDC_ROLE_MAP: "KI-Admins=admin, KI-Redaktion = editor" }).oidc?.roleMap).toEqual({
      "KI-Admins": "admin",
      "KI-Redaktion": "editor",
    });
    expect(loadConfig({ ...base, LEITPLANKEN_OIDC_ROLE_MAP: '{"CN=KI-Admins,OU=Gruppen,DC=stadt,DC=de":"admin"}' }).oidc?.roleMap).toEqual({
      "CN=KI-Admins,OU=Gruppen,DC=stadt,DC=de": "admin",
    });
  });

  it.each([
    [{ LEITPLANKEN_OIDC_ISSUER: "https://login.example" }, "Invalid configuration: LEITPLANKEN_OIDC_CLIENT_ID must be set when LEITPLANKEN_OIDC_ISSUER is."],
    [
      { LEITPLANKEN_OIDC_ISSUER: "https://login.example", LEITPLANKEN_OIDC_CLIENT_ID: "x" },
      "Invalid configuration: LEITPLANKEN_OIDC_CLIENT_SECRET must be set when LEITPLANKEN_OIDC_ISSUER is.",
    ],
    [
      { LEITPLANKEN_OIDC_ISSUER: "http://login.example" },
      'Invalid configuration: LEITPLANKEN_OIDC_ISSUER must be an https URL (plain http only on this machine) (got "http://login.example").',
    ],
    [
      { LEITPLANKEN_OIDC_ROLE_MAP: "KI-Admins=king" },
      'Invalid configuration: LEITPLANKEN_OIDC_ROLE_MAP maps "KI-Admins" to "king", which is not a role (admin, editor, vetter, moderator) (got "KI-Admins=king").',
    ],
    [{ LEITPLANKEN_OIDC_ROLE_MAP: "{oops" }, /^Invalid configuration: LEITPLANKEN_OIDC_ROLE_MAP must be a JSON object/],
  ])("refuses the identity provider's settings %p", (environment, message) => {
    expect(() => loadConfig(environment)).toThrow(typeof message === "string" ? new ConfigError(message) : message);
  });

  it("never repeats the identity provider's client secret in an error", () => {
    expect(() => loadConfig({ LEITPLANKEN_OIDC_CLIENT_SECRET: "x".repeat(3000) })).toThrow(
      new ConfigError("Invalid configuration: LEITPLANKEN_OIDC_CLIENT_SECRET must be at most 2000 characters."),
    );
  });

  it("never repeats a DATABASE_URL (it may hold a password) in its error", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://root:secret@db/x" })).toThrow(
      new ConfigError("Invalid configuration: DATABASE_URL must be a postgres:// connection string."),
    );
  });

  it("is documented in the README, variable by variable", () => {
    const readme = readFileSync(resolve(import.meta.dirname, "../../../README.md"), "utf8");
    for (const [name, fallback] of configurationVariables)
      expect(readme).toContain(`| \`${name}\` | ${fallback.startsWith("(") ? fallback : `\`${fallback}\``} |`);
  });
});
