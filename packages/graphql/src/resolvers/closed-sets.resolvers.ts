import type { Guideline, LicenceId, SharedModel } from "@leitplanken/core";
import { recordStates } from "../enum-values.ts";
import type { InvalidTransitionError } from "../generated/resolvers.ts";

// Closed sets as enums beside the strings that held them (schema/closed-sets.graphql). The
// generated resolver types type an enum field's resolver as returning null (they expect enum
// values on the parent), so these are typed here: each returns the enum's internal value.

const knownStates: ReadonlySet<string> = new Set(recordStates);

export const closedSetResolvers = {
  GuidelineVersion: { licenceId: (version: Guideline): LicenceId => version.licence },
  Model: { licenceId: (model: SharedModel): LicenceId => model.licence },
  InvalidTransitionError: {
    fromState: (error: Pick<InvalidTransitionError, "from">) => (knownStates.has(error.from) ? (error.from as (typeof recordStates)[number]) : null),
  },
};
