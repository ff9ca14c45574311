import type { Context } from "@fedify/fedify";
import { Create, Delete, PUBLIC_COLLECTION, Update } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { OutboxActivityRecord } from "@leitplanken/core";
import { cityActorUri } from "./city.actor.ts";
import type { FederationContextData } from "./federation.deps.ts";

export const toInstant = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

/**
 * The activity of an outbox entry. The object is the record's IRI, never the record itself:
 * Fedify's vocabulary does not carry our types (see STACK.md); receivers fetch it.
 */
export function recordActivity(ctx: Context<FederationContextData>, entry: OutboxActivityRecord): Create | Update | Delete {
  const values = {
    id: new URL(entry.activityId),
    actor: cityActorUri(ctx),
    object: new URL(entry.objectId),
    published: toInstant(entry.publishedAt),
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(ctx.data.city.handle),
  };
  switch (entry.type) {
    case "Create":
      return new Create(values);
    case "Update":
      return new Update(values);
    case "Delete":
      return new Delete(values);
  }
}
