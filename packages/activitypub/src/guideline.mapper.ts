import { readGuideline, type Guideline } from "@leitplanken/core";
import { defined, documentBody, documentHeader, type RecordMapper } from "./record-document.ts";

/**
 * Guideline version ⇄ `Guideline` document. Only published versions federate, so `state` is
 * implied; title and summary use ActivityStreams' language maps, the publication date `published`.
 */
export const guidelineMapper: RecordMapper<Guideline> = {
  kind: "guideline",
  type: "Guideline",
  toDocument(guideline) {
    const { id: _id, provenance: _provenance, state: _state, title, summary, publishedAt, ...content } = guideline;
    return defined({ ...documentHeader("Guideline", guideline), nameMap: title, summaryMap: summary, published: publishedAt, ...content });
  },
  fromDocument(document, provenance) {
    const parts = documentBody(document, "Guideline");
    if (!parts.ok) return { ...parts, ignored: [] };
    const { nameMap, summaryMap, published, ...content } = parts.body;
    return readGuideline(defined({ ...content, id: parts.id, provenance, state: "published", title: nameMap, summary: summaryMap, publishedAt: published }));
  },
};
