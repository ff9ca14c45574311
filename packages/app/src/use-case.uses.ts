import { randomUUID } from "node:crypto";
import {
  createUseCaseDraft,
  localProvenance,
  mayPerform,
  publishUseCase,
  recordIri,
  retireUseCase,
  reviseUseCase,
  sendBackReasonSchema,
  sendBackUseCase,
  submitUseCase,
  validateUseCaseContent,
  validateWith,
  vetUseCase,
  type Guideline,
  type Principal,
  type TransactionStores,
  type UseCase,
  type WorkflowError,
  type WorkflowResult,
} from "@leitplanken/core";
import type { UseContext } from "./application.ts";
import { publishAdoptionOf, publishRecord, withdrawAdoptionOf, withdrawRecord } from "./publication.ts";
import { invalidInput, notFound, refused, type Conflict, type InvalidInput, type NotFound, type UseResult } from "./results.ts";
import { changeVersioned } from "./versioned-change.ts";

/** What a workflow step on a stored use case can meet. */
export type UseCaseStepError = NotFound | Conflict | WorkflowError;
/** A step with input (new content, a reason) can also meet invalid input. */
export type UseCaseUseError = UseCaseStepError | InvalidInput;
export type UseCaseStepResult = UseResult<{ useCase: UseCase; lockVersion: number }, UseCaseStepError>;
export type UseCaseUseResult = UseResult<{ useCase: UseCase; lockVersion: number }, UseCaseUseError>;

/** Which use case, and the `lockVersion` the caller read (when it names one, a change since is a conflict). */
export interface UseCaseRef {
  id: string;
  lockVersion?: number | undefined;
}

export interface UseCaseUses {
  /** Registers a use case as a draft (the roles that may revise one may create one). */
  create(input: { content: unknown }, principal: Principal): Promise<UseCaseUseResult>;
  /** New content: back to draft, to be vetted again. A published use case stays published as it was until the revision is published. */
  revise(input: UseCaseRef & { content: unknown }, principal: Principal): Promise<UseCaseUseResult>;
  submit(input: UseCaseRef, principal: Principal): Promise<UseCaseStepResult>;
  /** A vetter sends a submission back to draft with the reason (a language map). */
  sendBack(input: UseCaseRef & { reason: unknown }, principal: Principal): Promise<UseCaseUseResult>;
  /**
   * A named vetter vets a submission against a published guideline version; a failing binding
   * rule refuses it, and so does the four-eyes principle (the submitter may not vet, unless the
   * node's settings relax it).
   */
  vet(input: UseCaseRef & { guidelineVersionId: string }, principal: Principal): Promise<UseCaseStepResult>;
  /** Publishes a vetted use case: a Create the first time, an Update when it republishes a revision. */
  publish(input: UseCaseRef, principal: Principal): Promise<UseCaseStepResult>;
  /** Withdraws a published use case for good (a Delete; its IRI is never used again). */
  retire(input: UseCaseRef, principal: Principal): Promise<UseCaseStepResult>;
}

export function useCaseUses({ transact, identity, now, settings }: UseContext): UseCaseUses {
  /** One workflow step on a stored use case, at the version the caller read, then what it means on the wire. */
  const step = (
    ref: UseCaseRef,
    decide: (useCase: UseCase, stores: TransactionStores) => Promise<WorkflowResult | { ok: false; error: NotFound }> | WorkflowResult,
    effects: (stores: TransactionStores, after: UseCase) => Promise<void> = async () => {},
  ) =>
    transact<UseCaseStepResult>(async (stores, transaction) => {
      const changed = await changeVersioned<UseCase, WorkflowError | NotFound, UseCaseStepResult>(
        transaction,
        stores.useCases,
        ref,
        async (useCase) => {
          const decided = await decide(useCase, stores);
          return decided.ok ? { ok: true, record: decided.useCase } : decided;
        },
        (_before, after) => effects(stores, after),
      );
      return changed.ok ? { ok: true, useCase: changed.record, lockVersion: changed.lockVersion } : changed;
    });

  return {
    async create({ content }, principal) {
      if (!mayPerform(principal.role, "revise")) return refused({ type: "not-permitted", role: principal.role, action: "revise" });
      const valid = validateUseCaseContent(content);
      if (!valid.ok) return invalidInput(valid.errors);
      const useCase = createUseCaseDraft(valid.value, {
        id: recordIri(identity.origin, "use-case", randomUUID()),
        provenance: localProvenance(identity.actor),
      });
      return transact<UseCaseUseResult>(async (stores, transaction) => {
        const saved = await stores.useCases.save(useCase);
        if (!saved.ok) return transaction.abort(refused(saved.error));
        return { ok: true, useCase, lockVersion: saved.lockVersion };
      });
    },

    async revise(input, principal) {
      const valid = validateUseCaseContent(input.content);
      if (!valid.ok) return invalidInput(valid.errors);
      return step(input, (useCase) => reviseUseCase(useCase, valid.value, principal));
    },

    submit: (input, principal) => step(input, (useCase) => submitUseCase(useCase, principal, now())),

    async sendBack(input, principal) {
      const reason = validateWith(sendBackReasonSchema, input.reason);
      if (!reason.ok) return invalidInput(reason.errors.map((error) => ({ ...error, path: error.path ? `reason.${error.path}` : "reason" })));
      return step(input, (useCase) => sendBackUseCase(useCase, principal, reason.value, now()));
    },

    async vet(input, principal) {
      // The four-eyes principle holds unless the node's settings relax it.
      const fourEyes = (await settings())?.fourEyes ?? true;
      return step(input, async (useCase, stores) => {
        const guideline: Guideline | null = await stores.guidelines.get(input.guidelineVersionId);
        if (guideline === null) return notFound(input.guidelineVersionId);
        return vetUseCase(useCase, guideline, principal, now(), { fourEyes });
      });
    },

    publish: (input, principal) => {
      const at = now();
      return step(
        input,
        (useCase) => publishUseCase(useCase, principal, at),
        async (stores, after) => {
          await publishRecord(stores, "use-case", after, at);
          await publishAdoptionOf(stores, identity.origin, after);
        },
      );
    },

    retire: (input, principal) => {
      const at = now();
      return step(
        input,
        (useCase) => retireUseCase(useCase, principal, at),
        async (stores, after) => {
          await withdrawRecord(stores, "use-case", after.id, at);
          await withdrawAdoptionOf(stores, identity.origin, after);
        },
      );
    },
  };
}
