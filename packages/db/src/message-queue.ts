import { randomUUID } from "node:crypto";
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Queryable } from "./database.ts";

export interface PostgresMessageQueueOptions {
  /** How often an idle worker looks for due messages (ms). An enqueue in the same process wakes it at once. */
  pollIntervalMs?: number;
  /** How long a claimed message stays reserved for its worker (ms); renewed while the handler runs. */
  leaseMs?: number;
  /** Delay before the first retry of a message whose handler threw (ms); doubles with each attempt. */
  retryBaseMs?: number;
  /** Upper bound of the retry delay (ms). */
  retryMaxMs?: number;
}

interface ClaimedMessage {
  id: number;
  payload: unknown;
  attempts: number;
  token: string;
}

const logger = getLogger(["leitplanken", "db", "queue"]);
const afterMs = (param: string) => `now() + ${param}::double precision * interval '1 millisecond'`;

// The oldest due message that no worker holds. A message with an ordering key waits until
// every earlier message with that key is gone, so such messages run one after the other.
// SKIP LOCKED lets concurrent workers pass over a row another worker is claiming right now.
const claimSql = `
  UPDATE fedify_queue SET locked_until = ${afterMs("$1")}, lock_token = $2::uuid, attempts = attempts + 1
  WHERE id = (
    SELECT id FROM fedify_queue AS q
    WHERE q.run_at <= now() AND (q.locked_until IS NULL OR q.locked_until <= now())
      AND (q.ordering_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM fedify_queue AS earlier WHERE earlier.ordering_key = q.ordering_key AND earlier.id < q.id))
    ORDER BY q.run_at, q.id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
  RETURNING id, payload, attempts`;

/**
 * Fedify's message queue on the table `fedify_queue`: durable, shared by any number of
 * worker processes on one database, at-least-once (see the package README).
 * A handler that throws is retried with exponential backoff, never dropped.
 */
export class PostgresMessageQueue implements MessageQueue {
  /** Fedify keeps its own retry policy for deliveries; this queue retries only handlers that throw. */
  readonly nativeRetrial = false;
  readonly #db: Queryable;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #enqueued = new EventTarget();

  constructor(db: Queryable, options: PostgresMessageQueueOptions = {}) {
    this.#db = db;
    this.#pollIntervalMs = positive("pollIntervalMs", options.pollIntervalMs ?? 1_000);
    this.#leaseMs = positive("leaseMs", options.leaseMs ?? 60_000);
    this.#retryBaseMs = positive("retryBaseMs", options.retryBaseMs ?? 1_000);
    this.#retryMaxMs = positive("retryMaxMs", options.retryMaxMs ?? 3_600_000);
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const delayMs = options?.delay ? options.delay.total({ unit: "millisecond" }) : 0;
    if (!(delayMs >= 0)) throw new RangeError(`the delay of a queued message must not be negative, got ${delayMs} ms`);
    // One statement, so a batch is stored whole or not at all, in the order given.
    await this.#db.query(
      `INSERT INTO fedify_queue (payload, ordering_key, run_at)
       SELECT message, $2::text, ${afterMs("$3")} FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS m(message, n)
       ORDER BY n`,
      [JSON.stringify(messages), options?.orderingKey ?? null, delayMs],
    );
    this.#enqueued.dispatchEvent(new Event("enqueued"));
  }

  /**
   * Handles due messages one at a time until the signal aborts; resolves after the message in
   * hand is finished, so a graceful shutdown loses nothing. Never rejects.
   */
  async listen(handler: (message: unknown) => Promise<void> | void, options: MessageQueueListenOptions = {}): Promise<void> {
    const { signal } = options;
    while (!signal?.aborted) {
      let message: ClaimedMessage | undefined;
      try {
        message = await this.#claim();
      } catch (error) {
        logger.error("Cannot read the message queue: {error}", { error });
      }
      if (message) await this.#handle(message, handler);
      else await this.#idle(signal);
    }
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const { rows } = await this.#db.query<{ ready: number; delayed: number }>(
      `SELECT count(*) FILTER (WHERE run_at <= now()) AS ready, count(*) FILTER (WHERE run_at > now()) AS delayed
       FROM fedify_queue WHERE locked_until IS NULL OR locked_until <= now()`,
    );
    const { ready = 0, delayed = 0 } = rows[0] ?? {};
    return { queued: ready + delayed, ready, delayed };
  }

  async #claim(): Promise<ClaimedMessage | undefined> {
    const token = randomUUID();
    const { rows } = await this.#db.query<Omit<ClaimedMessage, "token">>(claimSql, [this.#leaseMs, token]);
    return rows[0] && { ...rows[0], token };
  }

  async #handle(message: ClaimedMessage, handler: (message: unknown) => Promise<void> | void): Promise<void> {
    const renewLease = setInterval(() => {
      this.#db
        .query(`UPDATE fedify_queue SET locked_until = ${afterMs("$3")} WHERE id = $1 AND lock_token = $2::uuid`, [message.id, message.token, this.#leaseMs])
        .catch((error: unknown) => logger.warn("Cannot renew the lease of queued message {id}: {error}", { id: message.id, error }));
    }, this.#leaseMs / 3);
    let failure: { error: unknown } | undefined;
    try {
      await handler(message.payload);
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(renewLease);
    }
    // If these writes fail, the lease runs out and the message is handled again (at-least-once).
    try {
      if (!failure) {
        await this.#db.query("DELETE FROM fedify_queue WHERE id = $1", [message.id]);
        return;
      }
      const retryMs = Math.min(this.#retryBaseMs * 2 ** (message.attempts - 1), this.#retryMaxMs);
      logger.error("Handler failed for queued message {id} (attempt {attempts}); retrying in {retryMs} ms: {error}", {
        id: message.id,
        attempts: message.attempts,
        retryMs,
        error: failure.error,
      });
      await this.#db.query(
        `UPDATE fedify_queue SET run_at = ${afterMs("$3")}, locked_until = NULL, lock_token = NULL, last_error = $4
         WHERE id = $1 AND lock_token = $2::uuid`,
        [message.id, message.token, retryMs, describeError(failure.error)],
      );
    } catch (error) {
      logger.error("Cannot record the outcome of queued message {id}: {error}", { id: message.id, error });
    }
  }

  /** Waits for the poll interval, an enqueue in this process, or the abort signal. */
  #idle(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", wake);
        this.#enqueued.removeEventListener("enqueued", wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#pollIntervalMs);
      signal?.addEventListener("abort", wake);
      this.#enqueued.addEventListener("enqueued", wake);
    });
  }
}

function positive(name: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value)))
    throw new RangeError(`PostgresMessageQueue option ${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.slice(0, 4_000);
}
