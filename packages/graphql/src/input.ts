/**
 * GraphQL hands over explicit nulls (and null-prototype objects); the core's schemas treat an
 * optional field as absent, so nulls are dropped before validation.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, entry]) => entry !== null && entry !== undefined)
        .map(([key, entry]) => [key, withoutNulls(entry)]),
    );
  }
  return value;
}
