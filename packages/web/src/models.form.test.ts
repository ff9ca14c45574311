import { describe, expect, it } from "@jest/globals";
import { modelInput, parseNumber } from "./models.form.ts";

describe("numbers as people type them", () => {
  it.each([
    ["1.234,5", 1234.5],
    ["1,234.5", 1234.5],
    ["8.000.000.000", 8_000_000_000],
    ["8,000,000,000", 8_000_000_000],
    ["0,87", 0.87],
    ["0.87", 0.87],
    ["7e9", 7e9],
    [" 52 000 ", 52000],
    ["-3", -3],
  ])("reads %p as %p", (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it.each([["viele"], ["1,2,3.4.5"], ["12abc"], ["--1"], ["Infinity"]])("does not take %p for a number", (text) => {
    expect(parseNumber(text)).toBeNaN();
  });

  it("takes nothing for nothing", () => {
    expect(parseNumber("   ")).toBeUndefined();
  });
});

describe("the model form as ModelInput", () => {
  it("leaves out empty optional groups and rows, and names what a started group lacks", () => {
    const { input, problems } = modelInput({ "name.de": "M", "evaluation.0.benchmark": "", "inferenceEnergy.hardware": "L4", "maintainers.1.name": "Amt 10" });
    expect(input.evaluation).toEqual([]);
    expect(input.maintainers).toEqual([{ name: "Amt 10" }]);
    expect(input.trainingEmissions).toBeUndefined();
    expect(problems).toEqual([
      { name: "inferenceEnergy.testDate", kind: "required" },
      { name: "inferenceEnergy.whPer1000Requests", kind: "required" },
    ]);
  });
});
