import { describe, expect, it } from "@jest/globals";
import { changeNodeSettings, defaultNodeSettings, effectiveNodeSettings } from "./node-settings.ts";

const defaults = defaultNodeSettings({ cityName: "Stadt Münster", municipalityId: "05515000", website: "https://www.muenster.de/" });
const now = new Date("2026-12-01T10:00:00Z");

describe("node settings", () => {
  it("start from the configuration: the city's name as issuing body, with its municipality id", () => {
    expect(defaults.issuingBody).toEqual({ name: { de: "Stadt Münster", en: "Stadt Münster" }, organisationId: { scheme: "AGS", value: "05515000" } });
    expect(defaultNodeSettings({ cityName: "X", website: "https://x.example/" }).issuingBody.organisationId).toBeUndefined();
    expect(effectiveNodeSettings(defaults, null)).toEqual({ settings: defaults, overridden: [], updatedAt: null, updatedBy: null });
  });

  it("replace a given field, keep an omitted one, and go back to the default on null", () => {
    const first = changeNodeSettings(defaults, null, { cityName: "Münster", website: "https://stadt-muenster.de/" }, "Ada", now);
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    const second = changeNodeSettings(defaults, first.value, { cityName: null }, "Bert", now);
    if (!second.ok) throw new Error(JSON.stringify(second.errors));
    expect(second.value).toEqual({ overrides: { website: "https://stadt-muenster.de/" }, updatedAt: now.toISOString(), updatedBy: "Bert" });
    expect(effectiveNodeSettings(defaults, second.value).settings.cityName).toBe("Stadt Münster");
  });

  it("refuse bad input with the field's path and a message in German and English, and change nothing", () => {
    const result = changeNodeSettings(
      defaults,
      null,
      {
        cityName: " ",
        website: "javascript:alert(1)",
        contact: { email: "not an address", phone: "call me" },
        imprint: { fr: "Mentions légales" },
        privacyPolicy: { de: "x".repeat(30_001) },
      },
      "Ada",
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.path).sort()).toEqual(["cityName", "contact.email", "contact.phone", "imprint", "privacyPolicy.de", "website"]);
    for (const error of result.errors) expect(error.message.de.length > 0 && error.message.en.length > 0).toBe(true);
  });

  it("refuse fields it does not know", () => {
    const result = changeNodeSettings(defaults, null, { contact: { email: "a@b.de", fax: "123" } as never }, "Ada", now);
    expect(result.ok).toBe(false);
  });
});
