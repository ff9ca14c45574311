import { describe, expect, it } from "@jest/globals";
import { nameFromClaims, rolesFromClaims } from "./oidc.ts";

describe("roles from the ID token", () => {
  it("takes role names as they are when no map is given, most powerful first", () => {
    expect(rolesFromClaims({ roles: ["vetter", "admin", "intranet"] }, { roleClaim: "roles", roleMap: {} })).toEqual(["admin", "vetter"]);
    expect(rolesFromClaims({ roles: "editor" }, { roleClaim: "roles", roleMap: {} })).toEqual(["editor"]);
  });

  it("maps provider values, reaches into objects, and reads claim names with dots (ADFS)", () => {
    const roleMap = { "KI-Admins": "admin", "KI-Redaktion": "editor" } as const;
    expect(rolesFromClaims({ realm_access: { roles: ["KI-Redaktion", "offline_access"] } }, { roleClaim: "realm_access.roles", roleMap })).toEqual(["editor"]);
    const adfs = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    expect(rolesFromClaims({ [adfs]: ["KI-Admins"] }, { roleClaim: adfs, roleMap })).toEqual(["admin"]);
    // A mapped provider value that names a role directly is not taken unless the map says so.
    expect(rolesFromClaims({ roles: ["admin"] }, { roleClaim: "roles", roleMap })).toEqual([]);
  });

  it("ignores what is not a text", () => {
    expect(rolesFromClaims({ roles: [1, null, { admin: true }, "editor"] }, { roleClaim: "roles", roleMap: {} })).toEqual(["editor"]);
    expect(rolesFromClaims({}, { roleClaim: "roles", roleMap: {} })).toEqual([]);
    expect(rolesFromClaims({ a: "x" }, { roleClaim: "a.b.c", roleMap: {} })).toEqual([]);
  });
});

describe("the person's name from the ID token", () => {
  it("takes the name claim, else given and family name, else the user name or email", () => {
    expect(nameFromClaims({ name: "Erika Beispiel" }, "name")).toBe("Erika Beispiel");
    expect(nameFromClaims({ given_name: "Erika", family_name: "Beispiel" }, "name")).toBe("Erika Beispiel");
    expect(nameFromClaims({ preferred_username: "e.beispiel" }, "name")).toBe("e.beispiel");
    expect(nameFromClaims({ email: "erika@stadt.example" }, "name")).toBe("erika@stadt.example");
    expect(nameFromClaims({ displayName: "Erika B." }, "displayName")).toBe("Erika B.");
    expect(nameFromClaims({}, "name")).toBe("");
  });

  it("keeps a name on one line and within 200 characters", () => {
    expect(nameFromClaims({ name: "Erika\n\u202eBeispiel\u0000" }, "name")).toBe("Erika Beispiel");
    expect(nameFromClaims({ name: "x".repeat(500) }, "name")).toHaveLength(200);
    expect(nameFromClaims({ name: "   ", email: "erika@stadt.example" }, "name")).toBe("erika@stadt.example");
  });
});
