import { SendActivityError, type CircuitBreakerOptions, type OutboxErrorHandler } from "@fedify/fedify";
import { outboxMessageInHand } from "./delivery-failures.ts";
import type { FederationLogger } from "./federation.deps.ts";

/**
 * Logs every failed delivery attempt in the node's own log (Fedify reports it only to LogTape),
 * with the inbox, the attempt and why (a status, or e.g. a timeout), then hands on to `next`. A
 * follower whose deliveries keep failing shows up here before its server's circuit opens.
 */
export function logFailedDeliveries(logger: FederationLogger, next: OutboxErrorHandler): OutboxErrorHandler {
  return async (error, activity) => {
    const message = outboxMessageInHand();
    logger.warn(
      {
        inbox: message?.inbox,
        activityId: message?.activityId ?? activity?.id?.href,
        attempt: message === undefined ? undefined : message.attempt + 1,
        statusCode: error instanceof SendActivityError ? error.statusCode : null,
        ...describeFailure(error),
      },
      "delivery failed; it is tried again later unless the retries are used up",
    );
    await next(error, activity);
  };
}

/**
 * Fedify's circuit breaker options with its state changes logged: a server whose circuit opens is a
 * stalled follower (deliveries to it are held), and the log says when it answers again.
 */
export function logCircuitChanges(options: CircuitBreakerOptions | false, logger: FederationLogger): CircuitBreakerOptions | false {
  if (options === false) return false;
  return {
    ...options,
    onStateChange: async (host, previous, next) => {
      if (next === "open")
        logger.warn({ host, previous }, "deliveries to a server are held: it failed repeatedly (follower stalled); they are tried again later");
      else if (next === "closed") logger.info({ host, previous }, "deliveries to a server go out again: it answered");
      else logger.info({ host, previous }, "probing whether a server whose deliveries are held answers again");
      await options.onStateChange?.(host, previous, next);
    },
  };
}

const timeoutCodes = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** The messages along the error's causes (fetch wraps the real reason, e.g. undici's timeout, twice) and the innermost code. */
function describeFailure(error: Error): { error: string; code?: string; timedOut?: true } {
  const messages: string[] = [];
  let code: string | undefined;
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (!messages.includes(current.message)) messages.push(current.message);
    const ownCode = (current as Error & { code?: unknown }).code;
    if (typeof ownCode === "string") code = ownCode;
  }
  return { error: messages.join(": "), ...(code ? { code } : {}), ...(code && timeoutCodes.has(code) ? { timedOut: true as const } : {}) };
}
