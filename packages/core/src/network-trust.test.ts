import { describe, expect, it } from "@jest/globals";
import type { Catalog } from "./catalog/catalog.entity.ts";
import {
  changeTrust,
  describeTrustChangeError,
  describeTrustRefusal,
  emptyTrustLists,
  normalizeDomain,
  type TrustLists,
  trustDecision,
} from "./network-trust.ts";

const now = new Date("2026-03-01T10:00:00Z");
const lists = (overrides: Partial<TrustLists>): TrustLists => ({ ...emptyTrustLists, ...overrides });

describe("trustDecision", () => {
  it("allows everyone in open mode but blocked actors, domains and their subdomains", () => {
    const blocked = lists({ blockedDomains: ["spam.example"], blockedActors: ["https://ki.muenster.example/actors/troll"] });
    expect(trustDecision("open", blocked, "https://ki.dortmund.example/actors/dortmund")).toBe("allow");
    expect(trustDecision("open", blocked, "https://spam.example/actors/a")).toEqual({
      refuse: { type: "domain-blocked", host: "spam.example", entry: "spam.example" },
    });
    expect(trustDecision("open", blocked, "https://node.SPAM.example/actors/a")).toEqual({
      refuse: { type: "domain-blocked", host: "node.spam.example", entry: "spam.example" },
    });
    expect(trustDecision("open", blocked, "https://notspam.example/actors/a")).toBe("allow");
    expect(trustDecision("open", blocked, "https://KI.muenster.example:443/actors/troll")).toEqual({
      refuse: { type: "actor-blocked", actor: "https://ki.muenster.example/actors/troll" },
    });
    expect(trustDecision("open", blocked, "https://ki.muenster.example/actors/muenster")).toBe("allow");
  });

  it("allows only listed domains and actors in allowlist mode, blocks still winning", () => {
    const allowlist = lists({
      allowedDomains: ["nrw.example", "127.0.0.1:8001"],
      allowedActors: ["https://ki.bayern.example/actors/muenchen"],
      blockedActors: ["https://stadt.nrw.example/actors/gesperrt"],
    });
    expect(trustDecision("allowlist", allowlist, "https://ki.dortmund.nrw.example/actors/dortmund")).toBe("allow");
    expect(trustDecision("allowlist", allowlist, "https://ki.bayern.example/actors/muenchen")).toBe("allow");
    expect(trustDecision("allowlist", allowlist, "https://ki.bayern.example/actors/augsburg")).toEqual({
      refuse: { type: "not-allowlisted", actor: "https://ki.bayern.example/actors/augsburg", host: "ki.bayern.example" },
    });
    expect(trustDecision("allowlist", allowlist, "https://stadt.nrw.example/actors/gesperrt")).toEqual({
      refuse: { type: "actor-blocked", actor: "https://stadt.nrw.example/actors/gesperrt" },
    });
    expect(trustDecision("allowlist", allowlist, "http://127.0.0.1:8001/actors/a")).toBe("allow");
    expect(trustDecision("allowlist", allowlist, "http://127.0.0.1:8002/actors/b")).toMatchObject({
      refuse: { type: "not-allowlisted", host: "127.0.0.1:8002" },
    });
    expect(trustDecision("allowlist", emptyTrustLists, "https://ki.dortmund.nrw.example/actors/dortmund")).toMatchObject({
      refuse: { type: "not-allowlisted" },
    });
  });

  it("refuses what is not an http(s) actor IRI", () => {
    expect(trustDecision("open", emptyTrustLists, "not an iri")).toEqual({ refuse: { type: "invalid-actor", actor: "not an iri" } });
    expect(trustDecision("open", emptyTrustLists, "acct:city@ki.example")).toMatchObject({ refuse: { type: "invalid-actor" } });
  });

  it("a port in a block entry blocks only that port", () => {
    const blocked = lists({ blockedDomains: ["127.0.0.1:8003"] });
    expect(trustDecision("open", blocked, "http://127.0.0.1:8003/actors/c")).toMatchObject({ refuse: { type: "domain-blocked" } });
    expect(trustDecision("open", blocked, "http://127.0.0.1:8001/actors/a")).toBe("allow");
  });

  it("refusals read in German and English", () => {
    for (const refuse of [
      { type: "invalid-actor" as const, actor: "x" },
      { type: "actor-blocked" as const, actor: "https://a.example/a" },
      { type: "domain-blocked" as const, host: "a.example", entry: "a.example" },
      { type: "not-allowlisted" as const, actor: "https://a.example/a", host: "a.example" },
    ]) {
      const message = describeTrustRefusal(refuse);
      expect(message.de).not.toBe(message.en);
    }
  });
});

describe("normalizeDomain", () => {
  it("gives one spelling per host and refuses what is not one", () => {
    expect(normalizeDomain(" KI.Dortmund.Example. ")).toBe("ki.dortmund.example");
    expect(normalizeDomain("127.0.0.1:8001")).toBe("127.0.0.1:8001");
    expect(normalizeDomain("example.org:80")).toBe("example.org:80");
    for (const bad of ["", "https://example.org", "example.org/path", "user@example.org", "exa mple.org", "-bad.example", "a..b"]) {
      expect(normalizeDomain(bad)).toBeNull();
    }
  });
});

describe("changeTrust", () => {
  const catalog = {
    id: "https://hub.example/catalogs/nrw",
    moderators: [{ type: "actor", id: "https://ki.koeln.example/actors/koeln" }],
  } as Catalog;
  const moderator = { actor: { type: "actor" as const, id: "https://ki.koeln.example/actors/koeln" }, role: null };

  it("lets local admins change the node's lists and moderators block single actors, normalised and logged", () => {
    const result = changeTrust(
      { type: "node" },
      { type: "add", list: "blocked-domain", value: "Spam.Example" },
      { actor: { type: "local", name: "Ada" }, role: "admin" },
      null,
      now,
      "Spam",
    );
    if (!result.ok) throw new Error("expected ok");
    expect(result.change).toEqual({ type: "add", list: "blocked-domain", value: "spam.example" });
    expect(result.log).toMatchObject({
      catalogId: null,
      kind: "block",
      targetType: "domain",
      target: "spam.example",
      reason: "Spam",
      isRevert: false,
      refused: false,
    });
    const unblock = changeTrust(
      { type: "node" },
      { type: "remove", list: "blocked-domain", value: "spam.example" },
      { actor: { type: "local", name: "Ada" }, role: "admin" },
      null,
      now,
    );
    expect(unblock.ok && unblock.log).toMatchObject({ kind: "unblock", isRevert: true });
    // A moderator cannot lift the admin's domain block, but blocks an abusive actor.
    const moderator = { actor: { type: "local", name: "Mo" }, role: "moderator" } as const;
    const lifted = changeTrust({ type: "node" }, { type: "remove", list: "blocked-domain", value: "spam.example" }, moderator, null, now);
    expect(!lifted.ok && lifted.error.type).toBe("not-permitted");
    expect(lifted.log).toMatchObject({ kind: "unblock", refused: true });
    const actorBlock = changeTrust({ type: "node" }, { type: "add", list: "blocked-actor", value: "https://troll.example/users/x" }, moderator, null, now);
    expect(actorBlock.ok && actorBlock.log).toMatchObject({ kind: "block", targetType: "actor", refused: false });
    const editor = changeTrust({ type: "node" }, { type: "set-mode", mode: "allowlist" }, { actor: { type: "local", name: "Ed" }, role: "editor" }, null, now);
    expect(!editor.ok && editor.error.type).toBe("not-permitted");
    expect(editor.log).toMatchObject({ kind: "mode-change", target: "allowlist", refused: true });
  });

  it("lets only a catalog's moderators change that catalog's trust", () => {
    const scope = { type: "catalog" as const, catalogId: catalog.id };
    const mode = changeTrust(scope, { type: "set-mode", mode: "allowlist" }, moderator, catalog, now);
    expect(mode.ok && mode.log).toMatchObject({ catalogId: catalog.id, kind: "mode-change", targetType: "catalog", target: "allowlist" });
    const allow = changeTrust(scope, { type: "add", list: "allowed-actor", value: "https://KI.dortmund.example/actors/dortmund" }, moderator, catalog, now);
    expect(allow.ok && allow.change).toMatchObject({ value: "https://ki.dortmund.example/actors/dortmund" });
    const admin = changeTrust(
      scope,
      { type: "add", list: "allowed-domain", value: "nrw.example" },
      { actor: { type: "local", name: "Ada" }, role: "admin" },
      catalog,
      now,
    );
    expect(!admin.ok && admin.error.type).toBe("not-permitted");
    const other = changeTrust(
      { type: "catalog", catalogId: "https://hub.example/catalogs/other" },
      { type: "set-mode", mode: "open" },
      moderator,
      catalog,
      now,
    );
    expect(!other.ok && other.error.type).toBe("wrong-catalog");
    const invalid = changeTrust(scope, { type: "add", list: "blocked-actor", value: "mallory" }, moderator, catalog, now);
    expect(!invalid.ok && invalid.error).toEqual({ type: "invalid-actor", value: "mallory" });
    expect(!invalid.ok && invalid.log).toBeNull();
    expect(describeTrustChangeError({ type: "invalid-domain", value: "x y" }).de).toContain("Domainname");
  });
});
