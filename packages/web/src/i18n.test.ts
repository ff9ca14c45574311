import { describe, expect, it } from "@jest/globals";
import express from "express";
import { chooseLanguage, translator } from "./i18n.ts";

/** A real express request for the given query and headers (chooseLanguage uses express's Accept-Language parsing). */
function request(query: Record<string, string>, acceptLanguage?: string): express.Request {
  const req = Object.create(express.request) as express.Request;
  Object.defineProperty(req, "query", { value: query });
  Object.assign(req, { headers: acceptLanguage ? { "accept-language": acceptLanguage } : {} });
  return req;
}

describe("language choice", () => {
  it("takes ?lang= first, then the cookie, then Accept-Language, else German", () => {
    expect(chooseLanguage(request({ lang: "en" }, "de"), { lang: "de" })).toEqual({ language: "en", switched: true });
    expect(chooseLanguage(request({}, "de"), { lang: "en" })).toEqual({ language: "en", switched: false });
    expect(chooseLanguage(request({}, "fr-FR, en-GB;q=0.8, de;q=0.5"), {})).toEqual({ language: "en", switched: false });
    expect(chooseLanguage(request({}, "fr"), {})).toEqual({ language: "de", switched: false });
    expect(chooseLanguage(request({ lang: "xx" }), { lang: "yy" })).toEqual({ language: "de", switched: false });
  });
});

describe("formatting", () => {
  it("writes dates and numbers as readers of each language do", () => {
    const de = translator("de");
    const en = translator("en");
    expect(de.date("2025-01-01")).toBe("1. Januar 2025");
    expect(en.date("2025-01-01")).toBe("1 January 2025");
    expect(de.number(1234.5)).toBe("1.234,5");
    expect(en.number(1234.5)).toBe("1,234.5");
    expect(de.dateTime("2026-11-21T10:30:00.000Z")).toContain("11:30");
    expect(de.label("AUTOMATED_ACTION")).toBe("Automatisierte Aktion");
    expect(en.label("AUTOMATED_ACTION")).toBe("Automated action");
    expect(en.label("SOMETHING_NEW")).toBe("SOMETHING_NEW");
  });

  it("counts results in the singular for one", () => {
    expect(translator("en").resultCount(1)).toBe("1 result");
    expect(translator("en").resultCount(0)).toBe("0 results");
    expect(translator("en").resultCount(1234)).toBe("1,234 results");
    expect(translator("de").resultCount(1)).toBe("1 Treffer");
  });
});
