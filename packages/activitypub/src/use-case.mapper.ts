import { readUseCase, type UseCase } from "@leitplanken/core";
import { defined, documentBody, documentHeader, type RecordMapper } from "./record-document.ts";

/**
 * Use case ⇄ `UseCase` document. Name and short description use ActivityStreams' language
 * maps; the workflow travels as `workflowState`, `published` and `retired`. Why a vetter once
 * sent the use case back (`workflow.sentBack`) is internal review and never leaves the node.
 */
export const useCaseMapper: RecordMapper<UseCase> = {
  kind: "use-case",
  type: "UseCase",
  toDocument(useCase) {
    const { id: _id, provenance: _provenance, name, shortDescription, workflow, ...content } = useCase;
    return defined({
      ...documentHeader("UseCase", useCase),
      nameMap: name,
      summaryMap: shortDescription,
      workflowState: workflow.state,
      published: workflow.publishedAt,
      retired: workflow.retiredAt,
      ...content,
    });
  },
  fromDocument(document, provenance) {
    const parts = documentBody(document, "UseCase");
    if (!parts.ok) return { ...parts, ignored: [] };
    const { nameMap, summaryMap, workflowState, published, retired, ...content } = parts.body;
    const workflow = defined({ state: workflowState, publishedAt: published, retiredAt: retired });
    return readUseCase({ ...content, id: parts.id, provenance, name: nameMap, shortDescription: summaryMap, workflow });
  },
};
