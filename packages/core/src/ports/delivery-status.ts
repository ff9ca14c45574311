/**
 * How deliveries to one inbox are going right now, read from the durable queue and Fedify's
 * per-server circuit breaker (permanent failures are the FederationStore's `listDeliveryFailures`).
 */

/** Fedify's circuit breaker per server: `open` holds deliveries after repeated failures, `half-open` lets one probe through. */
export const deliveryCircuits = ["closed", "open", "half-open"] as const;
export type DeliveryCircuit = (typeof deliveryCircuits)[number];

export interface InboxDeliveryStatus {
  inbox: string;
  /** Deliveries to this inbox waiting in the queue: new ones, ones retried after a failure, ones the circuit breaker holds. */
  waiting: number;
  /** When the oldest waiting delivery was first tried; null when none waits. */
  waitingSince: Date | null;
  /** Failed attempts of the waiting delivery that failed most often (0: none has failed yet). */
  failedAttempts: number;
  /** The circuit breaker of the inbox's server. */
  circuit: DeliveryCircuit;
}

export interface DeliveryStatusReader {
  /** One status per inbox asked, in the same order. */
  deliveryStatus(inboxes: readonly string[]): Promise<InboxDeliveryStatus[]>;
}

/** A delivery that has failed and still waits after this long makes its follower stalled. */
export const STALLED_AFTER_MS = 5 * 60 * 1000;

/**
 * Deliveries to the inbox are stuck: its server's circuit breaker holds them (it failed repeatedly),
 * or a delivery has failed and has been waiting for more than five minutes since its first try. A
 * long queue alone (a big fan-out still on its way) is not stalled.
 */
export function deliveryStalled(status: InboxDeliveryStatus, now: Date = new Date()): boolean {
  if (status.circuit !== "closed") return true;
  return status.failedAttempts > 0 && status.waitingSince !== null && now.getTime() - status.waitingSince.getTime() > STALLED_AFTER_MS;
}
