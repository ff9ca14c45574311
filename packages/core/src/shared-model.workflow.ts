import { rolesFor } from "./permissions.ts";
import type { Principal, Role } from "./principal.ts";
import type { Provenance } from "./provenance.ts";
import type { SharedModel, SharedModelContent, SharedModelState } from "./shared-model.entity.ts";

/** Who registers, edits, publishes and retires shared models (the permission table's `model.edit`). */
export const sharedModelRoles: readonly Role[] = rolesFor("model.edit");

export type SharedModelError =
  | { type: "not-permitted"; role: Role }
  /** Received copies belong to the city that published them. */
  | { type: "not-local"; originActor: string }
  | { type: "invalid-transition"; from: SharedModelState; to: SharedModelState };

export type SharedModelResult = { ok: true; model: SharedModel } | { ok: false; error: SharedModelError };

/** Bilingual text for a refused model step, for editors. */
export function describeSharedModelError(error: SharedModelError): { de: string; en: string } {
  switch (error.type) {
    case "not-permitted":
      return { de: `Die Rolle „${error.role}“ darf keine Modelle bearbeiten.`, en: `The role "${error.role}" may not change models.` };
    case "not-local":
      return {
        de: "Dieses Modell gehört einer anderen Stadt und kann hier nicht geändert werden.",
        en: "This model belongs to another city and cannot be changed here.",
      };
    case "invalid-transition":
      return error.from === "retired"
        ? { de: "Ein zurückgezogenes Modell bleibt zurückgezogen.", en: "A retired model stays retired." }
        : { de: `Von „${error.from}“ geht es nicht nach „${error.to}“.`, en: `Cannot go from "${error.from}" to "${error.to}".` };
  }
}

const transitions = {
  edit: { from: ["draft", "published"], to: null },
  publish: { from: ["draft"], to: "published" },
  retire: { from: ["published"], to: "retired" },
} as const satisfies Record<string, { from: readonly SharedModelState[]; to: SharedModelState | null }>;

function guard(model: SharedModel, step: keyof typeof transitions, editor: Principal): SharedModelError | null {
  if (model.provenance.source !== "local") return { type: "not-local", originActor: model.provenance.originActor };
  if (!sharedModelRoles.includes(editor.role)) return { type: "not-permitted", role: editor.role };
  const transition = transitions[step];
  if (!(transition.from as readonly SharedModelState[]).includes(model.state)) {
    return { type: "invalid-transition", from: model.state, to: transition.to ?? model.state };
  }
  return null;
}

/** A new model of this node, as a draft: nobody outside the staff sees it until it is published. */
export function registerSharedModel(content: SharedModelContent, identity: { id: string; provenance: Provenance }): SharedModel {
  return { ...content, id: identity.id, provenance: identity.provenance, state: "draft" };
}

/** New content for a draft or a published model (a published one federates the change). */
export function editSharedModel(model: SharedModel, content: SharedModelContent, editor: Principal): SharedModelResult {
  const error = guard(model, "edit", editor);
  if (error) return { ok: false, error };
  return { ok: true, model: { ...content, id: model.id, provenance: model.provenance, state: model.state } };
}

export function publishSharedModel(model: SharedModel, editor: Principal): SharedModelResult {
  const error = guard(model, "publish", editor);
  if (error) return { ok: false, error };
  return { ok: true, model: { ...model, state: "published" } };
}

/** Withdraws a published model for good: it stays here as retired, peers drop their copies. */
export function retireSharedModel(model: SharedModel, editor: Principal): SharedModelResult {
  const error = guard(model, "retire", editor);
  if (error) return { ok: false, error };
  return { ok: true, model: { ...model, state: "retired" } };
}

/** The editable part of a model (what an editor writes). */
export function sharedModelContentOf(model: SharedModel): SharedModelContent {
  const { id: _id, provenance: _provenance, state: _state, ...content } = model;
  return content;
}
