import { z } from "zod";
import { languageMap } from "./common.schema.ts";
import { organisationSchema } from "./guideline.entity.ts";
import { validateWith, type Validated } from "./validation.ts";

/**
 * What a node says about itself to citizens and to other cities: the municipality's name, the
 * body that issues its guidelines (with the municipality id), website, contact, and the three
 * texts German public bodies must publish (Impressum, Datenschutzerklärung, Erklärung zur
 * Barrierefreiheit). The configuration gives defaults; an admin overrides them in the staff
 * area. Only what an admin set is stored, so a field never set keeps following the
 * configuration.
 */

const httpUrlSchema = z.url({ protocol: /^https?$/ }).max(500);
const phoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[0-9+()/ .-]+$/);

export const nodeContactSchema = z.strictObject({
  email: z.email().max(254).optional(),
  phone: phoneSchema.optional(),
  /** Postal address, several lines. */
  address: languageMap({ max: 500 }).optional(),
  /** A contact form or page. */
  url: httpUrlSchema.optional(),
});
export type NodeContact = z.infer<typeof nodeContactSchema>;

/** Legal texts are markdown; long enough for a real privacy notice, bounded for the database. */
const legalTextSchema = languageMap({ max: 30_000 });

export const nodeSettingsSchema = z.strictObject({
  /** The municipality's name as citizens know it, e.g. "Stadt Dortmund". */
  cityName: z.string().trim().min(1).max(200),
  /** Who issues the city's guidelines (a fork's new issuing body), with the municipality id (AGS). */
  issuingBody: organisationSchema,
  website: httpUrlSchema,
  contact: nodeContactSchema,
  /** Impressum (legal notice, § 5 DDG). */
  imprint: legalTextSchema.optional(),
  /** Datenschutzerklärung (Art. 13 GDPR): the controller, the data protection officer, rights. */
  privacyPolicy: legalTextSchema.optional(),
  /** Erklärung zur Barrierefreiheit (BITV 2.0): state of compliance, what is not accessible, enforcement procedure. */
  accessibilityStatement: legalTextSchema.optional(),
  /** Where people report accessibility barriers (BITV 2.0 feedback mechanism); the general contact when unset. */
  accessibilityContact: nodeContactSchema.optional(),
  /**
   * The four-eyes principle for vetting: the person who submitted a use case may not vet it (on
   * by default). A city with a single person in charge may turn it off; a vetting by the
   * submitter then says so in the public record.
   */
  fourEyes: z.boolean(),
});
export type NodeSettings = z.infer<typeof nodeSettingsSchema>;
export type NodeSettingsField = keyof NodeSettings;
export const nodeSettingsFields = Object.keys(nodeSettingsSchema.shape) as NodeSettingsField[];

/** The fields an admin set, each replacing the configuration's default as a whole. */
export type NodeSettingsOverrides = Partial<NodeSettings>;

/** What the store keeps: the overrides, and who saved them when. */
export interface StoredNodeSettings {
  overrides: NodeSettingsOverrides;
  updatedAt: string;
  updatedBy: string;
}

/** The settings in force: the defaults with the stored overrides. */
export interface EffectiveNodeSettings {
  settings: NodeSettings;
  /** Fields an admin set (the rest comes from the configuration). */
  overridden: NodeSettingsField[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/**
 * A change: a field given replaces the stored one, `null` removes it (back to the configuration's
 * default; for a legal text: none), a field left out stays as it is.
 */
export type NodeSettingsPatch = { [K in NodeSettingsField]?: NodeSettings[K] | null };

/** The defaults a node derives from its configuration (environment variables). */
export function defaultNodeSettings(config: { cityName: string; municipalityId?: string | undefined; website: string }): NodeSettings {
  return {
    cityName: config.cityName,
    issuingBody: {
      name: { de: config.cityName, en: config.cityName },
      ...(config.municipalityId ? { organisationId: { scheme: "AGS" as const, value: config.municipalityId } } : {}),
    },
    website: config.website,
    contact: {},
    fourEyes: true,
  };
}

export function effectiveNodeSettings(defaults: NodeSettings, stored: StoredNodeSettings | null): EffectiveNodeSettings {
  const overrides = stored?.overrides ?? {};
  return {
    settings: { ...defaults, ...overrides },
    overridden: nodeSettingsFields.filter((field) => overrides[field] !== undefined),
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/**
 * Applies an admin's change to the stored overrides and validates the result as a whole.
 * Errors name the field path as given in the patch (`contact.email`, `imprint.de`).
 */
export function changeNodeSettings(
  defaults: NodeSettings,
  stored: StoredNodeSettings | null,
  patch: NodeSettingsPatch,
  by: string,
  now: Date,
): Validated<StoredNodeSettings> {
  const overrides: Record<string, unknown> = { ...stored?.overrides };
  for (const field of nodeSettingsFields) {
    if (!(field in patch) || patch[field] === undefined) continue;
    if (patch[field] === null) delete overrides[field];
    else overrides[field] = patch[field];
  }
  const checked = validateWith(nodeSettingsSchema.partial(), overrides);
  if (!checked.ok) return checked;
  // The defaults come from the configuration, which was validated at start; the whole must still hold.
  const whole = validateWith(nodeSettingsSchema, { ...defaults, ...checked.value });
  if (!whole.ok) return whole;
  return { ok: true, value: { overrides: checked.value, updatedAt: now.toISOString(), updatedBy: by } };
}

export const validateNodeSettingsOverrides = (input: unknown): Validated<NodeSettingsOverrides> => validateWith(nodeSettingsSchema.partial(), input);

/** Where a node keeps its settings (implemented in @leitplanken/db). */
export interface NodeSettingsStore {
  load(): Promise<StoredNodeSettings | null>;
  save(settings: StoredNodeSettings): Promise<void>;
}
