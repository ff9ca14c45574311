import type { OperationReport } from "@leitplanken/graphql";
import type { Logger } from "./logger.ts";

/**
 * Every write through the API (over HTTP or from the staff pages) leaves one log line naming
 * who made it: the token's or the signed-in person's name and role, never a secret; the public
 * (a citizen's report) as such, without an address.
 */
export function logWrite(logger: Logger, operation: OperationReport): void {
  if (operation.type !== "mutation") return;
  logger.info(
    {
      operation: operation.name ?? "(anonymous)",
      by: operation.principal ? { name: operation.principal.name, role: operation.principal.role, via: operation.signedInWith } : "public",
      outcome: operation.errorCodes.length === 0 ? "done" : "refused",
      ...(operation.errorCodes.length > 0 ? { errors: operation.errorCodes } : {}),
      durationMs: Math.round(operation.durationMs),
    },
    "write",
  );
}
