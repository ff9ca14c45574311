import { describe, expect, it } from "@jest/globals";
import { demoRecords } from "../demo/demo-records.ts";
import { guidelineVersion, principle } from "./guideline.fixture.ts";
import { useCasesFailing } from "./use-cases-failing.ts";

const { useCases } = demoRecords({
  actor: "https://c.example/actor",
  iri: (kind, slug) => `https://c.example/${kind}/${slug}`,
  now: new Date("2025-09-01T00:00:00Z"),
});
const chatbot = useCases.find((useCase) => useCase.id.endsWith("buergerservice-chatbot"));
if (chatbot === undefined) throw new Error("demo chatbot missing");
const chatbotWithoutDpia = { ...chatbot, id: "https://c.example/use-case/chatbot-ohne-dsfa", assessments: {} };
const ours = [...useCases, chatbotWithoutDpia];

const peerGuideline = (dpiaLevel: "MUST" | "SHOULD") =>
  guidelineVersion({
    host: "a.example",
    principles: [
      { ...principle("privacy", "legal", "Personal data only with a DPIA.", ["dpia-for-personal-data"]), level: dpiaLevel },
      { ...principle("sovereignty", "sovereignty", "Hosted in the EU.", ["sovereign-hosting"]), level: "SHOULD" },
    ],
  });

describe("useCasesFailing", () => {
  it("lists our use cases that a peer's guideline would block, with the violated rules", () => {
    const failing = useCasesFailing(peerGuideline("MUST"), ours);
    expect(failing.map((entry) => [entry.useCase.id.split("/").pop(), entry.violations.map((result) => result.rule.id).sort()])).toEqual([
      ["automatische-verwarnungen", ["dpia-for-personal-data", "no-automated-action-on-citizens"]],
      ["chatbot-ohne-dsfa", ["dpia-for-personal-data"]],
    ]);
    expect(failing[0]?.warnings.map((result) => result.rule.id)).toEqual(["sovereign-hosting"]);
    expect(failing[1]?.violations[0]?.principle.key).toBe("privacy");
  });

  it("a SHOULD principle only warns, but the Dortmund rule always blocks", () => {
    const failing = useCasesFailing(peerGuideline("SHOULD"), ours);
    expect(failing.map((entry) => entry.useCase.id.split("/").pop())).toEqual(["automatische-verwarnungen"]);
    expect(failing[0]?.violations.map((result) => result.rule.id)).toEqual(["no-automated-action-on-citizens"]);
  });
});
