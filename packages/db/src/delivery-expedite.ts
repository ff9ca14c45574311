import type { Queryable } from "./database.ts";

/** Fedify's queued deliveries (outbox messages) to one server, made due now. */
export interface DeliveryExpediter {
  /**
   * Makes every queued delivery to an inbox on `host` (`host:port` as in a URL) that waits for a
   * later retry due now (none in hand is touched); resolves with how many. For a server that
   * answers again, so that it does not wait for the next exponential retry.
   */
  expediteTo(host: string): Promise<number>;
}

/**
 * Reads and writes Fedify's queued outbox messages (`fedify_queue`, their `inbox` in the payload);
 * the queue's workers take them at their next look (a timer or the poll interval).
 */
export function createDeliveryExpediter(db: Queryable): DeliveryExpediter {
  return {
    async expediteTo(host) {
      const { rowCount } = await db.query(
        `UPDATE fedify_queue SET run_at = now()
         WHERE payload ->> 'type' = 'outbox' AND run_at > now() AND locked_until IS NULL
           AND split_part(payload ->> 'inbox', '/', 3) = $1`,
        [host.toLowerCase()],
      );
      return rowCount;
    },
  };
}
