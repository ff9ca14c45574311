import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { DomainEvent, DomainEventRelayStore } from "@leitplanken/core";
import { createDomainEventOutbox, createDomainEventRelayStore } from "./outbox.repository.ts";
import { storageBackends, testDatabase, type TestDatabase } from "./test-database.ts";

const published = (slug: string): DomainEvent => ({ type: "published", kind: "use-case", id: `https://ki.dortmund.example/use-cases/${slug}` });

describe.each(storageBackends())("transactional outbox on %s", (backend) => {
  let db: TestDatabase;
  let relay: DomainEventRelayStore;

  beforeAll(async () => {
    db = await testDatabase({ backend });
    relay = createDomainEventRelayStore(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it("keeps an event only when its transaction commits", async () => {
    await expect(
      db.transaction(async (tx) => {
        await createDomainEventOutbox(tx).append(published("rolled-back"));
        throw new Error("the change failed after the event was written");
      }),
    ).rejects.toThrow("the change failed");
    const committed = await db.transaction((tx) => createDomainEventOutbox(tx).append(published("committed")));
    expect(committed).toMatchObject({ stream: published("committed").id, event: published("committed"), attempts: 0, lastError: null, retryAt: null });
    expect(committed.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await relay.pendingEvents(10)).map((event) => event.event)).toEqual([published("committed")]);
    await relay.markDispatched(committed.seq);
  });

  it("hands pending events on oldest first, keeps failures with their retry time, and forgets dispatched ones", async () => {
    const outbox = createDomainEventOutbox(db);
    const first = await outbox.append(published("a"));
    const second = await outbox.append({ type: "updated", kind: "use-case", id: published("a").id });
    const third = await outbox.append(published("b"));
    expect((await relay.pendingEvents(10)).map((event) => event.seq)).toEqual([first.seq, second.seq, third.seq]);
    expect(await relay.pendingEvents(2)).toHaveLength(2);
    expect(await relay.countPending()).toBe(3);

    const retryAt = new Date(Date.now() + 60_000);
    await relay.markFailed(first.seq, "peer unreachable", retryAt);
    await relay.markFailed(first.seq, "peer unreachable again", retryAt);
    const [failed] = await relay.pendingEvents(1);
    expect(failed).toMatchObject({ seq: first.seq, attempts: 2, lastError: "peer unreachable again" });
    expect(failed!.retryAt!.getTime()).toBe(retryAt.getTime());

    for (const event of [first, second, third]) await relay.markDispatched(event.seq);
    expect(await relay.pendingEvents(10)).toEqual([]);
    expect(await relay.countPending()).toBe(0);
  });

  it("lets one dispatcher hold the lease at a time, and another take over once it ran out", async () => {
    expect(await relay.acquireLease("node-a", 60_000)).toBe(true);
    expect(await relay.acquireLease("node-b", 60_000)).toBe(false);
    // The holder renews its own lease.
    expect(await relay.acquireLease("node-a", 60_000)).toBe(true);
    await relay.releaseLease("node-a");
    expect(await relay.acquireLease("node-b", 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // node-b crashed (its lease ran out without renewal): node-a takes over.
    expect(await relay.acquireLease("node-a", 60_000)).toBe(true);
    expect(await relay.acquireLease("node-b", 60_000)).toBe(false);
    await relay.releaseLease("node-a");
  });
});
