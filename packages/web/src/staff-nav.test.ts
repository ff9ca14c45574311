import { describe, expect, it } from "@jest/globals";
import { may, type Principal, roles } from "@leitplanken/core";
import { mayEnterArea, staffAreas, staffNavigation } from "./staff-nav.ts";

const links = (principal: Principal) => [...String(staffNavigation("de", principal, "/staff")).matchAll(/<a href="([^"]+)"/g)].map((match) => match[1]);

describe("the staff navigation follows core's permission table", () => {
  it("shows each role the areas its permissions open, and no other", () => {
    const shown = Object.fromEntries(roles.map((role) => [role, links({ name: "Test", role })]));
    expect(shown).toEqual({
      admin: ["/staff", "/staff/models", "/staff/catalogs", "/staff/moderation", "/staff/admin"],
      editor: ["/staff", "/staff/models", "/staff/catalogs"],
      vetter: ["/staff"],
      moderator: ["/staff", "/staff/catalogs", "/staff/moderation"],
    });
  });

  it("an area opens exactly for the roles the table allows one of its actions", () => {
    for (const area of staffAreas) {
      for (const role of roles) {
        const principal = { name: "Test", role };
        expect({ area: area.href, role, enters: mayEnterArea(principal, area.href) }).toEqual({
          area: area.href,
          role,
          enters: area.actions.some((action) => may(principal, action)),
        });
      }
    }
    expect(() => mayEnterArea({ name: "Test", role: "admin" }, "/staff/nowhere")).toThrow("no staff area");
  });
});
