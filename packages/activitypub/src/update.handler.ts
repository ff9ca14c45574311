import type { InboxListener } from "@fedify/fedify";
import type { Update } from "@fedify/vocab";
import { isAdoptionIri } from "./adoption.mapper.ts";
import { receiveAdoptionActivity } from "./adoption-receipt.ts";
import type { FederationContextData } from "./federation.deps.ts";
import { receiveRecordActivity } from "./record-receipt.ts";

/** A city changed a record (or an adoption record): fetch and verify the new state; a record copy's earlier state goes to its history. */
export const onUpdate: InboxListener<FederationContextData, Update> = (ctx, update) =>
  update.objectId && isAdoptionIri(update.objectId) ? receiveAdoptionActivity(ctx, update, update.objectId) : receiveRecordActivity(ctx, update);
