import { deliveryCircuits, type DeliveryStatusReader, type InboxDeliveryStatus } from "@leitplanken/core";
import type { Queryable } from "./database.ts";

interface StatusRow {
  inbox: string;
  waiting: number;
  since: Date | null;
  attempts: number;
  circuit: string | null;
}

/**
 * Deliveries per inbox, read where Fedify keeps them: its outbox messages in the queue (`inbox`,
 * `started`: the first try, `attempt`: failures so far; held ones included) and its circuit breaker
 * state per server in the key–value store (`_fedify/circuit/<host>`, the host as Fedify's
 * `getRemoteHost` names it). One statement for any number of inboxes.
 */
export function createDeliveryStatusReader(db: Queryable): DeliveryStatusReader {
  return {
    async deliveryStatus(inboxes) {
      if (inboxes.length === 0) return [];
      const hosts = inboxes.map((inbox) => (URL.canParse(inbox) ? new URL(inbox).host : ""));
      const { rows } = await db.query<StatusRow>(
        `SELECT asked.inbox, coalesce(waiting.waiting, 0) AS waiting, waiting.since, coalesce(waiting.attempts, 0) AS attempts,
           (SELECT value ->> 'state' FROM fedify_kv
            WHERE key = ARRAY['_fedify', 'circuit', asked.host] AND (expires_at IS NULL OR expires_at > now())) AS circuit
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS asked(inbox, host, n)
         LEFT JOIN (
           SELECT payload ->> 'inbox' AS inbox, count(*) AS waiting, min((payload ->> 'started')::timestamptz) AS since,
             max((payload ->> 'attempt')::int) AS attempts
           FROM fedify_queue WHERE payload ->> 'type' = 'outbox' AND payload ->> 'inbox' = ANY($1::text[])
           GROUP BY 1) AS waiting ON waiting.inbox = asked.inbox
         ORDER BY asked.n`,
        [inboxes, hosts],
      );
      return rows.map((row): InboxDeliveryStatus => ({
        inbox: row.inbox,
        waiting: row.waiting,
        waitingSince: row.since,
        failedAttempts: row.attempts,
        circuit: deliveryCircuits.find((circuit) => circuit === row.circuit) ?? "closed",
      }));
    },
  };
}
