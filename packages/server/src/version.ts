import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The software version of Leitplanken: the `version` of the repository's root package.json,
 * the one place it is set (NodeInfo, the logs, `leitplanken --version`, the database's
 * record of which version migrated it). A release bumps it there and in CHANGELOG.md.
 */
export const softwareVersion: string = (() => {
  const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../../package.json"), "utf8")) as { version?: unknown };
  if (typeof manifest.version !== "string" || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(manifest.version)) {
    throw new Error("The root package.json has no valid version.");
  }
  return manifest.version;
})();
