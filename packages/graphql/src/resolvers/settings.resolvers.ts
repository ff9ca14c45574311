import { changeNodeSettings, effectiveNodeSettings, may, type NodeSettingsPatch } from "@leitplanken/core";
import { requireSettings } from "../context.ts";
import { actingPrincipal } from "../permissions.ts";
import type { NodeSettingsInput, Resolvers } from "../generated/resolvers.ts";
import { withoutNulls } from "../input.ts";
import { validationError } from "../payload-errors.ts";

/** Top-level nulls reset a field (kept); nulls inside a field's value mean "not given" (dropped). */
function patchOf(input: NodeSettingsInput): NodeSettingsPatch {
  return Object.fromEntries(Object.entries(input).map(([field, value]) => [field, value === null ? null : withoutNulls(value)])) as NodeSettingsPatch;
}

export const settingsResolvers: Resolvers = {
  Query: {
    nodeSettings: async (_parent, _args, context) => {
      const settings = requireSettings(context);
      return effectiveNodeSettings(settings.defaults, await settings.store.load());
    },
  },
  Mutation: {
    updateNodeSettings: async (_parent, { input }, context) => {
      const principal = actingPrincipal(context);
      const settings = requireSettings(context);
      const changed = changeNodeSettings(settings.defaults, await settings.store.load(), patchOf(input), principal.name, context.now());
      if (!changed.ok) return validationError(changed.errors);
      await settings.store.save(changed.value);
      const effective = effectiveNodeSettings(settings.defaults, changed.value);
      settings.onChange?.(effective.settings);
      return { __typename: "NodeSettingsSuccess" as const, settings: effective };
    },
  },
  NodeSettings: {
    cityName: ({ settings }) => settings.cityName,
    issuingBody: ({ settings }) => settings.issuingBody,
    website: ({ settings }) => settings.website,
    contact: ({ settings }) => settings.contact,
    imprint: ({ settings }) => settings.imprint ?? null,
    privacyPolicy: ({ settings }) => settings.privacyPolicy ?? null,
    accessibilityStatement: ({ settings }) => settings.accessibilityStatement ?? null,
    accessibilityContact: ({ settings }) => settings.accessibilityContact ?? null,
    fourEyes: ({ settings }) => settings.fourEyes,
    updatedBy: (view, _args, context) => (may(context.principal, "node.settings") ? view.updatedBy : null),
  },
};
