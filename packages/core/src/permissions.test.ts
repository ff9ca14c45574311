import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { actions, type Audience, authorize, describeAuthorizationError, may, permissionTable, rolesFor } from "./permissions.ts";
import { roles } from "./principal.ts";
import { mayPerform, useCaseTransitions, type UseCaseAction } from "./use-case.workflow.ts";

describe("the permission table", () => {
  it("lets a role do exactly what its row lists; anonymous callers only what is open to anyone", () => {
    expect(may(null, "report.file")).toBe(true);
    expect(may(null, "guideline.edit")).toBe(false);
    expect(may({ name: "V", role: "vetter" }, "use-case.vet")).toBe(true);
    expect(may({ name: "V", role: "vetter" }, "use-case.publish")).toBe(false);
    expect(may({ name: "M", role: "moderator" }, "catalog.moderate")).toBe(true);
    expect(may({ name: "M", role: "moderator" }, "node-trust.domains")).toBe(false);
    expect(may({ name: "M", role: "moderator" }, "node-trust.actors")).toBe(true);
    for (const action of actions) {
      const audience: Audience = permissionTable[action].audience;
      for (const role of roles) expect(may({ name: "x", role }, action)).toBe(typeof audience === "string" || audience.includes(role));
    }
  });

  it("is what the use-case workflow asks", () => {
    for (const [action, transition] of Object.entries(useCaseTransitions)) {
      for (const role of roles) expect(mayPerform(role, action as UseCaseAction)).toBe(rolesFor(transition.permission).includes(role));
    }
  });

  it("explains a refusal in German and English, naming the allowed roles", () => {
    const refusal = authorize({ name: "V", role: "vetter" }, "guideline.publish");
    if (refusal.ok) throw new Error("expected a refusal");
    expect(describeAuthorizationError(refusal.error)).toEqual({
      de: "Die Rolle „vetter“ darf das nicht (Leitlinien-Fassungen veröffentlichen); erlaubt: editor, admin.",
      en: 'The role "vetter" may not publish guideline versions; allowed: editor, admin.',
    });
    const anonymous = authorize(null, "use-case.vet");
    expect(!anonymous.ok && anonymous.error.type).toBe("unauthenticated");
  });

  it("is documented in the core README, row by row", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const action of actions) {
      const audience: Audience = permissionTable[action].audience;
      const who = typeof audience === "string" ? audience : audience.join(", ");
      expect(readme).toContain(`| \`${action}\` | ${who} | ${permissionTable[action].describe.en} |`);
    }
  });
});
