import { describe, expect, it } from "@jest/globals";
import { peerActivityFeed } from "./feed.ts";
import { translator } from "./i18n.ts";
import type { PeerActivityEntry } from "./peers.queries.ts";
import { checkAtom10 } from "./testing/atom.ts";

const entry: PeerActivityEntry = {
  kind: "use-case",
  event: "published",
  id: "https://ki.peer.example/use-cases/x?a=1&b=2",
  title: "<script>alert(1)</script> A & B ]]> C",
  summary: "Kurz & <b>knapp</b>",
  version: null,
  receivedAt: "2026-11-21T10:30:00.000Z",
  publishedAt: "2026-11-20T09:00:00.000Z",
  provenance: {
    city: { id: "https://ki.peer.example/actors/peer" },
    originCityName: "Stadt <Peer> & Co",
    node: "ki.peer.example",
    local: false,
    receivedAt: "2026-11-21T10:30:00.000Z",
    proofVerified: true,
  },
};

describe("the peers' Atom feed", () => {
  it("carries peer texts as text: markup and CDATA ends in them stay literal", () => {
    const xml = peerActivityFeed({
      t: translator("de"),
      origin: "https://ki.dortmund.example",
      cityName: "Stadt Dortmund",
      filter: { kind: "", city: "" },
      entries: [entry],
    });
    expect(xml).not.toContain("<script>");
    const { feed, problems } = checkAtom10(xml);
    expect(problems).toEqual([]);
    const [item] = feed.entries ?? [];
    expect(item?.id).toBe(entry.id);
    // type="html": the reader unescapes once and shows the peer's text, never runs it as markup.
    expect(item?.title).toEqual({ type: "html", value: "KI-Einsatzfall: &lt;script&gt;alert(1)&lt;/script&gt; A &amp; B ]]&gt; C" });
    expect(item?.updated).toBe("2026-11-21T10:30:00.000Z");
    expect(item?.published).toBe("2026-11-20T09:00:00.000Z");
    expect(item?.links?.[0]?.href).toBe(`https://ki.dortmund.example/records/use-case?id=${encodeURIComponent(entry.id)}`);
    expect(feed.updated).toBe("2026-11-21T10:30:00.000Z");
  });
});
