import { randomUUID } from "node:crypto";
import { eventStream, type DomainEvent, type DomainEventOutbox, type DomainEventRelayStore, type OutboxEvent } from "@leitplanken/core";
import type { Queryable } from "./database.ts";

interface OutboxRow {
  seq: number;
  event_id: string;
  stream: string;
  event: DomainEvent;
  created_at: Date;
  attempts: number;
  last_error: string | null;
  retry_at: Date | null;
}

const toOutboxEvent = (row: OutboxRow): OutboxEvent => ({
  seq: row.seq,
  eventId: row.event_id,
  stream: row.stream,
  event: row.event,
  createdAt: row.created_at,
  attempts: row.attempts,
  lastError: row.last_error,
  retryAt: row.retry_at,
});

/** Appends domain events (migration 0010); give it the transaction of the change the events are about. */
export function createDomainEventOutbox(db: Queryable): DomainEventOutbox {
  return {
    async append(event) {
      const { rows } = await db.query<OutboxRow>("INSERT INTO outbox_events (event_id, stream, event) VALUES ($1, $2, $3::jsonb) RETURNING *", [
        randomUUID(),
        eventStream(event),
        JSON.stringify(event),
      ]);
      return toOutboxEvent(rows[0]!);
    },
  };
}

/** The dispatcher's side of the outbox: pending events, their outcome, and the one-dispatcher lease. */
export function createDomainEventRelayStore(db: Queryable): DomainEventRelayStore {
  return {
    async acquireLease(holder, leaseMs) {
      const { rows } = await db.query<{ holder: string }>(
        `INSERT INTO outbox_dispatcher_lease (singleton, holder, expires_at) VALUES (true, $1, now() + $2 * interval '1 millisecond')
         ON CONFLICT (singleton) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE outbox_dispatcher_lease.holder = excluded.holder OR outbox_dispatcher_lease.expires_at < now()
         RETURNING holder`,
        [holder, leaseMs],
      );
      return rows.length > 0;
    },
    async releaseLease(holder) {
      await db.query("DELETE FROM outbox_dispatcher_lease WHERE holder = $1", [holder]);
    },
    async pendingEvents(limit) {
      const { rows } = await db.query<OutboxRow>("SELECT * FROM outbox_events WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1", [limit]);
      return rows.map(toOutboxEvent);
    },
    async markDispatched(seq) {
      await db.query("UPDATE outbox_events SET dispatched_at = now(), retry_at = NULL WHERE seq = $1", [seq]);
    },
    async markFailed(seq, error, retryAt) {
      await db.query("UPDATE outbox_events SET attempts = attempts + 1, last_error = $2, retry_at = $3 WHERE seq = $1", [seq, error, retryAt]);
    },
    async countPending() {
      const { rows } = await db.query<{ total: number }>("SELECT count(*) AS total FROM outbox_events WHERE dispatched_at IS NULL");
      return rows[0]?.total ?? 0;
    },
  };
}
