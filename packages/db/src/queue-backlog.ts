import type { Queryable } from "./database.ts";

/** How much waits in one of the node's queues, and since when. */
export interface QueueBacklog {
  /** A lane of Fedify's queue (`inbox`, `outbox`, `fanout`, …) or `outbox-events` (the transactional outbox). */
  queue: string;
  /** Messages waiting or in hand. */
  depth: number;
  /** Seconds since the oldest of them was queued; 0 when the queue is empty. */
  oldestAgeSeconds: number;
}

/**
 * The backlog of every queue, for metrics and monitoring: a queue whose oldest message keeps
 * getting older is stalled (a dead worker, a follower that never answers, a full disk).
 */
export async function queueBacklogs(db: Queryable): Promise<QueueBacklog[]> {
  const { rows } = await db.query<{ queue: string; depth: number; age: number | null }>(
    `SELECT lane AS queue, count(*) AS depth, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM fedify_queue GROUP BY lane
     UNION ALL
     SELECT 'outbox-events', count(*), EXTRACT(EPOCH FROM now() - min(created_at))::float8 FROM outbox_events WHERE dispatched_at IS NULL`,
  );
  return rows.map((row) => ({ queue: row.queue, depth: Number(row.depth), oldestAgeSeconds: Math.max(0, Number(row.age ?? 0)) }));
}
