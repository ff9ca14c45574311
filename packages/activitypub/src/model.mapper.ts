import { readSharedModel, type SharedModel } from "@leitplanken/core";
import { defined, documentBody, documentHeader, type RecordMapper } from "./record-document.ts";

/** Shared model ⇄ `SharedModel` document; the name uses ActivityStreams' language map. */
export const modelMapper: RecordMapper<SharedModel> = {
  kind: "model",
  type: "SharedModel",
  toDocument(model) {
    // The state stays on the node: only published models leave it (a retired one as a Delete).
    const { id: _id, provenance: _provenance, state: _state, name, ...content } = model;
    return defined({ ...documentHeader("SharedModel", model), nameMap: name, ...content });
  },
  fromDocument(document, provenance) {
    const parts = documentBody(document, "SharedModel");
    if (!parts.ok) return { ...parts, ignored: [] };
    const { nameMap, ...content } = parts.body;
    return readSharedModel({ ...content, id: parts.id, provenance, name: nameMap });
  },
};
