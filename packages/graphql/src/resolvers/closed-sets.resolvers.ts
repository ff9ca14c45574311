import { type FieldError, type Guideline, type LicenceId, type RecordAction, ruleCatalog, type SharedModel } from "@leitplanken/core";
import { recordStates } from "../enum-values.ts";
import type { InvalidTransitionView } from "../mappers.ts";

// Closed sets as enums beside the strings that held them (schema/closed-sets.graphql). The
// generated resolver types type an enum field's resolver as returning null (they expect enum
// values on the parent), so these are typed here: each returns the enum's internal value.

const knownStates: ReadonlySet<string> = new Set(recordStates);

export const closedSetResolvers = {
  GuidelineVersion: { licenceId: (version: Guideline): LicenceId => version.licence },
  Model: { licenceId: (model: SharedModel): LicenceId => model.licence },
  InvalidTransitionError: {
    fromState: (error: InvalidTransitionView) => (knownStates.has(error.from) ? (error.from as (typeof recordStates)[number]) : null),
    attemptedAction: (error: InvalidTransitionView): RecordAction => error.action,
  },
  FieldError: {
    reason: (error: FieldError) => error.code,
    // The deprecated string kept its old value: a broken always-applied rule was named by its id.
    code: (error: FieldError) => error.ruleId ?? error.code,
    rule: (error: FieldError) => (error.ruleId === undefined ? null : (ruleCatalog.get(error.ruleId) ?? null)),
  },
};
