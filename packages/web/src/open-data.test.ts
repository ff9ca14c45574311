import { describe, expect, it } from "@jest/globals";
import { csvField, formatOpenDataCursor, parseOpenDataCursor } from "./open-data.ts";

describe("open data files", () => {
  it("quote every CSV field and keep spreadsheets from running a text as a formula", () => {
    expect(csvField('Chatbot "Bürgerservice"')).toBe('"Chatbot ""Bürgerservice"""');
    expect(csvField("Zeile 1\r\nZeile 2")).toBe('"Zeile 1\r\nZeile 2"');
    for (const formula of ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]) {
      expect(csvField(formula).startsWith(`"'`)).toBe(true);
    }
    expect(csvField(null)).toBe('""');
    expect(csvField(false)).toBe('"false"');
    expect(csvField("Straße 1-2")).toBe('"Straße 1-2"');
  });

  it("read back the cursors they write and refuse any other", () => {
    for (const cursor of [
      { section: "use-cases", after: "YXJyYXljb25uZWN0aW9uOjE=" },
      { section: "models", after: undefined },
    ] as const) {
      expect(parseOpenDataCursor(formatOpenDataCursor(cursor))).toEqual(cursor);
    }
    expect(parseOpenDataCursor(undefined)).toEqual({ section: "guidelines", after: undefined });
    for (const hostile of ["", "drafts", "use-cases~", "use-cases~a~b", "models~<x>", ["models"], { section: "models" }, "x".repeat(301)]) {
      expect(parseOpenDataCursor(hostile)).toBeNull();
    }
  });
});
