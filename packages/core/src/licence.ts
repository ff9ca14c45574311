import { z } from "zod";

/**
 * Licences a guideline or model may carry: SPDX ids and the German Datenlizenz
 * Deutschland (DL-DE). The licence decides whether another city may fork a guideline.
 */
export const licences = {
  "CC0-1.0": { allowsDerivatives: true },
  "CC-BY-4.0": { allowsDerivatives: true },
  "CC-BY-SA-4.0": { allowsDerivatives: true },
  "CC-BY-NC-4.0": { allowsDerivatives: true },
  "CC-BY-ND-4.0": { allowsDerivatives: false },
  "CC-BY-NC-ND-4.0": { allowsDerivatives: false },
  "DL-DE-BY-2.0": { allowsDerivatives: true },
  "DL-DE-ZERO-2.0": { allowsDerivatives: true },
  "EUPL-1.2": { allowsDerivatives: true },
  MIT: { allowsDerivatives: true },
  "Apache-2.0": { allowsDerivatives: true },
  "GPL-3.0-or-later": { allowsDerivatives: true },
  "AGPL-3.0-or-later": { allowsDerivatives: true },
  "LicenseRef-proprietary": { allowsDerivatives: false },
} as const satisfies Record<string, { allowsDerivatives: boolean }>;

export type LicenceId = keyof typeof licences;

export const licenceSchema = z.enum(Object.keys(licences) as [LicenceId, ...LicenceId[]]);

/** A licence id as a GraphQL enum value (the API's `Licence`): `CC-BY-4.0` is `CC_BY_4_0` (names allow no `-` or `.`). */
export function licenceEnumName(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** The licence id an enum value names (`CC_BY_4_0` → `CC-BY-4.0`); undefined for no licence. */
export function licenceOfEnumName(name: string): LicenceId | undefined {
  return (Object.keys(licences) as LicenceId[]).find((id) => licenceEnumName(id) === name);
}

export function licenceAllowsDerivatives(licence: LicenceId): boolean {
  return licences[licence].allowsDerivatives;
}
