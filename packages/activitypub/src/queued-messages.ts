import type { FederationQueueOptions, MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import type { ActorKeyPairRecord, ActorKeyPairStore } from "@leitplanken/core";

/** The queues Fedify is given: one for everything, or one per lane (inbox, outbox, fan-out). */
export type FederationQueues = MessageQueue | FederationQueueOptions;

/**
 * `wrap` applied to each queue once: one queue shared by all lanes stays one object (Fedify starts
 * one worker per distinct queue), and a lane Fedify is given twice gets the same wrapper twice.
 */
export function mapQueues(queues: FederationQueues, wrap: (queue: MessageQueue) => MessageQueue): FederationQueues {
  if ("enqueue" in queues && "listen" in queues) return wrap(queues as MessageQueue);
  const wrapped = new Map<MessageQueue, MessageQueue>();
  const once = (queue: MessageQueue | undefined) => {
    if (!queue) return undefined;
    if (!wrapped.has(queue)) wrapped.set(queue, wrap(queue));
    return wrapped.get(queue);
  };
  const { inbox, outbox, fanout } = queues as FederationQueueOptions;
  return { inbox: once(inbox), outbox: once(outbox), fanout: once(fanout) };
}

/** A queue whose messages pass through `encode` on the way in and `decode` on the way to the handler. */
export function transformMessages(
  queue: MessageQueue,
  encode: (message: unknown) => unknown | Promise<unknown>,
  decode: (message: unknown) => unknown | Promise<unknown>,
): MessageQueue {
  return {
    get nativeRetrial() {
      return queue.nativeRetrial;
    },
    enqueue: async (message: unknown, options?: MessageQueueEnqueueOptions) => queue.enqueue(await encode(message), options),
    enqueueMany: async (messages: readonly unknown[], options?: MessageQueueEnqueueOptions) => {
      const encoded = await Promise.all(messages.map(encode));
      if (queue.enqueueMany) return queue.enqueueMany(encoded, options);
      for (const message of encoded) await queue.enqueue(message, options);
    },
    listen: (handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions) =>
      queue.listen(async (message) => handler(await decode(message)), options),
    ...(queue.getDepth ? { getDepth: () => queue.getDepth!() } : {}),
  };
}

/** The part of Fedify's queued fan-out and outbox messages (2.3) that carries the signing keys. */
interface QueuedKey {
  keyId: string;
  privateKey?: JsonWebKey;
  /** Our reference instead of the key: the algorithm of one of the node's stored key pairs. */
  storedPrivateKey?: ActorKeyPairRecord["algorithm"];
}

function queuedKeys(message: unknown): QueuedKey[] | undefined {
  const candidate = message as { type?: unknown; keys?: unknown } | null;
  if ((candidate?.type !== "outbox" && candidate?.type !== "fanout") || !Array.isArray(candidate.keys)) return undefined;
  return candidate.keys as QueuedKey[];
}

const storedPairs = new WeakMap<ActorKeyPairStore, Promise<ActorKeyPairRecord[]>>();

/** The node's key pairs, read once per store: they never change once made (`ensureActorKeyPairs`). */
function keyPairsOf(store: ActorKeyPairStore): Promise<ActorKeyPairRecord[]> {
  let pairs = storedPairs.get(store);
  if (!pairs) {
    pairs = store.listKeyPairs();
    storedPairs.set(store, pairs);
    pairs.then(
      (loaded) => loaded.length === 0 && storedPairs.delete(store),
      () => storedPairs.delete(store),
    );
  }
  return pairs;
}

/**
 * Fedify copies the sending actor's private keys (as JWK, about 3.3 KB for RSA) into every queued
 * message: a fan-out to 1,000 followers wrote them 1,000 times into the queue table (and so into
 * every backup). This wrapper stores which of the node's key pairs signs instead and puts the key
 * back when the message is handled. A key that is not one of the node's stays in the message, and
 * messages queued before keep working.
 */
export function privateKeysByReference(queue: MessageQueue, store: ActorKeyPairStore): MessageQueue {
  return transformMessages(
    queue,
    async (message) => {
      const keys = queuedKeys(message);
      if (!keys?.some((key) => key.privateKey)) return message;
      const pairs = await keyPairsOf(store);
      return {
        ...(message as object),
        keys: keys.map((key) => {
          const pair = key.privateKey && pairs.find((stored) => sameKey(stored.privateKeyJwk, key.privateKey!));
          return pair ? { keyId: key.keyId, storedPrivateKey: pair.algorithm } : key;
        }),
      };
    },
    async (message) => {
      const keys = queuedKeys(message);
      if (!keys?.some((key) => key.storedPrivateKey)) return message;
      const pairs = await keyPairsOf(store);
      return {
        ...(message as object),
        keys: keys.map((key) => {
          if (!key.storedPrivateKey) return key;
          const pair = pairs.find((stored) => stored.algorithm === key.storedPrivateKey);
          if (!pair) throw new Error(`a queued message names the node's ${key.storedPrivateKey} key, which is not stored`);
          return { keyId: key.keyId, privateKey: pair.privateKeyJwk };
        }),
      };
    },
  );
}

/** The same private key: same type and private component (JWKs exported twice may differ in member order and optional members). */
function sameKey(stored: JsonWebKey, queued: JsonWebKey): boolean {
  return stored.kty === queued.kty && stored.d !== undefined && stored.d === queued.d && (stored.crv ?? null) === (queued.crv ?? null);
}
