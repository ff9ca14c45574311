import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Database, Queryable } from "./database.ts";

export interface PostgresMessageQueueOptions {
  /**
   * The lane this queue object reads and writes (a column of `fedify_queue`): queues with different
   * lanes share the table but never each other's messages, so a fan-out of 1,000 deliveries cannot
   * hold back an inbound activity. Default "default".
   */
  lane?: string;
  /** Handlers running at once in this process (default 1). */
  concurrency?: number;
  /**
   * Messages taken with one statement (default: 4 × `concurrency`, at least `concurrency`). Those
   * beyond the free handler slots wait in this process, leased like the ones running, and start as
   * slots free; the next claim comes when no message is left waiting. So a backlog costs one claim
   * per `batchSize - concurrency` messages or so, not one per message.
   */
  batchSize?: number;
  /**
   * How often an idle worker looks for due messages (ms) in case it missed a wake-up. Enqueues wake
   * workers at once: in this process directly, in others through LISTEN/NOTIFY on PostgreSQL; delayed
   * and leased messages wake them when they are due. Default 1,000 without `listen`, 5,000 with it.
   */
  pollIntervalMs?: number;
  /** How long a claimed message stays reserved for its worker (ms); renewed while the handler runs. */
  leaseMs?: number;
  /** Delay before the first retry of a message whose handler threw (ms); doubles with each attempt. */
  retryBaseMs?: number;
  /** Upper bound of the retry delay (ms). */
  retryMaxMs?: number;
  /**
   * A handler still running after this long (ms) counts as failed: its slot is freed and the message
   * retried later (the handler itself cannot be stopped; its late outcome is ignored). Default 120,000.
   */
  handlerTimeoutMs?: number;
}

interface ClaimedMessage {
  id: number;
  payload: unknown;
  attempts: number;
  token: string;
  /** It has an ordering key: later messages with that key wait until it is gone. */
  keyed: boolean;
  /** When it was claimed, a later message with its key was waiting for it. */
  unblocks: boolean;
}

interface ClaimRow {
  id: number | null;
  payload: unknown;
  attempts: number | null;
  keyed: boolean | null;
  unblocks: boolean | null;
  next_due_ms: number | null;
}

type Handler = (message: unknown) => Promise<void> | void;

const logger = getLogger(["leitplanken", "db", "queue"]);
const afterMs = (param: string) => `now() + ${param}::double precision * interval '1 millisecond'`;

// The oldest due messages of the lane that no worker holds, at most $2, leased to this worker in one
// statement. Of the messages sharing an ordering key only the chain's head is unblocked (migration
// 0100 keeps it so), so such messages run one after the other and never two of one key in a batch,
// and the claim reads only claimable rows, from a partial index in claim order. SKIP LOCKED lets
// concurrent workers pass over rows another worker is claiming right now. `unblocks`: another message
// of its key is waiting for it. The last row says in how many ms the lane's next message becomes due
// (a delay or another worker's lease running out; our own leases, $5, excluded), so an idle worker
// sleeps exactly that long instead of polling.
const claimSql = `
  WITH due AS (
    SELECT id FROM fedify_queue AS q
    WHERE q.lane = $1 AND NOT q.blocked AND q.run_at <= now() AND (q.locked_until IS NULL OR q.locked_until <= now())
    ORDER BY q.run_at, q.id
    LIMIT $2
    FOR UPDATE SKIP LOCKED),
  claimed AS (
    UPDATE fedify_queue AS q SET locked_until = ${afterMs("$3")}, lock_token = $4::uuid, attempts = q.attempts + 1
    FROM due WHERE q.id = due.id
    RETURNING q.id, q.payload, q.attempts, q.run_at, q.ordering_key IS NOT NULL AS keyed,
      EXISTS (SELECT 1 FROM fedify_queue AS other WHERE other.ordering_key = q.ordering_key AND other.id <> q.id) AS unblocks)
  SELECT id, payload, attempts, keyed, unblocks, NULL::double precision AS next_due_ms FROM (SELECT * FROM claimed ORDER BY run_at, id) AS page
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, NULL, extract(epoch FROM least(
      (SELECT min(run_at) FROM fedify_queue WHERE lane = $1 AND NOT blocked AND run_at > now()),
      (SELECT min(locked_until) FROM fedify_queue WHERE lane = $1 AND locked_until > now() AND lock_token <> ALL($5::uuid[]))
    ) - now()) * 1000`;

/**
 * Fedify's message queue on the table `fedify_queue`: durable, shared by any number of
 * worker processes on one database, at-least-once, with several handlers at once per process
 * (see the package README). A handler that throws is retried with exponential backoff, never dropped.
 */
export class PostgresMessageQueue implements MessageQueue {
  /** Fedify keeps its own retry policy for deliveries; this queue retries only handlers that throw. */
  readonly nativeRetrial = false;
  readonly lane: string;
  readonly concurrency: number;
  readonly #db: Queryable & Partial<Pick<Database, "listen">>;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #handlerTimeoutMs: number;
  /** In-process wake-ups: the payload of our own NOTIFYs, heard at once, before the database passes them on. */
  readonly #enqueued = new EventTarget();
  /** Names this queue object in its NOTIFYs, so that its listeners skip the echo of what they heard in process. */
  readonly #sender = randomUUID();
  #channel: Promise<string> | undefined;
  #pending: { message: unknown; orderingKey: string | null; delayMs: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #storing = false;

  constructor(db: Queryable & Partial<Pick<Database, "listen">>, options: PostgresMessageQueueOptions = {}) {
    this.#db = db;
    this.lane = options.lane ?? "default";
    if (!/^[a-z][a-z0-9_-]{0,39}$/.test(this.lane)) throw new RangeError(`PostgresMessageQueue lane must be a short lower-case name, got ${this.lane}`);
    this.concurrency = count("concurrency", options.concurrency ?? 1);
    this.#batchSize = count("batchSize", options.batchSize ?? Math.min(1_000, 4 * this.concurrency));
    if (this.#batchSize < this.concurrency)
      throw new RangeError(`PostgresMessageQueue option batchSize must be at least concurrency (${this.concurrency}), got ${this.#batchSize}`);
    this.#pollIntervalMs = positive("pollIntervalMs", options.pollIntervalMs ?? (db.listen ? 5_000 : 1_000));
    this.#leaseMs = positive("leaseMs", options.leaseMs ?? 60_000);
    this.#retryBaseMs = positive("retryBaseMs", options.retryBaseMs ?? 1_000);
    this.#retryMaxMs = positive("retryMaxMs", options.retryMaxMs ?? 3_600_000);
    this.#handlerTimeoutMs = positive("handlerTimeoutMs", options.handlerTimeoutMs ?? 120_000);
  }

  /**
   * Stores one message. Messages enqueued at the same moment (Fedify enqueues a fan-out's
   * deliveries one by one, each with its own ordering key) are stored together with one statement;
   * each call returns once its message is committed.
   */
  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    let delayMs: number;
    try {
      delayMs = delayOf(options);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ message, orderingKey: options?.orderingKey ?? null, delayMs, resolve, reject });
      if (this.#pending.length === 1 && !this.#storing) queueMicrotask(() => void this.#storePending());
    });
  }

  /** Stores the messages whole or not at all, in the order given, with one statement. */
  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const delayMs = delayOf(options);
    await this.#store(messages.map((message) => ({ message, orderingKey: options?.orderingKey ?? null, delayMs })));
  }

  async #storePending(): Promise<void> {
    this.#storing = true;
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#store(batch);
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#storing = false;
  }

  /**
   * One statement stores the messages and sends the NOTIFY that wakes the lane's workers in other
   * processes (when it commits: inside a caller's transaction, when that commits). A keyed message
   * is stored blocked when an earlier one of its key exists; the insert trigger of migration 0100
   * corrects that guess under its lock when a concurrent writer changed the chain meanwhile.
   */
  async #store(entries: readonly { message: unknown; orderingKey: string | null; delayMs: number }[]): Promise<void> {
    const soonestMs = Math.round(Math.min(...entries.map((entry) => entry.delayMs)));
    const wake = `${this.lane} ${soonestMs} ${this.#sender}`;
    await this.#db.query(
      `WITH stored AS (
         INSERT INTO fedify_queue (lane, payload, ordering_key, run_at, blocked)
         SELECT $2, m.entry -> 'message', m.entry ->> 'orderingKey', ${afterMs("(m.entry ->> 'delayMs')")},
           m.entry ->> 'orderingKey' IS NOT NULL AND (row_number() OVER (PARTITION BY m.entry ->> 'orderingKey' ORDER BY m.n) > 1
             OR EXISTS (SELECT 1 FROM fedify_queue AS q WHERE q.ordering_key = m.entry ->> 'orderingKey'))
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS m(entry, n)
         ORDER BY n)
       SELECT pg_notify($3, $4)`,
      [JSON.stringify(entries.map(({ message, orderingKey, delayMs }) => ({ message, orderingKey, delayMs }))), this.lane, await this.#channelName(), wake],
    );
    this.#enqueued.dispatchEvent(new CustomEvent("enqueued", { detail: wake }));
  }

  /**
   * Handles due messages, up to `concurrency` at a time, until the signal aborts; then lets the
   * messages in hand finish, records their outcomes and resolves, so a graceful shutdown loses
   * nothing. Never rejects.
   */
  async listen(handler: Handler, options: MessageQueueListenOptions = {}): Promise<void> {
    const { signal } = options;
    // Leased to this worker: running, or waiting in `waiting` (claim order) for a free slot.
    const inHand = new Map<string, ClaimedMessage>();
    const waiting: ClaimedMessage[] = [];
    let running = 0;
    const finished = new Set<Promise<void>>();
    // Whether the lane may hold due messages we have not seen: set by wake-ups and by a full batch;
    // cleared by a claim that came back short, so a finished message never costs an empty claim.
    let lookForWork = true;
    // A claim came back short while we held messages with ordering keys: what it missed may be
    // waiting for one of them, so the next of them to finish looks again.
    let lookWhenKeyedFinishes = false;
    // Set by wake-ups from outside (an enqueue, a timer, a poll): only a claim after one of those can
    // miss a message that was enqueued behind a keyed message we already hold.
    let woken = true;
    let dueTimer: NodeJS.Timeout | undefined;
    let dueAt = Infinity;
    let wakeLoop: (() => void) | undefined;
    const wake = () => {
      const resolve = wakeLoop;
      wakeLoop = undefined;
      resolve?.();
    };
    const lookNow = () => {
      lookForWork = true;
      woken = true;
      wake();
    };
    const lookIn = (ms: number) => {
      if (!(ms > 0)) return lookNow();
      const at = Date.now() + ms;
      if (at >= dueAt) return;
      clearTimeout(dueTimer);
      dueAt = at;
      dueTimer = setTimeout(() => {
        dueAt = Infinity;
        lookNow();
      }, ms);
    };
    const heard = (payload: string, echo: boolean) => {
      const [lane, delay, sender] = payload.split(" ");
      if (lane === this.lane && !(echo && sender === this.#sender)) lookIn(Number(delay));
    };
    const onEnqueued = (event: Event) => heard(String((event as CustomEvent).detail), false);
    this.#enqueued.addEventListener("enqueued", onEnqueued);
    signal?.addEventListener("abort", wake);
    const unlisten = await this.#subscribe({ onNotify: (payload) => heard(payload, true), onGap: lookNow });
    const poll = setInterval(lookNow, this.#pollIntervalMs);
    const renew = setInterval(() => void this.#renewLeases([...inHand.values()]), this.#leaseMs / 3);
    const deletions = new DeleteBatcher(this.#db);

    const start = (message: ClaimedMessage) => {
      running++;
      const done = this.#handle(message, handler, deletions).finally(() => {
        running--;
        inHand.delete(handKey(message));
        finished.delete(done);
        // The next message with its ordering key can run now.
        if (message.unblocks || (message.keyed && lookWhenKeyedFinishes)) {
          lookForWork = true;
          lookWhenKeyedFinishes = false;
        }
        wake();
      });
      finished.add(done);
    };

    try {
      while (!signal?.aborted) {
        while (running < this.concurrency && waiting.length > 0) start(waiting.shift()!);
        // Claim only when nothing is left waiting: up to batchSize in hand, the rest of the claim waits here.
        const asked = waiting.length === 0 ? this.#batchSize - running : 0;
        if (lookForWork && asked > 0) {
          lookForWork = false;
          const afterWakeUp = woken;
          woken = false;
          let claimed: { messages: ClaimedMessage[]; nextDueMs: number | null };
          try {
            claimed = await this.#claim(asked, [...new Set([...inHand.values()].map((message) => message.token))]);
          } catch (error) {
            logger.error("Cannot read the message queue (lane {lane}): {error}", { lane: this.lane, error });
            lookIn(this.#pollIntervalMs);
            continue;
          }
          for (const message of claimed.messages) {
            inHand.set(handKey(message), message);
            waiting.push(message);
          }
          if (claimed.messages.length === asked) lookForWork = true;
          else {
            if (claimed.nextDueMs !== null) lookIn(claimed.nextDueMs);
            if (afterWakeUp && [...inHand.values()].some((message) => message.keyed)) lookWhenKeyedFinishes = true;
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          wakeLoop = resolve;
          if (signal?.aborted) wake();
        });
      }
      // Messages that never started go back to the lane at once, for another worker.
      const unstarted = waiting.splice(0);
      for (const message of unstarted) inHand.delete(handKey(message));
      await this.#release(unstarted);
      await Promise.all(finished);
    } finally {
      clearInterval(poll);
      clearInterval(renew);
      clearTimeout(dueTimer);
      signal?.removeEventListener("abort", wake);
      this.#enqueued.removeEventListener("enqueued", onEnqueued);
      await unlisten().catch(() => {});
    }
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const { rows } = await this.#db.query<{ ready: number; delayed: number }>(
      `SELECT count(*) FILTER (WHERE run_at <= now()) AS ready, count(*) FILTER (WHERE run_at > now()) AS delayed
       FROM fedify_queue WHERE lane = $1 AND (locked_until IS NULL OR locked_until <= now())`,
      [this.lane],
    );
    const { ready = 0, delayed = 0 } = rows[0] ?? {};
    return { queued: ready + delayed, ready, delayed };
  }

  /** The NOTIFY channel of this database schema (channels are per database, schemas share them). */
  #channelName(): Promise<string> {
    this.#channel ??= this.#db
      .query<{ channel: string }>("SELECT 'leitplanken_queue_' || left(md5(current_schema()), 16) AS channel")
      .then((result) => result.rows[0]!.channel);
    this.#channel.catch(() => (this.#channel = undefined));
    return this.#channel;
  }

  async #subscribe(listener: { onNotify(payload: string): void; onGap(): void }): Promise<() => Promise<void>> {
    if (!this.#db.listen) return async () => {};
    try {
      return await this.#db.listen(await this.#channelName(), listener);
    } catch (error) {
      logger.warn("Cannot LISTEN for queue wake-ups (lane {lane}); polling every {pollIntervalMs} ms: {error}", {
        lane: this.lane,
        pollIntervalMs: this.#pollIntervalMs,
        error,
      });
      return async () => {};
    }
  }

  async #claim(limit: number, ownTokens: string[]): Promise<{ messages: ClaimedMessage[]; nextDueMs: number | null }> {
    const token = randomUUID();
    const { rows } = await this.#db.query<ClaimRow>(claimSql, [this.lane, limit, this.#leaseMs, token, ownTokens]);
    const messages: ClaimedMessage[] = [];
    let nextDueMs: number | null = null;
    for (const row of rows) {
      if (row.id === null) nextDueMs = row.next_due_ms;
      else messages.push({ id: row.id, payload: row.payload, attempts: row.attempts ?? 1, keyed: row.keyed ?? false, unblocks: row.unblocks ?? false, token });
    }
    return { messages, nextDueMs };
  }

  /** Gives claimed messages that never started back to the lane: due at once, this claim not counted as an attempt. */
  async #release(messages: readonly ClaimedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.#db.query(
        `UPDATE fedify_queue SET locked_until = NULL, lock_token = NULL, attempts = attempts - 1
         WHERE (id, lock_token) IN (SELECT * FROM unnest($1::bigint[], $2::uuid[]))`,
        [messages.map((message) => message.id), messages.map((message) => message.token)],
      );
    } catch (error) {
      // Their leases run out instead; another worker takes them then.
      logger.warn("Cannot give {count} unstarted messages back to the queue (lane {lane}): {error}", { count: messages.length, lane: this.lane, error });
    }
  }

  /** One statement renews the leases of every message in hand. */
  async #renewLeases(messages: readonly ClaimedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.#db.query(
        `UPDATE fedify_queue SET locked_until = ${afterMs("$3")}
         WHERE (id, lock_token) IN (SELECT * FROM unnest($1::bigint[], $2::uuid[]))`,
        [messages.map((message) => message.id), messages.map((message) => message.token), this.#leaseMs],
      );
    } catch (error) {
      logger.warn("Cannot renew the leases of {count} queued messages (lane {lane}): {error}", { count: messages.length, lane: this.lane, error });
    }
  }

  async #handle(message: ClaimedMessage, handler: Handler, deletions: DeleteBatcher): Promise<void> {
    let failure: { error: unknown } | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        handler(message.payload),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the handler did not finish within ${this.#handlerTimeoutMs} ms; the message will be tried again`)),
            this.#handlerTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      failure = { error };
    } finally {
      clearTimeout(timer);
    }
    // If these writes fail, the lease runs out and the message is handled again (at-least-once).
    try {
      if (!failure) {
        await deletions.delete(message.id);
        return;
      }
      const retryMs = Math.min(this.#retryBaseMs * 2 ** (message.attempts - 1), this.#retryMaxMs);
      logger.error("Handler failed for queued message {id} (lane {lane}, attempt {attempts}); retrying in {retryMs} ms: {error}", {
        id: message.id,
        lane: this.lane,
        attempts: message.attempts,
        retryMs,
        error: failure.error,
      });
      await this.#db.query(
        `UPDATE fedify_queue SET run_at = ${afterMs("$3")}, locked_until = NULL, lock_token = NULL, last_error = $4
         WHERE id = $1 AND lock_token = $2::uuid`,
        [message.id, message.token, retryMs, describeError(failure.error)],
      );
      this.#enqueued.dispatchEvent(new CustomEvent("enqueued", { detail: `${this.lane} ${retryMs} ${this.#sender}` }));
    } catch (error) {
      logger.error("Cannot record the outcome of queued message {id} (lane {lane}): {error}", { id: message.id, lane: this.lane, error });
    }
  }
}

/** Fedify's three queues: inbound activities, deliveries to one inbox each, and fan-outs (one activity to many inboxes). */
export type QueueLane = "inbox" | "outbox" | "fanout";

export interface QueueLanesOptions extends Omit<PostgresMessageQueueOptions, "lane" | "concurrency" | "batchSize"> {
  /** Handlers at once per lane in this process; missing lanes get `defaultQueueConcurrency()`. */
  concurrency?: Partial<Record<QueueLane, number>> | undefined;
}

/**
 * Handlers at once per lane, sized to the machine: deliveries mostly wait on other servers, so
 * four per core (at least 4, at most 32); inbound activities are mostly our own work (signature
 * checks, JSON-LD, the database), so one per core (2 to 8); a fan-out only queues deliveries, 2.
 */
export function defaultQueueConcurrency(cores: number = availableParallelism()): Record<QueueLane, number> {
  const within = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
  return { outbox: within(4 * cores, 4, 32), inbox: within(cores, 2, 8), fanout: 2 };
}

/** One queue per lane on the same table, for Fedify's `queue: { inbox, outbox, fanout }`. */
export function queueLanes(db: Queryable & Partial<Pick<Database, "listen">>, options: QueueLanesOptions = {}): Record<QueueLane, PostgresMessageQueue> {
  const { concurrency, ...common } = options;
  // A lane given as undefined (an unset environment variable) gets the default, not 1.
  const sized = (name: QueueLane) => concurrency?.[name] ?? defaultQueueConcurrency()[name];
  const lane = (name: QueueLane) => new PostgresMessageQueue(db, { ...common, lane: name, concurrency: sized(name) });
  return { inbox: lane("inbox"), outbox: lane("outbox"), fanout: lane("fanout") };
}

/**
 * Deletes finished messages, several with one statement: the messages that finish while a delete
 * is on its way go together in the next one. A message counts as done once its delete committed.
 */
class DeleteBatcher {
  readonly #db: Queryable;
  #waiting: { id: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #running = false;

  constructor(db: Queryable) {
    this.#db = db;
  }

  delete(id: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id, resolve, reject });
      if (!this.#running) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#running = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        await this.#db.query("DELETE FROM fedify_queue WHERE id = ANY($1::bigint[])", [batch.map((entry) => entry.id)]);
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#running = false;
  }
}

const handKey = (message: ClaimedMessage) => `${message.id}:${message.token}`;

function delayOf(options: MessageQueueEnqueueOptions | undefined): number {
  const delayMs = options?.delay ? options.delay.total({ unit: "millisecond" }) : 0;
  if (!(delayMs >= 0)) throw new RangeError(`the delay of a queued message must not be negative, got ${delayMs} ms`);
  return delayMs;
}

function positive(name: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value)))
    throw new RangeError(`PostgresMessageQueue option ${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}

function count(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1 && value <= 1_000))
    throw new RangeError(`PostgresMessageQueue option ${name} must be a whole number from 1 to 1000, got ${value}`);
  return value;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.slice(0, 4_000);
}
