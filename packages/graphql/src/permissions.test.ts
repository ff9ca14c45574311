import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { coerceInputValue } from "graphql";
import { may, type Principal, roles, type Role } from "@leitplanken/core";
import {
  authenticateAccessToken,
  createAccessToken,
  createCatalogRepository,
  createFederationRepository,
  type Queryable,
  revokeAccessToken,
} from "@leitplanken/db";
import { localCatalogHub } from "./testing/catalog-hub.fixture.ts";
import { mutationPermission, mutationPermissions } from "./permissions.ts";
import { buildSchema } from "./schema.ts";
import { argumentVariants, mutationFields, operationFor } from "./testing/schema-arguments.ts";
import { startTestApi, type TestApi } from "./testing/test-api.ts";

/**
 * The authorization matrix: every mutation of the schema × every role × no token × a revoked
 * token, over HTTP with real tokens, compared with core's permission table. Arguments come
 * from the schema (ids that exist nowhere), so an allowed call ends in a payload (not found,
 * invalid) and a refused one in 401/403 before any statement touched records, catalogs or
 * federation state (role checks come before lookups). Moderation steps that core's workflow
 * checks also log the refused attempt: that write is the only statement they may run.
 */
describe("permission table × every mutation", () => {
  let api: TestApi;
  const tokens: Partial<Record<Role | "revoked", string>> = {};
  let statements: string[] = [];
  const counted = (db: Queryable): Queryable => ({
    query: (text, params) => {
      statements.push(text.trim());
      return db.query(text, params);
    },
    exec: (sql) => {
      statements.push(sql.trim());
      return db.exec(sql);
    },
  });
  const isLogWrite = (sql: string) => sql.startsWith("INSERT INTO moderation_log");

  beforeAll(async () => {
    api = await startTestApi({
      observeDatabase: counted,
      // Real tokens: the revoked one is refused by the same lookup as in production.
      deps: { authenticate: (token) => authenticateAccessToken(api.db, token) },
      catalogs: (db) => {
        const store = createCatalogRepository(counted(db));
        const unreachable = { ok: false as const, error: { type: "catalog-not-found" as const, catalog: "https://ki.nowhere.example/actors/x" } };
        return {
          store,
          hub: localCatalogHub(store, { origin: "https://ki.dortmund.example", addressSecret: "a test secret of 32 characters.." }),
          membership: {
            lookup: async (target) => ({ ok: false, error: { type: "actor-not-found", target } }),
            joined: async () => [],
            join: async (target) => ({ ok: false, error: { type: "actor-not-found", target } }),
            leave: async (target) => ({ ok: false, error: { type: "not-following", target } }),
            submit: async () => unreachable,
            view: async () => [],
            moderate: async () => unreachable,
            report: async () => unreachable,
          },
        };
      },
      federation: (db) => {
        const store = createFederationRepository(counted(db));
        return {
          store,
          following: {
            followCity: async (target) => ({ ok: false, error: { type: "actor-not-found", target } }),
            unfollowCity: async (target) => ({ ok: false, error: { type: "not-following", target } }),
            listFollowers: () => store.listFollowers(),
            listFollowing: () => store.listFollowing(),
          },
        };
      },
    });
    for (const role of roles) tokens[role] = (await createAccessToken(api.db, { name: `Matrix ${role}`, role })).token;
    const revoked = await createAccessToken(api.db, { name: "Matrix revoked admin", role: "admin" });
    await revokeAccessToken(api.db, revoked.info.id);
    tokens.revoked = revoked.token;
  });
  afterAll(() => api.close());

  it("names a permission for every mutation of the schema, and nothing else", async () => {
    const names = mutationFields(await buildSchema()).map((field) => field.name);
    expect(Object.keys(mutationPermissions).sort()).toEqual([...names].sort());
  });

  it("answers every mutation as the table says, for every role, without a token and with a revoked one", async () => {
    const schema = await buildSchema();
    const callers: { label: string; token: string | undefined; principal: Principal | null }[] = [
      { label: "no token", token: undefined, principal: null },
      { label: "revoked admin token", token: tokens.revoked, principal: null },
      ...roles.map((role) => ({ label: role, token: tokens[role], principal: { name: `Matrix ${role}`, role } })),
    ];
    const mismatches: string[] = [];
    let checked = 0;
    let calls = 0;
    for (const field of mutationFields(schema))
      for (const { args, values: variables } of argumentVariants(field)) {
        const { query } = operationFor("mutation", field, args);
        // The permission sees arguments as resolvers do (enum values internal).
        const { action, checkedByWorkflow } = mutationPermission(
          field.name,
          Object.fromEntries(args.map((arg) => [arg.name, coerceInputValue(variables[arg.name], arg.type)])),
        );
        calls += 1;
        for (const caller of callers) {
          statements = [];
          const response = await api.graphql<Record<string, unknown>>(query, variables, caller.token);
          const code = response.errors?.[0]?.extensions?.code;
          // A revoked token is refused when the request starts, whatever the mutation.
          const expected = caller.token !== undefined && caller.principal === null ? "UNAUTHENTICATED" : authorizationOutcome(caller.principal, action);
          const actual = code === "UNAUTHENTICATED" || code === "FORBIDDEN" ? code : "allowed";
          checked += 1;
          const call = `${field.name}(${JSON.stringify(variables)}) as ${caller.label}`;
          if (actual !== expected) mismatches.push(`${call}: expected ${expected}, got ${actual} (${JSON.stringify(response.errors ?? response.data)})`);
          if (actual !== "allowed") {
            const lookups = statements.filter((sql) => !isLogWrite(sql));
            if (lookups.length > 0) mismatches.push(`${call}: refused after ${lookups.length} statements (role checks go first): ${lookups[0]}`);
            const logged = statements.some(isLogWrite);
            if (actual === "FORBIDDEN" && checkedByWorkflow && !logged) mismatches.push(`${call}: a refused moderation step was not logged`);
            expect(response.status).toBe(actual === "UNAUTHENTICATED" ? 401 : 403);
          } else if (response.status >= 500) {
            mismatches.push(`${call}: HTTP ${response.status} ${JSON.stringify(response.errors)}`);
          }
        }
      }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(calls * (roles.length + 2));
    expect(calls).toBeGreaterThan(mutationFields(schema).length);
  });
});

function authorizationOutcome(principal: Principal | null, action: Parameters<typeof may>[1]): "allowed" | "UNAUTHENTICATED" | "FORBIDDEN" {
  if (may(principal, action)) return "allowed";
  return principal === null ? "UNAUTHENTICATED" : "FORBIDDEN";
}
