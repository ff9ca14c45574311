import { describe, expect, it } from "@jest/globals";
import { guidelineVersion } from "./compare/guideline.fixture.ts";
import { buildLineage, lineageOf, type LineageNode } from "./lineage.ts";

const a1 = guidelineVersion({ host: "a.example", version: "1.0", publishedAt: "2025-01-01T00:00:00Z" });
const a2 = guidelineVersion({ host: "a.example", version: "2.0", publishedAt: "2026-01-01T00:00:00Z" });
const b1 = guidelineVersion({ host: "b.example", publishedAt: "2025-02-01T00:00:00Z", origin: a1.id });
const b2 = guidelineVersion({ host: "b.example", version: "1.1", publishedAt: "2025-03-01T00:00:00Z", origin: a1.id });
const c1 = guidelineVersion({ host: "c.example", publishedAt: "2026-02-01T00:00:00Z", origin: a2.id });
const d1 = guidelineVersion({ host: "d.example", publishedAt: "2025-04-01T00:00:00Z", origin: b2.id });
const e1 = guidelineVersion({ host: "e.example", origin: "https://x.example/guidelines/ki-leitlinie/1.0" });
const g1 = guidelineVersion({ host: "g.example", origin: "https://h.example/guidelines/ki-leitlinie/1.0" });
const h1 = guidelineVersion({ host: "h.example", origin: g1.id });
const self = guidelineVersion({
  host: "s.example",
  version: "2.0",
  publishedAt: "2027-01-01T00:00:00Z",
  origin: "https://s.example/guidelines/ki-leitlinie/1.0",
});
const selfFirst = guidelineVersion({ host: "s.example", version: "1.0", publishedAt: "2024-01-01T00:00:00Z" });

/** The tree as nested [name, children] for readable assertions. */
function outline(node: LineageNode): unknown {
  const name = node.kind === "unknown" ? `unknown ${node.id}` : `${new URL(node.city).host}${node.cycleBroken ? " (cycle cut)" : ""}`;
  return node.children.length === 0 ? name : [name, node.children.map(outline)];
}

describe("buildLineage", () => {
  const roots = buildLineage([d1, c1, b2, a2, e1, h1, b1, a1, g1, self, selfFirst]);

  it("builds the fork tree across cities from origin links, one node per document", () => {
    expect(roots.map(outline)).toEqual([
      "s.example",
      ["a.example", [["b.example", ["d.example"]], "c.example"]],
      ["g.example (cycle cut)", ["h.example"]],
      // Unknown origins have no date and come last.
      ["unknown https://x.example/guidelines/ki-leitlinie/1.0", ["e.example"]],
    ]);
    const a = roots[1];
    if (a?.kind !== "document") throw new Error("a should be a document");
    expect(a).toMatchObject({ documentId: a1.documentId, city: "https://a.example/actor", forkedFrom: null });
    expect(a.versions).toEqual([
      { id: a1.id, version: "1.0", publishedAt: "2025-01-01T00:00:00Z" },
      { id: a2.id, version: "2.0", publishedAt: "2026-01-01T00:00:00Z" },
    ]);
    expect(a.children.map((child) => child.kind === "document" && child.forkedFrom)).toEqual([a1.id, a2.id]);
  });

  it("finds the tree that holds a version or a document", () => {
    expect(lineageOf(roots, d1.id)).toBe(roots[1]);
    expect(lineageOf(roots, c1.documentId)).toBe(roots[1]);
    expect(lineageOf(roots, "https://x.example/guidelines/ki-leitlinie/1.0")).toBe(roots[3]);
    expect(lineageOf(roots, h1.id)).toBe(roots[2]);
    expect(lineageOf(roots, "https://nowhere.example/g/1")).toBeNull();
  });

  it("handles 200 forks and a chain of 5,000 without recursion limits", () => {
    const forks = Array.from({ length: 200 }, (_, index) => guidelineVersion({ host: `f${index}.example`, origin: a1.id }));
    const [root] = buildLineage([a1, ...forks]);
    expect(root?.children).toHaveLength(200);

    const chain = [a1];
    for (let index = 0; index < 5_000; index += 1) {
      const previous = chain.at(-1);
      chain.push({ ...a1, id: `https://chain.example/g${index}/1`, documentId: `https://chain.example/g${index}`, origin: previous?.id });
    }
    const chainRoots = buildLineage(chain);
    expect(chainRoots).toHaveLength(1);
    let depth = 0;
    for (let node = chainRoots[0]; node !== undefined; node = node.children[0]) depth += 1;
    expect(depth).toBe(5_001);
  });
});
