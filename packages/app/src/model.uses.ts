import { randomUUID } from "node:crypto";
import {
  editSharedModel,
  localProvenance,
  publishSharedModel,
  recordIri,
  registerSharedModel,
  retireSharedModel,
  sharedModelRoles,
  validateSharedModelContent,
  type Principal,
  type SharedModel,
  type SharedModelError,
  type SharedModelResult,
  type TransactionStores,
} from "@leitplanken/core";
import type { UseContext } from "./application.ts";
import { publishRecord, withdrawRecord } from "./publication.ts";
import { invalidInput, refused, type Conflict, type InvalidInput, type NotFound, type UseResult } from "./results.ts";
import { changeVersioned } from "./versioned-change.ts";

export type ModelStepError = NotFound | Conflict | SharedModelError;
export type ModelUseError = ModelStepError | InvalidInput;
export type ModelStepResult = UseResult<{ model: SharedModel; lockVersion: number }, ModelStepError>;
export type ModelUseResult = UseResult<{ model: SharedModel; lockVersion: number }, ModelUseError>;

export interface ModelRef {
  id: string;
  lockVersion?: number | undefined;
}

export interface ModelUses {
  /** Registers a model of this node: as a draft, or published at once (`publish`, what the API's `registerModel` does by default). */
  register(input: { content: unknown; publish: boolean }, principal: Principal): Promise<ModelUseResult>;
  /** New content; a published model federates the change (Update). */
  update(input: ModelRef & { content: unknown }, principal: Principal): Promise<ModelUseResult>;
  publish(input: ModelRef, principal: Principal): Promise<ModelStepResult>;
  /** Withdraws a published model for good: it stays here as retired, followers drop their copies (Delete). */
  retire(input: ModelRef, principal: Principal): Promise<ModelStepResult>;
}

export function modelUses({ transact, identity, now }: UseContext): ModelUses {
  /** One step on a stored model, at the version the caller read, then what it means on the wire. */
  const step = (ref: ModelRef, decide: (model: SharedModel) => SharedModelResult, effects: (stores: TransactionStores, after: SharedModel) => Promise<void>) =>
    transact<ModelStepResult>(async (stores, transaction) => {
      const changed = await changeVersioned(
        transaction,
        stores.sharedModels,
        ref,
        (model) => {
          const decided = decide(model);
          return decided.ok ? { ok: true, record: decided.model } : decided;
        },
        (_before, after) => effects(stores, after),
      );
      return changed.ok ? { ok: true, model: changed.record, lockVersion: changed.lockVersion } : changed;
    });

  return {
    async register({ content, publish }, principal) {
      if (!sharedModelRoles.includes(principal.role)) return refused({ type: "not-permitted", role: principal.role });
      const valid = validateSharedModelContent(content);
      if (!valid.ok) return invalidInput(valid.errors);
      const draft = registerSharedModel(valid.value, { id: recordIri(identity.origin, "model", randomUUID()), provenance: localProvenance(identity.actor) });
      const model = publish ? { ...draft, state: "published" as const } : draft;
      return transact<ModelUseResult>(async (stores, transaction) => {
        const saved = await stores.sharedModels.save(model);
        if (!saved.ok) return transaction.abort(refused(saved.error));
        if (publish) await publishRecord(stores, "model", model, now());
        return { ok: true, model, lockVersion: saved.lockVersion };
      });
    },

    async update(input, principal) {
      const valid = validateSharedModelContent(input.content);
      if (!valid.ok) return invalidInput(valid.errors);
      return step(
        input,
        (model) => editSharedModel(model, valid.value, principal),
        async (stores, after) => {
          if (after.state === "published") await publishRecord(stores, "model", after, now());
        },
      );
    },

    publish: (input, principal) =>
      step(
        input,
        (model) => publishSharedModel(model, principal),
        (stores, after) => publishRecord(stores, "model", after, now()),
      ),

    retire: (input, principal) =>
      step(
        input,
        (model) => retireSharedModel(model, principal),
        (stores, after) => withdrawRecord(stores, "model", after.id, now()),
      ),
  };
}
