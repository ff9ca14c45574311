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
