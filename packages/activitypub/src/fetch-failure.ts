import { FetchError, UrlError } from "@fedify/vocab-runtime";
import { BlockedDomainError } from "./domain-block.ts";

/**
 * What a failed fetch from another node means for the activity that needed it:
 * - `gone`: the document is not there (404) or no longer (410); asking again will not help;
 * - `refused`: the other side or our own rules say no (another 4xx, a blocked domain, a private
 *   address, a redirect loop); asking again will not help either;
 * - `transient`: the network, a timeout, a 5xx, 408 or 429: it may pass, so the inbound activity
 *   is retried by the queue instead of being taken for a bad one.
 */
export type FetchFailure = { kind: "gone"; status: number } | { kind: "refused"; reason: string } | { kind: "transient"; reason: string };

const TRANSIENT_STATUSES = new Set([408, 425, 429]);

export function classifyHttpStatus(status: number): FetchFailure {
  if (status === 404 || status === 410) return { kind: "gone", status };
  if (status >= 500 || TRANSIENT_STATUSES.has(status)) return { kind: "transient", reason: `HTTP ${status}` };
  return { kind: "refused", reason: `HTTP ${status}` };
}

export function classifyFetchFailure(error: unknown): FetchFailure {
  if (error instanceof FetchError || (error instanceof Error && error.name === "FetchError")) {
    const response = (error as FetchError).response;
    if (response) return classifyHttpStatus(response.status);
    // Without a response: a redirect loop (refused), or the network failed (Fedify's authenticated
    // loader wraps "fetch failed" into a FetchError without response).
    return /redirect/i.test(error.message) ? { kind: "refused", reason: error.message } : { kind: "transient", reason: error.message };
  }
  if (error instanceof BlockedDomainError || error instanceof UrlError) return { kind: "refused", reason: error.message };
  return { kind: "transient", reason: error instanceof Error ? error.message : String(error) };
}

/**
 * Thrown by an inbound handler when something it must fetch could not be fetched for now: Fedify
 * retries the activity by the inbox retry policy, and the activity id is not recorded as seen.
 */
export class TransientFetchError extends Error {
  override name = "TransientFetchError";
  readonly url: string;
  readonly reason: string;
  constructor(url: string, reason: string) {
    super(`could not fetch ${url} for now (${reason}); the activity will be retried`);
    this.url = url;
    this.reason = reason;
  }
}
