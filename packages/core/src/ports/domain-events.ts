import type { RecordEvent } from "./record-events.ts";

/**
 * Something the node did that other nodes must hear of. The application layer writes it into
 * the outbox in the same database transaction as the change itself, so a change is never kept
 * without its event (nor an event without its change); federation delivers from the outbox.
 */
export type DomainEvent = RecordEvent | AdoptionEvent | CatalogDecisionEvent;

/**
 * A moderator's decision in a catalog this node hosts, written with the decision: an approved
 * entry is announced to the members, a removed one removed from them (with the reason), a
 * rejected submission answered to its submitter; a city's Follow of the catalog is answered with
 * Accept or Reject. It carries what the activities need, as decided (a later decision is an event
 * of its own).
 */
export type CatalogDecisionEvent =
  | {
      type: "catalog-entry-decided";
      /** The entry's id. */
      id: string;
      catalogId: string;
      decision: "approved" | "rejected" | "removed";
      recordId: string;
      originActor: string;
      submissionActivityId: string | null;
      reason: string | null;
    }
  | {
      type: "catalog-member-decided";
      /** The catalog's id and the member's actor (`catalogMemberStream`). */
      id: string;
      catalogId: string;
      actor: string;
      followActivityId: string;
      answer: "accept" | "reject";
    };

/** The stream of a catalog's decisions on one member: answers to it keep their order. */
export const catalogMemberStream = (catalogId: string, actor: string) => `${catalogId} member ${actor}`;

/**
 * An adoption record of ours (`Adoption`, served at its own IRI) was published with its adopted
 * use case, replaced when the use case was published again, or withdrawn with it. It goes to
 * our followers and to the city whose use case we adopted (`originActor`).
 */
export interface AdoptionEvent {
  type: "adoption-published" | "adoption-updated" | "adoption-withdrawn";
  /** The adoption record's IRI. */
  id: string;
  originActor: string;
}

/** The ordering key of an event: events of one stream are delivered in the order they were written. */
export function eventStream(event: DomainEvent): string {
  return event.id;
}

/** An event as the outbox keeps it. */
export interface OutboxEvent {
  /** Position in the outbox: a later event has a higher one. */
  seq: number;
  /**
   * Unique per event (a UUID). Federation derives the ids of the activities it sends from it,
   * so an event delivered twice (after a crash) carries the same activity ids and receivers
   * drop the repeat.
   */
  eventId: string;
  /** `eventStream(event)`. */
  stream: string;
  event: DomainEvent;
  createdAt: Date;
  /** Failed delivery attempts so far (0 for a new event). */
  attempts: number;
  lastError: string | null;
  /** After a failed attempt: when the event is due again; null when it is due now. */
  retryAt: Date | null;
}

/** Appends events inside a unit of work (see ports/unit-of-work.ts). */
export interface DomainEventOutbox {
  append(event: DomainEvent): Promise<OutboxEvent>;
}

/**
 * `outbox`, calling `onAppended` after each event it stored: a transaction runner notes that its
 * transaction holds events and wakes the dispatcher once it committed.
 */
export function outboxNotingAppends(outbox: DomainEventOutbox, onAppended: () => void): DomainEventOutbox {
  return {
    append: async (event) => {
      const stored = await outbox.append(event);
      onAppended();
      return stored;
    },
  };
}

/**
 * What the dispatcher (federation) needs of the outbox: the events not yet handed to delivery,
 * oldest first, and a lease so that one process dispatches at a time (events keep their order).
 */
export interface DomainEventRelayStore {
  /**
   * Takes or renews the dispatcher lease for `holder` for `leaseMs`; false while another
   * holder's lease runs.
   */
  acquireLease(holder: string, leaseMs: number): Promise<boolean>;
  releaseLease(holder: string): Promise<void>;
  /**
   * The oldest undispatched events, due or not (a failed one carries its `retryAt`): the
   * dispatcher holds back the later events of a stream whose earlier event is not due yet.
   */
  pendingEvents(limit: number): Promise<OutboxEvent[]>;
  markDispatched(seq: number): Promise<void>;
  /** Records a failed attempt; the event is due again at `retryAt`. */
  markFailed(seq: number, error: string, retryAt: Date): Promise<void>;
  /** Events not yet dispatched (due or waiting for a retry). */
  countPending(): Promise<number>;
}
