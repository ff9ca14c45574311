// Shared by the hostile tests and the fuzzer's worker thread (which must not load the node's packages).

/** Nothing a client sees may hold a stack trace or a path on the server. */
export function leaksInternals(text: string): string | null {
  const patterns = [
    /\bat [\w$.<>]+ \(/,
    /node_modules/,
    /\/work\//,
    /\/home\//,
    /\/usr\/(lib|src)\//,
    /\bTypeError\b|\bRangeError\b|\bSyntaxError:/,
    /\.ts:\d+/,
  ];
  const found = patterns.find((pattern) => pattern.test(text));
  return found ? String(found) : null;
}
